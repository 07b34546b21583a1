//! The label sets skills answer with and people correct to, defined once
//! for the host (evaluation, feedback, the inbox's forms) and skills.

/// The eight labels of an inbound email (classify-email-intent), in the order of the precedence rule (highest first).
pub const EMAIL_LABELS: [&str; 8] = [
    "out_of_office",
    "unsubscribe",
    "not_interested",
    "proposal_request",
    "meeting_request",
    "positive_interest",
    "needs_response",
    "fyi",
];

/// The nine labels of an utterance's intent (detect-intents), in the order of the labelling rules.
pub const INTENT_LABELS: [&str; 9] = [
    "commitment:send_proposal",
    "commitment:schedule_meeting",
    "request:send_content",
    "signal:multi_stakeholder",
    "signal:competitive",
    "signal:buying_positive",
    "signal:buying_negative",
    "signal:timeline",
    "commitment:prospect_followup",
];
