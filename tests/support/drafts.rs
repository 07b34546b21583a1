//! An independent checker of what a call leaves for a rep to send: the
//! follow-up email, the competitors proposed for the CRM, the tasks and the
//! Slack summary, read against the transcript. Its rules share no code with
//! the skills (a second reading, as a reviewer would make it), so a skill
//! that fits its own rules to a call is still caught here.
//!
//! Each rule names what a rep would have to fix before sending:
//! - `recap-fragment`: a "You mentioned …" line that is a scrap of speech
//!   (too short, a filler, a dangling word, a stammer);
//! - `recap-others`: a recap of words the prospect said about other people
//!   (their staff's week), replayed as the prospect's own;
//! - `recap-question`: a recap of a question;
//! - `self-addressed`: a promise addressed to its own speaker ("You'll pass
//!   that on to you");
//! - `internal-note`: notes to the rep in what the prospect reads;
//! - `step-object`: a next step or task with no clear object ("Ask",
//!   "ask both");
//! - `too-many-tasks`: more tasks than one call calls for;
//! - `competitor-system`: a competitor that is a system the prospect runs
//!   (their CRM, their chat tool);
//! - `competitor-unsaid`: a competitor the prospect never said they
//!   evaluate or use;
//! - in a proposal (its sections, heading and body): `internal-note` as
//!   above, `need-question` (a quote offered as what they need that asks
//!   something), `need-unsaid` (a quote the prospect never said),
//!   `need-context` (a quote that states no need of what is proposed: the
//!   prospect's own to-do, the system they run, words leaning on the
//!   rep's, when to meet) and `empty-section` (a heading with nothing under it).

use serde_json::Value;

/// One thing a rep would have to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub text: String,
}

/// What the meeting chain left for the rep.
#[derive(Debug, Clone, Default)]
pub struct Drafted {
    pub email: String,
    pub competitors: Vec<String>,
    pub tasks: Vec<String>,
    pub slack: String,
    /// A proposal's sections as (heading, body), when the call led to one.
    pub proposal: Vec<(String, String)>,
}

/// The heading under which a proposal quotes what the prospect needs.
const NEEDS: &str = "need";

/// At most this many tasks from one call.
pub const MAX_TASKS: usize = 8;

/// Lower-case words, letters, digits and apostrophes only.
pub fn plain_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric() || *c == '\'' || *c == '\u{2019}')
                .map(|c| if c == '\u{2019}' { '\'' } else { c })
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// The longest run of words `a` and `b` share, in order.
pub fn longest_run(a: &str, b: &str) -> usize {
    let (a, b) = (plain_words(a), plain_words(b));
    let mut best = 0;
    for i in 0..a.len() {
        for j in 0..b.len() {
            let n = a[i..]
                .iter()
                .zip(&b[j..])
                .take_while(|(x, y)| x == y)
                .count();
            best = best.max(n);
        }
    }
    best
}

const THIRD_PERSON: &[&str] = &[
    "they", "they're", "they've", "they'd", "they'll", "them", "their", "theirs", "he", "he's",
    "she", "she's", "his", "her", "hers", "him",
];
const FILLERS: &[&str] = &[
    "yeah", "um", "uh", "erm", "hmm", "mm", "uh-huh", "okay", "ok",
];
const DANGLING: &[&str] = &[
    "and", "but", "or", "the", "a", "an", "to", "of", "with", "that", "so", "because", "for", "is",
    "are", "it's",
];
const WEAK_STARTS: &[&str] = &["not", "no", "yes", "so", "well", "like", "just", "right"];
const VAGUE_OBJECTS: &[&str] = &[
    "both", "them", "it", "that", "this", "those", "these", "him", "her", "one", "all",
];
/// Words that do not name what is promised.
const NOT_OBJECT: &[&str] = &[
    "i",
    "i'll",
    "you",
    "you'll",
    "we",
    "we'll",
    "your",
    "our",
    "my",
    "the",
    "a",
    "an",
    "to",
    "for",
    "of",
    "on",
    "in",
    "by",
    "with",
    "and",
    "or",
    "at",
    "about",
    "from",
    "over",
    "up",
    "send",
    "share",
    "ask",
    "check",
    "confirm",
    "follow",
    "followed",
    "through",
    "call",
    "email",
    "review",
    "book",
    "schedule",
    "set",
    "get",
    "make",
    "put",
    "together",
    "back",
    "if",
    "whether",
    "they'd",
    "take",
    "it's",
    "is",
    "are",
    "be",
    "will",
    "can",
    "could",
    "would",
    "next",
    "week",
    "today",
    "tomorrow",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "due",
    "by",
    "end",
    "day",
    "s",
];
const INTERNAL: &[&str] = &[
    "still needed",
    "todo",
    "tbd",
    "{{",
    "read here as",
    "placeholder",
    "note to self",
];
/// Words around a name that make it a system the prospect runs.
/// Who takes a to-do on themselves: "I'd want to give her notice", "we'd
/// have to position it".
const OWN_SUBJECTS: &[&str] = &["i", "i'd", "i'll", "we'd", "we'll"];
/// What they might have to do that is still a need of what is proposed
/// ("I'd need to see a pilot", "we'd have to be able to export").
const NEED_VERBS: &[&str] = &["be", "have", "see", "get"];
/// Words that make a sentence ask something of what is proposed.
const WANTING: &[&str] = &[
    "need",
    "needs",
    "want",
    "wants",
    "must",
    "require",
    "requires",
    "important",
    "expect",
    "integrate",
    "sync",
    "ideally",
    "accept",
];

