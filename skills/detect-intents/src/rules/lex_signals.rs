//! Lexicons for `signal:multi_stakeholder` (stakeholders, involvement cues,
//! internal review, self-deciders) and `signal:competitive` (rival vendors,
//! evaluations, trials, incumbents, in-house builds, the status quo, rival
//! prices and contracts).

pub(super) const STAKEHOLDER: &[&str] = &[
    "cfo|ceo|cto|cio|coo|cro|cmo|ciso|cpo|cso|cdo|dpo|vp|svp|evp|md|gm|legal|procurement|purchasing|finance|accounts|infosec|security|compliance|board|committee|boss|bosses|manager|managers|director|directors|founder|founders|cofounder|owner|owners|partners|union|council|trustees|governors|team|execs|exec|executive|executives|leadership|management|slt|smt|stakeholders|investors|shareholders|lawyers|lawyer|solicitors|solicitor|counsel|engineering|engineers|developers|architects|hr|ops|chairman|chair|president|principal|superintendent|headteacher|dean|colleagues|approvers|sponsor|signatory|dpo|auditors|treasurer|controller|bursar|headteachers|franchisees|officer|officers|supervisor|supervisors|accountant|accountants|bookkeeper|auditor|administrator|administrators|foreman|clinicians|physicians|superiors|bossman|diocese|synod|governance",
    "head teacher|teachers",
    "partner",
    "qa|it|tech|team|project|ops|finance|security|clinical|technical|product|engineering lead|leads",
    "cabinet|senate|regulator|commissioners",
    "business partner|partners",
    "co owner|owners",
    "co founder|founders",
    "head of",
    "powers that be",
    "higher ups",
    "someone above me",
    "my superiors",
    "budget holder",
    "parent company",
    "head office",
    "hq|headquarters|group",
];

pub(super) const INVOLVE_CUE: &[&str] = &[
    "brief|debrief|update|inform|vote|votes|voting|review|reviews|reviewing|approve|approves|approval|decide|decides|veto|involved|involve|consult|convince|persuade|vet|validate|blessing|hoop|hoops|join|joining|sign|input|nod|socialize|socializing|align|alignment|consensus|canvass",
    "float|pass|sense ~ with|past|by",
    "give|gives the|a go|nod|okay",
    "drag|haul|rope ~ in|along|into|onto",
    "got to see|look|approve|review|sign|check|okay",
    "walk|take|go|talk ~ through with",
    "must|will|would|should|to agree|consent",
    "go|goes|going up to",
    "be|been|get|gets|getting reviewed|approved|vetted|checked|cleared|okayed|seen|signed",
    "get|make ~ comfortable|happy|okay",
    "is|'s|sitting with",
    "passed|over to",
    "have a word|chat|conversation with",
    "a quick word|chat with",
    "spoken|talked|chatted to|with",
    "be|feel comfortable|happy|satisfied|okay|ok with",
    "be|been|get consulted|involved|looped|briefed",
    "sound out",
    "will|would both|also|definitely|probably|certainly|all|still want|need|insist",
    "want|wants|need|needs a look|say",
    "sign|signs|signing off",
    "sign it|this|that off",
    "signoff",
    "final say|call|decision|word",
    "decision maker|makers",
    "the decision",
    "green light",
    "rubber stamp",
    "buy in",
    "on side|board",
    "in the loop",
    "loop ~ in",
    "bring ~ in|along|into|onto",
    "run ~ past|passed|by",
    "check|clear ~ with",
    "checked|cleared with",
    "chat|talk|speak ~ with|to",
    "discuss ~ with",
    "present|demo|show|pitch ~ to",
    "take|show ~ to",
    "bring ~ to|before",
    "share ~ with",
    "in front of",
    "sell it|this|that to",
    "business case",
    "want|wants|need|needs to see|look|watch|hear|read",
    "will|would want|need",
    "have|take a look",
    "weigh in",
    "go|goes through|to",
    "come|comes back",
    "gets|get|be approved|signed",
    "approval from",
    "happy with it|this",
    "look at|over it|this|that|the|our|these|those",
    "look|go|read it|this|that|them over|through",
    "in on",
    "without him|her|them|his|their seeing|reviewing|approving|checking|looking|signing|okaying|agreeing|say|input|blessing|approval",
    "on|onto|into a|the call|zoom|meeting|demo|session",
    "on|onto|into a|the next|same|follow call|zoom|meeting|demo|session",
    "up the flagpole",
    "run it|this|that with",
    "forward|send|pass|circulate|escalate it|this|that|them|these|those|_ on|over|along|up|_ to",
    "ask|asking our|my|the|his|her",
    "together with",
    "include|invite|add ~ in|on|to",
    "approved|reviewed|okayed|vetted|cleared by",
    "signed off by",
    "get|gets|getting it|this|that|the _ approved|signed|okayed|cleared|reviewed",
    "need|needs|have|has|want|wants to check",
    "must|will|would|should check",
    "last word|say",
    "'s decision|call|say|choice|sign",
];

