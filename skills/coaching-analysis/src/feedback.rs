//! The micro-feedback: two or three bullets in the seed's format (✅ a
//! strength, ⚠️ what was missed, 💡 what to try), each pointing at a moment
//! of the call by its time (`at 14:23`) and a short quote, and the closing
//! `Overall:` line. Deterministic: the candidates below, in order, and the
//! first strength, the first two warnings and then tips, up to three.

use baton_sdk::coaching::Method;
use baton_sdk::coaching::{Analysis, Feedback, ObjectionKind, Question, Tone, clock};

/// What the bullets are drawn from.
pub struct Facts<'a> {
    pub analysis: &'a Analysis,
    /// The first question about how they work today.
    pub process_question: Option<&'a Question>,
    /// Asking about the current process within this counts as early.
    pub process_within_ms: i64,
    /// The prospect's first name, when there is exactly one named prospect.
    pub prospect: Option<&'a str>,
}

/// A monologue this long (ms, or words without timestamps) is flagged.
const LONG_MONOLOGUE_MS: i64 = 150_000;
const LONG_MONOLOGUE_WORDS: i64 = 350;
/// Above this share of the talk, the rep talked too much (target 40%).
const TALKS_TOO_MUCH: f64 = 0.6;

fn at(ms: Option<i64>) -> String {
    ms.map(|m| format!(" at {}", clock(m))).unwrap_or_default()
}

