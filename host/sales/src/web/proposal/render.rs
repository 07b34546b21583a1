//! A proposal document as HTML (maud, so every string from the skill or the
//! rep is escaped): the one renderer behind both the public `/p/{token}`
//! page and the document at the inbox's gate. Section text follows the
//! document's rules: paragraphs split by a blank line, a line starting
//! `- ` is a bullet, one starting `> ` a quotation.

use baton_types::money::money;
use baton_types::proposal::ProposalDoc;
use maud::{Markup, html};

/// One block of a section's text.
#[derive(Debug, Clone, PartialEq)]
enum Block {
    Paragraph(Vec<String>),
    Bullets(Vec<String>),
    Quote(Vec<String>),
}

/// Split a section's text into its blocks.
fn blocks(text: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            open = false;
            continue;
        }
        let (kind, words) = if let Some(b) = line.strip_prefix("- ") {
            (1, b)
        } else if let Some(q) = line.strip_prefix("> ").or(line.strip_prefix(">")) {
            (2, q)
        } else {
            (0, line.trim())
        };
        let same = match (out.last_mut(), kind) {
            (Some(Block::Paragraph(l)), 0) if open => Some(l),
            (Some(Block::Bullets(l)), 1) if open => Some(l),
            (Some(Block::Quote(l)), 2) if open => Some(l),
            _ => None,
        };
        match same {
            Some(lines) => lines.push(words.to_owned()),
            None => out.push(match kind {
                1 => Block::Bullets(vec![words.to_owned()]),
                2 => Block::Quote(vec![words.to_owned()]),
                _ => Block::Paragraph(vec![words.to_owned()]),
            }),
        }
        open = true;
    }
    out
}

fn section_text(text: &str) -> Markup {
    html! {
        @for b in blocks(text) {
            @match b {
                Block::Paragraph(lines) => p { (lines.join(" ")) },
                Block::Bullets(items) => ul { @for i in items { li { (i) } } },
                Block::Quote(lines) => blockquote { @for l in &lines { (l) br; } },
            }
        }
    }
}

/// Who sent it, for the document's foot.
#[derive(Debug, Clone, Copy)]
pub struct From<'a> {
    pub name: &'a str,
    pub email: &'a str,
}

/// The document: title, for whom, its sections, the pricing table with
/// the total, how long it stands and who sent it.
pub fn document(doc: &ProposalDoc, from: Option<From<'_>>) -> Markup {
    let whom: Vec<&str> = [doc.contact_name.as_deref(), doc.company.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect();
    html! {
        article.proposal {
            h1 #proposal-title { (doc.title) }
            @if !whom.is_empty() {
                p.for { "Prepared for " (whom.join(", ")) }
            }
            @for s in &doc.sections {
                section {
                    h2 { (s.heading) }
                    (section_text(&s.body))
                }
            }
            @if !doc.pricing.is_empty() {
                section.pricing {
                    h2 { "Pricing" }
                    table {
                        thead { tr { th { "Item" } th.num { "Quantity" } th.num { "Unit price" } th.num { "Total" } } }
                        tbody {
                            @for l in &doc.pricing {
                                tr {
                                    td { (l.item) }
                                    td.num { (l.quantity) }
                                    td.num { (money(l.unit_amount, &doc.currency)) }
                                    td.num { (money(l.total, &doc.currency)) }
                                }
                            }
                        }
                        tfoot { tr { th colspan="3" { "Total" } th.num #proposal-total { (money(doc.amount, &doc.currency)) } } }
                    }
                }
            } @else {
                p.total { "Total: " strong #proposal-total { (money(doc.amount, &doc.currency)) } }
            }
            @if let Some(d) = &doc.valid_until {
                p.valid { "This offer is valid until " (d) "." }
            }
            @if let Some(f) = from {
                footer { "From " (f.name) " · " a href={ "mailto:" (f.email) } { (f.email) } }
            }
        }
    }
}

/// The document's print-friendly style.
pub const STYLE: &str = "article.proposal{line-height:1.5}article.proposal h1{margin-bottom:.2rem}\
.proposal .for{color:#555;margin-top:0}.proposal blockquote{border-left:3px solid #bbb;margin:.6rem 0;padding:.2rem .9rem;color:#333;font-style:italic}\
.proposal table{border-collapse:collapse;width:100%}.proposal td,.proposal th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}\
.proposal .num{text-align:right}.proposal tfoot th{border-top:2px solid #333}.proposal footer{margin-top:2rem;color:#555}\
@media print{body{margin:0;max-width:none}.proposal a{color:inherit;text-decoration:none}}";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(body: &str) -> ProposalDoc {
        serde_json::from_value(json!({
            "title": "Hub <script>alert(1)</script>", "currency": "USD", "amount": 2_160_000,
            "company": "Northwind & Co", "contact_name": "Marta \"M\" Ruiz",
            "sections": [{ "heading": "<b>Summary</b>", "body": body }],
            "pricing": [{ "item": "Seats <i>", "quantity": 40, "unit_amount": 54_000, "total": 2_160_000 }],
            "valid_until": "2026-12-31"
        }))
        .expect("doc")
    }

    #[test]
    fn text_from_the_skill_or_the_rep_is_escaped() {
        let html = document(
            &doc("<img src=x onerror=alert(1)>\n\n- <a href='javascript:x'>y</a>"),
            Some(From {
                name: "Jordan <Avery>",
                email: "jordan@acme.example\"><script>",
            }),
        )
        .into_string();
        for raw in [
            "<script>",
            "<img",
            "<b>Summary",
            "<a href='javascript",
            "<i>",
            "<Avery>",
        ] {
            assert!(!html.contains(raw), "`{raw}` reached the page: {html}");
        }
        assert!(
            html.contains("Hub &lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("Northwind &amp; Co"), "{html}");
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{html}"
        );
    }

    #[test]
    fn sections_keep_paragraphs_bullets_and_quotes_and_money_is_formatted() {
        let html = document(
            &doc("You told us:\n> Renewals slip\n> every quarter\n\n- Fewer misses\n- One view\n\nSecond paragraph\ncontinues."),
            None,
        )
        .into_string();
        assert!(html.contains("<p>You told us:</p>"), "{html}");
        assert!(
            html.contains("<blockquote>Renewals slip<br>every quarter<br></blockquote>"),
            "{html}"
        );
        assert!(
            html.contains("<ul><li>Fewer misses</li><li>One view</li></ul>"),
            "{html}"
        );
        assert!(
            html.contains("<p>Second paragraph continues.</p>"),
            "{html}"
        );
        assert!(
            html.contains("$540<") && html.contains("$21,600<"),
            "{html}"
        );
        assert!(html.contains("valid until 2026-12-31"), "{html}");
    }
}
