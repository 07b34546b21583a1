//! Open and click tracking as an email leaves, when the rep's org turned it
//! on (off by default; a privacy choice, see docs/service.md): the email
//! gains an HTML alternative to its text — the same words, its links
//! wrapped through `/t/c/{token}` (clicks), a 1×1 pixel at `/t/o/{token}`
//! (opens). The text part stays exactly as the rep approved it. Tokens are
//! 192 random bits, minted and stored before the email leaves and reused if
//! it is sent again; what a hit records is `web/tracking.rs`'s.

use super::proposal::share_token;
use super::{ConnectorError, Connectors, email};
use crate::store::{Tracked, TrackingTables, tracking};
use baton_store::Effect;
use maud::{DOCTYPE, html};

/// The links of `text` a person can click (http and https), in order.
fn links(text: &str) -> Vec<linkify::Link<'_>> {
    let mut finder = linkify::LinkFinder::new();
    finder.kinds(&[linkify::LinkKind::Url]);
    finder
        .links(text)
        .filter(|l| {
            let s = l.as_str().to_ascii_lowercase();
            s.starts_with("http://") || s.starts_with("https://")
        })
        .collect()
}

/// The HTML alternative of `text`: its words as they are (pre-wrapped),
/// each link through `wrap` when it gives a wrapped URL, and `pixel`.
fn html_of(text: &str, wrap: &dyn Fn(&str) -> Option<String>, pixel: Option<&str>) -> String {
    let found = links(text);
    let mut parts: Vec<(&str, Option<String>)> = Vec::new();
    let mut at = 0;
    for l in &found {
        parts.push((&text[at..l.start()], None));
        parts.push((l.as_str(), wrap(l.as_str())));
        at = l.end();
    }
    parts.push((&text[at..], None));
    html! {
        (DOCTYPE)
        html {
            body {
                div style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;white-space:pre-wrap" {
                    @for (words, href) in &parts {
                        @match href {
                            Some(h) => { a href=(h) { (words) } }
                            None => { (words) }
                        }
                    }
                }
                @if let Some(src) = pixel {
                    img src=(src) width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px";
                }
            }
        }
    }
    .into_string()
}

impl Connectors {
    /// `draft` as it leaves with the org's tracking: `None` when the org
    /// tracks nothing (or the service has no public URL to track through);
    /// else the draft with its signed text and an HTML alternative.
    pub(super) async fn tracked(
        &self,
        effect: &Effect,
        draft: &email::Draft,
        signature: Option<&str>,
    ) -> Result<Option<email::Draft>, ConnectorError> {
        let store = self.store()?;
        let choice = store.tracking(&effect.org_id).await?;
        let Some(base) = self.public_url.as_deref().filter(|_| choice.any()) else {
            return Ok(None);
        };
        let text = email::signed(&draft.body, signature);
        let mut kept = store
            .tracked_of_effect(&effect.org_id, effect.id.as_str())
            .await?;
        let now = self.now();
        let mint = |kind: &str, url: Option<&str>| Tracked {
            token: share_token(),
            org_id: effect.org_id.clone(),
            effect_id: effect.id.to_string(),
            user_id: effect.user_id.clone(),
            kind: kind.to_owned(),
            url: url.map(str::to_owned),
            subject: draft.subject.clone(),
            recipients: draft
                .to
                .iter()
                .chain(&draft.cc)
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
            created_at: now,
        };
        let mut fresh = Vec::new();
        if choice.clicks {
            for l in links(&text) {
                let known = kept
                    .iter()
                    .chain(&fresh)
                    .any(|t| t.kind == tracking::CLICK && t.url.as_deref() == Some(l.as_str()));
                if !known {
                    fresh.push(mint(tracking::CLICK, Some(l.as_str())));
                }
            }
        }
        if choice.opens && !kept.iter().any(|t| t.kind == tracking::OPEN) {
            fresh.push(mint(tracking::OPEN, None));
        }
        store.insert_tracked(&fresh).await?;
        kept.extend(fresh);
        let wrap = |url: &str| {
            choice
                .clicks
                .then(|| {
                    kept.iter()
                        .find(|t| t.kind == tracking::CLICK && t.url.as_deref() == Some(url))
                })
                .flatten()
                .map(|t| format!("{base}/t/c/{}", t.token))
        };
        let pixel = kept
            .iter()
            .find(|t| t.kind == tracking::OPEN && choice.opens)
            .map(|t| format!("{base}/t/o/{}", t.token));
        Ok(Some(email::Draft {
            html: Some(html_of(&text, &wrap, pixel.as_deref())),
            body: text,
            ..draft.clone()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_wrapped_in_the_html_and_the_words_kept() {
        let text = "Hi Marta,\n\nThe plan: https://acme.example/plan?q=1&x=2. See <you>.\n";
        let wrap = |u: &str| Some(format!("https://baton.example/t/c/T({u})"));
        let html = html_of(text, &wrap, Some("https://baton.example/t/o/PIXEL"));
        assert!(
            html.contains(r#"<a href="https://baton.example/t/c/T(https://acme.example/plan?q=1&amp;x=2)">https://acme.example/plan?q=1&amp;x=2</a>. See &lt;you&gt;."#),
            "{html}"
        );
        assert!(
            html.contains(r#"<img src="https://baton.example/t/o/PIXEL""#),
            "{html}"
        );
        assert!(html.contains("Hi Marta,\n\nThe plan: "), "{html}");
        // Nothing but http(s) is a link to wrap.
        assert!(links("mail me: kit@harbour.example, ftp://x.example/f").is_empty());
    }
}