const RUN_BEFORE: &[&str] = &["our", "in", "into", "update", "updating", "using our"];
const RUN_AFTER: &[&str] = &[
    "admin",
    "admins",
    "instance",
    "account",
    "property",
    "properties",
    "sync",
    "connector",
    "integration",
    "mapping",
    "tasks",
    "fields",
    "data",
    "workspace",
    "channel",
    "licences",
    "licenses",
];
/// Words that say a product is weighed for the need.
const EVALUATED: &[&str] = &[
    "looking",
    "look",
    "looked",
    "evaluating",
    "evaluate",
    "evaluated",
    "trialling",
    "trialing",
    "trial",
    "trialled",
    "trialed",
    "comparing",
    "compare",
    "compared",
    "considering",
    "consider",
    "demo",
    "quote",
    "quoted",
    "pilot",
    "talking",
    "talked",
    "alternative",
    "versus",
    "vs",
    "instead",
    "switch",
    "switching",
    "replace",
    "replacing",
    "use",
    "using",
    "used",
    "pitched",
    "proposal",
    "option",
    "options",
    "narrowed",
    "shortlist",
    "shortlisted",
    "vendor",
    "vendors",
    "against",
];

/// Sentences of `text`.
fn sentences(text: &str) -> Vec<&str> {
    text.split_inclusive(['.', '?', '!'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// The prospect sentence a recap line most likely replays, when one shares
/// at least two words with it.
fn source<'a>(line: &str, said: &[&'a str]) -> Option<&'a str> {
    let words: Vec<String> = plain_words(line)
        .into_iter()
        .filter(|w| w.len() > 3)
        .collect();
    said.iter()
        .flat_map(|u| sentences(u))
        .map(|s| {
            let theirs = plain_words(s);
            (words.iter().filter(|w| theirs.contains(w)).count(), s)
        })
        .filter(|(n, _)| *n >= 2)
        .max_by_key(|(n, _)| *n)
        .map(|(_, s)| s)
}

fn fragment(gist: &str) -> Option<String> {
    let w = plain_words(gist);
    if w.len() < 4 {
        return Some("fewer than four words".into());
    }
    if w.iter().any(|x| FILLERS.contains(&x.as_str())) || gist.contains("you know") {
        return Some("a filler word".into());
    }
    if WEAK_STARTS.contains(&w[0].as_str()) {
        return Some(format!("starts with \"{}\"", w[0]));
    }
    if let Some(last) = w.last()
        && DANGLING.contains(&last.as_str())
    {
        return Some(format!("ends with \"{last}\""));
    }
    // A stammer: a word said again at once, or across a filler or a
    // comma ("it's, yeah, it's").
    let raw: Vec<&str> = gist.split_whitespace().collect();
    for i in 0..w.len() {
        let again = |j: usize| w.get(j).is_some_and(|x| *x == w[i]);
        let paused = raw.get(i).is_some_and(|r| r.ends_with(','))
            || w.get(i + 1).is_some_and(|x| FILLERS.contains(&x.as_str()));
        if again(i + 1) || (paused && again(i + 2)) {
            return Some(format!("\"{}\" said twice in a breath", w[i]));
        }
    }
    None
}

/// Content words of a promise line: what it is about.
fn objects(line: &str, names: &[String]) -> Vec<String> {
    plain_words(line)
        .into_iter()
        .filter(|w| {
            !NOT_OBJECT.contains(&w.as_str())
                && !w.chars().all(|c| c.is_ascii_digit())
                && !names.iter().any(|n| n == w)
                && w.len() > 1
        })
        .collect()
}

