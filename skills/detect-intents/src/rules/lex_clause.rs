//! Clause-level lexicons: negation idioms, past and cancelled intentions,
//! habits, vague and past time, past and future verb forms, acknowledgements
//! and hedges. They set clause facts and block or soften commitments.

pub(super) const NEG_IDIOM: &[&str] = &[
    "no problem|problems|worries|rush|doubt|pressure|matter|wonder|brainer|object|issue|issues|bother|dramas|hassle|sweat|stress",
    "no later than",
    "not a|an|the problem|issue|concern|blocker|worry|constraint",
    "not really|too|that|much _|of a|an problem|issue|concern|blocker|worry|constraint",
    "not only|just|least|bad",
    "not too bad",
    "why not",
    "why do not",
    "if not",
    "nothing fancy",
    "yes or no",
    "no go",
];

pub(super) const PAST_INTENT: &[&str] = &[
    "was|were going|about|planning|hoping|supposed|meant|gonna to|on",
    "had planned|intended|meant|hoped to",
    "meant to",
    "would|should|could have sent|been|done|had|liked|loved|wanted|got|given|put|made|emailed|shared|booked|set|scheduled|gone",
    "was|were thinking of|about",
];

pub(super) const CANCEL: &[&str] = &[
    "cancel|canceled|canceling|cancels",
    "call off",
    "knock ~ on the head",
    "call it|that|this off",
    "scrap|scrapping|scrapped",
    "hold off",
    "skip|skipping",
    "postpone|postponing|postponed",
    "put off",
    "pull the plug",
    "drop the|our|this|that call|meeting|session|demo",
    "pull the|our|this|that|today|tomorrow|monday|tuesday|wednesday|thursday|friday|thursdays|fridays|mondays|tuesdays|wednesdays 's|is|_ call|meeting|session|demo|visit",
];

pub(super) const HABIT: &[&str] = &[
    "normally|usually|typically|generally|often|always",
    "tend|tends to",
    "every week|month|time|quarter|day|morning|monday|tuesday|wednesday|thursday|friday",
    "as a rule",
];

pub(super) const VAGUE: &[&str] = &[
    "asap",
    "as soon as possible",
    "soon|soonish|sometime|someday|eventually|whenever",
    "soon ish",
    "at some point|stage|time",
    "some point",
    "one day",
    "some day",
    "in due course",
    "no fixed|set|firm date|deadline|timeline|timescale",
    "no date|deadline|timeline|timescale",
    "down the line",
    "in the future",
];

pub(super) const PAST_TIME: &[&str] = &[
    "last week|month|year|quarter|time|night|summer|spring|autumn|winter|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december",
    "yesterday|ago|previously|formerly",
    "back in",
    "in the past",
    "years|months|weeks back",
    "a while back|ago",
    "at the time",
    "used to",
    "earlier today|this",
    "last|previous project|projects|rollout|implementation|vendor|supplier|system",
];

pub(super) const PAST_VERB: &[&str] = &[
    "went|was|were|had|did|spent|sent|launched|happened|finished|completed|bought|switched|migrated|ditched|began|moved|looked|tried|tested|evaluated|spoke|talked|met|missed|implemented|deployed|reviewed|rejected|assessed",
    "we|i|they signed|started|rolled|decided|chose|picked",
];

pub(super) const FUTURE: &[&str] = &[
    "will|want|wants|need|needs|would|hope|hoping|plan|planning|aim|aiming|target|targeting|expect|expecting|should|must|intend|intending|going",
    "have|has to",
    "looking at|to",
];

pub(super) const ACK: &[&str] = &[
    "thanks|thank for",
    "thank you for",
    "already have|got|received",
    "have already got|received",
];

pub(super) const HEDGE: &[&str] = &["try|trying to", "hopefully", "might|may", "should be able"];
