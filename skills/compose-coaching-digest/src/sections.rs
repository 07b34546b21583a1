//! The digest's sections, in the seed's order: this week's numbers against
//! the org's targets, what improved and what got worse on last week, one
//! focus area pointing at a real moment, and the winning pattern (only
//! when both sides have enough deals to mean anything).

use baton_sdk::events::coaching_digest::{Moment, MomentKind, Payload, Week, WinningPattern};
use baton_sdk::events::morning_brief::{Line, Section};

/// A talk share change smaller than this (2 points) is "about the same".
const SHARE_STEP: f64 = 0.02;
/// A change in discovery questions per meeting smaller than this is noise.
const QUESTIONS_STEP: f64 = 0.5;
/// A change in the median follow-up time smaller than this (minutes).
const FOLLOW_UP_STEP: f64 = 1.0;
/// A gap in the pattern's shares this large (points) is a pattern.
const PATTERN_GAP: f64 = 0.2;

fn line(text: String) -> Line {
    Line { text, link: None }
}

fn section(key: &str, heading: &str, lines: Vec<Line>) -> Section {
    Section {
        key: key.into(),
        heading: heading.into(),
        lines,
    }
}

/// `0.62` → `62%`.
pub fn pct(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// Milliseconds into a meeting as `m:ss`, as the per-meeting feedback
/// writes it.
pub fn mmss(ms: i64) -> String {
    baton_sdk::coaching::clock(ms)
}

fn minutes(ms: i64) -> String {
    let m = (ms.max(0) as f64 / 60_000.0).round() as i64;
    if m == 1 {
        "1 minute".into()
    } else {
        format!("{m} minutes")
    }
}

fn ratio(share: f64) -> String {
    format!("{} you / {} prospect", pct(share), pct(1.0 - share))
}

fn mark(ok: bool) -> &'static str {
    if ok { "\u{2713}" } else { "\u{26a0}\u{fe0f}" }
}

/// This week's numbers against the targets.
pub fn numbers(p: &Payload) -> Section {
    let w = &p.this_week;
    let t = &p.targets;
    let mut lines = Vec::new();
    if w.meetings == 0 {
        lines.push(line("No analysed meetings this week.".into()));
        return section("numbers", "THIS WEEK'S NUMBERS", lines);
    }
    let f = &w.follow_up;
    let follow = match f.median_minutes {
        Some(m) if f.sent > 0 => format!(
            "{} follow-ups sent, {} within {} min (median {:.0} min)",
            f.sent, f.fast, f.fast_minutes, m
        ),
        _ => "no follow-up sent yet".into(),
    };
    lines.push(line(format!(
        "{} analysed meeting{} | {follow}",
        w.meetings,
        if w.meetings == 1 { "" } else { "s" }
    )));
    if let Some(share) = w.rep_share {
        lines.push(line(format!(
            "Talk ratio: {} (target: {}/{}) {}",
            ratio(share),
            (t.rep_share * 100.0).round(),
            ((1.0 - t.rep_share) * 100.0).round(),
            mark(share <= t.rep_share)
        )));
    }
    if let Some(d) = w.discovery_per_meeting {
        lines.push(line(format!(
            "Discovery questions per meeting: {d:.1} avg (target: {}+) {}",
            t.discovery_questions,
            mark(d >= t.discovery_questions)
        )));
    }
    if w.objections > 0 {
        lines.push(line(format!(
            "Objections answered with evidence: {}/{}",
            w.objections_with_evidence, w.objections
        )));
    }
    section("numbers", "THIS WEEK'S NUMBERS", lines)
}

