//! Names in signal phrases: the competitors a prospect named ("we're also
//! looking at Gainsight") and the roles of the other people who decide
//! ("I need to run it by our CFO"); and the systems the prospect runs
//! ("our HubSpot admin", "we're on Teams"), which are never competitors.

/// Capitalised words that are not names of products or companies.
const NOT_NAMES: &[&str] = &[
    "I",
    "I'm",
    "I'll",
    "I've",
    "I'd",
    "We",
    "We're",
    "We've",
    "Our",
    "They",
    "Their",
    "The",
    "A",
    "An",
    "And",
    "But",
    "So",
    "Also",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Q1",
    "Q2",
    "Q3",
    "Q4",
    "OK",
    "Yes",
    "No",
    "Honestly",
    "Right",
    "Well",
    "Actually",
];

/// Competitor names: runs of capitalised words, other than the first word
/// of each sentence of the phrase ("Leads come in …. For inbound leads.")
/// and the words above, in the order first named.
pub fn competitors<'a>(phrases: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for phrase in phrases {
        let mut run: Vec<&str> = Vec::new();
        let words: Vec<&str> = phrase.split_whitespace().collect();
        for (k, raw) in words.iter().enumerate() {
            let w = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '.');
            let w = w.trim_end_matches('.').trim_end_matches("'s");
            let capital = w.chars().next().is_some_and(char::is_uppercase);
            let opens = k == 0
                || words[k - 1].ends_with(['.', '?', '!', ':'])
                || matches!(words[k - 1], "—" | "-" | "–");
            if !opens && capital && !NOT_NAMES.contains(&w) {
                run.push(w);
            } else {
                push_run(&mut out, &mut run);
            }
            // A comma or other end of a word closes the name.
            if raw.ends_with([',', ';', '.', '?', '!']) {
                push_run(&mut out, &mut run);
            }
        }
        push_run(&mut out, &mut run);
    }
    out
}

/// Words before a name that make it a system they run ("our HubSpot",
/// "tasks in HubSpot", "update HubSpot").
const RUN_BEFORE: &[&str] = &["our", "in", "into", "update", "updates", "updating"];

/// Words after a name that make it a system they run ("HubSpot admin",
/// "the Salesforce sync").
const RUN_AFTER: &[&str] = &[
    "admin",
    "admins",
    "administrator",
    "instance",
    "account",
    "accounts",
    "property",
    "properties",
    "sync",
    "connector",
    "connection",
    "integration",
    "mapping",
    "task",
    "tasks",
    "field",
    "fields",
    "data",
    "workspace",
    "channel",
    "channels",
    "portal",
    "api",
    "login",
    "licence",
    "license",
    "licences",
    "licenses",
    "seats",
    "records",
];

/// The systems the speakers say the prospect runs: a capitalised name
/// with "our", "in", "update" before it or "admin", "sync", "property"
/// after it, or "we're on <Name>". A CRM or chat tool they run is not a
/// competitor, however often it is named.
pub fn systems<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for text in texts {
        let words: Vec<&str> = text.split_whitespace().collect();
        let bare = |k: usize| -> String {
            words.get(k).map_or(String::new(), |w| {
                w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
                    .to_lowercase()
            })
        };
        for (k, raw) in words.iter().enumerate() {
            let name = raw
                .trim_matches(|c: char| !c.is_alphanumeric())
                .trim_end_matches("'s");
            let capital = name.chars().next().is_some_and(char::is_uppercase);
            if k == 0 || !capital || NOT_NAMES.contains(&name) {
                continue;
            }
            let before = bare(k - 1);
            let on = before == "on"
                && k >= 2
                && matches!(bare(k - 2).as_str(), "we're" | "were" | "are" | "we");
            let closed = raw.ends_with([',', ';', '.', '?', '!']);
            // "we run everything out of Dentrix": run, then the name within
            // a few words of the same clause.
            let runs_on = (1..=4).any(|b| {
                k >= b
                    && matches!(bare(k - b).as_str(), "run" | "runs" | "running" | "ran")
                    && !words[k - b..k].iter().any(|w| w.ends_with([',', '.', ';']))
            });
            let run = RUN_BEFORE.contains(&before.as_str())
                || on
                || runs_on
                || (!closed && RUN_AFTER.contains(&bare(k + 1).as_str()));
            if run && !out.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                out.push(name.to_owned());
            }
        }
    }
    out
}