fn step_object(line: &str, names: &[String]) -> Option<String> {
    // "I'll ask both if …", "Send both by Friday": a stand-in right after
    // the verb, with nothing after it saying what it stands for.
    let w = plain_words(line);
    let verb_at = usize::from(w.first().is_some_and(|f| f.ends_with("'ll")));
    if let (Some(x), next) = (w.get(verb_at + 1), w.get(verb_at + 2)) {
        let bare = next.is_none_or(|n| {
            matches!(
                n.as_str(),
                "if" | "by"
                    | "to"
                    | "over"
                    | "today"
                    | "tomorrow"
                    | "on"
                    | "next"
                    | "when"
                    | "after"
            )
        });
        if VAGUE_OBJECTS.contains(&x.as_str()) && bare {
            return Some(format!("\"{x}\" with nothing it stands for"));
        }
    }
    let found = objects(line, names);
    if found.is_empty() {
        return Some("names nothing it is about".into());
    }
    if found.iter().all(|w| VAGUE_OBJECTS.contains(&w.as_str())) {
        return Some(format!(
            "\"{}\" with nothing it stands for",
            found.join(" ")
        ));
    }
    None
}

/// Why a quoted need states no need of what is proposed, if it does not.
fn need_context(quote: &str) -> Option<&'static str> {
    let w = plain_words(quote);
    let at = |i: usize| w.get(i).map_or("", String::as_str);
    for i in 0..w.len() {
        if !OWN_SUBJECTS.contains(&at(i)) {
            continue;
        }
        // "I would want to", "I'll need to", "we'd have to": the modal may
        // stand alone after a bare "I".
        let verb = i + 1 + usize::from(matches!(at(i + 1), "would" | "will"));
        if matches!(at(verb), "want" | "need" | "have")
            && at(verb + 1) == "to"
            && !NEED_VERBS.contains(&at(verb + 2))
            && !at(verb + 2).is_empty()
        {
            return Some("their own to-do");
        }
    }
    let runs = w.windows(2).any(|p| {
        matches!(
            (p[0].as_str(), p[1].as_str()),
            ("we're", "on") | ("we", "use") | ("we", "run") | ("we're", "using")
        )
    });
    if runs && !w.iter().any(|x| WANTING.contains(&x.as_str())) {
        return Some("the system they run");
    }
    let day = w.iter().any(|x| {
        [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "mondays",
            "tuesdays",
            "wednesdays",
            "thursdays",
            "fridays",
        ]
        .contains(&x.as_str())
    });
    if day
        && w.iter()
            .any(|x| matches!(x.as_str(), "morning" | "afternoon" | "evening"))
    {
        return Some("when to meet");
    }
    if matches!(at(0), "that" | "this" | "that'd" | "that'll")
        && (matches!(at(1), "would" | "could" | "will" | "is" | "sounds") || at(0).contains('\''))
    {
        return Some("leans on what the rep said");
    }
    None
}

fn self_addressed(line: &str) -> bool {
    let w = plain_words(line);
    let later = |obj: &str| {
        w.windows(2)
            .skip(1)
            .any(|p| matches!(p[0].as_str(), "to" | "with" | "for") && p[1] == obj)
    };
    match w.first().map(String::as_str) {
        Some("you'll" | "you") => later("you"),
        Some("i'll" | "i") => later("me"),
        _ => false,
    }
}

/// The capitalised words of the transcript's speakers' names, lowercased,
/// so "Ask Marta" has an object only beyond Marta.
fn names_in(said: &[(&str, &str)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, text) in said {
        for raw in text.split_whitespace().skip(1) {
            let w = raw.trim_matches(|c: char| !c.is_alphanumeric());
            if w.len() > 2
                && w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().skip(1).all(char::is_lowercase)
                && raw.ends_with([',', '.', '?', '!'])
            {
                let w = w.to_lowercase();
                if !out.contains(&w) {
                    out.push(w);
                }
            }
        }
    }
    out
}

