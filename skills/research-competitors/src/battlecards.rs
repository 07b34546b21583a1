//! The org's battlecards: items of kind `battlecard` in its content library
//! (`context:external:content_library`) whose title or tags name the rival,
//! as whole words and in any case ("Gainsight" in "Gainsight battlecard",
//! not in "Gainsightly"). The card shows the item's summary and where to
//! read it.

use crate::provider::safe_url;
use crate::{Card, Link};
use baton_sdk::context::ContentItem;

/// The kind a battlecard has in the content library.
pub const KIND: &str = "battlecard";

/// Whether `text` names `rival` as whole words.
fn names(text: &str, rival: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (hay, needle) = (words(text), words(rival));
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// The battlecard that names `rival`, if the library holds one.
pub fn find(rival: &str, library: &[ContentItem]) -> Option<Card> {
    let item = library.iter().find(|i| {
        i.kind == KIND && (names(&i.title, rival) || i.tags.iter().any(|t| names(t, rival)))
    })?;
    let link = item.url.as_deref().filter(|u| safe_url(u)).map(|url| Link {
        title: item.title.clone(),
        url: url.to_owned(),
    });
    Some(Card {
        competitor: rival.to_owned(),
        source: "battlecard",
        summary: item.summary.clone().or_else(|| Some(item.title.clone())),
        strengths: Vec::new(),
        weaknesses: Vec::new(),
        pricing: None,
        links: link.into_iter().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(title: &str, kind: &str, tags: &[&str]) -> ContentItem {
        ContentItem {
            id: "x".into(),
            title: title.into(),
            kind: kind.into(),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            audience: Vec::new(),
            summary: Some("Where we win against them.".into()),
            url: Some("https://acme.example/battlecards/x".into()),
            file: None,
        }
    }

    #[test]
    fn a_battlecard_is_found_by_its_title_or_tags_as_whole_words() {
        let library = vec![
            item("Gainsight battlecard", KIND, &[]),
            item("Totango case study", "case_study", &[]),
            item("Rivals in CS", KIND, &["churnzero", "Totango"]),
        ];
        assert_eq!(
            find("gainsight", &library).map(|c| c.source),
            Some("battlecard")
        );
        assert!(
            find("Totango", &library).is_some(),
            "by a tag, not the case study"
        );
        assert!(find("Gain", &library).is_none(), "whole words only");
        assert!(find("Planhat", &library).is_none());
        let c = find("Gainsight", &library).expect("card");
        assert_eq!(c.links[0].url, "https://acme.example/battlecards/x");
    }
}
