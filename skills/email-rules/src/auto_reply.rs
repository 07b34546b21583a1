//! Absence notices: RFC 3834 style headers, auto-reply subject prefixes (in
//! several languages) and absence wording in the body. An absence notice
//! is `out_of_office` whether a machine or a person sent it; a proactive
//! heads-up inside a normal email is not.

use crate::cues::HANDOVER;
use crate::text::{first, normalise};
use std::collections::BTreeMap;

/// Evidence that a message is an auto-reply or absence notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoReply {
    /// The message was sent by a machine (headers or marker text).
    pub automated: bool,
    /// Why, e.g. "header Auto-Submitted: auto-replied".
    pub reason: String,
}

/// Headers (lower-cased names) that mark a machine-sent reply.
pub fn from_headers(headers: &BTreeMap<String, String>) -> Option<AutoReply> {
    let get = |name: &str| headers.get(name).map(|v| v.trim().to_ascii_lowercase());
    let hit = |reason: String| {
        Some(AutoReply {
            automated: true,
            reason,
        })
    };
    if let Some(v) = get("auto-submitted")
        && v != "no"
    {
        return hit(format!("header Auto-Submitted: {v}"));
    }
    for name in ["x-autoreply", "x-autorespond", "x-auto-response-suppress"] {
        if let Some(v) = get(name)
            && (name != "x-auto-response-suppress" || v.contains("all") || v.contains("oof"))
        {
            let shown = if name == "x-autoreply" {
                "X-Autoreply"
            } else if name == "x-autorespond" {
                "X-Autorespond"
            } else {
                "X-Auto-Response-Suppress"
            };
            return hit(format!("header {shown}: {v}"));
        }
    }
    if let Some(v) = get("precedence")
        && v == "auto_reply"
    {
        return hit("header Precedence: auto_reply".to_owned());
    }
    None
}

/// Auto-reply subject prefixes, in English and the languages customers
/// commonly answer in. Matched at the start of the subject (after `Re:`).
#[rustfmt::skip]
const SUBJECT_PREFIXES: &[&str] = &[
    "automatic reply", "auto reply", "auto reply", "autoreply", "auto:", "auto response",
    "automatic response", "auto response", "out of office", "out of the office", "ooo", "away:",
    "away from", "on leave", "on holiday", "on vacation", "absence", "absent", "abwesenheitsnotiz",
    "abwesend", "automatische antwort", "abwesenheit", "réponse automatique",
    "reponse automatique", "absence du bureau", "absent du bureau", "respuesta automática",
    "respuesta automatica", "fuera de la oficina", "risposta automatica", "fuori sede",
    "fuori ufficio", "automatisch antwoord", "afwezig", "niet aanwezig", "automatyczna odpowiedź",
    "poza biurem", "autosvar", "frånvaro", "fravær", "resposta automática", "ausente",
    "automaattinen vastaus",
    // Chinese, Japanese and Korean clients' prefixes.
    "自动回复", "自動回覆", "自动答复", "自動応答", "自動返信", "자동 응답", "자동응답",
];