fn competitor(name: &str, prospect: &[&str]) -> Option<Finding> {
    let lower = name.to_lowercase();
    let mut evaluated = false;
    for u in prospect {
        for s in sentences(u) {
            let w = plain_words(s);
            let Some(at) = w.iter().position(|x| x.trim_end_matches("'s") == lower) else {
                continue;
            };
            let before = if at > 0 { w[at - 1].as_str() } else { "" };
            let before2 = if at > 1 { w[at - 2].as_str() } else { "" };
            let after = w.get(at + 1).map_or("", String::as_str);
            let run = RUN_BEFORE.contains(&before)
                || (before == "on" && matches!(before2, "we're" | "are" | "we"))
                || RUN_AFTER.contains(&after);
            if run {
                return Some(Finding {
                    rule: "competitor-system",
                    text: format!("{name}: \"{s}\""),
                });
            }
            evaluated |= w.iter().any(|x| EVALUATED.contains(&x.as_str()));
        }
    }
    (!evaluated).then(|| Finding {
        rule: "competitor-unsaid",
        text: name.to_owned(),
    })
}

/// Everything a rep would have to fix in `d`, read against the call's
/// utterances (`(speaker, text)`, speaker `rep` or `prospect`).
pub fn check(call: &[(&str, &str)], d: &Drafted) -> Vec<Finding> {
    let prospect: Vec<&str> = call
        .iter()
        .filter(|(s, _)| *s == "prospect")
        .map(|(_, t)| *t)
        .collect();
    let names = names_in(call);
    let mut out = Vec::new();
    let mut find = |rule: &'static str, text: String| out.push(Finding { rule, text });
    for line in d.email.lines().chain(d.slack.lines()) {
        let lower = line.to_lowercase();
        if let Some(i) = INTERNAL.iter().find(|i| lower.contains(*i)) {
            find("internal-note", format!("{i}: {line}"));
        }
        if self_addressed(line) {
            find("self-addressed", line.to_owned());
        }
    }
    for line in d.email.lines() {
        let Some(gist) = line.strip_prefix("- You mentioned ") else {
            continue;
        };
        if let Some(why) = fragment(gist) {
            find("recap-fragment", format!("{line} ({why})"));
        }
        // Replayed as theirs, words about others still speak of "them"
        // and never of "you".
        let w = plain_words(gist);
        let any = |list: &[&str]| w.iter().any(|x| list.contains(&x.as_str()));
        if any(THIRD_PERSON) && !any(&["you", "your", "you're", "you've", "you'd", "you'll"]) {
            find("recap-others", line.to_owned());
        }
        if let Some(s) = source(gist, &prospect)
            && s.trim_end().ends_with('?')
        {
            find("recap-question", format!("{line} (from \"{s}\")"));
        }
    }
    let steps = d
        .email
        .lines()
        .skip_while(|l| l.trim() != "Next steps:")
        .skip(1)
        .take_while(|l| l.starts_with("- "));
    for line in steps {
        if let Some(why) = step_object(line, &names) {
            find("step-object", format!("{line} ({why})"));
        }
    }
    if d.tasks.len() > MAX_TASKS {
        find(
            "too-many-tasks",
            format!("{} tasks: {:?}", d.tasks.len(), d.tasks),
        );
    }
    for t in &d.tasks {
        let what = t.rsplit_once(": ").map_or(t.as_str(), |(_, w)| w);
        if let Some(why) = step_object(what, &names) {
            find("step-object", format!("task {t:?} ({why})"));
        }
    }
    for c in &d.competitors {
        if let Some(f) = competitor(c, &prospect) {
            out.push(f);
        }
    }
    for (heading, body) in &d.proposal {
        let place = |line: &str| format!("{heading}: {line}");
        if body.trim().is_empty() {
            out.push(Finding {
                rule: "empty-section",
                text: heading.clone(),
            });
        }
        for line in body.lines() {
            let lower = line.to_lowercase();
            if let Some(i) = INTERNAL.iter().find(|i| lower.contains(*i)) {
                out.push(Finding {
                    rule: "internal-note",
                    text: place(&format!("{i}: {line}")),
                });
            }
            if !heading.to_lowercase().contains(NEEDS) {
                continue;
            }
            // A quoted need: `> "…"`.
            let Some(quote) = line
                .trim()
                .strip_prefix('>')
                .map(|q| q.trim().trim_matches('"').trim())
            else {
                continue;
            };
            if quote.ends_with('?') {
                out.push(Finding {
                    rule: "need-question",
                    text: place(line),
                });
            }
            if let Some(why) = need_context(quote) {
                out.push(Finding {
                    rule: "need-context",
                    text: place(&format!("{line} ({why})")),
                });
            }
            let heard = plain_words(quote).join(" ");
            if !prospect
                .iter()
                .any(|p| plain_words(p).join(" ").contains(&heard))
            {
                out.push(Finding {
                    rule: "need-unsaid",
                    text: place(line),
                });
            }
        }
    }
    out
}

