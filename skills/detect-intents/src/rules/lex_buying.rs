//! Lexicons for `signal:buying_positive` and `signal:buying_negative`: budget
//! words and states, intent to proceed, freezes, deprioritisation and
//! counterfactual budget talk.

pub(super) const BUDGET_WORD: &[&str] =
    &["budget|budgets|funding|funds|money|cash|spend|spending|tooling|capex|opex|cost|costs"];

pub(super) const BUDGET_POS: &[&str] = &[
    "approved|allocated|ringfenced|earmarked|secured|confirmed|sorted|agreed|available|released|unlocked",
    "signed off",
    "ring fenced",
    "set aside",
    "in place",
    "freed up",
    "bought in|into",
];

pub(super) const BUDGET_OK: &[&str] = &[
    "not a|an problem|issue|concern|blocker|worry|constraint",
    "not really|too|that|much _|of a|an|the problem|issue|concern|blocker|worry|constraint",
    "not the problem|issue|concern|blocker",
    "not be a|an problem|issue|concern|blocker",
    "no problem|issue|object|concern",
    "fine",
];

pub(super) const BUY_POS: &[&str] = &[
    "there is _|definitely|already|still|some|a|the _|definitely budget|funding|money",
    "we have _|got|already|definitely ~ budget|funding|money|funds|cash",
    "we are _|fully|definitely|absolutely committed to",
    "fine|happy|comfortable with the spend|cost|budget",
    "top|highest|key|main|biggest priority",
    "number one|1 priority",
    "no 1 priority",
    "priority one",
    "top of the|our|my list|agenda|pile",
    "board level priority",
    "want|wants|keen|ready|looking|happy|eager|like|decided|agreed to move|go|push|press forward|ahead",
    "want|wants|keen|ready|looking|happy|eager|like to proceed|sign|buy|commit",
    "want|wants|keen|ready|eager|like to get started|going|moving",
    "let's go ahead",
    "let's proceed",
    "let's move forward",
    "we are going|moving|pushing|pressing ahead|forward",
    "we are proceeding",
    "we will go ahead",
    "going to go ahead",
    "decided to go with you",
    "decided to go ahead",
    "decided to proceed",
    "going with you",
    "go with you|your|yourselves",
    "where do we|i sign",
    "ready to sign|buy",
    "count us in",
    "we are _|all|basically ready|good to go|roll",
    "sign us up",
    "we|i are|am sold",
    "sold on it|this",
    "preferred vendor|supplier|partner|option|provider",
    "got|had|have|has|received|secured the|a green light",
    "given|gave us|me|_ the|a green light",
    "want|wants|keen|determined|going to make this|it happen",
    "top thing|item|priority on the|our|my list",
    "must have",
    "got|received|secured|have|had _|the|final|full sign off",
    "got|received|secured|have|had _|the|final|full approval",
    "got|received|secured|have|had the go ahead",
    "number one|1|top|key|main|biggest|highest initiative|focus|project|objective|goal",
    "a|the priority project|initiative|purchase",
    "budget|funding|money|cash|funds 's|is|are _|definitely|already|all there",
    "in|within this|next year 's budget|budgets|capex|opex",
    "in|within the|our budget|budgets|capex|opex",
    "going|decided|ready|want|wants to go for it|this",
    "we will go for it|this",
    "pull the trigger",
    "sign on the dotted line",
    "we have _|already ring fenced",
    "we have got|already|_ it|the|this|that money|budget|funds|funding|_ ring fenced",
    "we have got|already|_ it|the|this|that money|budget|funds|funding|_ ringfenced|earmarked|allocated|budgeted",
    "we have _|already ringfenced|earmarked|allocated|budgeted",
    "we have _|already set|put aside",
    "made this|it the|a|our top|_ priority",
    "this|it is|has _|become|now the|our|a top|_ priority for",
];

pub(super) const KEEN: &[&str] = &["we|i are|am _|really|very|super|so|definitely keen"];

pub(super) const FREEZE_LIFTED: &[&str] =
    &["freeze|frozen|hold ~ lifted|over|ended|unfrozen|removed"];

pub(super) const BUDGET_BACK: &[&str] = &[
    "budget|funding|money ~ again|back|restored|unfrozen|released",
    "budget|funding|money ~ again",
];