/// The subject marks an auto-reply.
pub fn from_subject(subject: &str) -> Option<AutoReply> {
    let mut s = normalise(subject);
    while let Some(rest) = ["re:", "aw:", "sv:", "fw:", "fwd:", "wg:", "tr:"]
        .iter()
        .find_map(|p| s.strip_prefix(p))
    {
        s = rest.trim_start().to_owned();
    }
    let p = SUBJECT_PREFIXES
        .iter()
        .find(|p| {
            s.starts_with(*p)
                && s[p.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
        .or_else(|| {
            // A bilingual prefix names it in each language, split by a
            // slash ("自动回复 / Auto reply: …"): a later part is the whole
            // prefix, so "Payroll / Absence tracking" is none.
            let (head, _) = s.split_once(':')?;
            head.split('/')
                .skip(1)
                .find_map(|h| SUBJECT_PREFIXES.iter().find(|p| h.trim() == **p))
        })?;
    Some(AutoReply {
        automated: true,
        reason: format!("subject starts with \"{p}\""),
    })
}

/// Text a machine puts in its replies.
#[rustfmt::skip]
const AUTOMATED_MARKERS: &[&str] = &[
    "this is an automated response", "this is an automated reply", "this is an automatic reply",
    "this is an auto reply", "this is an automatic response", "automatic reply",
    "this mailbox is not monitored", "this inbox is not monitored", "auto generated reply",
    "autoresponder",
    "auto responder",
    "auto responder",
];

/// Wording of an absence: leave, travel, closure, departure.
#[rustfmt::skip]
const ABSENCE: &[&str] = &[
    "out of the office", "out of office", "out of the country", "away from the office",
    "away from my desk", "on leave", "annual leave", "maternity leave", "paternity leave",
    "parental leave", "sick leave", "medical leave", "on holiday", "on vacation", "on sabbatical",
    "jury service", "jury duty", "is offshore", "i'm offshore", "am offshore", "i'm at sea",
    "am at sea", "is at sea", "travelling until", "traveling until", "travelling this week",
    "traveling this week", "no access to email", "limited access to email",
    "patchy access to email", "intermittent access to email", "limited email access",
    "not checking email", "not checking my email", "no longer works", "no longer with",
    "has left the company", "has left the organisation", "has left the organization",
    "is no longer employed", "are closed for", "is closed for", "are closed until",
    "is closed until", "office is closed", "offices are closed", "when we reopen", "reduced hours",
    "working reduced", "working part time", "my working days", "next working day",
    "due to illness", "off sick", "out sick", "away until", "off until", "i'm back on",
    "be back on", "back in the office", "will return on", "returning on", "i return on",
    "until my return", "on my return", "after my return", "when i return", "when i'm back",
    "upon my return", "nicht im büro", "abwesend", "je suis absent", "je suis absente", "en congé",
    "fuera de la oficina", "fuori ufficio", "niet aanwezig", "poza biurem", "no longer monitored",
    "left the company", "left the business", "left the organisation", "left the organization",
    "left the firm", "no longer employed", "absent until", "out until", "out till", "away till",
    "off till", "not in the office", "unavailable until", "i'm away", "travelling with",
    "traveling with", "patchy signal", "limited signal", "limited connectivity", "patchy wifi",
    "no signal", "will reply properly", "reply properly then", "respond properly",
    "extended leave",
    "long term leave",
    "leave of absence",
    "has not been forwarded",
    "not been forwarded",
    "will not be forwarded",
    "won't be forwarded",
    "is not being forwarded",
    "in hospital",
    "in the hospital",
    "off work",
    "recovering from",
    "after surgery",
    "career break",
    "won't be checking",
    "not be checking",
    "will not be checking",
    "not checking this inbox",
    "not monitoring",
    "attending a wedding",
    "at a wedding",
    "wedding abroad",
    "i'm abroad",
    "am abroad",
    "travelling abroad",
    "offline until",
    "on a flight",
    "in the air",
    "be offline",
    "unreachable until",
    "not reachable",
    "on secondment",
    "checking email infrequently",
    "responses may be delayed",
    "response may be delayed",
    "delayed response",
    "limited access to emails",
    "on business trip",
    "on a business trip",
    "travelling on business",
    "traveling on business",
    "closed today",
    "didn't bring the laptop",
    "no laptop",
    "when i'm home",
    "when i'm back home",
    "no reception",
    "won't see this",
    "til i'm back",
    "till i'm back",
    "until i'm back",
    "desk reopens",
    "office reopens",
    "when the desk reopens",
    "when the office reopens",
    // Not reading mail for a while ("won't be across emails", "I won't be
    // looking at emails till then").
    "won't be across", "not be across", "won't be looking at email*", "not be looking at email*",
    "won't be reading email*", "not be reading email*", "won't be answering email*",
    "not be answering email*", "won't be on email*", "not be on email*",
    "return to the office", "returning to the office", "back at my desk",
];

/// Words of a heads-up inside a normal email rather than a notice sent in
/// place of a reply (a change of contact, [`HANDOVER`], is one too).
#[rustfmt::skip]
const HEADS_UP: &[&str] = &[
    "just so you're aware", "just so you know", "heads up", "heads up", "just to let you know",
    "wanted to let you know", "for your planning", "in advance", "ahead of time", "fyi",
    "happy holidays", "merry christmas",
    "going on",
    "will be on leave from",
    "from next",
    "will pick up",
];

/// The body reads as an absence notice. `rest` is what the caller found
/// besides the absence (a question, a request); a notice carries no request
/// of its own beyond "contact my colleague".
pub fn from_body(newest: &str, unquoted: &str, has_other_intent: bool) -> Option<AutoReply> {
    let n = normalise(newest);
    // Machine markers sit in the closing lines; the last 2000 bytes do.
    let tail = unquoted
        .char_indices()
        .map(|(i, _)| i)
        .find(|i| unquoted.len() - i <= 2000)
        .map_or("", |i| &unquoted[i..]);
    let all = normalise(tail);
    let absence = first(&n, ABSENCE)?;
    let automated = first(&all, AUTOMATED_MARKERS).is_some();
    let heads_up = first(&n, HEADS_UP).or_else(|| first(&n, HANDOVER));
    if !automated && (has_other_intent || heads_up.is_some()) {
        return None;
    }
    Some(AutoReply {
        automated,
        reason: if automated {
            format!("automated absence notice (\"{absence}\")")
        } else {
            format!("absence notice (\"{absence}\")")
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn rfc3834_headers_mark_auto_replies() {
        let a = from_headers(&headers(&[("Auto-Submitted", "auto-replied")])).expect("hit");
        assert_eq!(a.reason, "header Auto-Submitted: auto-replied");
        assert!(from_headers(&headers(&[("Auto-Submitted", "no")])).is_none());
        assert!(from_headers(&headers(&[("X-Autoreply", "yes")])).is_some());
        assert!(from_headers(&headers(&[("X-Autorespond", "1")])).is_some());
        assert!(from_headers(&headers(&[("Precedence", "auto_reply")])).is_some());
        assert!(from_headers(&headers(&[("Precedence", "bulk")])).is_none());
    }

    #[test]
    fn subject_prefixes_in_several_languages() {
        for s in [
            "Automatic reply: Contract",
            "RE: Out of Office: pricing",
            "Abwesenheitsnotiz: Ihre Anfrage",
            "Réponse automatique : devis",
            "Respuesta automática: demo",
            "Autosvar: möte",
        ] {
            assert!(from_subject(s).is_some(), "{s}");
        }
        assert!(from_subject("Re: Automation ideas").is_none());
        assert!(from_subject("Absenteeism tracking").is_none());
        assert!(from_subject("Out-of-hours cover / Auto reply: rota").is_some());
        assert!(from_subject("Payroll / Absence tracking: demo").is_none());
    }

    #[test]
    fn a_typed_absence_is_a_notice_but_a_heads_up_is_not() {
        assert!(from_body("I'm on holiday until the 9th, will look then.", "", false).is_some());
        assert!(
            from_body(
                "Just so you know, our office is closed for the bank holiday on Monday.",
                "",
                false
            )
            .is_none()
        );
        assert!(
            from_body(
                "I'm on leave next week. Can you send the DPA today?",
                "",
                true
            )
            .is_none()
        );
    }
}