/// One figure compared: (better, line) when it moved enough.
fn moved(this: &Week, last: &Week) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    if let (Some(a), Some(b)) = (this.rep_share, last.rep_share)
        && (a - b).abs() >= SHARE_STEP
    {
        out.push((
            a < b,
            format!(
                "Talk ratio \u{2014} {} you this week (was {} last week)",
                pct(a),
                pct(b)
            ),
        ));
    }
    if let (Some(a), Some(b)) = (this.discovery_per_meeting, last.discovery_per_meeting)
        && (a - b).abs() >= QUESTIONS_STEP
    {
        out.push((
            a > b,
            format!("Discovery questions \u{2014} {a:.1} per meeting (was {b:.1} last week)"),
        ));
    }
    if this.objections > 0 && last.objections > 0 {
        let a = f64::from(this.objections_with_evidence) / f64::from(this.objections);
        let b = f64::from(last.objections_with_evidence) / f64::from(last.objections);
        if a != b {
            out.push((
                a > b,
                format!(
                    "Objection handling \u{2014} {}/{} objections addressed with evidence this week (was {}/{} last week)",
                    this.objections_with_evidence,
                    this.objections,
                    last.objections_with_evidence,
                    last.objections
                ),
            ));
        }
    }
    if this.meetings > 0 && last.meetings > 0 {
        let a = f64::from(this.unanswered) / f64::from(this.meetings);
        let b = f64::from(last.unanswered) / f64::from(last.meetings);
        if a != b {
            out.push((
                a < b,
                format!(
                    "Unanswered questions \u{2014} {} in {} meetings (was {} in {})",
                    this.unanswered, this.meetings, last.unanswered, last.meetings
                ),
            ));
        }
    }
    if let (Some(a), Some(b)) = (this.follow_up.median_minutes, last.follow_up.median_minutes)
        && (a - b).abs() >= FOLLOW_UP_STEP
    {
        out.push((
            a < b,
            format!(
                "Follow-up speed \u{2014} median {a:.0} min after the meeting (was {b:.0} min)"
            ),
        ));
    }
    out
}

/// What improved and what got worse on last week (absent sections when
/// nothing moved; one line when there is no last week to compare).
pub fn changes(p: &Payload) -> Vec<Section> {
    if p.last_week.meetings == 0 || p.this_week.meetings == 0 {
        return vec![section(
            "improving",
            "IMPROVING",
            vec![line(
                "Nothing to compare yet: analysed meetings in both weeks are needed.".into(),
            )],
        )];
    }
    let all = moved(&p.this_week, &p.last_week);
    let better: Vec<Line> = all
        .iter()
        .filter(|(b, _)| *b)
        .map(|(_, t)| line(t.clone()))
        .collect();
    let worse: Vec<Line> = all
        .iter()
        .filter(|(b, _)| !*b)
        .map(|(_, t)| line(t.clone()))
        .collect();
    if better.is_empty() && worse.is_empty() {
        return vec![section(
            "improving",
            "IMPROVING",
            vec![line("Steady: no figure moved much on last week.".into())],
        )];
    }
    let mut out = Vec::new();
    if !better.is_empty() {
        out.push(section("improving", "IMPROVING", better));
    }
    if !worse.is_empty() {
        out.push(section("worse", "GOT WORSE", worse));
    }
    out
}

fn first(p: &Payload, kind: MomentKind) -> Option<&Moment> {
    p.moments.iter().find(|m| m.kind == kind)
}