fn push_run(out: &mut Vec<String>, run: &mut Vec<&str>) {
    if !run.is_empty() {
        let name = run.join(" ");
        if !out.contains(&name) {
            out.push(name);
        }
        run.clear();
    }
}

/// Roles and teams that take part in a decision.
const ROLES: &[&str] = &[
    "ceo",
    "cfo",
    "cto",
    "coo",
    "cio",
    "ciso",
    "cro",
    "cmo",
    "vp",
    "founder",
    "founders",
    "board",
    "legal",
    "procurement",
    "finance",
    "security",
    "it",
    "boss",
    "manager",
    "director",
    "partner",
    "partners",
    "owner",
    "committee",
    "president",
    "controller",
];

/// Role phrases: a known role (`CFO`, `legal`), `head of X`, `X lead` or
/// `X team`, as said; duplicates dropped.
pub fn stakeholders<'a>(phrases: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for phrase in phrases {
        let words: Vec<String> = phrase
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_owned())
            .collect();
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let mut k = 0;
        while k < words.len() {
            let found = match (lower[k].as_str(), lower.get(k + 1).map(String::as_str)) {
                ("head" | "vp" | "director", Some("of")) if k + 2 < words.len() => {
                    Some((format!("{} of {}", lower[k], words[k + 2]), k + 3))
                }
                (w, Some("lead" | "team" | "manager" | "director"))
                    if !matches!(w, "the" | "our" | "my" | "a" | "their") =>
                {
                    Some((format!("{} {}", words[k], lower[k + 1]), k + 2))
                }
                (w, _) if ROLES.contains(&w) => {
                    let shown = if w.len() <= 4 && words[k].chars().all(|c| c.is_uppercase()) {
                        words[k].clone()
                    } else if matches!(
                        w,
                        "ceo" | "cfo" | "cto" | "coo" | "cio" | "ciso" | "cro" | "cmo" | "vp"
                    ) {
                        w.to_uppercase()
                    } else {
                        w.to_owned()
                    };
                    Some((shown, k + 1))
                }
                _ => None,
            };
            match found {
                Some((role, next)) => {
                    if !out.contains(&role) {
                        out.push(role);
                    }
                    k = next;
                }
                None => k += 1,
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn competitor_names_are_capitalised_runs() {
        assert_eq!(
            competitors(["We're also looking at Gainsight and Totango."].into_iter()),
            ["Gainsight", "Totango"]
        );
        assert_eq!(
            competitors(
                ["Honestly we trialled Salesforce Revenue Cloud in March, and Clari"].into_iter()
            ),
            ["Salesforce Revenue Cloud", "Clari"]
        );
        assert!(competitors(["we're looking at other options"].into_iter()).is_empty());
        // A sentence's first word is no name (the revopsvault call).
        assert_eq!(
            competitors(
                ["We use HubSpot but it's a mess. Leads come in from the website. For inbound leads. That's killing us."]
                    .into_iter()
            ),
            ["HubSpot"]
        );
    }

    /// Issue 40: HubSpot is the prospect's own CRM, not a competitor.
    #[test]
    fn systems_they_run_are_named_as_such() {
        let said = [
            "Can it pull from our CRM? We're on HubSpot.",
            "I'd have to check with our HubSpot admin.",
            "We're on Teams, not Slack, is that a problem?",
            "Mostly spreadsheets, and we're also looking at Gainsight for the renewals side.",
            "A task in HubSpot for every promise.",
            "We trialled Renewly, and the Salesforce sync kept breaking.",
            "We run everything out of Dentrix, and the reminders go out too.",
        ];
        let systems = systems(said.into_iter());
        assert_eq!(
            systems,
            ["CRM", "HubSpot", "Teams", "Salesforce", "Dentrix"]
        );
        assert!(!systems.iter().any(|s| s == "Gainsight" || s == "Renewly"));
    }

    #[test]
    fn roles_as_said() {
        assert_eq!(
            stakeholders(["I need to run this by our CFO and the head of operations"].into_iter()),
            ["CFO", "head of operations"]
        );
        assert_eq!(
            stakeholders(["Legal has to sign off, and our ops lead too"].into_iter()),
            ["legal", "ops lead"]
        );
    }
}
