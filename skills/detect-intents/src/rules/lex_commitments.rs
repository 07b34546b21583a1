//! Commitment lexicons: commitment heads ("I'll", "let's", "I can", "on me"),
//! delivery verbs and proposal nouns for `commitment:send_proposal`, and the
//! meeting nouns, verbs and question forms for `commitment:schedule_meeting`.

pub(super) const HEAD_FIRST: &[&str] = &[
    "i|we should|will be able to",
    "i|we will not|_",
    "i|we shall",
    "i|we promise to",
    "i|we am|are not|_ going to",
    "i|we am|are sending|emailing|putting|pulling|drafting|preparing|getting",
];

pub(super) const HEAD_LET: &[&str] = &["let's", "let me|us"];

pub(super) const HEAD_CAN: &[&str] = &["i|we can"];

/// "We could do a workshop next week": a proposal of a meeting (and only
/// of one: "I could send a quote" is an offer, not a promise).
pub(super) const HEAD_COULD: &[&str] = &["i|we could"];

pub(super) const HEAD_ON_ME: &[&str] = &[
    "action|actions on|for me",
    "action point|points|item|items on|for me",
    "on me",
    "i owe you",
];

pub(super) const HEAD_YOU_WILL: &[&str] = &[
    "you will have|get|receive|see",
    "you shall have|get|receive",
    "you will hear from me|us",
    "expect to hear from me|us",
    "expect a|an|the|our|my|some",
];

pub(super) const DELIVERY: &[&str] = &[
    "send|sending|email|emailing|forward|share|ping|shoot|fire|drop|pop|get|getting|put|putting|pull|draft|drafting|prepare|preparing|write|work|build|create|have|sort|turn|produce|issue|provide|revise|update|finalize|rework|redo|give|whip|knock|attach|include|deliver|submit|pass|mail|run|do|bring|make|stick|flick|whack|bung|chuck|whatsapp|text|message|draw",
    "come|get back to you with",
    "come back with",
    "revert with|to",
    "follow up with",
];

pub(super) const NON_DELIVERY: &[&str] = &[
    "walk|explain|discuss|talk|chat|check|ask|look|mention|review|cover|show|present|chase|query|clarify|double|speak|loop|think|figure|hold|honor|match|beat|keep|lock|waive|apply|ignore|cancel|withdraw|confirm|answer|see",
    "go through|over",
    "find out",
];

pub(super) const DELIVERY_TAIL: &[&str] = &[
    "to you",
    "over|across|through|sorted|ready|done",
    "with you",
    "in your inbox",
    "your way",
];

pub(super) const PROPOSAL_NOUN: &[&str] = &[
    "proposal|proposals|quote|quotes|quotation|quotations|requote|pricing|prices|price|costing|costings|costs|cost|estimate|estimates|sow|ballpark|commercials|fees|rates",
    "revised|costed|updated|final|proper|new number|numbers|figure|figures",
    "statement of work",
    "order form",
    "rate card",
    "formal|commercial|written|price|pricing offer",
    "an|the|our|my offer",
];

pub(super) const PROPOSAL_VERB: &[&str] = &[
    "quote you|for|on|that|it|this|them",
    "price it|that|this|them|everything up|out",
    "price up|out",
    "cost it|that|this|them|everything up|out",
    "cost up|out",
    "requote",
    "re quote",
];

pub(super) const COST_WORD: &[&str] =
    &["cost|costs|costed|costing|costings|pricing|price|prices|fees|fee|rates|commercials"];

pub(super) const MEET_NOUN: &[&str] = &[
    "call|calls|meeting|meetings|demo|demos|workshop|workshops|session|sessions|deepdive|catchup|followup|checkin|sync|invite|invitation|walkthrough|chat|conversation|presentation|onsite|visit|kickoff|huddle|debrief|zoom|coffee|lunch|briefing|intro|introduction|review|video|facetime",
    "deep dive",
    "walk round|around",
    "run through",
    "walkround|runthrough|tour|placeholder|yarn|demonstration|cuppa|blether",
    "cup of tea|coffee",
    "half hour",
    "catch up",
    "follow up",
    "check in",
    "walk through",
    "kick off",
    "half an hour",
    "an hour",
    "thirty|fifteen|twenty|forty|sixty|ten|30|15|20|45|60|10|five minutes|mins",
    "forty five minutes|mins",
    "q and a",
    "one to one",
    "sit down",
];

pub(super) const MEET_NOUN_BAD: &[&str] = &[
    "demo|demos environment|account|instance|site|login|data|video|recording|version|link|deck|org|tenant",
    "call|calls recording|recordings|notes|transcript|transcripts|summary|center|volume|volumes|flow|data|coaching|scoring",
    "session|sessions recording|notes",
    "meeting|meetings notes|recording|recordings|minutes",
    "review process|cycle",
    "meeting|meetings room|rooms|notes",
];

