//! Word lists for time expressions: weekdays, months, date prepositions,
//! ordinals, number words, period hedges and units, relative units, end-of
//! targets, quarters, events and seasons. Each is a word class (see `words`).

/// Short day names read as days (the full names are
/// `baton_sdk::calendar::WEEKDAYS`); "sat", "sun" and "wed" are left out as
/// more likely English.
pub(super) const WEEKDAY_SHORT_FORMS: &[&str] = &["mon", "tues", "weds", "thurs", "fri"];

/// Short month names (the full names are `baton_sdk::calendar::MONTHS`);
/// "mar" is left out as more likely a word.
pub(super) const MONTH_SHORT_FORMS: &[&str] = &[
    "jan", "feb", "apr", "jun", "jul", "aug", "sept", "sep", "oct", "nov", "dec",
];

/// Month names that are also ordinary words and need a date-like neighbour.
pub(super) const AMBIGUOUS_MONTHS: &[&str] = &["may", "march", "dec", "jan"];

pub(super) const DATE_PREPS: &[&str] = &[
    "in",
    "around",
    "about",
    "by",
    "of",
    "end",
    "early",
    "mid",
    "late",
    "before",
    "until",
    "till",
    "from",
    "since",
    "during",
    "the",
    "next",
    "this",
    "last",
    "after",
    "start",
    "beginning",
    "middle",
];

pub(super) const ORDINALS: &[&str] = &[
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
    "thirtieth",
];

/// Words that may follow "the <ordinal>" when it is a date ("does the ninth work").
pub(super) const AFTER_ORDINAL_DATE: &[&str] = &[
    "at",
    "and",
    "or",
    "works",
    "work",
    "would",
    "suits",
    "suit",
    "is",
    "for",
    "then",
    "maybe",
    "perhaps",
    "latest",
    "please",
    "if",
    "instead",
    "too",
    "so",
    "onwards",
    "ok",
    "okay",
    "good",
    "we",
    "i",
    "could",
    "should",
    "any",
    "still",
    "which",
    "when",
    "once",
    "after",
    "because",
    "as",
    "in",
    "morning",
    "afternoon",
    "evening",
];

pub(super) const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "fifteen", "twenty", "thirty", "a", "couple", "an",
];

pub(super) const PERIOD_HEDGES: &[&str] = &[
    "about",
    "around",
    "roughly",
    "approximately",
    "maybe",
    "like",
    "just",
    "under",
    "over",
    "less",
    "than",
    "the",
    "next",
    "another",
    "a",
    "of",
    "couple",
    "or",
    "so",
];

pub(super) const PERIOD_UNITS: &[&str] = &[
    "hours",
    "hour",
    "days",
    "weeks",
    "months",
    "week",
    "month",
    "fortnight",
    "day",
];

pub(super) const RELATIVE_UNITS: &[&str] = &[
    "week",
    "month",
    "quarter",
    "weekend",
    "morning",
    "afternoon",
    "evening",
    "fortnight",
];

pub(super) const END_OF_TARGETS: &[&str] = &[
    "day",
    "week",
    "month",
    "quarter",
    "year",
    "business",
    "play",
    "next",
    "this",
    "financial",
    "fiscal",
    "q1",
    "q2",
    "q3",
    "q4",
    "h1",
    "h2",
    "summer",
    "spring",
    "autumn",
    "winter",
    "sprint",
    // "the start of the season": a dated event of the trade.
    "season",
    "term",
    "semester",
    "harvest",
];

pub(super) const QUARTERS: &[&str] = &["q1", "q2", "q3", "q4", "h1", "h2"];

pub(super) const EVENTS: &[&str] = &[
    "christmas",
    "xmas",
    "easter",
    "thanksgiving",
    "diwali",
    "eid",
    "ramadan",
    "halloween",
];

pub(super) const SEASONS: &[&str] = &["summer", "autumn", "winter", "spring"];

pub(super) const SEASON_PREPS: &[&str] = &[
    "by", "before", "in", "over", "this", "next", "the", "after", "until", "till", "of", "early",
    "late", "mid",
];
