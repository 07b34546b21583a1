//! What a person reads on a page: the visible text of its HTML (no
//! scripts, styles, tags or attributes, nor what an operator's collapsed
//! `<details class="operator">` holds), and the UUIDs in a text. For the
//! tests that check a rep's pages show no internal names.

/// The text of an HTML page a reader sees: the title and the body's text,
/// without `<script>` and `<style>`, tags and their attributes, comments,
/// or what a `<details class="operator">` holds; entities decoded.
pub fn visible_text(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = String::new();
    let mut i = 0;
    // How deep inside `details.operator` (counting nested `<details>`).
    let mut operator_depth = 0usize;
    while i < html.len() {
        let Some(rel) = lower[i..].find('<') else {
            if operator_depth == 0 {
                out.push_str(&html[i..]);
            }
            break;
        };
        if operator_depth == 0 {
            out.push_str(&html[i..i + rel]);
        }
        let at = i + rel;
        let rest = &lower[at..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(html.len(), |e| at + e + 3);
            continue;
        }
        let end = tag_end(&lower, at);
        let tag = &lower[at..end];
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let closing = tag.starts_with("</");
        if !closing && (name == "script" || name == "style") {
            let close = format!("</{name}");
            i = lower[end..]
                .find(&close)
                .map_or(html.len(), |e| tag_end(&lower, end + e));
            continue;
        }
        if name == "details" {
            if closing {
                operator_depth = operator_depth.saturating_sub(1);
            } else if operator_depth > 0 || is_operator(tag) {
                operator_depth += 1;
            }
        }
        // A tag separates words.
        if operator_depth == 0 {
            out.push(' ');
        }
        i = end;
    }
    decode_entities(&out)
}

/// The index just past the `>` closing the tag at `at` (quotes respected).
fn tag_end(lower: &str, at: usize) -> usize {
    let mut quote = None;
    for (n, c) in lower[at..].char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return at + n + 1,
            _ => {}
        }
    }
    lower.len()
}

/// Whether an opening `<details …>` tag has the class `operator`.
fn is_operator(tag: &str) -> bool {
    let Some(start) = tag.find("class=") else {
        return false;
    };
    let value = tag[start + 6..].trim_start_matches(['"', '\'']);
    let value = value.split(['"', '\'', '>']).next().unwrap_or("");
    value.split_whitespace().any(|c| c == "operator")
}

fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// The UUIDs (8-4-4-4-12 hex digits) in `text`.
pub fn uuids(text: &str) -> Vec<String> {
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let mut at = i;
        let whole = GROUPS.iter().enumerate().all(|(g, &n)| {
            let hex = b.len() >= at + n && b[at..at + n].iter().all(u8::is_ascii_hexdigit);
            at += n;
            let dash = g == GROUPS.len() - 1 || b.get(at) == Some(&b'-');
            at += 1;
            hex && dash
        });
        let bounded = (i == 0 || !b[i - 1].is_ascii_hexdigit())
            && !b.get(at - 1).is_some_and(u8::is_ascii_hexdigit);
        if whole && bounded {
            found.push(text[i..at - 1].to_owned());
            i = at - 1;
        } else {
            i += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_leaves_out_code_attributes_and_operator_details() {
        let html = r#"<html><head><title>A &amp; B</title><style>td{x:1}</style></head>
            <body><a href="/inbox/jobs/0193a1b2-0000-7000-8000-000000000001" class="open">Follow-up</a>
            <script>var s = "email_send</div>";</script><!-- draft-followup-email -->
            <details class="muted operator"><summary>Operator</summary><details>x</details>crm_update</details>
            <details id="edit"><summary>Edit</summary><textarea>Hi Marta</textarea></details></body></html>"#;
        let text = visible_text(html);
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(
            words,
            ["A", "&", "B", "Follow-up", "Edit", "Hi", "Marta"],
            "{text}"
        );
    }

    #[test]
    fn uuids_are_found_whole_and_only_whole() {
        let text = "job 0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b, not 0193a1b2-c3d4 nor x0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b0";
        assert_eq!(uuids(text), ["0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"]);
    }
}
