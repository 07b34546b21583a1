//! Names in signal phrases: the competitors a prospect named ("we're also
//! looking at Gainsight") and the roles of the other people who decide
//! ("I need to run it by our CFO").

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
/// of the phrase and the words above, in the order first named.
pub fn competitors<'a>(phrases: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for phrase in phrases {
        let mut run: Vec<&str> = Vec::new();
        let words: Vec<&str> = phrase.split_whitespace().collect();
        for (k, raw) in words.iter().enumerate() {
            let w = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '.');
            let w = w.trim_end_matches('.').trim_end_matches("'s");
            let capital = w.chars().next().is_some_and(char::is_uppercase);
            if k > 0 && capital && !NOT_NAMES.contains(&w) {
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