/// The competitors a `update-crm-from-meeting` output proposes.
pub fn competitors_of(updates: &Value) -> Vec<String> {
    updates["updates"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|u| u["field"] == "competitors")
        .flat_map(|u| u["value"].as_array().cloned().unwrap_or_default())
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call() -> Vec<(&'static str, &'static str)> {
        vec![
            ("rep", "Thanks for the time, Marta."),
            (
                "prospect",
                "Monday is pipeline review with their team lead. We're on HubSpot.",
            ),
            (
                "prospect",
                "We're also looking at Gainsight. Our budget is approved for this year.",
            ),
            ("prospect", "We need SSO for every user."),
        ]
    }

    #[test]
    fn each_rule_catches_what_it_names() {
        let d = Drafted {
            email: "Hi Marta,\n\n- You mentioned Monday is pipeline review with their team lead.\n\
                    - You mentioned not off the top of your head, no.\n\
                    - You mentioned your budget is approved for this year.\n\nNext steps:\n\
                    - I'll ask both if they'd take a call.\n- You'll pass that on to you.\n\
                    - I'll send you the security pack by Friday.\n\nStill needed: the rate\n"
                .into(),
            competitors: vec!["Gainsight".into(), "HubSpot".into(), "Zendesk".into()],
            tasks: vec!["Check Marta followed through: Ask".into()],
            slack: String::new(),
            proposal: vec![
                (
                    "What you told us you need".into(),
                    "In your words:\n\n> \"We're on HubSpot.\"\n> \"Is Teams a problem?\"\n> \"We need SSO.\"\n\
                     > \"She's part-time, so I'd want to give her notice.\"".into(),
                ),
                ("Return on investment".into(), "Still needed: the currency".into()),
                ("Case study".into(), " ".into()),
            ],
        };
        let found = check(&call(), &d);
        let rules: Vec<&str> = found.iter().map(|f| f.rule).collect();
        for rule in [
            "recap-others",
            "recap-fragment",
            "step-object",
            "self-addressed",
            "internal-note",
            "competitor-system",
            "competitor-unsaid",
            "need-question",
            "need-unsaid",
            "need-context",
            "empty-section",
        ] {
            assert!(rules.contains(&rule), "{rule}: {found:#?}");
        }
        assert!(
            !found.iter().any(|f| f.text.contains("budget is approved")
                || f.text.contains("security pack")
                || f.text.starts_with("Gainsight")
                || (f.rule.starts_with("need") && f.text.contains("SSO"))),
            "{found:#?}"
        );
        for (quote, why) in [
            ("We're on HubSpot.", "the system they run"),
            (
                "She's part-time, so I'd want to give her notice.",
                "their own to-do",
            ),
        ] {
            assert!(
                found.iter().any(|f| f.rule == "need-context"
                    && f.text.contains(quote)
                    && f.text.contains(why)),
                "{quote}: {found:#?}"
            );
        }
        for (quote, why) in [
            (
                "We'd have to position it carefully.",
                Some("their own to-do"),
            ),
            (
                "That would matter to our CFO.",
                Some("leans on what the rep said"),
            ),
            (
                "We use Dentrix for everything.",
                Some("the system they run"),
            ),
            ("We're on HubSpot, so it has to sync both ways.", None),
            ("I'd need to see a pilot first.", None),
            ("We need to be able to export everything.", None),
            ("I don't want it to feel like surveillance.", None),
            ("We'd want different rules for the national accounts.", None),
        ] {
            assert_eq!(need_context(quote), why, "{quote}");
        }
        assert!(
            found
                .iter()
                .any(|f| f.rule == "internal-note" && f.text.starts_with("Return on investment")),
            "{found:#?}"
        );
    }

    #[test]
    fn a_clean_draft_passes() {
        let d = Drafted {
            email: "Hi Marta,\n\n- You mentioned your budget is approved for this year.\n\n\
                    Next steps:\n- I'll send you the security pack by Friday, 27 November.\n"
                .into(),
            competitors: vec!["Gainsight".into()],
            tasks: vec!["Send Marta the security pack (due Fri 27 Nov)".into()],
            slack: String::new(),
            proposal: vec![(
                "What you told us you need".into(),
                "In your words:\n\n> \"We need SSO for every user.\"".into(),
            )],
        };
        assert_eq!(check(&call(), &d), []);
    }
}