fn concern(kind: ObjectionKind) -> &'static str {
    match kind {
        ObjectionKind::Price => "price concern",
        ObjectionKind::Timing => "timing concern",
        ObjectionKind::Competitor => "competitor mention",
        ObjectionKind::Authority => "sign-off concern",
        ObjectionKind::Need => "doubt about the need",
    }
}

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn pct(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

fn bullet(tone: Tone, text: String, at_ms: Option<i64>, quote: &str) -> Feedback {
    Feedback {
        text,
        at_ms,
        quote: quote.to_owned(),
        tone,
    }
}

/// The bullets and the overall line.
pub fn feedback(f: &Facts) -> (Vec<Feedback>, String) {
    let a = f.analysis;
    let poss = f.prospect.map_or("their".to_owned(), |n| format!("{n}'s"));
    let subj = f.prospect.unwrap_or("they");
    let timed = a.method == Method::Timestamps;
    let q = &a.questions;
    let (mut strengths, mut warnings, mut tips) = (Vec::new(), Vec::new(), Vec::new());

    // ✅ Strengths.
    if let Some(p) = f.process_question {
        let early = match p.at_ms {
            Some(t) => t <= f.process_within_ms,
            // Without times: among the rep's first three questions.
            None => q.items.iter().take(3).any(|i| std::ptr::eq(i, p)),
        };
        if early {
            strengths.push(bullet(
                Tone::Strength,
                format!(
                    "Strong opening — asked about their current process{}: \"{}\"",
                    at(p.at_ms),
                    p.quote
                ),
                p.at_ms,
                &p.quote,
            ));
        } else {
            tips.push(bullet(
                Tone::Tip,
                format!(
                    "You first asked about their current process{} (\"{}\") — try it in the first {} minutes",
                    at(p.at_ms),
                    p.quote,
                    f.process_within_ms / 60_000
                ),
                p.at_ms,
                &p.quote,
            ));
        }
    }
    for o in a.objections.iter().filter(|o| o.with_evidence) {
        let answer = o.answer_quote.as_deref().unwrap_or_default();
        strengths.push(bullet(
            Tone::Strength,
            format!(
                "Met {poss} {}{} with evidence: \"{answer}\"",
                concern(o.kind),
                at(o.at_ms)
            ),
            o.at_ms,
            answer,
        ));
    }
    if q.discovery >= 6
        && let Some(d) = q.items.iter().find(|i| i.discovery)
    {
        strengths.push(bullet(
            Tone::Strength,
            format!(
                "Good discovery — {} about their situation, starting with \"{}\"{}",
                plural(q.discovery, "question", "questions"),
                d.quote,
                at(d.at_ms)
            ),
            d.at_ms,
            &d.quote,
        ));
    }

    // ⚠️ Warnings.
    for o in &a.objections {
        if !o.answered {
            warnings.push(bullet(
                Tone::Warning,
                format!(
                    "Missed {poss} {}{} — {subj} said \"{}\" and you moved on",
                    concern(o.kind),
                    at(o.at_ms),
                    o.quote
                ),
                o.at_ms,
                &o.quote,
            ));
        } else if !o.with_evidence {
            warnings.push(bullet(
                Tone::Warning,
                format!(
                    "{} {}{} (\"{}\") got an answer but no evidence — back it with a figure or a customer story",
                    capital(&poss),
                    concern(o.kind),
                    at(o.at_ms),
                    o.quote
                ),
                o.at_ms,
                &o.quote,
            ));
        }
    }
    if let Some(u) = a.unanswered_questions.first() {
        let until = u
            .answered_at_ms
            .map(|t| format!(" until {}", clock(t)))
            .unwrap_or_default();
        warnings.push(bullet(
            Tone::Warning,
            format!(
                "{} asked \"{}\"{} and it went unanswered{until}",
                capital(subj),
                u.quote,
                at(u.at_ms)
            ),
            u.at_ms,
            &u.quote,
        ));
    }
    if let Some(m) = &a.longest_monologue {
        let long = match (timed, m.duration_ms) {
            (true, Some(d)) => d >= LONG_MONOLOGUE_MS,
            _ => m.words >= LONG_MONOLOGUE_WORDS,
        };
        let stretch = match m.duration_ms.filter(|_| timed) {
            Some(d) => format!(
                "for {} minutes straight",
                (d as f64 / 60_000.0).round() as i64
            ),
            None => format!("{} words straight", m.words),
        };
        if long {
            warnings.push(bullet(
                Tone::Warning,
                format!(
                    "You spoke {stretch}{} (\"{}\") — stop and check in after a minute or two",
                    at(m.start_ms),
                    m.quote
                ),
                m.start_ms,
                &m.quote,
            ));
        } else if a.rep_share > TALKS_TOO_MUCH {
            warnings.push(bullet(
                Tone::Warning,
                format!(
                    "You talked {}% of the time (target: 40%) — your longest stretch began{}: \"{}\"",
                    pct(a.rep_share),
                    at(m.start_ms),
                    m.quote
                ),
                m.start_ms,
                &m.quote,
            ));
        }
    }

    // 💡 Tips.
    let first_q = q.items.first();
    if q.discovery < 3 {
        let (text, at_ms, quote) = match (first_q, &a.longest_monologue) {
            (Some(x), _) => (
                format!("after \"{}\"{}", x.quote, at(x.at_ms)),
                x.at_ms,
                x.quote.as_str(),
            ),
            (None, Some(m)) => (
                format!("instead of \"{}\"{}", m.quote, at(m.start_ms)),
                m.start_ms,
                m.quote.as_str(),
            ),
            (None, None) => (String::new(), None, ""),
        };
        if !quote.is_empty() {
            tips.push(bullet(
                Tone::Tip,
                format!(
                    "{} — {text}, ask how they handle it today, what hurts and what a win looks like",
                    match q.discovery {
                        0 => "No discovery questions".to_owned(),
                        n => format!("Only {}", plural(n, "discovery question", "discovery questions")),
                    }
                ),
                at_ms,
                quote,
            ));
        }
    }
    if q.closed > q.open
        && q.closed >= 3
        && let Some(c) = q.items.iter().find(|i| !i.open)
    {
        tips.push(bullet(
            Tone::Tip,
            format!(
                "{} of {} questions were yes/no — try a \"what\" or \"how\" version of \"{}\"{}",
                q.closed,
                q.total,
                c.quote,
                at(c.at_ms)
            ),
            c.at_ms,
            &c.quote,
        ));
    }

    let mut out: Vec<Feedback> = Vec::new();
    out.extend(strengths.drain(..strengths.len().min(1)));
    out.extend(warnings.drain(..warnings.len().min(2)));
    for rest in [&mut tips, &mut warnings, &mut strengths] {
        while out.len() < 3 && !rest.is_empty() {
            out.push(rest.remove(0));
        }
    }
    out.sort_by_key(|b| match b.tone {
        Tone::Strength => 0,
        Tone::Warning => 1,
        Tone::Tip => 2,
    });
    (out, overall(a))
}

/// `Overall: <discovery>, <what next>.`
fn overall(a: &Analysis) -> String {
    let discovery = match a.questions.discovery {
        n if n >= 6 => "Good discovery",
        n if n >= 3 => "Some discovery",
        _ => "Thin discovery",
    };
    let next = if a.objections.iter().any(|o| !o.with_evidence) {
        "back objections with evidence"
    } else if !a.unanswered_questions.is_empty() {
        "take their questions as they come"
    } else if a.rep_share > TALKS_TOO_MUCH {
        "talk less, listen more"
    } else if a.current_process_at_ms.is_none() && a.questions.discovery < 3 {
        "ask how they work today before pitching"
    } else {
        "keep it up"
    };
    format!("Overall: {discovery}, {next}.")
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
