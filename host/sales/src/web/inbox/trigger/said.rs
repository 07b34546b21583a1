//! What was said on a call, as a trigger quotes it: the transcript's
//! lines and the intents the steps found, placed in the call (m:ss) and
//! named by their speaker ("You" for the rep). A leaf of `trigger.rs`.

use crate::words;
use baton_types::evidence::Evidence;
use serde_json::Value;

/// How long a quote may be on a page.
pub(super) const QUOTE_CHARS: usize = 180;

/// Words someone said, with where in the call.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::web::inbox) struct Quote {
    /// "Marta Ruiz", or "You" for the rep.
    pub who: String,
    pub text: String,
    /// Where: "at m:ss" into the call, "line n" of the email.
    pub at: Option<String>,
    /// How sure the step that found the words was, from 0 to 1.
    pub confidence: Option<f64>,
}

impl Quote {
    /// The words an action rests on, as a quote; `who` names the speaker
    /// when the evidence does not.
    pub(in crate::web::inbox) fn of_evidence(e: &Evidence, who: Option<&str>) -> Quote {
        Quote {
            who: e
                .speaker
                .clone()
                .or_else(|| who.map(str::to_owned))
                .unwrap_or_else(|| "The prospect".into()),
            text: words::clip(&e.quote, QUOTE_CHARS),
            at: e.place(),
            confidence: e.confidence,
        }
    }
}

/// What was said on the call: the transcript (speaker, text, start in
/// seconds) and the intents the steps found in it.
#[derive(Debug, Clone, Default)]
pub(super) struct Said {
    lines: Vec<(String, String, Option<f64>)>,
    /// (utterance, confidence, prospect?) of each detected intent.
    intents: Vec<(usize, f64, bool)>,
    contact: Option<String>,
}

impl Said {
    pub(super) fn from(payload: &Value, runs: &[Value], contact: Option<&str>) -> Said {
        let lines = payload["utterances"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|u| {
                (
                    u["speaker"].as_str().unwrap_or("").to_owned(),
                    u["text"].as_str().unwrap_or("").to_owned(),
                    u["start"].as_f64(),
                )
            })
            .collect();
        let intents = runs
            .iter()
            .flat_map(|data| data["intents"].as_array().into_iter().flatten())
            .filter_map(|i| {
                Some((
                    usize::try_from(i["utterance"].as_u64()?).ok()?,
                    i["confidence"].as_f64().unwrap_or(0.0),
                    i["speaker"] == "prospect",
                ))
            })
            .collect();
        Said {
            lines,
            intents,
            contact: contact.map(str::to_owned),
        }
    }

    fn who(&self, speaker: &str) -> String {
        match speaker {
            "rep" => "You".into(),
            _ => self
                .contact
                .clone()
                .unwrap_or_else(|| "The prospect".into()),
        }
    }

    /// Utterance `i` as a quote, with the surest detection in it.
    pub(super) fn line(&self, i: usize) -> Option<Quote> {
        let (speaker, text, start) = self.lines.get(i)?;
        Some(Quote {
            who: self.who(speaker),
            text: words::clip(text, QUOTE_CHARS),
            at: start.map(at_mss),
            confidence: self.surest(i),
        })
    }

    /// The highest confidence of the detections in utterance `i`.
    fn surest(&self, i: usize) -> Option<f64> {
        self.intents
            .iter()
            .filter(|(u, _, _)| *u == i)
            .map(|(_, c, _)| *c)
            .max_by(f64::total_cmp)
    }

    /// Evidence `e` as a quote, its speaker and place taken from the line
    /// that holds its words when it does not say them.
    pub(super) fn evidence(&self, e: &Evidence) -> Quote {
        let found = self.find(&e.quote);
        let mut q = Quote::of_evidence(e, None);
        if e.speaker.is_none() {
            q.who = found.map_or_else(|| self.who("prospect"), |i| self.who(&self.lines[i].0));
        }
        if q.at.is_none() {
            q.at = found.and_then(|i| self.lines[i].2).map(at_mss);
        }
        if q.confidence.is_none() {
            q.confidence = found.and_then(|i| self.surest(i));
        }
        q
    }

    /// The line that holds `text`.
    fn find(&self, text: &str) -> Option<usize> {
        let needle = text.trim().to_lowercase();
        self.lines
            .iter()
            .position(|(_, t, _)| t.to_lowercase().contains(&needle))
    }

    /// `text` as a quote, placed in the call when a line holds it.
    pub(super) fn quote(&self, text: &str) -> Quote {
        self.evidence(&Evidence::quote(text))
    }

    /// The prospect's most confident intent (else anyone's).
    pub(super) fn strongest(&self) -> Option<Quote> {
        let best = |prospect: bool| {
            self.intents
                .iter()
                .filter(|(_, _, p)| *p || !prospect)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(i, _, _)| *i)
        };
        best(true)
            .or_else(|| best(false))
            .and_then(|i| self.line(i))
    }
}

/// Seconds into a call as "at m:ss".
fn at_mss(seconds: f64) -> String {
    format!("at {}", mss(seconds))
}

/// Seconds into a call as m:ss.
pub(super) fn mss(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}