/// Review by unnamed colleagues ("we'll review it internally").
pub(super) const INTERNAL: &[&str] = &[
    "review|discuss|approve|socialize|circulate|share|run|align|agree|decide|consult|confer|sync ~ internally",
    "internal review|approval|approvals|sign|process|stakeholders",
];

/// A colleague named before, as "she" or "he", still to approve: "we
/// wanted Susan on since she'll need to approve the investment".
pub(super) const THIRD_APPROVES: &[&str] = &[
    "she|he|they is|are the one|ones who|that decides|decide|signs|sign|approves|approve",
    "she|he will|would|_ need|needs|have|has|want|wants to approve|sign|review|vet|okay|check|see",
    "she|he will|would|_ need|needs|have|has|want|wants to give it|this|that|the _ green|final|go",
];

pub(super) const NOT_MY_CALL: &[&str] = &[
    "not my call|decision|budget",
    "not up to me",
    "above my pay grade",
    "out of my hands",
    "not the decision maker",
    "not the one who decides|signs",
    "i do not have the final say",
    "i can not sign|approve",
    "not in my gift",
    "not only|just my call|decision",
    "decision|call|say|choice is not mine|ours",
    "is his|her|their call|decision",
    "not mine alone",
];

pub(super) const SELF_DECIDER: &[&str] = &[
    "i am the one signing|deciding|who|making",
    "i am the decision maker",
    "my decision",
    "i sign off",
    "i can sign|approve",
    "i have the final say",
    "it is my call",
    "i make the call|decision",
    "i hold the budget",
    "it is just|only me now",
    "it is just|only me from here",
];

pub(super) const MULTI_PAST: &[&str] = &[
    "already",
    "have|has|had|got|received ~ green light|approval|blessing|nod",
    "had|received ~ sign off",
    "has|have|had|'s been approved|signed|reviewed|cleared|vetted|checked|okayed",
    "spoke|talked|chatted|finished|discussed|met",
    "ran it|this|that past|by",
    "have|has|had _|already approved|signed|reviewed|cleared|blessed|seen|okayed|spoken|talked",
    "approved it|this|the",
    "approved|okayed a|an|our",
    "given|gave us|me|_ the|_ nod|blessing|approval",
    "given|gave us|me|_ the|_ green light",
    "given|gave us|me|_ the|_ go ahead",
];