pub(super) const BUDGET_NEG_STATE: &[&str] = &[
    "tight|tighter|cut|cuts|slashed|frozen|freeze|squeezed|stretched|limited|reduced|gone|exhausted|uncertain|unclear|pulled|constrained|constraints|constraint|limits|limitations|capped|spent|issue|problem|concern|challenge|blocker|struggle|halved|trimmed|shrunk|withdrawn|decimated|scrutiny|scrutinized|scrutinised",
    "cut|scaled back",
    "under pressure",
    "on hold",
    "up in the air",
    "used up",
    "maxed out",
    "under review",
];

pub(super) const BUY_NEG: &[&str] = &[
    "no|zero|nil budget|money|funding|spend",
    "not budgeted",
    "nothing allocated|budgeted|earmarked",
    "nothing set aside",
    "not allocated",
    "not ~ got the|a|any budget|money|funding",
    "do not have ~ budget|money|funding|funds|cash",
    "not sure ~ budget|money|funding|afford",
    "can|could not afford|justify",
    "hard to justify",
    "out of budget",
    "over budget",
    "deprioritized",
    "de prioritized",
    "on hold",
    "back burner",
    "backburner",
    "slipped down",
    "dropped|slipped|fallen|fell|gone|moved|sunk|slid down ~ list|priorities|agenda|pecking",
    "down the list|pecking",
    "down the priority list",
    "not a|an ~ priority",
    "not high on",
    "low|lower priority",
    "put a hold on",
    "a|the hold|freeze|pause|moratorium on",
    "put the brakes on",
    "on ice",
    "cost cutting",
    "cutbacks",
    "cut backs",
    "budget|spending|spend|hiring cuts|freeze",
    "freeze on",
    "no appetite",
    "on pause",
    "budget|funding|money 's|is not there",
    "not ~~ get|have|find|secure the|any|a|_ budget|funding|money",
    "cost saving|savings|cutting|reduction mode|drive|exercise|program|measures|initiative",
    "saving money|costs everywhere|wherever|across",
    "must|need|have to save money|costs",
    "belt tightening",
    "tighten|tightening our|the belt|belts",
    "austerity",
    "not in a position to",
    "need|have to find|scrape the|some money|budget|funding|cash",
    "kicked into the long grass",
    "pulled|lost the|our budget|funding",
    "than what|_ we|i _|had|have budgeted|planned|allocated",
    "do not know whether|if ~ budget|money|funding|funds",
    "no idea whether|if ~ budget|money|funding|funds",
    "unsure|uncertain|unclear whether|if ~ budget|money|funding|funds",
    "not certain whether|if ~ budget|money|funding|funds",
    "strapped|short|tight for|on cash|money|budget|funds",
    "hands are tied",
    "purse strings ~ tight|tighter|tightened|closed",
    "to be justified",
    "no wiggle|spare|extra room|headroom",
    "no room in the|our budget",
    "stretched thin",
    "financially stretched|tight|constrained|difficult",
    "no new|extra|additional|spare money|budget|funding|spend|cash",
    "make|find|deliver savings|cuts",
    "budget|money|funding|finances|cash ~ not looking good|great|healthy|rosy",
    "watching|counting every penny|pound|dollar|cent",
    "cash strapped",
    "off the|our radar|agenda|table",
    "priority|priorities 's|has|have|is|are _|now shifted|changed|moved",
    "paused|frozen|froze|stopped|halted|suspended ~ purchases|purchasing|spending|spend|projects|investment|investments|hiring|budgets|budget",
    "budget|funding|money|funds|cash just|simply|_ 's|is|are not there|available",
    "other projects|priorities|things|initiatives|work ~ priority|precedence",
];

pub(super) const BUY_NEG_SUBJ: &[&str] = &[
    "parked|shelved|paused|delayed|postponed|mothballed|stopped|suspended",
    "pushed|kicked|bumped|moved to|into|back|out",
];

pub(super) const NEG_SUBJECT: &[&str] = &[
    "it|this|that|project|everything|deal|initiative|rollout|evaluation|purchase|purchases|purchasing|spend|spending|tooling|projects|plans|tools|software|hiring|headcount|investment|investments",
];

pub(super) const COUNTERFACTUAL: &[&str] = &[
    "if we|i had _|the|any|a|more|some budget|money|funding|cash",
    "if there was|were _|the|any|a|some budget|money|funding|cash",
    "if the budget|money|funding was|were there",
];
