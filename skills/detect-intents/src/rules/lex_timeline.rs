//! Lexicons for `signal:timeline` (deal context and decisions that tie a date
//! to the deal) and `commitment:prospect_followup` (get-back and send verbs).

pub(super) const DEAL_CONTEXT: &[&str] = &[
    "migrated|deployed|implemented|installed|integrated|transitioned|adopted|launched|live|launch|launching|rollout|deploy|deployment|implement|implementation|decision|decide|deciding|choose|choosing|pick|select|selection|sign|signed|signing|signature|contract|purchase|buy|buying|kickoff|pilot|trial|deadline|choice|renewal|renew|expires|expire|approved|approval|trained|training|migrate|migration|cutover|onboard|onboarded|project|commit|operational|done|finalize|using|started|start|season",
    "go|going live",
    "roll|rolling|rolled out",
    "launching|implementing|deploying|migrating|starting",
    "kicking off",
    "roll out",
    "roll it|this|that out",
    "up and running",
    "in place",
    "kick off",
    "proof of concept",
    "hard stop",
    "runs|run out",
    "financial|fiscal year",
    "committee|partners|steering|trustees|governors|council|board|exec|leadership meets|meeting|meet|approval|approves|approve|decides|decide|decision|votes|vote|signs|review|reviews",
    "to|before|with the|our board|committee|partners|trustees|governors|council",
    "locked|tied in|into",
    "freeze|frozen|hold|pause|paused|moratorium ~~ until|till|before",
    "wrapped up",
    "go ahead",
    "before|by then",
    "in time for",
    "cut over",
    "switch over",
    "have|get|got ~ in|installed|deployed|live|running|operational by|before|ahead",
];

pub(super) const DECISION_WORD: &[&str] = &[
    "decision|decide|verdict",
    "go no go",
    "go or no go",
    "yes or no",
    "final call",
    "make a|the call on|by",
];

pub(super) const FOLLOWUP_VERB: &[&str] = &[
    "get|come back to|with|on",
    "revert|confirm|send|email|forward|share|ping|reply|respond|return|update",
    "e mail",
    "get|send|email|give|bring you",
    "let you know",
    "circle|report|feed back",
    "follow up",
    "drop you",
    "get it|that|them|this|those|these|the|you|a|an|our|my|some ~ to you",
    "get it|that|them|this|those|these|the|you|a|an|our|my|some ~ over|across|back|through",
    "have an|the|a|my|our|it|that|them|some|those|these ~ for|to|over|with|back|ready|sorted|done",
    "be|get in touch",
    "give you ~ answer|decision|call|ring|update|shout|yes|no",
    "call|ring|phone|text|message|buzz|ping|bell you",
    "holler|shout at|to you",
    "reach out",
    "drop you a line|note|message|email|text",
];