pub(super) const COMP_STRONG: &[&str] = &[
    "bake off",
    "bakeoff|shortlist|shortlisted|incumbent|incumbents",
    "short list",
    "current|existing vendor|provider|supplier|contract|incumbent",
    "other vendor|vendors|provider|providers|supplier|suppliers|solutions|platforms|tools|products",
    "another vendor|provider|supplier|solution|tool|platform|product|outfit",
    "one other",
    "a couple of other|others",
    "a few other|others",
    "in talks with",
    "head to head",
    "side by side",
    "up against",
    "competitive process",
    "proof of concept with",
    "poc with",
    "also looking|talking|speaking|evaluating|considering|trialing|testing|piloting|chatting|demoing|pitching",
    "also in talks",
    "also got * in",
    "comparing you",
    "compare you",
    "narrowed ~ down",
    "the|our other option|alternative is|would",
    "other option|options|alternative on the table",
    "plan b",
    "also having|had|have|take|taking a look|looks",
    "quotes|bids|offers|proposals|quotations|prices ~ from ~ other|another",
    "have|having|got one|a supplier|vendor|provider already",
    "has|have|needs|need|must|got to beat that|them|it",
    "beat what we have|use|run",
    "front runner|runners",
    "frontrunner|frontrunners",
    "what else is out there|available",
    "what else is on the market",
    "what else the market",
    "is what we _|currently use|have|run",
    "is what we are using",
    "where we are leaning|heading",
    "using|have|got something|one already",
    "already have|use|using|got something|one",
    "between you and",
    "in the running|mix",
    "in contention",
    "agency|consultancy|contractor|consultants|outsourcer|freelancer handles|does|runs|covers|manages this|that|it|all",
    "working with a|an agency|consultancy|contractor|consultant|outsourcer on|for this|that|it",
    "another|other firm|firms|company|companies|agency|agencies|supplier|suppliers|vendor|vendors|provider|providers|option|options|tool|tools we are _|also|currently|still considering|evaluating|looking|talking|speaking|trialing|testing|piloting",
    "have|got|received|had ~ other|competing proposals|quotes|bids|offers|quotations|tenders",
    "on the|our shortlist",
    "you|they are on the|our list",
    "two|three|four|five|several|multiple further|other|additional|_ vendors|providers|suppliers|bidders",
    "got * on a|_ free|_ trial|pilot",
    "homegrown|internal|bespoke tool|system|solution|platform|app|build",
    "home grown tool|system|solution|platform|app|build",
    "in house tool|system|solution|platform|app|build|version",
];

/// The tool in place, which counts only with a contract to end or renew,
/// or as a real option ("the current system does the job").
pub(super) const COMP_CURRENT_TOOL: &[&str] = &[
    "current|existing|old tool|tools|system|systems|platform|solution|setup|software|app|crm|erp|ats|tms|wms",
];

pub(super) const COMP_OTHER: &[&str] = &[
    "vendors|providers|suppliers|tools|solutions|platforms|products|alternatives|options|others|competitors|competitor|rival|rivals",
    "other|another|alternative vendor|vendors|offer|offers|bid|bids|quote|quotes|supplier|suppliers|options|solutions|providers|products|tools|platforms|company|companies|firm|firms|agency|agencies|solution|product|system|outfit|outfits",
    "similar tool|tools|product|products|solution|solutions|system|systems|platform|platforms|software|service|services",
    "a few|couple|number|handful",
    "several|various|multiple|two|three|four|five",
    "one or two",
];

pub(super) const COMP_EVAL: &[&str] = &[
    "evaluating|trialing|testing|piloting|considering|demoing|comparing|assessing|exploring|benchmarking",
    "evaluate|compare|consider|test|assess|benchmark",
    "looking at",
    "talking|speaking|chatting to|with",
    "weighing up",
    "kicking|kick the|_ tyres|tires on|of",
    "in conversations|discussions with",
    "leaning towards|toward",
];

/// Noun forms ("midway through a trial of Aircall"); need a vendor name after.
pub(super) const COMP_TRIAL_NOUN: &[&str] = &[
    "trial|pilot|poc|evaluation|eval|demo|demos of|with",
    "proof of concept of|with",
];

pub(super) const COMP_PAST_EVAL: &[&str] = &[
    "trialed|tested|piloted|evaluated|demoed",
    "looked at",
    "saw|had|got a demo of|from|off",
    "met|spoke|talked|chatted with|to",
];

pub(super) const COMP_DEAD: &[&str] = &[
    "long dead",
    "binned|ditched|abandoned",
    "dropped it|them|him|her|that",
    "dropped|ditched|binned the|those other|old|previous",
    "picked|chose|went with none|nobody|neither",
    "ruled out",
    "ruled them|it out",
    "never went ahead",
    "went nowhere",
    "years ago|back",
    "got rid of",
    "moved away from",
    "used to use",
    "no longer",
    "stopped using",
    "a while ago",
    "a long time ago",
];

