//! How long the meeting should be: "30 minutes", "an hour", "a quick
//! 15-min call", "half an hour", "an hour and a half", "1.5 hours",
//! "forty-five minutes". Lengths outside 5 minutes to 8 hours, and spans that
//! are not the meeting's ("in 30 minutes", "10 minutes late"), are ignored.

use crate::words::{Token, word_number};

/// The first meeting length said, in minutes, and the tokens it used.
pub fn find(tokens: &[Token], used: &mut [bool]) -> Option<u32> {
    let (minutes, start, end) = (0..tokens.len()).find_map(|i| at(tokens, i))?;
    used[start..end].iter_mut().for_each(|u| *u = true);
    Some(minutes)
}

fn is_minutes(w: &str) -> bool {
    matches!(w, "min" | "mins" | "minute" | "minutes" | "m")
}

fn is_hours(w: &str) -> bool {
    matches!(w, "hour" | "hours" | "hr" | "hrs" | "h")
}

fn at(tokens: &[Token], i: usize) -> Option<(u32, usize, usize)> {
    let w = |k: usize| tokens.get(k).map_or("", |t| t.text.as_str());
    if i > 0 && matches!(w(i - 1), "in" | "within" | "every") {
        return None;
    }
    // "half an hour", "half hour", "half-hour".
    if w(i) == "half" {
        let mut k = i + 1;
        if matches!(w(k), "an" | "a" | "-") {
            k += 1;
        }
        return is_hours(w(k)).then_some((30, i, k + 1));
    }
    let (n, mut k) = if matches!(w(i), "an" | "a") && is_hours(w(i + 1)) {
        (1.0, i + 1)
    } else if let Some(n) = word_number(w(i)) {
        // "forty-five", "forty five".
        let mut k = i + 1;
        let mut n = n;
        if n >= 20 && n % 10 == 0 {
            let j = if w(k) == "-" { k + 1 } else { k };
            if let Some(unit) = word_number(w(j)).filter(|u| *u < 10) {
                n += unit;
                k = j + 1;
            }
        }
        (f64::from(n), k)
    } else if let Ok(n) = w(i).parse::<f64>() {
        (n, i + 1)
    } else {
        return None;
    };
    if w(k) == "-" {
        k += 1;
    }
    let minutes = if is_minutes(w(k)) {
        n
    } else if is_hours(w(k)) {
        let half = w(k + 1) == "and" && matches!(w(k + 2), "a" | "an") && w(k + 3) == "half";
        if half {
            k += 3;
        }
        n * 60.0 + if half { 30.0 } else { 0.0 }
    } else {
        return None;
    };
    if matches!(
        w(k + 1),
        "before" | "after" | "late" | "early" | "ago" | "earlier" | "later" | "behind" | "ahead"
    ) {
        return None;
    }
    let minutes = minutes.round();
    (5.0..=480.0)
        .contains(&minutes)
        .then_some((minutes as u32, i, k + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::tokens;

    fn length(s: &str) -> Option<u32> {
        let t = tokens(s);
        let mut used = vec![false; t.len()];
        find(&t, &mut used)
    }

    #[test]
    fn lengths_as_people_say_them() {
        assert_eq!(length("Can we do 30 minutes on Thursday?"), Some(30));
        assert_eq!(length("grab an hour next week"), Some(60));
        assert_eq!(length("a quick 15-min call"), Some(15));
        assert_eq!(length("half an hour should do"), Some(30));
        assert_eq!(length("a half-hour slot"), Some(30));
        assert_eq!(length("an hour and a half"), Some(90));
        assert_eq!(length("1.5 hours"), Some(90));
        assert_eq!(length("forty-five minutes"), Some(45));
        assert_eq!(length("twenty minutes"), Some(20));
        assert_eq!(length("a 45min demo"), Some(45));
        assert_eq!(length("2 hrs"), Some(120));
    }

    #[test]
    fn spans_that_are_not_the_meeting() {
        assert_eq!(length("I'll be 10 minutes late"), None);
        assert_eq!(length("ping me in 30 minutes"), None);
        assert_eq!(length("a 2 minute read"), None);
        assert_eq!(length("a 12 hour day"), None);
        assert_eq!(length("Thursday at 10"), None);
    }
}