/// The focus area: the figure furthest from its target, told through one
/// real moment of this week (talking too much → the longest monologue;
/// otherwise a question left waiting, then an objection met without
/// evidence). `None` when the week holds no moment.
pub fn focus(p: &Payload) -> Option<(Section, Moment)> {
    let w = &p.this_week;
    let talking = w.rep_share.is_some_and(|s| s > p.targets.rep_share);
    let few = w
        .discovery_per_meeting
        .is_some_and(|d| d < p.targets.discovery_questions);
    let order: [MomentKind; 3] = if talking {
        [
            MomentKind::Monologue,
            MomentKind::Unanswered,
            MomentKind::Objection,
        ]
    } else {
        [
            MomentKind::Unanswered,
            MomentKind::Objection,
            MomentKind::Monologue,
        ]
    };
    let m = order.iter().find_map(|k| first(p, *k))?.clone();
    let at = m.at_ms.map(mmss);
    let at_text = at
        .as_deref()
        .map(|a| format!(" at {a}"))
        .unwrap_or_default();
    let mut lines = Vec::new();
    match m.kind {
        MomentKind::Monologue => {
            let lead = if talking {
                "You're talking more than listening. "
            } else {
                ""
            };
            let long = m
                .duration_ms
                .map(minutes)
                .unwrap_or_else(|| "a long stretch".into());
            lines.push(line(format!(
                "{lead}In your {} call, you spoke for {long} straight{at_text}:",
                m.meeting
            )));
            lines.push(line(format!("\u{201c}{}\u{201d}", m.quote)));
            lines.push(line(
                "Next time, stop after two minutes and ask what they make of it.".into(),
            ));
        }
        MomentKind::Unanswered => {
            let when = match (m.at_ms, m.duration_ms) {
                (Some(a), Some(d)) => format!("went unanswered until {}", mmss(a + d)),
                _ => "was never answered".into(),
            };
            lines.push(line(format!(
                "In your {} call, the prospect asked{at_text}: \u{201c}{}\u{201d} \u{2014} it {when}.",
                m.meeting, m.quote
            )));
            lines.push(line(
                "Answer questions when they are asked, or say when you will.".into(),
            ));
        }
        MomentKind::Objection => {
            let kind = m.detail.as_deref().unwrap_or("an");
            lines.push(line(format!(
                "In your {} call, a {kind} objection{at_text}: \u{201c}{}\u{201d} \u{2014} met without evidence.",
                m.meeting, m.quote
            )));
            lines.push(line(
                "Answer objections with a number, a customer story or a proof point.".into(),
            ));
        }
    }
    if few {
        lines.push(line(format!(
            "And aim for {}+ discovery questions: about their process, pains, goals and who decides.",
            p.targets.discovery_questions
        )));
    }
    Some((section("focus", "FOCUS AREA", lines), m))
}

/// The winning pattern, or why it is withheld.
pub fn pattern(p: &WinningPattern, min_each_side: u32) -> Result<Section, String> {
    let (won, lost) = (&p.won, &p.lost_or_stalled);
    if won.deals < min_each_side || lost.deals < min_each_side {
        return Err(format!(
            "withheld: {} won and {} lost or stalled deals; at least {min_each_side} on each side are needed",
            won.deals, lost.deals
        ));
    }
    let a = f64::from(won.with_pattern) / f64::from(won.deals);
    let b = f64::from(lost.with_pattern) / f64::from(lost.deals);
    let mut lines = vec![line(format!(
        "Asked about their current process in the first {} minutes: {} of {} won deals ({}) vs {} of {} lost or stalled ({}), last {} days.",
        p.within_minutes,
        won.with_pattern,
        won.deals,
        pct(a),
        lost.with_pattern,
        lost.deals,
        pct(b),
        p.lookback_days
    ))];
    lines.push(line(if a - b >= PATTERN_GAP {
        "Your won deals lean on it: ask about their current process early.".into()
    } else if b - a >= PATTERN_GAP {
        "Your lost deals had it more often: it is not what wins yours.".into()
    } else {
        "About the same either way: it does not tell your deals apart.".into()
    }));
    Ok(section("pattern", "WINNING PATTERN", lines))
}

/// The digest as plain text, seed layout (`├─`/`└─` lines under headings).
pub fn text(title: &str, sections: &[Section]) -> String {
    let mut out = format!("{title}\n");
    for s in sections {
        out.push_str(&format!("\n{}\n", s.heading));
        for (i, l) in s.lines.iter().enumerate() {
            let branch = if i + 1 == s.lines.len() {
                "\u{2514}\u{2500}"
            } else {
                "\u{251c}\u{2500}"
            };
            out.push_str(&format!("{branch} {}\n", l.text));
        }
    }
    out
}