pub(super) const COMP_USE: &[&str] = &[
    "already use|using|have|run|got",
    "currently use|using|run|on",
    "we use|run",
    "we are using|running",
    "we using|running",
    "we have been using",
    "we work with",
    "we are working with",
];

pub(super) const COMP_USE_FOR: &[&str] = &[
    "for this|that|it",
    "for some|most|part|all of this|that|it",
    "tool|tools|overlap|similar|covers|cover",
    "does this|that",
    "does the same",
    "same thing",
    "something like this|that",
    "does|do|covers|cover|handles|handle most|all|much|half|some|everything of|_ what we need",
    "does|do|covers|cover|handles|handle everything|most|all we need",
    "does|do the job|trick",
    "does|do|doing|covers|cover|covering|handles|handle|handling most|all|much|some|part of this|that|it",
    "does|do|covers|cover|handles|handle a lot of this|that|it",
    "works|work fine|well|okay|ok for us",
    "works|work fine|well|okay|ok",
    "side of things",
    "doing|done the job|trick",
    "good enough",
];

pub(super) const COMP_IN_HOUSE: &[&str] = &[
    "in house",
    "ourselves|themselves|himself|herself|homegrown|diy",
    "home grown",
    "our own",
];

pub(super) const BUILD_VERB: &[&str] = &[
    "build|develop|make|code|write|roll|create|do|hack|knock|put|building|developing|prepare|draft|pull|built|developed|made|coded|written|created",
];

pub(super) const COMP_STATUS_QUO: &[&str] = &[
    "stick|stay|sticking|staying with|to|on",
    "carry on with|using",
    "keep using|doing",
    "status quo",
    "do|doing nothing",
    "doing|does|do the job",
];

pub(super) const STATUS_QUO_OBJ: &[&str] = &[
    "spreadsheets|spreadsheet|excel|sheets|manual|email|paper",
    "what we have|do",
    "what we have got",
    "our|the current|existing|old|homegrown|internal|own",
    "how we do",
    "the way",
    "option",
];

pub(super) const COMP_PRICE: &[&str] = &[
    "gave|give|giving|offered|offering|offer|quoted|sent|did|made|make|makes|making us a|an ~ price|quote|discount|deal|offer|proposal|number|rate|demo|pitch|presentation|walkthrough|trial|pilot|poc",
    "quoted us",
    "offered|offering|gave|giving a|an|the ~ discount|deal|price|rate",
    "came in with|at|cheaper|lower|under",
    "came back with",
    "lower|better|cheaper|keener|sharper price|quote|offer|rate than|from",
    "came in ~ cheaper|lower|under|less",
    "cheaper|lower|less than you|yours|your",
    "quote|proposal|pricing|offer|price|demo|pitch|presentation from",
    "undercut|undercutting",
    "half|twice|double your|the price|cost|fee|fees|rate",
    "pitched|demoed us|to",
    "pitched|demoed|presented|showed|showing|pitching|demoing|presenting ~ same|similar",
    "pitching|demoing|presenting to|for us",
    "pitching|demoing us",
    "flogging|selling|pushing|touting us",
    "their|a|the ~ dog and pony show|spiel",
    "invited to present|pitch|tender",
    "higher|pricier|dearer than what|_",
    "coming|come back to us with a|an|their proposal|quote|quotation|pricing|price|offer|number|numbers",
    "coming|come in to present|pitch|demo|show",
    "coming|come in ~ to present|pitch|demo|show",
];

pub(super) const COMP_CONTRACT: &[&str] = &[
    "contract|renewal|license|subscription|agreement with",
    "current|existing|present ~ contract|license|subscription|agreement",
    "locked|tied in with|to",
    "locked|tied into",
];

pub(super) const COMP_CONTRACT_END: &[&str] = &[
    "runs|run out",
    "ends|expires|expire|renews|lapses",
    "is up",
    "comes|coming up",
    "until|till|another|renewal",
];