pub(super) const MEET_VERB_STRONG: &[&str] = &[
    "meet|reconvene|regroup|reconnect|convene",
    "come back and|to show|demo|present|walk",
    "come|pop out|over|down|round|by and|to",
    "come|coming back to us|me|you with a|an _ demo|presentation|walkthrough|session|workshop",
    "get ~ together",
    "touch base",
    "catch up",
    "get together",
    "sync up",
];

pub(super) const MEET_VERB_WEAK: &[&str] = &[
    "talk|speak|chat|continue|connect",
    "circle back",
    "pick this|it|things up",
    "follow up",
    "walk through",
    "go through|over",
];

pub(super) const SCHED_VERB: &[&str] = &[
    "book|booked|booking|schedule|scheduled|scheduling|arrange|organize|reschedule|rebook|setup|move|push|shift|prepone",
    "lock|set|line in|up",
];

/// Scheduling phrases that need no meeting noun ("find time", "stick
/// something in the diary", "get it booked in").
pub(super) const SCHED_SELF: &[&str] = &[
    "put|stick|pop|get|pencil|slot|book ~ in the|my|your|our diary|calendar",
    "get|put ~ on the|my|your|our calendar|diary",
    "find|make|grab|fix|get time|slot",
    "find|make|grab|fix|get|sort|nail|set a|some time|slot|date",
    "find|get|book|grab us|you|me a|some time|slot|date|session|call",
    "come|pop out|over|down|round on the|a|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow",
    "fix|make a|another|one call|meeting|session|workshop|visit|time",
    "make a|an|another|one short|quick|new|brief|second|further|_ call|meeting|session",
    "stick|pop|put|throw|chuck|bung a|an|another|the call|meeting|placeholder|session|demo|invite in",
    "block|reserve out|off|_ thirty|fifteen|twenty|forty|sixty|ten|30|15|20|45|60|an|half minutes|mins|hour|hours",
    "carve|block out time",
    "set aside time",
    "get something|it|one|that booked|scheduled",
    "set|line something|it|one|that up",
    "set|line a time|date up",
    "get something|one in",
    "book|pencil something|it|one|us|you|me|that in",
    "put|stick|pop something|one in",
    "get|put you|us|me in front of",
    "lock in a|the time|date|slot",
    "pencil in the|a|next|another|for",
    "put|pop us|me|you down for",
];

pub(super) const MEET_GENERIC: &[&str] = &[
    "do|have|grab|get|run|hold|squeeze|fit|arrange|organize|book|set|plan|jump|hop|come|join|steal|borrow|put|pop|stick|pencil|block|find|spare|fix|aim|go",
    "set up",
    "line up",
];

pub(super) const MEET_SEND_OBJ: &[&str] = &[
    "invite|invites|invitation|slots|times|availability|calendly|doodle",
    "dates|date|options for|to ~ call|meeting|visit|demo|session|workshop|onsite|catch|kickoff|kick|review|sync|chat",
    "calendar|booking|meeting|teams|zoom|video|webex link|invite",
    "a few|couple slots|times|dates",
    "some slots|times|dates",
    "a couple of slots|times|dates",
];

pub(super) const PROPOSE_Q: &[&str] = &[
    "can|could|shall|should|might we",
    "shall|should|can|could|may i",
    "how|what about",
    "what if we|i",
    "suggest|propose|recommend that|_ we",
    "why do not we|you|i",
    "why not",
    "any chance we could|can",
    "is there any chance we",
    "is it possible to|for",
    "would|will it be possible to|for",
];

pub(super) const FREE_Q: &[&str] = &[
    "are|would you be|_ free|available|around",
    "you free|around|available",
    "are|would you be|_ up|open for|to",
    "how is|does|would ~~ for|looking|sound|sounds|work",
    "do you have any|some|a time|availability|slot|slots|window",
    "do you have time",
    "when are you free|available|around",
    "what is|does your calendar|diary|availability|schedule|week ~ look",
    "when would you be free|available|around",
    "when works|suits",
    "when is good|best",
    "when would be good|best",
    "what time works|suits",
    "does|do|would|will|is|could ~~ work|suit|suits|good|sound|sounds|look|okay|ok|fine|convenient",
    "can|could|may i grab|get|have|book|borrow|steal",
    "can|could you do|make",
];

pub(super) const WANT_TO: &[&str] = &[
    "i|we would _|really like|love to|a|an|another|some",
    "i|we want to",
    "i|we need to",
    "we should|must",
    "it would be good|great|nice|worth|helpful|useful to",
    "it is worth",
    "make|makes sense to|for",
    "would it be worth|good|helpful|useful a|an|another",
    "next step|steps would|will|could|should|_ be|is a|an|another",
    "happy to",
    "make sure we",
];

/// Someone brought onto a call: "get our CFO on a call with you".
pub(super) const ON_A_CALL: &[&str] = &["on|onto|into a|the call|zoom|meeting|demo|session"];

pub(super) const CALL_YOU: &[&str] = &["call|ring|phone you", "give you a call|ring|bell|buzz"];
