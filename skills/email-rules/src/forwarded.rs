//! `forwarded`: the sender passed the message on — to a colleague, the
//! right person, another team — rather than answering it themselves. The
//! seed lists it among a campaign's reply categories ("Forwarded to
//! colleague"); the learned model has no such label (its file is checked
//! byte for byte against a retrain), so this is a rule over the newest,
//! unquoted text, read before the eight intents.
//!
//! A referral names someone else to talk to; it is not a refusal ("not me,
//! talk to Sam" is forwarded, "not interested" is not), and a cue under a
//! negator ("I won't forward this") does not count.

use crate::newest::extract;
use crate::text::{first_affirmed, normalise};

/// Cues that the message went on to someone else, or that the sender
/// points at whoever should get it.
pub const CUES: &[&str] = &[
    "forwarded this",
    "forwarded your",
    "forwarded it",
    "forwarded to",
    "forwarding this",
    "forwarding your",
    "forwarding it",
    "forwarding to",
    "passed this on",
    "passed your",
    "passed it on",
    "passed this along",
    "passing this on",
    "passing this along",
    "passing it on",
    "looping in",
    "looped in",
    "cc'ing",
    "copying in",
    "the right person",
    "the best person",
    "better person to",
    "right contact",
    "reach out to my colleague",
    "speak to my colleague",
    "talk to my colleague",
    "who handles",
    "who looks after",
    "who is responsible for",
    "who owns",
];

/// A forward found in a reply: the cue, and the address it names, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    pub cue: &'static str,
    /// The first address in the newest text other than the sender's.
    pub to: Option<String>,
}

/// Whether `body`'s newest text says it was passed on; `sender` (an
/// address, lower-cased) is never taken for the colleague.
pub fn forwarded(body: &str, sender: Option<&str>) -> Option<Forward> {
    let newest = extract(body).text;
    let text = normalise(&newest);
    let cue = first_affirmed(&text, CUES)?;
    let to = addresses(&newest)
        .into_iter()
        .find(|a| sender.is_none_or(|s| !s.eq_ignore_ascii_case(a)));
    Some(Forward { cue, to })
}

/// The email addresses in `text`, lower-cased, in order.
fn addresses(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | ',' | ';'))
        .map(|w| w.trim_matches(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|w| {
            w.split_once('@').is_some_and(|(user, domain)| {
                !user.is_empty() && domain.contains('.') && !domain.starts_with('.')
            })
        })
        .map(str::to_ascii_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_referral_to_a_colleague_is_forwarded_with_their_address() {
        let f = forwarded(
            "Thanks Jordan - I've forwarded this to my colleague Sam Lee (sam.lee@datapeak.example), who handles ops tooling.\n\nOn Mon, Jordan wrote:\n> Hi Maria",
            Some("maria@datapeak.example"),
        )
        .expect("forwarded");
        assert_eq!(f.cue, "forwarded this");
        assert_eq!(f.to.as_deref(), Some("sam.lee@datapeak.example"));
        let f = forwarded("Not my area. The right person is our CFO.", None).expect("forwarded");
        assert_eq!((f.cue, f.to), ("the right person", None));
    }

    #[test]
    fn a_refusal_a_negated_cue_and_quoted_history_are_not_forwards() {
        assert_eq!(forwarded("Not interested, thanks.", None), None);
        assert_eq!(
            forwarded("I won't be forwarding this to anyone.", None),
            None
        );
        assert_eq!(
            forwarded(
                "Sounds good, send pricing.\n\nOn Mon, Sam wrote:\n> I forwarded this to Ana",
                None
            ),
            None
        );
        assert_eq!(
            forwarded("I've cc'ing me@x.example", Some("me@x.example")).map(|f| f.to),
            Some(None),
            "the sender is not the colleague"
        );
    }
}
