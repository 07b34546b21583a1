//! Rule engine for sales-meeting intent detection.
//!
//! Each utterance is analysed on its own, with plain string matching (no
//! regexes, no external crates), in four steps:
//!
//! 1. **Tokenise and normalise.** Words are lower-cased, curly apostrophes are
//!    straightened, contractions are expanded ("I'll" → "i will", "don't" →
//!    "do not"), hyphenated words are split ("deep-dive" → "deep dive"), a few
//!    British spellings are mapped to American ones, fillers ("um", "er", a
//!    comma-fenced "like" or "you know") are dropped and stuttered repeats
//!    ("I'll, er, I'll") are collapsed. Every word keeps its byte span in the
//!    original text, so the reported phrase is always a verbatim substring.
//! 2. **Split into clauses** ("units") on sentence ends, `;`, dashes,
//!    ellipses and the word "but", so "I was going to send a quote, but
//!    actually let's hold off" is judged clause by clause. Each clause is
//!    tagged for question form, negators, past-tense intentions ("I was going
//!    to…"), speculative or counterfactual conditionals ("if you ever…", "if
//!    we had budget…"), habits ("normally"), vague time ("at some point"),
//!    concrete date expressions, and retraction by the clause that follows
//!    ("…, actually, never mind").
//! 3. **Match lexicons.** Each lexicon is a `const` slice of short patterns
//!    (`|` separates alternatives, `_` makes a slot optional, `*` is any one
//!    word, `~`/`~~` a gap of up to three/six words). On first use the
//!    patterns are compiled into one table keyed by first word, together with
//!    per-word class bits (weekday, month, negator, …), so a clause is matched
//!    in a single linear pass.
//! 4. **Apply per-label rules** that combine hits. Commitments need an
//!    affirmative first-person (or own-team) head followed by the right verb
//!    and object, with no negation, question form, speculation or retraction;
//!    prospect follow-ups also need a concrete time anchor. Signals need a cue
//!    in the prospect's own voice (stakeholder plus involvement still to come,
//!    a current alternative, budget state), and timelines a concrete, non-past
//!    date tied to the deal rather than to a meeting or deliverable.
//!
//! Speaker constraints are enforced first. Confidence reflects how explicit
//! the wording is (0.9 for "I'll send the quote", 0.75 for "I can…" or an
//! indirect cue); anything below [`REPORT_THRESHOLD`] is dropped. The rules
//! favour precision: when in doubt a label is not emitted.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/// Who said the utterance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speaker {
    /// The seller.
    Rep,
    /// Anyone on the buying side.
    Prospect,
}

/// The nine intent labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Label {
    /// Rep commits to send a proposal, quote, pricing, costing, estimate or costed SOW.
    SendProposal,
    /// Either side proposes, asks for or commits to a future meeting, call or demo.
    ScheduleMeeting,
    /// Prospect asks the rep to send or share something.
    SendContent,
    /// Prospect says someone else still has to review, approve or be involved.
    MultiStakeholder,
    /// Prospect is evaluating, trialling or using an alternative.
    Competitive,
    /// Prospect states budget, priority or intent to go ahead.
    BuyingPositive,
    /// Prospect states budget is tight, missing or frozen, or the project is on hold.
    BuyingNegative,
    /// Prospect gives a concrete, future date or period for the deal.
    Timeline,
    /// Prospect commits to get back, or to send something, by a stated time.
    ProspectFollowup,
}

impl Label {
    /// Every label, in canonical order.
    pub const ALL: [Label; 9] = [
        Label::SendProposal,
        Label::ScheduleMeeting,
        Label::SendContent,
        Label::MultiStakeholder,
        Label::Competitive,
        Label::BuyingPositive,
        Label::BuyingNegative,
        Label::Timeline,
        Label::ProspectFollowup,
    ];

    /// The label's wire name, e.g. `"commitment:send_proposal"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::SendProposal => "commitment:send_proposal",
            Label::ScheduleMeeting => "commitment:schedule_meeting",
            Label::SendContent => "request:send_content",
            Label::MultiStakeholder => "signal:multi_stakeholder",
            Label::Competitive => "signal:competitive",
            Label::BuyingPositive => "signal:buying_positive",
            Label::BuyingNegative => "signal:buying_negative",
            Label::Timeline => "signal:timeline",
            Label::ProspectFollowup => "commitment:prospect_followup",
        }
    }

    /// Parses a wire name (surrounding whitespace is ignored).
    pub fn parse(s: &str) -> Option<Label> {
        let s = s.trim();
        Label::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// Position in [`Label::ALL`].
    fn index(self) -> usize {
        self as usize
    }
}

/// One label found in an utterance.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// The label.
    pub label: Label,
    /// The span of the original utterance text that triggered it (a substring of the input, verbatim, e.g. the clause "I'll get the proposal to you Monday").
    pub phrase: String,
    /// In \[0,1\]. Reported when >= 0.6; follow-up events are queued only when >= 0.8.
    pub confidence: f32,
}

/// Detections below this confidence are not returned.
pub const REPORT_THRESHOLD: f32 = 0.6;

/// All labels that apply to this one utterance (no duplicates, in Label::ALL order).
pub fn detect(speaker: Speaker, text: &str) -> Vec<Detection> {
    let units = analyse(text);
    let mut best: [Option<(f32, usize)>; 9] = [None; 9];
    let mut note = |label: Label, conf: Option<f32>, unit: usize| {
        if let Some(c) = conf {
            let slot = &mut best[label.index()];
            if slot.is_none_or(|(b, _)| c > b) {
                *slot = Some((c, unit));
            }
        }
    };
    for (i, u) in units.iter().enumerate() {
        if u.retracted {
            continue;
        }
        let meeting = detect_meeting(u, speaker);
        note(Label::ScheduleMeeting, meeting, i);
        match speaker {
            Speaker::Rep => {
                let proposal =
                    detect_send_proposal(u).or_else(|| appositive_proposal(u, units.get(i + 1)));
                note(Label::SendProposal, proposal, i);
            }
            Speaker::Prospect => {
                let request = detect_request(u);
                let followup = detect_followup(u);
                note(Label::SendContent, request, i);
                note(Label::ProspectFollowup, followup, i);
                let next = units.get(i + 1);
                note(
                    Label::MultiStakeholder,
                    detect_multi(u, next, meeting.is_some()),
                    i,
                );
                note(Label::Competitive, detect_competitive(u), i);
                note(Label::BuyingPositive, detect_buying_positive(u), i);
                note(Label::BuyingNegative, detect_buying_negative(u), i);
                let busy = meeting.is_some() || request.is_some() || followup.is_some();
                note(Label::Timeline, detect_timeline(u, busy), i);
            }
        }
    }
    resolve_buying_conflict(&mut best);
    Label::ALL
        .into_iter()
        .filter_map(|label| {
            let (conf, ui) = best[label.index()]?;
            let u = units.get(ui)?;
            (conf >= REPORT_THRESHOLD).then(|| Detection {
                label,
                phrase: text.get(u.start..u.end).unwrap_or(text).trim().to_string(),
                confidence: conf.clamp(0.0, 1.0),
            })
        })
        .collect()
}

/// "X, but Y": when an utterance carries both a positive and a negative
/// buying signal, the later clause wins.
fn resolve_buying_conflict(best: &mut [Option<(f32, usize)>; 9]) {
    let pos = best[Label::BuyingPositive.index()];
    let neg = best[Label::BuyingNegative.index()];
    if let (Some((_, pu)), Some((_, nu))) = (pos, neg) {
        if pu > nu {
            best[Label::BuyingNegative.index()] = None;
        } else {
            best[Label::BuyingPositive.index()] = None;
        }
    }
}

// ---------------------------------------------------------------------------
// Lexicons
// ---------------------------------------------------------------------------
//
// Patterns are written in normalised form: lower case, contractions expanded
// ("i will", "do not"), hyphens split ("follow up"), American spelling.
// Syntax: words separated by spaces; `a|b` alternatives; `_` as an
// alternative makes the slot optional; `*` any one word; `~` up to three
// words, `~~` up to six. The first slot must be a plain, non-optional word list.

/// Lexicon identifiers; the discriminant indexes [`LEXICONS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lx {
    NegIdiom,
    PastIntent,
    Cancel,
    Habit,
    Vague,
    PastTime,
    PastVerb,
    Future,
    Ack,
    HeadFirst,
    HeadLet,
    HeadCan,
    HeadOnMe,
    HeadYouWill,
    Delivery,
    NonDelivery,
    DeliveryTail,
    ProposalNoun,
    ProposalVerb,
    CostWord,
    MeetNoun,
    MeetNounBad,
    MeetVerbStrong,
    MeetVerbWeak,
    SchedVerb,
    SchedSelf,
    MeetGeneric,
    MeetSendObj,
    ProposeQ,
    FreeQ,
    WantTo,
    CallYou,
    ReqQ,
    ReqPlease,
    ReqMeHave,
    ReqWish,
    ReqNeedYou,
    ReqNeedIt,
    ReqVerb,
    ReqVerbLoose,
    ContentNoun,
    Stakeholder,
    InvolveCue,
    NotMyCall,
    Internal,
    SelfDecider,
    MultiPast,
    CompStrong,
    CompOther,
    CompEval,
    CompTrialNoun,
    CompPastEval,
    CompDead,
    CompUse,
    CompUseFor,
    CompInHouse,
    BuildVerb,
    CompStatusQuo,
    StatusQuoObj,
    CompPrice,
    CompContract,
    CompContractEnd,
    BudgetWord,
    BudgetPos,
    BudgetOk,
    BuyPos,
    Keen,
    FreezeLifted,
    BudgetBack,
    BudgetNegState,
    BuyNeg,
    BuyNegSubj,
    NegSubject,
    Counterfactual,
    DealContext,
    DecisionWord,
    FollowupVerb,
    Hedge,
}

const NEG_IDIOM: &[&str] = &[
    "no problem|problems|worries|rush|doubt|pressure|matter|wonder|brainer|object|issue|issues",
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

const PAST_INTENT: &[&str] = &[
    "was|were going|about|planning|hoping|supposed|meant|gonna to|on",
    "had planned|intended|meant|hoped to",
    "meant to",
    "would|should|could have sent|been|done|had|liked|loved|wanted|got|given|put|made|emailed|shared|booked|set|scheduled|gone",
    "was|were thinking of|about",
];

const CANCEL: &[&str] = &[
    "cancel|canceled|canceling|cancels",
    "call off",
    "call it|that|this off",
    "scrap|scrapping|scrapped",
    "hold off",
    "skip|skipping",
    "postpone|postponing|postponed",
    "put off",
    "pull the plug",
    "drop the|our|this|that call|meeting|session|demo",
];

const HABIT: &[&str] = &[
    "normally|usually|typically|generally|often|always",
    "tend|tends to",
    "every week|month|time|quarter",
    "as a rule",
];

const VAGUE: &[&str] = &[
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

const PAST_TIME: &[&str] = &[
    "last week|month|year|quarter|time|night|summer|spring|autumn|winter|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december",
    "yesterday|ago|previously|formerly",
    "back in",
    "in the past",
    "years|months|weeks back",
    "a while back|ago",
    "at the time",
    "used to",
    "earlier today|this",
];

const PAST_VERB: &[&str] = &[
    "went|was|were|had|did|spent|sent|launched|happened|finished|completed|bought|switched|migrated|ditched|began|moved|looked|tried|tested|evaluated|spoke|talked|met|missed|implemented|deployed",
    "we|i|they signed|started|rolled|decided|chose|picked",
];

const FUTURE: &[&str] = &[
    "will|want|wants|need|needs|would|hope|hoping|plan|planning|aim|aiming|target|targeting|expect|expecting|should|must|intend|intending|going",
    "have|has to",
    "looking at|to",
];

const ACK: &[&str] = &[
    "thanks|thank for",
    "thank you for",
    "already have|got|received",
    "have already got|received",
];

const HEAD_FIRST: &[&str] = &[
    "i|we should|will be able to",
    "i|we will not|_",
    "i|we shall",
    "i|we am|are not|_ going to",
    "i|we am|are sending|emailing|putting|pulling|drafting|preparing|getting",
];

const HEAD_LET: &[&str] = &["let's", "let me|us"];

const HEAD_CAN: &[&str] = &["i|we can"];

const HEAD_ON_ME: &[&str] = &[
    "action|actions on|for me",
    "action point|points|item|items on|for me",
    "on me",
    "i owe you",
];

const HEAD_YOU_WILL: &[&str] = &[
    "you will have|get|receive|see",
    "expect a|an|the|our|my|some",
];

const DELIVERY: &[&str] = &[
    "send|sending|email|emailing|forward|share|ping|shoot|fire|drop|pop|get|getting|put|putting|pull|draft|drafting|prepare|preparing|write|work|build|create|have|sort|turn|produce|issue|provide|revise|update|finalize|rework|redo|give|whip|knock|attach|include|deliver|submit|pass|mail|run|do|bring",
    "come|get back to you with",
    "come back with",
    "follow up with",
];

const NON_DELIVERY: &[&str] = &[
    "walk|explain|discuss|talk|chat|check|ask|look|mention|review|cover|show|present|chase|query|clarify|double|speak|loop|think|figure|hold|honor|match|beat|keep|lock|waive|apply|ignore|cancel|withdraw|confirm|answer|see",
    "go through|over",
    "find out",
];

const DELIVERY_TAIL: &[&str] = &[
    "to you",
    "over|across|through|sorted|ready|done",
    "with you",
    "in your inbox",
    "your way",
];

const PROPOSAL_NOUN: &[&str] = &[
    "proposal|proposals|quote|quotes|quotation|quotations|requote|pricing|prices|price|costing|costings|costs|cost|estimate|estimates|sow|ballpark|commercials|fees",
    "statement of work",
    "order form",
    "rate card",
    "formal|commercial|written offer",
];

const PROPOSAL_VERB: &[&str] = &[
    "quote you|for|on|that|it|this|them",
    "price it|that|this|them|everything up|out",
    "price up|out",
    "cost it|that|this|them|everything up|out",
    "cost up|out",
    "requote",
    "re quote",
];

const COST_WORD: &[&str] =
    &["cost|costs|costed|costing|costings|pricing|price|prices|fees|fee|rates|commercials"];

const MEET_NOUN: &[&str] = &[
    "call|calls|meeting|meetings|demo|demos|workshop|workshops|session|sessions|deepdive|catchup|followup|checkin|sync|invite|invitation|walkthrough|chat|conversation|presentation|onsite|visit|kickoff|huddle|debrief|zoom|coffee|lunch|briefing|intro|introduction|review",
    "deep dive",
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

const MEET_NOUN_BAD: &[&str] = &[
    "demo|demos environment|account|instance|site|login|data|video|recording|version|link|deck|org|tenant",
    "call|calls recording|recordings|notes|transcript|transcripts|summary|center|volume|volumes|flow|data|coaching|scoring",
    "session|sessions recording|notes",
    "meeting|meetings notes|recording|recordings|minutes",
    "review process|cycle",
    "meeting|meetings room|rooms|notes",
];

const MEET_VERB_STRONG: &[&str] = &[
    "meet|reconvene|regroup|reconnect",
    "touch base",
    "catch up",
    "get together",
    "sync up",
];

const MEET_VERB_WEAK: &[&str] = &[
    "talk|speak|chat|continue",
    "circle back",
    "pick this|it|things up",
    "follow up",
    "walk through",
    "go through|over",
];

const SCHED_VERB: &[&str] = &[
    "book|booked|booking|schedule|scheduled|scheduling|arrange|organize|reschedule|rebook|setup|move|push|shift",
    "lock|set|line in|up",
];

/// Scheduling phrases that need no meeting noun ("find time", "stick
/// something in the diary", "get it booked in").
const SCHED_SELF: &[&str] = &[
    "put|stick|pop|get|pencil|slot|book ~ in the|my|your|our diary|calendar",
    "get|put ~ on the|my|your|our calendar|diary",
    "find|make|grab|fix|get time|slot",
    "find|make|grab|fix|get|sort|nail|set a|some time|slot|date",
    "carve|block out time",
    "set aside time",
    "get something|it|one|that booked|scheduled",
    "get something|one in",
    "book|pencil something|it|one|us|you|me|that in",
    "lock in a|the time|date|slot",
];

const MEET_GENERIC: &[&str] = &[
    "do|have|grab|get|run|hold|squeeze|fit|arrange|organize|book|set|plan|jump|hop|come|join|steal|borrow|put|pop|stick|pencil|block",
    "set up",
    "line up",
];

const MEET_SEND_OBJ: &[&str] = &[
    "invite|invites|invitation|slots|times|availability|calendly|doodle",
    "dates|date|options for|to ~ call|meeting|visit|demo|session|workshop|onsite|catch|kickoff|kick|review|sync|chat",
    "calendar|booking|meeting link|invite",
    "a few|couple slots|times",
    "some slots|times",
    "a couple of slots|times",
];

const PROPOSE_Q: &[&str] = &[
    "can|could|shall|should|might we",
    "shall|should|can|could|may i",
    "how|what about",
    "why do not we|you",
    "why not",
    "any chance we could|can",
    "is there any chance we",
];

const FREE_Q: &[&str] = &[
    "are|would you be|_ free|available|around",
    "are|would you be|_ up|open for|to",
    "how is|does|would ~~ for|looking|sound|sounds|work",
    "do you have any|some|a time|availability|slot|slots|window",
    "do you have time",
    "when are you free|available|around",
    "when would you be free|available|around",
    "when works|suits",
    "when is good|best",
    "when would be good|best",
    "what time works|suits",
    "does|do|would|will|is|could ~~ work|suit|suits|good|sound|sounds|look",
    "can|could|may i grab|get|have|book|borrow|steal",
    "can|could you do|make",
];

const WANT_TO: &[&str] = &[
    "i|we would _|really like|love to|a|an|another|some",
    "i|we want to",
    "i|we need to",
    "we should|must",
    "it would be good|great|nice|worth|helpful|useful to",
    "it is worth",
    "happy to",
    "make sure we",
];

const CALL_YOU: &[&str] = &["call|ring|phone you", "give you a call|ring|bell|buzz"];

const REQ_Q: &[&str] = &[
    "can|could|would|will you",
    "can|could u",
    "would|do you mind",
    "mind",
    "are you able to",
    "is it possible to|for",
    "would|will it be possible to|for",
    "any chance you could|can|would",
    "any chance of",
    "is there any chance",
    "if you could|can|would",
    "you could|can",
];

const REQ_PLEASE: &[&str] = &["please|kindly|pls"];

const REQ_ME_HAVE: &[&str] = &[
    "can|could|may i|we get|have|grab|receive",
    "would|is it be possible to get|have",
    "is it possible to get|have",
];

const REQ_WISH: &[&str] = &[
    "i|we would _|really|so|greatly|very|much|also love|like|appreciate",
    "i|we would be grateful",
    "it would be great|helpful|useful|brilliant|good|handy|ideal|lovely to get|have|see|receive",
];

const REQ_NEED_YOU: &[&str] = &["i|we will|would|_ need you to"];

const REQ_NEED_IT: &[&str] = &[
    "i|we will|would|_ need your",
    "i|we will|would|_ need a|an|the|your|some ~ from you",
    "i|we will|would|_ need|want to see|sight of",
    "i|we will|would|_ need a copy|copies",
];

const REQ_VERB: &[&str] = &[
    "send|email|mail|forward|share|sharing|sending|emailing|forwarding|dropping|ping|pass|circulate|resend|resending|attach|upload",
    "drop|fire|shoot|pop me|us|it|that|them|this|those|over|across|through|into|in",
    "e mail",
    "dig out",
    "cc me|us",
    "copy me|us in",
    "link me|us",
    "point me|us to|at",
    "put me|us in touch",
    "introduce me|us to",
    "connect me|us with",
];

const REQ_VERB_LOOSE: &[&str] = &[
    "get|getting|give|giving|provide|providing|prepare|preparing|complete|completing|include|including|post|stick|pop|chuck|bung|upload|save|put|drop|fire|shoot",
    "put|pull together",
    "putting|pulling together",
    "fill in|out",
    "filling in|out",
    "turn that|this|it around",
    "let me|us have",
];

const CONTENT_NOUN: &[&str] = &[
    "deck|slides|slide|recording|recordings|video|videos|onepager|whitepaper|spec|specs|datasheet|brochure|documentation|docs|doc|document|documents|report|reports|pdf|soc|soc2|iso|certificate|certification|questionnaire|questionnaires|certificates|certifications|references|reference|contacts|proposal|quote|quotation|pricing|prices|price|estimate|comparison|sample|samples|example|examples|template|link|contract|agreement|dpa|msa|terms|roadmap|summary|notes|minutes|overview|breakdown|calculator|copy|details|info|information|material|materials|collateral|login|access|sandbox|sow|policy|policies|diagram|faq|guide|manual|checklist|plan|literature|testimonials|benchmarks|results|one|something|anything|whatever|it|that|them|those",
    "case study|studies",
    "one pager",
    "white paper",
    "spec sheet",
    "data sheet",
    "price list",
    "business case",
    "order form",
    "statement of work",
];

const STAKEHOLDER: &[&str] = &[
    "cfo|ceo|cto|cio|coo|cro|cmo|ciso|cpo|cso|cdo|dpo|vp|svp|evp|md|gm|legal|procurement|purchasing|finance|accounts|infosec|security|compliance|board|committee|boss|bosses|manager|managers|director|directors|founder|founders|cofounder|owner|owners|partners|union|council|trustees|governors|team|execs|exec|executive|executives|leadership|management|slt|smt|stakeholders|investors|shareholders|lawyers|lawyer|solicitors|solicitor|counsel|engineering|engineers|developers|architects|hr|ops|chairman|chair|president|principal|superintendent|headteacher|dean|colleagues|approvers|sponsor|signatory|dpo|auditors|treasurer|controller",
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

const INVOLVE_CUE: &[&str] = &[
    "brief|debrief|update|inform|vote|votes|voting|review|reviews|reviewing|approve|approves|approval|decide|decides|veto|involved|involve|consult|convince|persuade|vet|validate|blessing|hoop|hoops|join|joining|sign|input|nod|socialize|socializing|align|alignment|consensus|canvass",
    "float|pass|sense ~ with|past|by",
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
    "bring ~ in|along",
    "run ~ past|by",
    "check|clear ~ with",
    "chat|talk|speak ~ with|to",
    "discuss ~ with",
    "present|demo|show|pitch ~ to",
    "take|show ~ to",
    "share ~ with",
    "in front of",
    "sell it|this|that to",
    "business case",
    "want|wants|need|needs to see|look",
    "will|would want|need",
    "have|take a look",
    "weigh in",
    "go|goes through|to",
    "come|comes back",
    "gets|get|be approved|signed",
    "approval from",
    "happy with it|this",
    "look at|over it|this|that",
    "look|go|read it|this|that|them over|through",
    "in on",
];

/// Review by unnamed colleagues ("we'll review it internally").
const INTERNAL: &[&str] = &[
    "review|discuss|approve|socialize|circulate|share|run ~ internally",
    "internal review|approval|approvals|sign|process|stakeholders",
];

const NOT_MY_CALL: &[&str] = &[
    "not my call|decision|budget",
    "not up to me",
    "above my pay grade",
    "out of my hands",
    "not the decision maker",
    "not the one who decides|signs",
    "i do not have the final say",
    "i can not sign|approve",
    "not in my gift",
];

const SELF_DECIDER: &[&str] = &[
    "i am the one signing|deciding|who|making",
    "i am the decision maker",
    "my decision",
    "i sign off",
    "i can sign|approve",
    "i have the final say",
    "it is my call",
    "i make the call|decision",
    "i hold the budget",
];

const MULTI_PAST: &[&str] = &[
    "already",
    "have|has|had|got|received ~ green light|approval|blessing|nod",
    "has|have|had|'s been approved|signed|reviewed|cleared|vetted|checked|okayed",
    "spoke|talked|chatted|finished|discussed|met",
    "ran it|this|that past|by",
    "have|has|had _|already approved|signed|reviewed|cleared|blessed|seen|okayed|spoken|talked",
    "approved it|this|the",
];

const COMP_STRONG: &[&str] = &[
    "bake off",
    "bakeoff|shortlist|shortlisted|incumbent|incumbents|rfp|tender",
    "short list",
    "current|existing vendor|provider|supplier|tool|system|platform|solution|contract|setup",
    "other vendor|vendors|provider|providers|supplier|suppliers|solutions|platforms|tools|products",
    "another vendor|provider|supplier|solution|tool|platform|product",
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
    "also looking|talking|speaking|evaluating|considering|trialing|testing|piloting|chatting|demoing",
    "also in talks",
    "also got * in",
    "comparing you",
    "compare you",
    "narrowed ~ down",
    "the|our other option|alternative is|would",
    "plan b",
    "is what we _|currently use|have|run",
    "is what we are using",
    "between you and",
    "in the running|mix",
    "in contention",
    "on the|our shortlist|list",
    "two|three|four|five|several|multiple vendors|providers|suppliers",
    "homegrown|internal|bespoke tool|system|solution|platform|app|build",
    "home grown tool|system|solution|platform|app|build",
    "in house tool|system|solution|platform|app|build|version",
];

const COMP_OTHER: &[&str] = &[
    "vendors|providers|suppliers|tools|solutions|platforms|products|alternatives|options|others|competitors",
    "a few|couple|number|handful",
    "several|various|multiple|two|three|four|five",
    "one or two",
];

const COMP_EVAL: &[&str] = &[
    "evaluating|trialing|testing|piloting|considering|demoing|comparing|assessing|exploring|benchmarking",
    "looking at",
    "talking|speaking|chatting to|with",
    "weighing up",
    "in conversations|discussions with",
];

/// Noun forms ("midway through a trial of Aircall"); need a vendor name after.
const COMP_TRIAL_NOUN: &[&str] = &[
    "trial|pilot|poc|evaluation|eval|demo|demos of|with",
    "proof of concept of|with",
];

const COMP_PAST_EVAL: &[&str] = &[
    "trialed|tested|piloted|evaluated|demoed",
    "looked at",
    "saw|had|got a demo of|from",
];

const COMP_DEAD: &[&str] = &[
    "long dead",
    "binned|ditched|abandoned",
    "dropped it|them|him|her|that",
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

const COMP_USE: &[&str] = &[
    "already use|using|have|run",
    "currently use|using|run|on",
    "we use|run",
    "we are using|running",
    "we have been using",
];

const COMP_USE_FOR: &[&str] = &[
    "for this|that|it",
    "for some|most|part|all of this|that|it",
    "tool|tools|overlap|similar|covers|cover",
    "does this|that",
    "does the same",
    "same thing",
    "something like this|that",
];

const COMP_IN_HOUSE: &[&str] = &[
    "in house",
    "ourselves|themselves|homegrown|diy",
    "home grown",
    "our own",
];

const BUILD_VERB: &[&str] = &[
    "build|develop|make|code|write|roll|create|do|hack|knock|put|building|developing|prepare|draft|pull|built|developed|made|coded|written|created",
];

const COMP_STATUS_QUO: &[&str] = &[
    "stick|stay with|to",
    "carry on with|using",
    "keep using|doing",
    "status quo",
    "do|doing nothing",
];

const STATUS_QUO_OBJ: &[&str] = &[
    "spreadsheets|spreadsheet|excel|sheets|manual|email|paper",
    "what we have|do",
    "what we have got",
    "our|the current|existing|old|homegrown|internal|own",
    "how we do",
    "the way",
    "option",
];

const COMP_PRICE: &[&str] = &[
    "gave|give|giving|offered|offering|offer|quoted|sent|did us a|an ~ price|quote|discount|deal|offer|proposal|number|rate|demo|pitch|presentation|walkthrough|trial",
    "quoted us",
    "came in with|at|cheaper|lower|under",
    "came back with",
    "lower|better|cheaper|keener|sharper price|quote|offer|rate than|from",
    "came in ~ cheaper|lower|under|less",
    "cheaper|lower|less than you|yours|your",
    "quote|proposal|pricing|offer|price|demo|pitch|presentation from",
    "undercut|undercutting",
    "pitched|demoed us|to",
];

const COMP_CONTRACT: &[&str] = &[
    "contract|renewal|license|subscription|agreement with",
    "locked|tied in with|to",
    "locked|tied into",
];

const COMP_CONTRACT_END: &[&str] = &[
    "runs|run out",
    "ends|expires|expire|renews|lapses",
    "is up",
    "comes|coming up",
    "until|till|another|renewal",
];

const BUDGET_WORD: &[&str] =
    &["budget|budgets|funding|funds|money|cash|spend|spending|tooling|capex|opex|cost|costs"];

const BUDGET_POS: &[&str] = &[
    "approved|allocated|ringfenced|earmarked|secured|confirmed|sorted|agreed|available|released|unlocked",
    "signed off",
    "ring fenced",
    "set aside",
    "in place",
    "freed up",
];

const BUDGET_OK: &[&str] = &[
    "not a|an problem|issue|concern|blocker|worry|constraint",
    "not really|too|that|much _|of a|an problem|issue|concern|blocker|worry|constraint",
    "not the problem|issue|concern|blocker",
    "no problem|issue|object|concern",
    "fine",
];

const BUY_POS: &[&str] = &[
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
    "want|wants|keen|ready|looking|happy|eager|like to move|go|push|press forward|ahead",
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
    "we are sold",
    "sold on it|this",
    "preferred vendor|supplier|partner|option|provider",
    "green light",
    "must have",
    "got|received|secured|have|had _|the|final|full sign off",
    "got|received|secured|have|had _|the|final|full approval",
    "got|received|secured|have|had the go ahead",
    "number one|1|top|key|main|biggest|highest initiative|focus|project|objective|goal",
    "a|the priority project|initiative|purchase",
    "budget|funding|money|cash 's|is _|definitely|already|all there",
    "we have _|already ring fenced",
    "we have _|already ringfenced|earmarked|allocated|budgeted",
    "we have _|already set|put aside",
    "made this|it the|a|our top|_ priority",
    "this|it is|has _|become|now the|our|a top|_ priority for",
];

const KEEN: &[&str] = &["we|i are|am _|really|very|super|so|definitely keen"];

const FREEZE_LIFTED: &[&str] = &["freeze|frozen|hold ~ lifted|over|ended|unfrozen|removed"];

const BUDGET_BACK: &[&str] = &[
    "budget|funding|money ~ again|back|restored|unfrozen|released",
    "budget|funding|money ~ again",
];

const BUDGET_NEG_STATE: &[&str] = &[
    "tight|tighter|cut|cuts|slashed|frozen|freeze|squeezed|stretched|limited|reduced|gone|exhausted|uncertain|unclear|pulled|constrained|capped|spent|issue|problem|concern|challenge|blocker|struggle|halved|trimmed|shrunk|withdrawn|decimated",
    "cut|scaled back",
    "under pressure",
    "on hold",
    "up in the air",
    "used up",
    "maxed out",
    "under review",
];

const BUY_NEG: &[&str] = &[
    "no|zero|nil budget|money|funding|spend",
    "not budgeted",
    "nothing allocated|budgeted|earmarked",
    "nothing set aside",
    "not allocated",
    "not ~ got the|a|any budget|money|funding",
    "do not have ~ budget|money|funding",
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
    "belt tightening",
    "tighten|tightening our|the belt|belts",
    "austerity",
    "not in a position to",
    "need|have to find|scrape the|some money|budget|funding|cash",
    "kicked into the long grass",
    "pulled|lost the|our budget|funding",
];

const BUY_NEG_SUBJ: &[&str] = &[
    "parked|shelved|paused|delayed|postponed|mothballed",
    "pushed|kicked|bumped|moved to|into|back|out",
];

const NEG_SUBJECT: &[&str] = &[
    "it|this|that|project|everything|deal|initiative|rollout|evaluation|purchase|purchases|purchasing|spend|spending|tooling|projects|plans|tools|software|hiring|headcount|investment|investments",
];

const COUNTERFACTUAL: &[&str] = &[
    "if we|i had _|the|any|a|more|some budget|money|funding|cash",
    "if there was|were _|the|any|a|some budget|money|funding|cash",
    "if the budget|money|funding was|were there",
];

const DEAL_CONTEXT: &[&str] = &[
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
];

const DECISION_WORD: &[&str] = &[
    "decision|decide|verdict",
    "go no go",
    "yes or no",
    "final call",
    "make a|the call on|by",
];

const FOLLOWUP_VERB: &[&str] = &[
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
    "call|ring|phone you",
];

const HEDGE: &[&str] = &["try|trying to", "hopefully", "might|may", "should be able"];

/// Every lexicon, indexed by [`Lx`] discriminant.
const LEXICONS: &[(Lx, &[&str])] = &[
    (Lx::NegIdiom, NEG_IDIOM),
    (Lx::PastIntent, PAST_INTENT),
    (Lx::Cancel, CANCEL),
    (Lx::Habit, HABIT),
    (Lx::Vague, VAGUE),
    (Lx::PastTime, PAST_TIME),
    (Lx::PastVerb, PAST_VERB),
    (Lx::Future, FUTURE),
    (Lx::Ack, ACK),
    (Lx::HeadFirst, HEAD_FIRST),
    (Lx::HeadLet, HEAD_LET),
    (Lx::HeadCan, HEAD_CAN),
    (Lx::HeadOnMe, HEAD_ON_ME),
    (Lx::HeadYouWill, HEAD_YOU_WILL),
    (Lx::Delivery, DELIVERY),
    (Lx::NonDelivery, NON_DELIVERY),
    (Lx::DeliveryTail, DELIVERY_TAIL),
    (Lx::ProposalNoun, PROPOSAL_NOUN),
    (Lx::ProposalVerb, PROPOSAL_VERB),
    (Lx::CostWord, COST_WORD),
    (Lx::MeetNoun, MEET_NOUN),
    (Lx::MeetNounBad, MEET_NOUN_BAD),
    (Lx::MeetVerbStrong, MEET_VERB_STRONG),
    (Lx::MeetVerbWeak, MEET_VERB_WEAK),
    (Lx::SchedVerb, SCHED_VERB),
    (Lx::SchedSelf, SCHED_SELF),
    (Lx::MeetGeneric, MEET_GENERIC),
    (Lx::MeetSendObj, MEET_SEND_OBJ),
    (Lx::ProposeQ, PROPOSE_Q),
    (Lx::FreeQ, FREE_Q),
    (Lx::WantTo, WANT_TO),
    (Lx::CallYou, CALL_YOU),
    (Lx::ReqQ, REQ_Q),
    (Lx::ReqPlease, REQ_PLEASE),
    (Lx::ReqMeHave, REQ_ME_HAVE),
    (Lx::ReqWish, REQ_WISH),
    (Lx::ReqNeedYou, REQ_NEED_YOU),
    (Lx::ReqNeedIt, REQ_NEED_IT),
    (Lx::ReqVerb, REQ_VERB),
    (Lx::ReqVerbLoose, REQ_VERB_LOOSE),
    (Lx::ContentNoun, CONTENT_NOUN),
    (Lx::Stakeholder, STAKEHOLDER),
    (Lx::InvolveCue, INVOLVE_CUE),
    (Lx::NotMyCall, NOT_MY_CALL),
    (Lx::Internal, INTERNAL),
    (Lx::SelfDecider, SELF_DECIDER),
    (Lx::MultiPast, MULTI_PAST),
    (Lx::CompStrong, COMP_STRONG),
    (Lx::CompOther, COMP_OTHER),
    (Lx::CompEval, COMP_EVAL),
    (Lx::CompTrialNoun, COMP_TRIAL_NOUN),
    (Lx::CompPastEval, COMP_PAST_EVAL),
    (Lx::CompDead, COMP_DEAD),
    (Lx::CompUse, COMP_USE),
    (Lx::CompUseFor, COMP_USE_FOR),
    (Lx::CompInHouse, COMP_IN_HOUSE),
    (Lx::BuildVerb, BUILD_VERB),
    (Lx::CompStatusQuo, COMP_STATUS_QUO),
    (Lx::StatusQuoObj, STATUS_QUO_OBJ),
    (Lx::CompPrice, COMP_PRICE),
    (Lx::CompContract, COMP_CONTRACT),
    (Lx::CompContractEnd, COMP_CONTRACT_END),
    (Lx::BudgetWord, BUDGET_WORD),
    (Lx::BudgetPos, BUDGET_POS),
    (Lx::BudgetOk, BUDGET_OK),
    (Lx::BuyPos, BUY_POS),
    (Lx::Keen, KEEN),
    (Lx::FreezeLifted, FREEZE_LIFTED),
    (Lx::BudgetBack, BUDGET_BACK),
    (Lx::BudgetNegState, BUDGET_NEG_STATE),
    (Lx::BuyNeg, BUY_NEG),
    (Lx::BuyNegSubj, BUY_NEG_SUBJ),
    (Lx::NegSubject, NEG_SUBJECT),
    (Lx::Counterfactual, COUNTERFACTUAL),
    (Lx::DealContext, DEAL_CONTEXT),
    (Lx::DecisionWord, DECISION_WORD),
    (Lx::FollowupVerb, FOLLOWUP_VERB),
    (Lx::Hedge, HEDGE),
];

// Single-word classes used by the procedural parts (time expressions,
// clause analysis).

const FILLERS: &[&str] = &[
    "um", "umm", "uh", "uhh", "uhm", "er", "erm", "err", "hmm", "hm", "mm", "mhm", "ah", "eh",
];

/// Words skipped when looking for the first content word of a clause.
const DISCOURSE: &[&str] = &[
    "so",
    "okay",
    "right",
    "well",
    "and",
    "yeah",
    "yes",
    "yep",
    "great",
    "cool",
    "sorry",
    "also",
    "oh",
    "hey",
    "alright",
    "then",
    "now",
    "look",
    "listen",
    "honestly",
    "hi",
    "perfect",
    "sure",
    "fine",
    "brilliant",
    "lovely",
    "awesome",
    "super",
    "basically",
    "anyway",
    "excellent",
    "fantastic",
    "good",
    "nice",
    "wonderful",
    "thanks",
    "just",
    "ok",
    "gotcha",
    "absolutely",
    "totally",
    "definitely",
    "cheers",
];

const QUESTION_STARTERS: &[&str] = &[
    "would", "could", "can", "shall", "should", "will", "do", "does", "did", "is", "are", "was",
    "were", "have", "has", "may", "might", "what", "when", "where", "who", "how", "why", "which",
    "any",
];

const NEGATORS: &[&str] = &[
    "not", "never", "no", "nothing", "nobody", "none", "neither", "nor", "hardly",
];

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tues",
    "weds",
    "thurs",
    "fri",
];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "apr",
    "jun",
    "jul",
    "aug",
    "sept",
    "sep",
    "oct",
    "nov",
    "dec",
];

/// Month names that are also ordinary words and need a date-like neighbour.
const AMBIGUOUS_MONTHS: &[&str] = &["may", "march", "dec", "jan"];

const DATE_PREPS: &[&str] = &[
    "in",
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

const ORDINALS: &[&str] = &[
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
const AFTER_ORDINAL_DATE: &[&str] = &[
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
    "in",
    "morning",
    "afternoon",
    "evening",
];

const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "fifteen", "twenty", "thirty", "a", "couple", "an",
];

const PERIOD_HEDGES: &[&str] = &[
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

const PERIOD_UNITS: &[&str] = &[
    "days",
    "weeks",
    "months",
    "week",
    "month",
    "fortnight",
    "day",
];

const RELATIVE_UNITS: &[&str] = &[
    "week",
    "month",
    "quarter",
    "weekend",
    "morning",
    "afternoon",
    "evening",
    "fortnight",
];

const END_OF_TARGETS: &[&str] = &[
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
];

const QUARTERS: &[&str] = &["q1", "q2", "q3", "q4", "h1", "h2"];

const EVENTS: &[&str] = &[
    "christmas",
    "xmas",
    "easter",
    "thanksgiving",
    "diwali",
    "eid",
    "ramadan",
    "halloween",
];

const SEASONS: &[&str] = &["summer", "autumn", "winter", "spring"];

const SEASON_PREPS: &[&str] = &[
    "by", "before", "in", "over", "this", "next", "the", "after", "until", "till", "of",
];

/// Capitalised words that are not vendor names.
const NOT_NAMES: &[&str] = &[
    "i", "cfo", "ceo", "cto", "cio", "coo", "cro", "cmo", "ciso", "vp", "it", "hr", "q1", "q2",
    "q3", "q4", "ok", "okay", "zoom", "teams", "api", "crm", "erp", "sso", "soc", "gdpr", "roi",
    "sow", "dpa", "msa", "poc", "rfp", "uk", "us", "eu", "the", "we", "our", "they", "you",
];

/// Words after "until/once <stakeholder>" that make it a pending review.
const PENDING_REVIEW: &[&str] = &[
    "come",
    "comes",
    "came",
    "reviewed",
    "review",
    "reviews",
    "approved",
    "approve",
    "approves",
    "approval",
    "signed",
    "sign",
    "signs",
    "looked",
    "seen",
    "checked",
    "been",
    "gone",
    "given",
    "agreed",
    "agree",
    "agrees",
    "happy",
    "satisfied",
    "comfortable",
    "back",
    "through",
    "decided",
    "decide",
    "decides",
    "weighed",
    "vetted",
    "cleared",
    "okayed",
    "sign-off",
    "say",
];

/// Words that open a subordinate clause.
const SUBORDINATORS: &[&str] = &[
    "once", "after", "when", "until", "till", "before", "since", "because", "unless", "whether",
    "if",
];

/// Nouns that turn a stakeholder word into a modifier ("security questionnaire").
const DOCUMENT_HEADS: &[&str] = &[
    "questionnaire",
    "questionnaires",
    "question",
    "questions",
    "pack",
    "docs",
    "documentation",
    "document",
    "documents",
    "policy",
    "policies",
    "feature",
    "features",
    "standards",
    "certification",
    "certificate",
    "requirements",
    "checklist",
    "form",
    "deck",
    "report",
    "reports",
    "terms",
    "entity",
    "module",
    "dashboard",
    "dashboards",
    "reporting",
    "data",
    "system",
    "software",
    "tool",
    "tools",
];

/// Subjects that do not make "X will …" a rep-side commitment.
const NON_TEAM_SUBJECTS: &[&str] = &[
    "you",
    "it",
    "that",
    "this",
    "which",
    "there",
    "what",
    "who",
    "where",
    "when",
    "how",
    "why",
    "if",
    "i",
    "we",
    "nothing",
    "everything",
    "something",
    "anyone",
    "everyone",
    "somebody",
    "anything",
    "things",
    "nobody",
    "he",
    "she",
    "they",
];

const SPELLINGS: &[(&str, &str)] = &[
    ("organise", "organize"),
    ("organised", "organized"),
    ("organising", "organizing"),
    ("prioritise", "prioritize"),
    ("prioritised", "prioritized"),
    ("deprioritise", "deprioritize"),
    ("deprioritised", "deprioritized"),
    ("finalise", "finalize"),
    ("finalised", "finalized"),
    ("diarise", "diarize"),
    ("authorise", "authorize"),
    ("authorised", "authorized"),
    ("trialled", "trialed"),
    ("trialling", "trialing"),
    ("cancelled", "canceled"),
    ("cancelling", "canceling"),
    ("licence", "license"),
    ("licences", "licenses"),
    ("programme", "program"),
    ("analyse", "analyze"),
    ("centre", "center"),
    ("summarise", "summarize"),
    ("customise", "customize"),
    ("favour", "favor"),
    ("catalogue", "catalog"),
    ("socialise", "socialize"),
    ("socialising", "socializing"),
    ("socialised", "socialized"),
    ("ringfence", "ringfenced"),
    ("mins", "minutes"),
    ("min", "minutes"),
    ("hrs", "hours"),
    ("ok", "okay"),
    ("tmrw", "tomorrow"),
    ("thru", "through"),
    ("u", "you"),
    ("ur", "your"),
];

/// Pronouns whose "'s" is "is"/"has" rather than a possessive.
const S_PRONOUNS: &[&str] = &[
    "it",
    "that",
    "there",
    "what",
    "here",
    "he",
    "she",
    "who",
    "where",
    "how",
    "everything",
    "nothing",
    "something",
    "everyone",
    "anything",
    "this",
    "when",
    "why",
];

/// Words after which a pronoun's "'s" reads as "has".
const HAS_NEXT: &[&str] = &[
    "been", "got", "gone", "come", "had", "done", "taken", "made", "said", "slipped", "put",
    "already", "just", "never", "decided", "always",
];

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "vs", "etc", "approx", "st", "inc", "ltd",
];

// Word classes: each normalised word gets a bitmask of the single-word
// lists above that contain it, computed once per word.
const C_WEEKDAY: u32 = 1;
const C_MONTH: u32 = 1 << 1;
const C_AMBIGUOUS_MONTH: u32 = 1 << 2;
const C_DATE_PREP: u32 = 1 << 3;
const C_ORDINAL: u32 = 1 << 4;
const C_AFTER_ORDINAL: u32 = 1 << 5;
const C_NUMBER: u32 = 1 << 6;
const C_PERIOD_HEDGE: u32 = 1 << 7;
const C_PERIOD_UNIT: u32 = 1 << 8;
const C_RELATIVE_UNIT: u32 = 1 << 9;
const C_END_TARGET: u32 = 1 << 10;
const C_QUARTER: u32 = 1 << 11;
const C_EVENT: u32 = 1 << 12;
const C_SEASON: u32 = 1 << 13;
const C_SEASON_PREP: u32 = 1 << 14;
const C_FILLER: u32 = 1 << 15;
const C_DISCOURSE: u32 = 1 << 16;
const C_QUESTION: u32 = 1 << 17;
const C_NEGATOR: u32 = 1 << 18;
const C_NOT_NAME: u32 = 1 << 19;
const C_NON_TEAM: u32 = 1 << 20;
const C_SUBORDINATOR: u32 = 1 << 21;

const WORD_CLASSES: &[(&[&str], u32)] = &[
    (WEEKDAYS, C_WEEKDAY),
    (MONTHS, C_MONTH),
    (AMBIGUOUS_MONTHS, C_AMBIGUOUS_MONTH),
    (DATE_PREPS, C_DATE_PREP),
    (ORDINALS, C_ORDINAL),
    (AFTER_ORDINAL_DATE, C_AFTER_ORDINAL),
    (NUMBER_WORDS, C_NUMBER),
    (PERIOD_HEDGES, C_PERIOD_HEDGE),
    (PERIOD_UNITS, C_PERIOD_UNIT),
    (RELATIVE_UNITS, C_RELATIVE_UNIT),
    (END_OF_TARGETS, C_END_TARGET),
    (QUARTERS, C_QUARTER),
    (EVENTS, C_EVENT),
    (SEASONS, C_SEASON),
    (SEASON_PREPS, C_SEASON_PREP),
    (FILLERS, C_FILLER),
    (DISCOURSE, C_DISCOURSE),
    (QUESTION_STARTERS, C_QUESTION),
    (NEGATORS, C_NEGATOR),
    (NOT_NAMES, C_NOT_NAME),
    (NON_TEAM_SUBJECTS, C_NON_TEAM),
    (SUBORDINATORS, C_SUBORDINATOR),
];

// ---------------------------------------------------------------------------
// Pattern matcher and lookup tables
// ---------------------------------------------------------------------------

enum Slot {
    Lit(Vec<&'static str>, bool),
    Any,
    Gap(usize),
}

struct Pattern {
    lx: usize,
    slots: Vec<Slot>,
}

/// FNV-1a: a tiny, fast hasher for short word keys (SipHash is slow in
/// debug builds and hash flooding is not a concern for these fixed tables).
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// What the tables know about one normalised word.
#[derive(Default)]
struct Entry {
    /// `C_*` class bits.
    cls: u32,
    /// Patterns whose first slot accepts this word.
    pats: Vec<u32>,
    /// American spelling, if this is a British one.
    spell: Option<&'static str>,
}

/// Everything built once per process (or wasm instance) from the constants.
struct Tables {
    patterns: Vec<Pattern>,
    words: FastMap<&'static str, Entry>,
}

/// The lookup tables, built on first use.
fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(build_tables)
}

/// Compiles every lexicon pattern and word class into [`Tables`].
fn build_tables() -> Tables {
    let mut patterns = Vec::new();
    let mut words: FastMap<&'static str, Entry> = FastMap::default();
    for (lx, list) in LEXICONS {
        for pat in list.iter() {
            let slots: Vec<Slot> = pat.split_whitespace().map(parse_slot).collect();
            let id = u32::try_from(patterns.len()).unwrap_or(u32::MAX);
            if let Some(Slot::Lit(alts, false)) = slots.first() {
                for a in alts {
                    words.entry(*a).or_default().pats.push(id);
                }
            }
            patterns.push(Pattern {
                lx: *lx as usize,
                slots,
            });
        }
    }
    for (list, bit) in WORD_CLASSES {
        for w in list.iter() {
            words.entry(*w).or_default().cls |= bit;
        }
    }
    for (from, to) in SPELLINGS {
        words.entry(*from).or_default().spell = Some(*to);
    }
    Tables { patterns, words }
}

/// What the tables know about a normalised word, if anything.
fn entry(t: &str) -> Option<&'static Entry> {
    tables().words.get(t)
}

/// Class bits of a normalised word, including digit forms ("12th", "2025", "fy24").
fn word_class(t: &str, e: Option<&Entry>) -> u32 {
    let mut c = e.map_or(0, |e| e.cls);
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        match &t[digits..] {
            "" => c |= C_NUMBER,
            "st" | "nd" | "rd" | "th" if digits <= 2 => c |= C_ORDINAL,
            _ => {}
        }
    }
    if t.len() > 2 && t.starts_with("fy") && t[2..].bytes().all(|b| b.is_ascii_digit()) {
        c |= C_QUARTER;
    }
    c
}

/// Parses one pattern slot (see the lexicon syntax above).
fn parse_slot(tok: &'static str) -> Slot {
    match tok {
        "*" => Slot::Any,
        "~" => Slot::Gap(3),
        "~~" => Slot::Gap(6),
        _ => {
            let optional = tok.split('|').any(|a| a == "_");
            let alts = tok.split('|').filter(|a| *a != "_").collect();
            Slot::Lit(alts, optional)
        }
    }
}

/// Matches `slots` at word `i`; returns the exclusive end of the shortest match.
fn match_slots(w: &[Word], i: usize, slots: &[Slot]) -> Option<usize> {
    let Some((first, rest)) = slots.split_first() else {
        return Some(i);
    };
    match first {
        Slot::Any => (i < w.len()).then(|| match_slots(w, i + 1, rest)).flatten(),
        Slot::Gap(n) => (0..=*n)
            .filter(|k| i + k <= w.len())
            .find_map(|k| match_slots(w, i + k, rest)),
        Slot::Lit(alts, optional) => {
            let here = i < w.len() && alts.iter().any(|a| *a == w[i].t);
            if let Some(e) = here.then(|| match_slots(w, i + 1, rest)).flatten() {
                return Some(e);
            }
            if *optional {
                match_slots(w, i, rest)
            } else {
                None
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Text analysis: words, clauses, per-clause facts
// ---------------------------------------------------------------------------

/// How a clause ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Term {
    Stop,
    Question,
    Exclaim,
    Semi,
    Dash,
    Ellipsis,
    But,
    End,
}

#[derive(Debug, Clone)]
struct Word {
    /// Normalised text.
    t: String,
    start: usize,
    end: usize,
    /// Original starts with an upper-case letter.
    cap: bool,
    /// Original is an all-caps acronym of two or more letters.
    upper: bool,
    /// A comma (or colon) follows in the original.
    comma: bool,
    /// `C_*` class bits.
    cls: u32,
    /// Patterns that may start at this word.
    pats: &'static [u32],
}

/// Word-index span, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    s: usize,
    e: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeKind {
    Day,
    Week,
    Month,
    Quarter,
    Period,
    Event,
    Season,
}

#[derive(Debug, Clone, Copy)]
struct TimeExpr {
    s: usize,
    e: usize,
    kind: TimeKind,
    past: bool,
}

/// One clause and everything known about it.
struct Unit {
    w: Vec<Word>,
    /// Byte span in the original text.
    start: usize,
    end: usize,
    term: Term,
    /// All lexicon hits, grouped by lexicon and sorted by start.
    hits: Vec<Span>,
    /// `hits[hit_at[lx]..hit_at[lx + 1]]` are the hits of lexicon `lx`.
    hit_at: Vec<usize>,
    /// Indices of negating words (idioms such as "no problem" excluded).
    neg: Vec<usize>,
    /// For each word, the index of the first word of its comma-delimited part.
    part_start: Vec<usize>,
    /// Index of the first word that is not a discourse marker.
    first: usize,
    question: bool,
    retracted: bool,
    speculative: bool,
    times: Vec<TimeExpr>,
}

impl Unit {
    /// All hits of one lexicon, sorted by start.
    fn hits(&self, lx: Lx) -> &[Span] {
        let i = lx as usize;
        match (self.hit_at.get(i), self.hit_at.get(i + 1)) {
            (Some(&a), Some(&b)) => self.hits.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Whether the lexicon matched anywhere in the clause.
    fn has(&self, lx: Lx) -> bool {
        !self.hits(lx).is_empty()
    }

    /// Hits of `lx` starting in `[from, to)`.
    fn hits_in(&self, lx: Lx, from: usize, to: usize) -> &[Span] {
        let h = self.hits(lx);
        let a = h.partition_point(|s| s.s < from);
        let b = h.partition_point(|s| s.s < to);
        if a < b { &h[a..b] } else { &[] }
    }

    /// The longest hit of `lx` starting at word `i`.
    fn starts_at(&self, lx: Lx, i: usize) -> Option<Span> {
        self.hits_in(lx, i, i + 1)
            .iter()
            .max_by_key(|s| s.e)
            .copied()
    }

    /// A negator in `[from, to)`.
    fn negated(&self, from: usize, to: usize) -> bool {
        let a = self.neg.partition_point(|&i| i < from);
        a < self.neg.len() && self.neg[a] < to
    }

    /// First word of the comma-delimited part containing word `i`.
    fn part_start(&self, i: usize) -> usize {
        self.part_start.get(i).copied().unwrap_or(0)
    }

    /// Normalised word `i`, or "" past the end.
    fn word(&self, i: usize) -> &str {
        self.w.get(i).map_or("", |w| w.t.as_str())
    }

    /// Number of words.
    fn len(&self) -> usize {
        self.w.len()
    }

    /// Date expressions that are not in the past.
    fn concrete_times(&self) -> impl Iterator<Item = &TimeExpr> {
        self.times.iter().filter(|t| !t.past)
    }

    /// Whether the clause names a concrete, non-past time.
    fn has_future_time(&self) -> bool {
        self.concrete_times().next().is_some()
    }

    /// Vague timing ("at some point", "ASAP") with no concrete date.
    fn only_vague_time(&self) -> bool {
        self.has(Lx::Vague) && !self.has_future_time()
    }

    /// A past-tense clause: a past verb and nothing pointing forward.
    /// Passives ("gets switched off", "to be signed") do not count.
    fn is_past(&self) -> bool {
        let past_verb = self.hits(Lx::PastVerb).iter().any(|sp| {
            let prev = sp.s.checked_sub(1).map_or("", |k| self.word(k));
            !matches!(
                prev,
                "gets"
                    | "get"
                    | "getting"
                    | "got"
                    | "be"
                    | "been"
                    | "being"
                    | "is"
                    | "are"
                    | "am"
                    | "to"
                    | "will"
            )
        });
        past_verb && !self.has(Lx::Future)
    }
}

/// Splits an utterance into clauses and marks retracted ones.
fn analyse(text: &str) -> Vec<Unit> {
    let mut units: Vec<Unit> = split_units(text)
        .into_iter()
        .filter_map(|(raw, term)| build_unit(text, &raw, term))
        .collect();
    for i in 1..units.len() {
        if is_retractor(&units[i], &units[i - 1]) {
            units[i - 1].retracted = true;
        }
    }
    units
}

/// A raw word: byte span and whether a comma follows it.
type RawWord = (usize, usize, bool);

/// Splits text into clauses of raw words.
fn split_units(text: &str) -> Vec<(Vec<RawWord>, Term)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut cur: Vec<RawWord> = Vec::new();
    let mut start: Option<usize> = None;
    let mut i = 0;
    let flush = |cur: &mut Vec<RawWord>, out: &mut Vec<(Vec<RawWord>, Term)>, term: Term| {
        if !cur.is_empty() {
            out.push((std::mem::take(cur), term));
        }
    };
    while i < chars.len() {
        let (pos, c) = chars[i];
        let prev = i.checked_sub(1).map(|k| chars[k].1);
        let next = chars.get(i + 1).map(|x| x.1);
        if c.is_alphanumeric() {
            start.get_or_insert(pos);
            i += 1;
            continue;
        }
        let in_word = start.is_some();
        let joins = match c {
            '\'' | '\u{2019}' | '\u{02bc}' | '\u{2018}' => {
                in_word && next.is_some_and(char::is_alphabetic)
            }
            '.' | ':' | ',' => {
                in_word
                    && prev.is_some_and(|p| p.is_ascii_digit())
                    && next.is_some_and(|n| n.is_ascii_digit())
            }
            _ => false,
        };
        if joins {
            i += 1;
            continue;
        }
        if let Some(s) = start.take() {
            let word = &text[s..pos];
            if word.eq_ignore_ascii_case("but") {
                flush(&mut cur, &mut out, Term::But);
            } else {
                cur.push((s, pos, false));
            }
        }
        let mut step = 1;
        match c {
            ',' | ':' => {
                if let Some(last) = cur.last_mut() {
                    last.2 = true;
                }
            }
            '?' => flush(&mut cur, &mut out, Term::Question),
            '!' => flush(&mut cur, &mut out, Term::Exclaim),
            ';' => flush(&mut cur, &mut out, Term::Semi),
            '\u{2014}' | '\u{2013}' | '\u{2015}' => flush(&mut cur, &mut out, Term::Dash),
            '\u{2026}' => flush(&mut cur, &mut out, Term::Ellipsis),
            '\n' | '\r' => flush(&mut cur, &mut out, Term::Stop),
            '.' => {
                let run = chars[i..].iter().take_while(|x| x.1 == '.').count();
                step = run.max(1);
                if run >= 2 {
                    flush(&mut cur, &mut out, Term::Ellipsis);
                } else {
                    let abbrev = cur.last().is_some_and(|&(a, b, _)| {
                        let w = text[a..b].to_ascii_lowercase();
                        ABBREVIATIONS.contains(&w.as_str())
                    });
                    if !abbrev {
                        flush(&mut cur, &mut out, Term::Stop);
                    }
                }
            }
            '-' => {
                if next == Some('-') {
                    step = chars[i..].iter().take_while(|x| x.1 == '-').count();
                    flush(&mut cur, &mut out, Term::Dash);
                } else if !in_word
                    && prev.is_none_or(char::is_whitespace)
                    && next.is_none_or(char::is_whitespace)
                {
                    flush(&mut cur, &mut out, Term::Dash);
                }
            }
            _ => {}
        }
        i += step;
    }
    if let Some(s) = start {
        if text[s..].eq_ignore_ascii_case("but") {
            flush(&mut cur, &mut out, Term::But);
        } else {
            cur.push((s, text.len(), false));
        }
    }
    flush(&mut cur, &mut out, Term::End);
    out
}

/// Normalises one clause and computes its facts; `None` if nothing is left.
fn build_unit(text: &str, raw: &[RawWord], term: Term) -> Option<Unit> {
    let mut w = normalise_words(text, raw);
    remove_fillers(&mut w);
    collapse_repeats(&mut w);
    if w.is_empty() {
        return None;
    }
    let start = w.first().map_or(0, |x| x.start);
    let end = w.last().map_or(0, |x| x.end);
    let mut part_start = Vec::with_capacity(w.len());
    let mut ps = 0;
    for (i, word) in w.iter().enumerate() {
        part_start.push(ps);
        if word.comma {
            ps = i + 1;
        }
    }
    let (hits, hit_at) = compute_hits(&w);
    let mut u = Unit {
        w,
        start,
        end,
        term,
        hits,
        hit_at,
        neg: Vec::new(),
        part_start,
        first: 0,
        question: false,
        retracted: false,
        speculative: false,
        times: Vec::new(),
    };
    u.neg = find_negators(&u);
    u.first = first_content(&u.w);
    u.question = is_question(&u);
    u.speculative = is_speculative(&u);
    u.times = find_times(&u.w);
    Some(u)
}

/// Lower-cases, expands contractions and applies spelling and word classes.
fn normalise_words(text: &str, raw: &[RawWord]) -> Vec<Word> {
    let mut lowered: Vec<String> = raw
        .iter()
        .map(|&(a, b, _)| {
            let w = &text[a..b];
            if w.is_ascii() {
                w.to_ascii_lowercase()
            } else {
                w.to_lowercase()
                    .replace(['\u{2019}', '\u{02bc}', '\u{2018}'], "'")
            }
        })
        .collect();
    let mut out = Vec::with_capacity(raw.len() + 4);
    for (k, &(a, b, comma)) in raw.iter().enumerate() {
        let orig = &text[a..b];
        let cap = orig.chars().next().is_some_and(char::is_uppercase);
        let upper = cap && {
            let mut letters = orig.chars().filter(|c| c.is_alphabetic());
            letters.clone().count() >= 2 && letters.all(char::is_uppercase)
        };
        let pieces = if lowered[k].contains('\'') || COLLOQUIAL.contains(&lowered[k].as_str()) {
            let next = lowered.get(k + 1).map_or("", String::as_str);
            expand(&lowered[k], next)
        } else {
            vec![std::mem::take(&mut lowered[k])]
        };
        let n = pieces.len();
        for (j, mut t) in pieces.into_iter().enumerate() {
            let mut e = entry(&t);
            if let Some(american) = e.and_then(|e| e.spell) {
                t = american.to_string();
                e = entry(american);
            }
            out.push(Word {
                cls: word_class(&t, e),
                pats: e.map_or(&[], |e| e.pats.as_slice()),
                t,
                start: a,
                end: b,
                cap: cap && j == 0,
                upper: upper && j == 0,
                comma: comma && j + 1 == n,
            });
        }
    }
    out
}

/// Apostrophe-free words that [`expand`] rewrites.
const COLLOQUIAL: &[&str] = &[
    "cannot", "gonna", "wanna", "gotta", "lemme", "gimme", "kinda", "sorta", "dunno", "lets",
];

/// Expands contractions and colloquial forms into normalised words.
fn expand(w: &str, next: &str) -> Vec<String> {
    let fixed: &[&str] = match w {
        "won't" => &["will", "not"],
        "can't" | "cannot" => &["can", "not"],
        "shan't" => &["shall", "not"],
        "ain't" => &["is", "not"],
        "gonna" => &["going", "to"],
        "wanna" => &["want", "to"],
        "gotta" => &["got", "to"],
        "lemme" => &["let", "me"],
        "gimme" => &["give", "me"],
        "kinda" => &["kind", "of"],
        "sorta" => &["sort", "of"],
        "dunno" => &["do", "not", "know"],
        "let's" | "lets" => &["let's"],
        "y'all" => &["you"],
        _ => &[],
    };
    if !fixed.is_empty() {
        return fixed.iter().map(|s| (*s).to_string()).collect();
    }
    if !w.contains('\'') {
        return vec![w.to_string()];
    }
    let suffixes: [(&str, &str); 6] = [
        ("n't", "not"),
        ("'ll", "will"),
        ("'re", "are"),
        ("'ve", "have"),
        ("'m", "am"),
        ("'d", "would"),
    ];
    for (suf, full) in suffixes {
        if let Some(stem) = w.strip_suffix(suf).filter(|s| !s.is_empty()) {
            return vec![stem.to_string(), full.to_string()];
        }
    }
    if let Some(stem) = w.strip_suffix("'s").filter(|s| !s.is_empty()) {
        let second = if !S_PRONOUNS.contains(&stem) {
            "'s"
        } else if HAS_NEXT.contains(&next) {
            "has"
        } else {
            "is"
        };
        return vec![stem.to_string(), second.to_string()];
    }
    vec![w.to_string()]
}

/// Drops fillers ("um", a comma-fenced "like", "you know", "I mean").
fn remove_fillers(w: &mut Vec<Word>) {
    let mut keep = vec![true; w.len()];
    let mut last: Option<usize> = None;
    let mut i = 0;
    while i < w.len() {
        let t = w[i].t.as_str();
        let prev_comma = last.is_none_or(|p| w[p].comma);
        let prev = last.map_or("", |p| w[p].t.as_str());
        // A comma-fenced "like" ("is there, like, a spec?") but not "I'd like".
        let filler_like = t == "like"
            && (w[i].comma || i + 1 == w.len())
            && (prev_comma
                || !matches!(
                    prev,
                    "would" | "i" | "we" | "you" | "they" | "to" | "really" | "just" | "do" | "did"
                ));
        let you_know = t == "you"
            && w.get(i + 1).is_some_and(|n| n.t == "know")
            && (w[i + 1].comma || i + 2 == w.len() || (prev_comma && last.is_some()))
            && !matches!(prev, "do" | "did" | "would" | "if" | "let" | "will" | "to");
        let i_mean = t == "i" && w.get(i + 1).is_some_and(|n| n.t == "mean" && n.comma);
        let drop_n = if w[i].cls & C_FILLER != 0 || filler_like {
            1
        } else if you_know || i_mean {
            2
        } else {
            0
        };
        if drop_n == 0 {
            last = Some(i);
            i += 1;
        } else {
            let had_comma = w[i + drop_n - 1].comma;
            if let Some(p) = last {
                w[p].comma |= had_comma;
            }
            for k in keep.iter_mut().skip(i).take(drop_n) {
                *k = false;
            }
            i += drop_n;
        }
    }
    let mut k = 0;
    w.retain(|_| {
        k += 1;
        keep[k - 1]
    });
}

/// Collapses stuttered repeats: "i will i will send" → "i will send".
fn collapse_repeats(w: &mut Vec<Word>) {
    // Each word is appended, then a block of one to three words that now
    // appears twice at the end loses its first copy; the work per word is
    // bounded, so this stays linear on long input.
    let mut out: Vec<Word> = Vec::with_capacity(w.len());
    for word in w.drain(..) {
        out.push(word);
        for n in (1..=3).rev() {
            let len = out.len();
            if len >= 2 * n && (0..n).all(|k| out[len - 2 * n + k].t == out[len - n + k].t) {
                out.drain(len - 2 * n..len - n);
                break;
            }
        }
    }
    *w = out;
}

/// Every lexicon hit in a clause, grouped by lexicon (see [`Unit::hits`]).
fn compute_hits(w: &[Word]) -> (Vec<Span>, Vec<usize>) {
    let m = tables();
    let mut found: Vec<(usize, Span)> = Vec::new();
    for (i, word) in w.iter().enumerate() {
        for &id in word.pats {
            let Some(p) = m.patterns.get(id as usize) else {
                continue;
            };
            if let Some(e) = match_slots(w, i + 1, p.slots.get(1..).unwrap_or(&[])) {
                found.push((p.lx, Span { s: i, e }));
            }
        }
    }
    found.sort_by_key(|(lx, sp)| (*lx, sp.s, sp.e));
    let mut hit_at = vec![0; LEXICONS.len() + 1];
    for (lx, _) in &found {
        hit_at[lx + 1] += 1;
    }
    for k in 1..hit_at.len() {
        hit_at[k] += hit_at[k - 1];
    }
    (found.into_iter().map(|(_, sp)| sp).collect(), hit_at)
}

/// Positions of negating words, skipping idioms and an interjected "no,".
fn find_negators(u: &Unit) -> Vec<usize> {
    let idioms = u.hits(Lx::NegIdiom);
    let masked = |i: usize| idioms.iter().any(|s| s.s <= i && i < s.e);
    (0..u.len())
        .filter(|&i| {
            let t = u.word(i);
            if u.w[i].cls & C_NEGATOR == 0 || masked(i) {
                return false;
            }
            if t == "no" {
                // "Yeah, no, we're keen": an interjection, not a negator.
                let interjection = u.w[i].comma
                    || i + 1 == u.len()
                    || (i > 0 && matches!(u.word(i - 1), "yeah" | "yes" | "oh" | "ah"));
                return !interjection;
            }
            true
        })
        .collect()
}

/// Index of the first word after discourse markers ("so", "okay", "to be honest").
fn first_content(w: &[Word]) -> usize {
    let mut i = 0;
    while i < w.len() {
        let t = w[i].t.as_str();
        if w[i].cls & (C_DISCOURSE | C_FILLER) != 0 {
            i += 1;
        } else if matches!(t, "to" | "if" | "in")
            && matches!(
                w.get(i + 1).map(|x| x.t.as_str()),
                Some("be" | "so" | "that")
            )
        {
            // "to be honest", "if so", "in that case"
            i += if t == "to" || t == "in" { 3 } else { 2 };
        } else if t == "got" && w.get(i + 1).is_some_and(|x| x.t == "it") {
            i += 2;
        } else if t == "tell" && w.get(i + 1).is_some_and(|x| x.t == "you") {
            i += 3;
        } else {
            break;
        }
    }
    i.min(w.len())
}

/// Inverted or wh- questions, or a '?' clause that does not open with "I/we".
fn is_question(u: &Unit) -> bool {
    let first = u.word(u.first);
    let wh = matches!(
        first,
        "what" | "when" | "where" | "who" | "how" | "why" | "which"
    );
    // "What I'll do is…" is a statement; "What do you…" is a question.
    let wh_statement = wh
        && matches!(
            u.word(u.first + 1),
            "i" | "we" | "you" | "they" | "he" | "she" | "our" | "my"
        );
    if u.w.get(u.first).is_some_and(|w| w.cls & C_QUESTION != 0) && !wh_statement {
        return true;
    }
    u.term == Term::Question && !matches!(first, "i" | "we" | "let's" | "let" | "my" | "our")
}

/// A speculative or counterfactual "if" ("if you ever wanted…", "if we had
/// budget…"), or "in case". Softeners such as "if that helps" do not count.
fn is_speculative(u: &Unit) -> bool {
    for i in 0..u.len() {
        let t = u.word(i);
        if t == "in" && u.word(i + 1) == "case" {
            return true;
        }
        if t != "if" {
            continue;
        }
        let window: Vec<&str> = (i + 1..(i + 6).min(u.len())).map(|k| u.word(k)).collect();
        if matches!(window.first(), Some(&("that" | "it")))
            && window
                .iter()
                .take(3)
                .any(|x| matches!(*x, "helps" | "help" | "helpful" | "useful" | "works"))
        {
            continue;
        }
        let spec = window.iter().enumerate().any(|(k, x)| {
            matches!(
                *x,
                "ever"
                    | "want"
                    | "wanted"
                    | "wants"
                    | "need"
                    | "needed"
                    | "interested"
                    | "prefer"
                    | "decide"
                    | "decided"
                    | "choose"
                    | "helpful"
                    | "useful"
                    | "help"
            ) || (*x == "like" && k > 0)
                || (matches!(*x, "had" | "was" | "were") && (1..=2).contains(&k))
        });
        if spec {
            return true;
        }
    }
    false
}

/// "…, actually, no, don't worry" / "scratch that" retracts the clause before.
fn is_retractor(u: &Unit, prev: &Unit) -> bool {
    let skip = (0..u.len())
        .find(|&k| !matches!(u.word(k), "oh" | "ah" | "sorry" | "hmm" | "um" | "uh"))
        .unwrap_or(0);
    let w0 = u.word(skip);
    let w1 = u.word(skip + 1);
    let w2 = u.word(skip + 2);
    let opener = match w0 {
        "actually" => {
            matches!(
                w1,
                "no" | "not" | "let's" | "hold" | "scratch" | "forget" | "never" | "wait" | "skip"
            ) || (w1 == "do" && w2 == "not")
                || prev.has(Lx::PastIntent)
        }
        "scratch" | "forget" | "ignore" => matches!(w1, "that" | "it" | "this" | "me"),
        "never" => w1 == "mind",
        "no" => {
            u.w.get(skip).is_some_and(|w| w.comma)
                && matches!(
                    w1,
                    "wait" | "actually" | "sorry" | "never" | "forget" | "scratch" | "it" | "that"
                )
                || w1 == "wait"
        }
        "on" => w1 == "second",
        "wait" | "hang" => matches!(w1, "no" | "on" | "actually"),
        _ => false,
    };
    opener || (prev.has(Lx::PastIntent) && u.has(Lx::Cancel))
}

// ---------------------------------------------------------------------------
// Time expressions
// ---------------------------------------------------------------------------

/// Whether word `k` exists and has any of the class bits `c`.
fn is(w: &[Word], k: usize, c: u32) -> bool {
    w.get(k).is_some_and(|x| x.cls & c != 0)
}

/// A month name at `i`; "may"/"march" need a date-like neighbour.
fn is_month_at(w: &[Word], i: usize) -> bool {
    if !is(w, i, C_MONTH) {
        return false;
    }
    if !is(w, i, C_AMBIGUOUS_MONTH) {
        return true;
    }
    let prev_prep = i.checked_sub(1).is_some_and(|k| is(w, k, C_DATE_PREP));
    w[i].cap && (prev_prep || is(w, i + 1, C_ORDINAL | C_NUMBER))
}

/// Finds date and period expressions in a clause.
fn find_times(w: &[Word]) -> Vec<TimeExpr> {
    let mut out = Vec::new();
    let at = |k: usize| w.get(k).map_or("", |x| x.t.as_str());
    let mut i = 0;
    while i < w.len() {
        let t = at(i);
        let prev = i.checked_sub(1).map_or("", |k| at(k));
        let found: Option<(usize, TimeKind)> = if is(w, i, C_WEEKDAY) {
            let ext = matches!(at(i + 1), "morning" | "afternoon" | "evening" | "night");
            Some((1 + usize::from(ext), TimeKind::Day))
        } else if matches!(
            t,
            "tomorrow" | "tonight" | "today" | "eod" | "cob" | "eow" | "eom"
        ) {
            Some((1, TimeKind::Day))
        } else if matches!(t, "this" | "next" | "last") && is(w, i + 1, C_RELATIVE_UNIT) {
            Some((2, TimeKind::Week))
        } else if matches!(t, "this" | "next" | "last") && is(w, i + 1, C_WEEKDAY) {
            Some((2, TimeKind::Day))
        } else if matches!(t, "end" | "close" | "start" | "beginning" | "middle")
            && at(i + 1) == "of"
        {
            let mut k = i + 2;
            if at(k) == "the" {
                k += 1;
            }
            let target = at(k);
            if is(w, k, C_END_TARGET) || is_month_at(w, k) {
                let extra = usize::from(matches!(target, "next" | "this" | "financial" | "fiscal"))
                    + usize::from(matches!(target, "financial" | "fiscal"));
                Some((k + 1 + extra - i, TimeKind::Month))
            } else {
                None
            }
        } else if matches!(t, "mid" | "early" | "late") && i + 1 < w.len() && is_month_at(w, i + 1)
        {
            Some((2, TimeKind::Month))
        } else if is_month_at(w, i) {
            let ext = is(w, i + 1, C_ORDINAL | C_NUMBER);
            Some((1 + usize::from(ext), TimeKind::Month))
        } else if t == "the" && is(w, i + 1, C_ORDINAL) {
            ordinal_date(w, i + 1).map(|len| (len + 1, TimeKind::Day))
        } else if matches!(t, "twenty" | "thirty") && is(w, i + 1, C_ORDINAL) && prev == "the" {
            ordinal_date(w, i + 1).map(|len| (len + 1, TimeKind::Day))
        } else if is(w, i, C_ORDINAL) && prev != "the" && is_month_at(w, i + 1) {
            Some((2, TimeKind::Day))
        } else if is(w, i, C_QUARTER) {
            Some((1, TimeKind::Quarter))
        } else if matches!(t, "in" | "within") {
            period_after(w, i + 1).map(|len| (len + 1, TimeKind::Period))
        } else if t == "give" && matches!(at(i + 1), "me" | "us") {
            // "give me a couple of days"
            period_after(w, i + 2).map(|len| (len + 2, TimeKind::Period))
        } else if is(w, i, C_NUMBER)
            && matches!(at(i + 1), "weeks" | "months" | "days")
            && matches!(at(i + 2), "time" | "from")
        {
            Some((2, TimeKind::Period))
        } else if t == "week" && at(i + 1) == "after" && at(i + 2) == "next" {
            Some((3, TimeKind::Week))
        } else if t == "first" && at(i + 1) == "thing" {
            Some((2, TimeKind::Day))
        } else if is(w, i, C_EVENT) || (t == "holidays" && prev == "the") {
            Some((1, TimeKind::Event))
        } else if t == "new" && matches!(at(i + 1), "financial" | "fiscal") && at(i + 2) == "year" {
            Some((3, TimeKind::Event))
        } else if t == "year" && at(i + 1) == "end" {
            Some((2, TimeKind::Event))
        } else if is(w, i, C_SEASON) && i > 0 && is(w, i - 1, C_SEASON_PREP) {
            Some((1, TimeKind::Season))
        } else if (matches!(t, "lunchtime" | "lunch" | "midday" | "noon")
            && matches!(prev, "by" | "at" | "before" | "after" | "over"))
            || (t == "weekend" && matches!(prev, "the" | "this" | "next"))
        {
            Some((1, TimeKind::Day))
        } else {
            None
        };
        if let Some((len, kind)) = found {
            let len = len.max(1);
            let end = (i + len).min(w.len());
            let past = t == "last"
                || prev == "last"
                || at(end) == "ago"
                || (prev == "in" && i >= 2 && at(i - 2) == "back");
            out.push(TimeExpr {
                s: i,
                e: end,
                kind,
                past,
            });
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// Length of a date that starts with the ordinal at `i` ("ninth", "12th of
/// March"), or `None` if the ordinal is not used as a date ("the first vendor").
fn ordinal_date(w: &[Word], i: usize) -> Option<usize> {
    let at = |k: usize| w.get(k).map_or("", |x| x.t.as_str());
    let mut k = i;
    if matches!(at(k), "twenty" | "thirty") {
        k += 1;
    }
    let next = at(k + 1);
    if next == "of" {
        if is_month_at(w, k + 2) {
            return Some(k + 3 - i);
        }
        if at(k + 2) == "next" && at(k + 3) == "month" {
            return Some(k + 4 - i);
        }
        return None;
    }
    if next == "week" && at(k + 2) == "of" && is_month_at(w, k + 3) {
        return Some(k + 4 - i);
    }
    if is_month_at(w, k + 1) {
        return Some(k + 2 - i);
    }
    (next.is_empty() || is(w, k + 1, C_AFTER_ORDINAL)).then_some(k + 1 - i)
}

/// Length of "about six weeks" / "a couple of months" starting at `i`.
fn period_after(w: &[Word], i: usize) -> Option<usize> {
    let at = |k: usize| w.get(k).map_or("", |x| x.t.as_str());
    let mut k = i;
    let mut saw_number = false;
    while k < w.len() && k < i + 5 {
        let t = at(k);
        if is(w, k, C_PERIOD_UNIT) {
            let bare = matches!(t, "fortnight" | "week" | "month" | "day");
            let det = k > 0 && matches!(at(k - 1), "a" | "next");
            return (saw_number || bare && det).then_some(k + 1 - i);
        }
        if is(w, k, C_NUMBER) {
            saw_number = true;
        } else if !is(w, k, C_PERIOD_HEDGE) {
            return None;
        }
        k += 1;
    }
    None
}

// ---------------------------------------------------------------------------
// Shared commitment helpers
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeadKind {
    /// "I'll", "we're going to".
    First,
    /// "let's", "let me".
    Let,
    /// "I can", "we can".
    Can,
    /// "Priya will", "our team will".
    Team,
    /// "action on me".
    OnMe,
    /// "you'll have the quote".
    YouWill,
}

#[derive(Debug, Clone, Copy)]
struct Head {
    s: usize,
    e: usize,
    kind: HeadKind,
    conf: f32,
}

/// Affirmative commitment heads in a clause. `team` also accepts
/// third-person subjects ("my colleague will send…").
fn commitment_heads(u: &Unit, team: bool) -> Vec<Head> {
    let mut heads = Vec::new();
    let mut add = |lx: Lx, kind: HeadKind, conf: f32| {
        for sp in u.hits(lx) {
            heads.push(Head {
                s: sp.s,
                e: sp.e,
                kind,
                conf,
            });
        }
    };
    add(Lx::HeadFirst, HeadKind::First, 0.9);
    add(Lx::HeadLet, HeadKind::Let, 0.88);
    add(Lx::HeadCan, HeadKind::Can, 0.75);
    add(Lx::HeadOnMe, HeadKind::OnMe, 0.85);
    add(Lx::HeadYouWill, HeadKind::YouWill, 0.8);
    if team {
        for i in 1..u.len() {
            if u.word(i) != "will" {
                continue;
            }
            let yours = (i.saturating_sub(5)..i).any(|k| u.word(k) == "your");
            if u.w[i - 1].cls & (C_NON_TEAM | C_NEGATOR) == 0 && !yours {
                heads.push(Head {
                    s: i - 1,
                    e: i + 1,
                    kind: HeadKind::Team,
                    conf: 0.85,
                });
            }
        }
    }
    // "…whether we can do a better price": a head inside an indirect question
    // or condition is not a commitment.
    heads.retain(|h| {
        let in_clause = h.s > 0 && matches!(u.word(h.s - 1), "whether" | "if");
        // An imperative "expect a decision…" must open the clause.
        let imperative_ok = u.word(h.s) != "expect" || h.s == u.first;
        !in_clause && imperative_ok
    });
    heads.sort_by_key(|h| h.s);
    heads
}

/// Raises `best` to `conf` if that is higher.
fn bump(best: &mut Option<f32>, conf: f32) {
    if best.is_none_or(|b| conf > b) {
        *best = Some(conf);
    }
}

/// Clause-level reasons that rule out any commitment.
fn commitment_blocked(u: &Unit) -> bool {
    u.question || u.retracted || u.speculative || u.has(Lx::PastIntent)
}

/// Negation between the start of the head's comma part and `to`.
fn head_negated(u: &Unit, h: &Head, to: usize) -> bool {
    u.negated(u.part_start(h.s), to)
}

// ---------------------------------------------------------------------------
// commitment:send_proposal (rep)
// ---------------------------------------------------------------------------

/// Rep commits to send a proposal, quote, pricing, estimate or costed SOW.
fn detect_send_proposal(u: &Unit) -> Option<f32> {
    if commitment_blocked(u) || u.has(Lx::Cancel) {
        return None;
    }
    let n = u.len();
    let mut best: Option<f32> = None;
    for h in commitment_heads(u, true) {
        let mut conf = h.conf;
        if u.has(Lx::Hedge) {
            conf -= 0.1;
        }
        let direct = u
            .hits_in(Lx::ProposalVerb, h.e, (h.e + 6).min(n))
            .iter()
            .find(|sp| !head_negated(u, &h, sp.e));
        if direct.is_some() && h.kind != HeadKind::YouWill {
            bump(&mut best, conf);
            continue;
        }
        for nsp in u.hits_in(Lx::ProposalNoun, h.e, (h.e + 18).min(n)) {
            if !valid_proposal_noun(u, nsp) || head_negated(u, &h, nsp.e) {
                continue;
            }
            let delivered = match verb_before(u, h.s, nsp.s) {
                Some(ok) => ok,
                None => {
                    h.kind == HeadKind::YouWill
                        || !u
                            .hits_in(Lx::DeliveryTail, nsp.e, (nsp.e + 14).min(n))
                            .is_empty()
                }
            };
            let subordinate = (h.e..nsp.s).any(|k| u.w[k].cls & C_SUBORDINATOR != 0);
            if delivered && !subordinate {
                let far = if nsp.s - h.e > 10 { 0.05 } else { 0.0 };
                bump(&mut best, conf - far);
                break;
            }
        }
    }
    best
}

/// "I'll put some numbers together — a proper proposal, not a ballpark": a
/// delivery commitment whose object is named after a dash.
fn appositive_proposal(u: &Unit, next: Option<&Unit>) -> Option<f32> {
    let next = next?;
    if u.term != Term::Dash || commitment_blocked(u) || u.has(Lx::Cancel) || next.question {
        return None;
    }
    let head = commitment_heads(u, true)
        .into_iter()
        .find(|h| verb_before(u, h.s, u.len()) == Some(true) && !head_negated(u, h, u.len()))?;
    let noun = next
        .hits_in(Lx::ProposalNoun, 0, 4)
        .iter()
        .find(|sp| valid_proposal_noun(next, sp))?;
    let verbless = commitment_heads(next, true).is_empty() && noun.s <= 3;
    verbless.then_some(head.conf - 0.1)
}

/// The nearest delivery or non-delivery verb before `to`: `Some(true)` for
/// "send/get/put together…", `Some(false)` for "walk through/discuss…".
fn verb_before(u: &Unit, from: usize, to: usize) -> Option<bool> {
    (from..to).rev().find_map(|p| {
        // "send the contract once you've approved the quote": the noun sits
        // in a subordinate clause, not in the verb's object.
        if (u.w[p].cls & C_SUBORDINATOR != 0 && p > from)
            || u.starts_at(Lx::NonDelivery, p).is_some()
        {
            Some(false)
        } else if u.starts_at(Lx::Delivery, p).is_some() && !is_auxiliary(u, p) {
            Some(true)
        } else {
            None
        }
    })
}

/// "have" as an auxiliary ("once you've approved") rather than "have it sorted".
fn is_auxiliary(u: &Unit, p: usize) -> bool {
    let next = u.word(p + 1);
    matches!(u.word(p), "have" | "has" | "had")
        && (next.ends_with("ed")
            || matches!(
                next,
                "been"
                    | "got"
                    | "sent"
                    | "done"
                    | "seen"
                    | "made"
                    | "given"
                    | "put"
                    | "gone"
                    | "had"
                    | "taken"
                    | "heard"
                    | "spoken"
                    | "told"
                    | "already"
                    | "just"
            ))
}

/// Rules out "pricing page", the verb "to estimate" and SOWs without costs.
fn valid_proposal_noun(u: &Unit, sp: &Span) -> bool {
    let t = u.word(sp.s);
    let next = u.word(sp.e);
    let prev = sp.s.checked_sub(1).map_or("", |k| u.word(k));
    match t {
        "pricing" | "price" | "prices" => !matches!(
            next,
            "page"
                | "question"
                | "questions"
                | "query"
                | "queries"
                | "section"
                | "slide"
                | "slides"
                | "tab"
                | "call"
                | "meeting"
                | "discussion"
                | "conversation"
                | "point"
                | "increase"
        ),
        "estimate" | "estimates" | "cost" | "costs" | "quote" => {
            !matches!(prev, "to" | "will" | "would" | "it" | "that" | "which")
        }
        "sow" | "statement" => {
            // A statement of work only counts with costs in it.
            u.hits(Lx::CostWord)
                .iter()
                .any(|c| c.s >= sp.e || c.e <= sp.s)
        }
        _ => true,
    }
}

// ---------------------------------------------------------------------------
// commitment:schedule_meeting (either side)
// ---------------------------------------------------------------------------

/// Either side proposes, asks for or commits to a future meeting.
fn detect_meeting(u: &Unit, speaker: Speaker) -> Option<f32> {
    let blocked = u.retracted
        || u.speculative
        || u.has(Lx::PastIntent)
        || u.has(Lx::Habit)
        || u.has(Lx::Cancel)
        || u.only_vague_time();
    if blocked {
        return None;
    }
    let mut best = meeting_question(u);
    for h in meeting_heads(u, speaker) {
        if let Some(c) = meeting_after_head(u, &h) {
            bump(&mut best, c);
        }
    }
    best
}

/// Questions that propose a time: "does the ninth work for you?", "how about
/// Tuesday?", "are you free Thursday for a catch-up?".
fn meeting_question(u: &Unit) -> Option<f32> {
    if !u.question {
        return None;
    }
    let n = u.len();
    let mut best = None;
    for sp in u.hits(Lx::FreeQ) {
        let has_time = u.concrete_times().any(|t| t.s >= sp.s && t.s <= sp.e + 6);
        let noun = !u.hits_in(Lx::MeetNoun, sp.s, (sp.e + 8).min(n)).is_empty();
        if (has_time || noun) && !u.negated(sp.s, sp.e) {
            bump(&mut best, 0.85);
        }
    }
    for sp in u.hits(Lx::ProposeQ) {
        let what_about = matches!(u.word(sp.s), "how" | "what");
        let time_next = u.concrete_times().any(|t| t.s >= sp.e && t.s <= sp.e + 2);
        if what_about && time_next {
            bump(&mut best, 0.8);
        }
    }
    best
}

/// Words after "meet"/"catch up" that make it an idiom ("meet halfway",
/// "meet your needs").
const MEET_IDIOM_NEXT: &[&str] = &[
    "halfway",
    "your",
    "our",
    "their",
    "requirements",
    "needs",
    "deadline",
    "deadlines",
    "criteria",
    "target",
    "targets",
    "expectations",
    "demand",
    "standards",
];

/// A meeting proposed or promised after one head ("let's", "I'll", "can we").
fn meeting_after_head(u: &Unit, h: &MeetHead) -> Option<f32> {
    let n = u.len();
    let timed = u.has_future_time();
    let lim = clause_limit(u, h.e, (h.e + 14).min(n));
    if u.negated(u.part_start(h.s), lim.min(h.e + 6)) {
        return None;
    }
    let mut conf: Option<f32> = None;
    // "send over a few slots", "I'll send you an invite".
    for v in u.hits_in(Lx::Delivery, h.s, lim) {
        if !u.hits_in(Lx::MeetSendObj, v.e, (v.e + 6).min(n)).is_empty() {
            bump(&mut conf, 0.9);
        }
    }
    // "book a follow-up", "set up a call".
    for v in u.hits_in(Lx::SchedVerb, h.s, lim) {
        if has_meet_noun(u, v.s.saturating_sub(5), (v.e + 6).min(n)) {
            bump(&mut conf, 0.9);
        }
    }
    // "stick something in the diary", "find time".
    if !u.hits_in(Lx::SchedSelf, h.s, lim).is_empty() {
        bump(&mut conf, 0.85);
    }
    // "let's do another session", "could we get a quick call".
    for v in u.hits_in(Lx::MeetGeneric, h.s, lim) {
        // "ask our CTO to join the next call" brings someone along.
        let joins = u.word(v.s) == "join" && !matches!(h.kind, MHead::YouQ | MHead::WeQ);
        if !joins && has_meet_noun(u, v.e, (v.e + 5).min(n)) {
            bump(&mut conf, 0.85);
        }
    }
    // "we'd love a demo next week".
    let wants_noun = h.kind == MHead::Want
        && matches!(
            u.word(h.e.saturating_sub(1)),
            "a" | "an" | "another" | "some"
        );
    if wants_noun && has_meet_noun(u, h.e, (h.e + 3).min(n)) {
        bump(&mut conf, 0.8);
    }
    let first_person = h.kind == MHead::Commit;
    // "let's reconvene", "shall we touch base" (not "catch up on the backlog").
    for v in u.hits_in(Lx::MeetVerbStrong, h.e, lim) {
        let after = u.word(v.e);
        let idiom = MEET_IDIOM_NEXT.contains(&after)
            || (matches!(after, "on" | "with" | "about") && !timed);
        if !idiom && (!first_person || timed) {
            bump(&mut conf, 0.85);
        }
    }
    // "let's talk next week" (but not "let me chat with the team").
    let plural = h.kind == MHead::WeQ
        || (h.kind == MHead::Let && u.word(h.s) == "let's")
        || (h.kind == MHead::Want && u.word(h.s) == "we");
    for v in u.hits_in(Lx::MeetVerbWeak, h.e, lim) {
        let third_party = matches!(u.word(v.e), "with" | "to") && u.word(v.e + 1) != "you";
        if plural && timed && !third_party {
            bump(&mut conf, 0.8);
        }
    }
    // "I'll give you a call on Friday".
    if first_person && timed && !u.hits_in(Lx::CallYou, h.e, lim).is_empty() {
        bump(&mut conf, 0.75);
    }
    conf
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MHead {
    /// "I'll", "we can", "my assistant will".
    Commit,
    /// "let's", "let me".
    Let,
    /// "can we", "how about we", "why don't we".
    WeQ,
    /// "can you", "could you".
    YouQ,
    /// "I'd like to", "we should".
    Want,
    /// An imperative at the start of the clause ("book us in").
    Imperative,
}

#[derive(Debug, Clone, Copy)]
struct MeetHead {
    s: usize,
    e: usize,
    kind: MHead,
}

/// Everything in a clause that can introduce a meeting proposal.
fn meeting_heads(u: &Unit, speaker: Speaker) -> Vec<MeetHead> {
    let mut out = Vec::new();
    let mut add = |spans: &[Span], kind: MHead| {
        for sp in spans {
            out.push(MeetHead {
                s: sp.s,
                e: sp.e,
                kind,
            });
        }
    };
    add(u.hits(Lx::HeadFirst), MHead::Commit);
    add(u.hits(Lx::HeadCan), MHead::Commit);
    add(u.hits(Lx::HeadLet), MHead::Let);
    add(u.hits(Lx::ProposeQ), MHead::WeQ);
    add(u.hits(Lx::WantTo), MHead::Want);
    let you_q: Vec<Span> = u
        .hits(Lx::ReqQ)
        .iter()
        .filter(|sp| matches!(u.word(sp.s), "can" | "could" | "would" | "will"))
        .copied()
        .collect();
    add(&you_q, MHead::YouQ);
    if speaker == Speaker::Rep {
        let team: Vec<Span> = commitment_heads(u, true)
            .iter()
            .filter(|h| h.kind == HeadKind::Team)
            .map(|h| Span { s: h.s, e: h.e })
            .collect();
        add(&team, MHead::Commit);
    }
    let f = u.first;
    if f < u.len()
        && (u.starts_at(Lx::SchedVerb, f).is_some()
            || (u.starts_at(Lx::Delivery, f).is_some() && u.has(Lx::MeetSendObj)))
    {
        out.push(MeetHead {
            s: f,
            e: f,
            kind: MHead::Imperative,
        });
    }
    out
}

/// End of the window `[from, lim)` at a comma that starts a new clause
/// ("I'll have to jump at quarter past, I've got another meeting").
fn clause_limit(u: &Unit, from: usize, lim: usize) -> usize {
    (from..lim)
        .find(|&k| {
            u.w[k].comma
                && matches!(
                    u.word(k + 1),
                    "i" | "we" | "you" | "they" | "he" | "she" | "it" | "that" | "there"
                )
        })
        .map_or(lim, |k| k + 1)
}

/// A meeting noun in `[from, to)` that is not "demo environment", "call notes"…
fn has_meet_noun(u: &Unit, from: usize, to: usize) -> bool {
    u.hits_in(Lx::MeetNoun, from, to)
        .iter()
        .any(|sp| u.starts_at(Lx::MeetNounBad, sp.s).is_none())
}

// ---------------------------------------------------------------------------
// request:send_content (prospect)
// ---------------------------------------------------------------------------

/// Prospect asks the rep to send or share something.
fn detect_request(u: &Unit) -> Option<f32> {
    if u.retracted || u.has(Lx::PastIntent) {
        return None;
    }
    let n = u.len();
    let mut best: Option<f32> = None;
    let mut take = |c: Option<f32>| {
        if let Some(c) = c {
            bump(&mut best, c);
        }
    };
    for sp in u.hits(Lx::ReqQ) {
        // "…something you could send us?" only as a question.
        if u.word(sp.s) == "you" && !u.question {
            continue;
        }
        let conf = if u.word(sp.s) == "if" { 0.85 } else { 0.9 };
        take(request_verb_after(u, sp.s, sp.e, conf));
    }
    for sp in u.hits(Lx::ReqPlease) {
        take(request_verb_after(u, sp.s, sp.e, 0.9));
    }
    for sp in u.hits(Lx::ReqNeedYou) {
        take(request_verb_after(u, sp.s, sp.e, 0.85));
    }
    for sp in u.hits(Lx::ReqWish) {
        take(request_verb_after(u, sp.s, sp.e, 0.8));
        if content_after(u, sp.e, 6) && !u.negated(u.part_start(sp.s), sp.e + 6) {
            take(Some(0.75));
        }
    }
    for sp in u.hits(Lx::ReqMeHave) {
        if content_after(u, sp.e, 5) && !meeting_object(u, sp.e) && !u.negated(sp.s, sp.e + 5) {
            take(Some(0.85));
        }
    }
    for sp in u.hits(Lx::ReqNeedIt) {
        let content = !u
            .hits_in(Lx::ContentNoun, sp.s, (sp.e + 4).min(n))
            .is_empty();
        if content && !u.negated(u.part_start(sp.s), sp.e + 4) {
            take(Some(0.7));
        }
    }
    take(request_imperative(u));
    best
}

/// "Thanks for sending…", "I've already got…" in the same comma part as `i`.
fn acknowledged(u: &Unit, i: usize) -> bool {
    u.hits(Lx::Ack)
        .iter()
        .any(|a| u.part_start(a.s) == u.part_start(i))
}

/// Nouns that "drop/cut" lowers rather than sends ("drop the price").
const LOWERED: &[&str] = &[
    "price", "prices", "pricing", "cost", "costs", "fee", "fees", "rate",
];

/// A send verb for the rep within a few words after a request head
/// ("could you [please] send…", "would you mind sharing…").
fn request_verb_after(u: &Unit, head_s: usize, from: usize, conf: f32) -> Option<f32> {
    let n = u.len();
    let lim = (from + 5).min(n);
    if u.negated(u.part_start(head_s), lim) || acknowledged(u, head_s) {
        return None;
    }
    // "Would you prefer I send…": the sender is not the rep.
    let own = |v: &Span| {
        (from..v.s).any(|k| matches!(u.word(k), "i" | "we")) || not_content_object(u, v.e)
    };
    let mut got: Option<f32> = None;
    for v in u.hits_in(Lx::ReqVerb, from, lim) {
        if !meeting_object(u, v.e) && !own(v) {
            bump(&mut got, conf);
        }
    }
    for v in u.hits_in(Lx::ReqVerbLoose, from, lim) {
        let lowering = matches!(u.word(v.s), "drop" | "cut" | "knock")
            && (v.e..(v.e + 3).min(n)).any(|k| LOWERED.contains(&u.word(k)));
        if content_after(u, v.e, 6) && !meeting_object(u, v.e) && !own(v) && !lowering {
            bump(&mut got, conf - 0.05);
        }
    }
    got
}

/// Words that may follow an imperative send verb ("send me…", "fire it over").
const IMPERATIVE_OBJECTS: &[&str] = &[
    "me",
    "us",
    "it",
    "that",
    "them",
    "this",
    "those",
    "these",
    "over",
    "across",
    "through",
    "the",
    "a",
    "an",
    "your",
    "any",
    "some",
    "whatever",
    "everything",
    "anything",
    "along",
    "on",
];

/// An imperative opening the clause: "Send me whatever you've got",
/// "if so, fire it over" (but not "Shoot, I forgot").
fn request_imperative(u: &Unit) -> Option<f32> {
    let f = u.first;
    if u.question || f >= u.len() {
        return None;
    }
    let v = u.starts_at(Lx::ReqVerb, f)?;
    let objecty = IMPERATIVE_OBJECTS.contains(&u.word(f + 1)) || v.e > f + 1;
    let clean = !u.w[f].comma
        && !acknowledged(u, f)
        && !meeting_object(u, f + 1)
        && !not_content_object(u, v.e)
        && !u.negated(0, f + 1);
    (objecty && clean).then_some(0.85)
}

/// Objects of "share/send" that are not documents ("share your screen").
const NON_CONTENT_OBJECTS: &[&str] = &[
    "screen",
    "screens",
    "thoughts",
    "views",
    "view",
    "opinion",
    "opinions",
    "thinking",
    "perspective",
    "experience",
    "experiences",
    "regards",
    "love",
    "best",
    "apologies",
];

/// "share your screen", "send your thoughts": not a document.
fn not_content_object(u: &Unit, from: usize) -> bool {
    (from..(from + 3).min(u.len())).any(|k| NON_CONTENT_OBJECTS.contains(&u.word(k)))
}

/// A content noun within `max` words after `from`.
fn content_after(u: &Unit, from: usize, max: usize) -> bool {
    !u.hits_in(Lx::ContentNoun, from, (from + max).min(u.len()))
        .is_empty()
}

/// The object right after a verb is an invite or time slots (a meeting
/// request, not content).
fn meeting_object(u: &Unit, from: usize) -> bool {
    !u.hits_in(Lx::MeetSendObj, from, (from + 4).min(u.len()))
        .is_empty()
}

// ---------------------------------------------------------------------------
// commitment:prospect_followup (prospect)
// ---------------------------------------------------------------------------

/// Prospect commits to get back, or to send something, by a stated time.
fn detect_followup(u: &Unit) -> Option<f32> {
    if commitment_blocked(u) || !u.has_future_time() {
        return None;
    }
    let n = u.len();
    let mut best: Option<f32> = None;
    for h in commitment_heads(u, false) {
        if h.kind == HeadKind::OnMe {
            continue;
        }
        // "You'll have our answer by…" is itself the delivery.
        let verb_end = if h.kind == HeadKind::YouWill {
            h.e
        } else {
            match u.hits_in(Lx::FollowupVerb, h.e, (h.e + 12).min(n)).first() {
                Some(v) => v.s + 1,
                None => continue,
            }
        };
        if head_negated(u, &h, verb_end) {
            continue;
        }
        let mut conf = h.conf;
        if h.kind == HeadKind::Let {
            conf = 0.85;
        }
        if u.has(Lx::Hedge) {
            conf -= 0.1;
        }
        bump(&mut best, conf);
    }
    best
}

// ---------------------------------------------------------------------------
// signal:multi_stakeholder (prospect)
// ---------------------------------------------------------------------------

/// Prospect says someone else still has to review, approve or be involved.
/// `next` is the following clause ("…for our CFO. She'll want to see it").
fn detect_multi(u: &Unit, next: Option<&Unit>, meeting: bool) -> Option<f32> {
    if u.has(Lx::NotMyCall) {
        return Some(0.85);
    }
    if u.has(Lx::SelfDecider) {
        return None;
    }
    let n = u.len();
    let mut best: Option<f32> = None;
    // "until legal's come back", "once procurement have been through it".
    for s in stakeholders(u) {
        let pending = (s.s.saturating_sub(3)..s.s)
            .any(|k| matches!(u.word(k), "until" | "till" | "once" | "pending" | "unless"))
            && (s.e..(s.e + 4).min(n)).any(|k| PENDING_REVIEW.contains(&u.word(k)));
        if pending && !owned_by_rep(u, s.s) {
            return Some(0.8);
        }
    }
    // "once I've spoken to the team" is still to come.
    let really_past = u.hits(Lx::MultiPast).iter().any(|sp| {
        !(sp.s.saturating_sub(3)..sp.s).any(|k| {
            matches!(
                u.word(k),
                "once" | "until" | "till" | "after" | "when" | "before"
            )
        })
    });
    if really_past || u.has(Lx::PastTime) {
        return None;
    }
    for sp in u.hits(Lx::Internal) {
        if !u.negated(u.part_start(sp.s), sp.e) {
            bump(&mut best, 0.75);
        }
    }
    for s in stakeholders(u) {
        if owned_by_rep(u, s.s) || u.negated(s.s.saturating_sub(4), s.s) {
            continue;
        }
        // The meeting itself involves them: "a call with our head of IT".
        if meeting && (s.s.saturating_sub(5)..s.s).any(|k| matches!(u.word(k), "with" | "for")) {
            bump(&mut best, 0.85);
            continue;
        }
        // Something prepared for them: "a business case for the exec team".
        let for_them = (s.s.saturating_sub(3)..s.s).any(|k| u.word(k) == "for")
            && !u
                .hits_in(Lx::BuildVerb, s.s.saturating_sub(10), s.s)
                .is_empty();
        if for_them {
            bump(&mut best, 0.8);
            continue;
        }
        let lo = s.s.saturating_sub(8);
        let hi = (s.e + 14).min(n);
        let cue = u
            .hits_in(Lx::InvolveCue, lo, hi)
            .iter()
            .find(|c| !u.negated(c.s.saturating_sub(4), c.s));
        if cue.is_some() {
            bump(&mut best, 0.85);
        }
    }
    // "She'll want to see it" right after the stakeholder was named.
    if let Some(nx) = next.filter(|_| best.is_none()) {
        let named = stakeholders(u).iter().any(|s| !owned_by_rep(u, s.s));
        let pronoun = matches!(nx.word(nx.first), "she" | "he" | "they");
        if named && pronoun && nx.starts_at(Lx::InvolveCue, nx.first + 1).is_some() {
            best = Some(0.8);
        }
    }
    best
}

/// Stakeholder mentions, including an upper-case "IT".
fn stakeholders(u: &Unit) -> Vec<Span> {
    let mut out: Vec<Span> = u.hits(Lx::Stakeholder).to_vec();
    for (i, w) in u.w.iter().enumerate() {
        if w.t == "it" && w.upper {
            out.push(Span { s: i, e: i + 1 });
        }
    }
    out.retain(|s| {
        // "security questionnaire", "legal documents": a document, not a person.
        if DOCUMENT_HEADS.contains(&u.word(s.e)) {
            return false;
        }
        // "IT" is matched above; a lower-case "it" is a pronoun, and a bare
        // "team" needs a determiner ("the team", "our team").
        let t = u.word(s.s);
        t != "team"
            || s.s > 0
                && matches!(
                    u.word(s.s - 1),
                    "the" | "our" | "my" | "exec" | "leadership" | "wider" | "whole" | "management"
                )
    });
    out.sort_by_key(|s| s.s);
    out
}

/// "your CFO": the rep's people, not the prospect's.
fn owned_by_rep(u: &Unit, i: usize) -> bool {
    (i.saturating_sub(2)..i).any(|k| u.word(k) == "your")
}

// ---------------------------------------------------------------------------
// signal:competitive (prospect)
// ---------------------------------------------------------------------------

/// Prospect is evaluating, trialling or using an alternative.
fn detect_competitive(u: &Unit) -> Option<f32> {
    if u.has(Lx::CompDead) {
        return None;
    }
    [
        competitive_evaluation(u),
        competitive_incumbent(u),
        competitive_build_or_stay(u),
        competitive_offer(u),
    ]
    .into_iter()
    .flatten()
    .reduce(f32::max)
}

/// No negator shortly before a competitive cue ("we're not looking at…").
fn comp_cue_ok(u: &Unit, sp: &Span) -> bool {
    !u.negated(sp.s.saturating_sub(5), sp.s)
}

/// Evaluations in progress: bake-offs, shortlists, "also looking at Gong",
/// "a trial of Aircall", "we trialled Einstein last month and are still…".
fn competitive_evaluation(u: &Unit) -> Option<f32> {
    let n = u.len();
    let mut best = None;
    for sp in u.hits(Lx::CompStrong) {
        // "also talking to legal" is a stakeholder, not a vendor.
        let talking = matches!(
            u.word(sp.e.saturating_sub(1)),
            "talking" | "speaking" | "chatting"
        );
        let to_stakeholder = talking
            && stakeholders(u)
                .iter()
                .any(|s| s.s >= sp.e && s.s <= sp.e + 3);
        if comp_cue_ok(u, sp) && !to_stakeholder && !u.is_past() {
            bump(&mut best, 0.85);
        }
    }
    for sp in u.hits(Lx::CompEval) {
        let progressive = (sp.s.saturating_sub(3)..sp.s).any(|k| {
            matches!(
                u.word(k),
                "are" | "am" | "is" | "currently" | "still" | "been" | "also"
            )
        });
        let target = vendor_name_in(u, sp.e, (sp.e + 4).min(n))
            || !u.hits_in(Lx::CompOther, sp.e, (sp.e + 4).min(n)).is_empty();
        if progressive && target && comp_cue_ok(u, sp) {
            bump(&mut best, 0.85);
        }
    }
    for sp in u.hits(Lx::CompTrialNoun) {
        if vendor_name_in(u, sp.e, (sp.e + 3).min(n)) && comp_cue_ok(u, sp) && !u.is_past() {
            bump(&mut best, 0.8);
        }
    }
    // A finished evaluation only counts while it is recent or still open.
    let still_open =
        (0..n).any(|k| matches!(u.word(k), "still" | "recently" | "currently" | "weighing"));
    let recent = u
        .times
        .iter()
        .any(|t| t.past && matches!(t.kind, TimeKind::Week | TimeKind::Day | TimeKind::Month));
    for sp in u.hits(Lx::CompPastEval) {
        let named = vendor_name_in(u, sp.e, (sp.e + 3).min(n));
        if named && (still_open || recent) && comp_cue_ok(u, sp) {
            bump(&mut best, 0.8);
        }
    }
    best
}

/// Incumbents and tools in use: "our contract with RingCentral runs out…",
/// "we've got Freshdesk in", "we already use HubSpot's tool for this".
fn competitive_incumbent(u: &Unit) -> Option<f32> {
    let n = u.len();
    let mut best = None;
    for k in 0..n {
        if !vendor_name_in(u, k, k + 1) {
            continue;
        }
        let contract = (k.saturating_sub(3)..(k + 8).min(n)).any(|j| {
            matches!(
                u.word(j),
                "contract" | "renewal" | "renew" | "license" | "licenses" | "subscription"
            )
        });
        let installed = k >= 2
            && matches!(u.word(k - 1), "got" | "have")
            && matches!(u.word(k + 1), "in" | "at" | "currently" | "right" | "for");
        if (contract || installed) && !u.is_past() && !u.negated(k.saturating_sub(5), k) {
            bump(&mut best, 0.8);
        }
    }
    for sp in u.hits(Lx::CompUse) {
        let same_need = !u
            .hits_in(Lx::CompUseFor, sp.e, (sp.e + 10).min(n))
            .is_empty();
        if same_need && comp_cue_ok(u, sp) {
            bump(&mut best, 0.8);
        }
    }
    for sp in u.hits(Lx::CompContract) {
        let ends = !u
            .hits_in(Lx::CompContractEnd, sp.e, (sp.e + 10).min(n))
            .is_empty();
        let named = vendor_name_in(u, sp.e, (sp.e + 3).min(n));
        if (ends || named) && comp_cue_ok(u, sp) && !u.is_past() {
            bump(&mut best, 0.85);
        }
    }
    best
}

/// Building it in-house, or keeping the status quo as a real option.
fn competitive_build_or_stay(u: &Unit) -> Option<f32> {
    let n = u.len();
    let mut best = None;
    for sp in u.hits(Lx::CompInHouse) {
        let built = !u
            .hits_in(Lx::BuildVerb, sp.s.saturating_sub(6), sp.s)
            .is_empty();
        if built && comp_cue_ok(u, sp) {
            bump(&mut best, 0.8);
        }
    }
    // "build something on top of our warehouse instead".
    for i in 0..n {
        let build = matches!(
            u.word(i),
            "build" | "develop" | "code" | "building" | "developing"
        );
        let instead = (i + 1..(i + 12).min(n)).any(|k| {
            matches!(u.word(k), "instead" | "ourselves" | "internally")
                || (u.word(k) == "on" && u.word(k + 1) == "top")
        });
        if build && instead && !u.negated(i.saturating_sub(4), i) {
            bump(&mut best, 0.75);
        }
    }
    for sp in u.hits(Lx::CompStatusQuo) {
        let real_option = !u
            .hits_in(Lx::StatusQuoObj, sp.e, (sp.e + 4).min(n))
            .is_empty()
            || (0..n).any(|k| u.word(k) == "option");
        if real_option && comp_cue_ok(u, sp) {
            bump(&mut best, 0.8);
        }
    }
    best
}

/// Another vendor pitched, demoed or priced: "Chorus gave us a pretty
/// aggressive price", "Zoho came in cheaper than you".
fn competitive_offer(u: &Unit) -> Option<f32> {
    let n = u.len();
    let mut best = None;
    for sp in u.hits(Lx::CompPrice) {
        // "you gave us a great price" is the rep's own offer.
        let ours = (0..sp.s).any(|k| matches!(u.word(k), "you" | "your"));
        // "a quote from …" needs the vendor named right after.
        let needs_name = matches!(
            u.word(sp.s),
            "quote"
                | "proposal"
                | "pricing"
                | "offer"
                | "price"
                | "demo"
                | "pitch"
                | "presentation"
        );
        let from_vendor = !needs_name || vendor_name_in(u, sp.e, (sp.e + 3).min(n));
        if !ours && from_vendor && comp_cue_ok(u, sp) {
            bump(&mut best, 0.8);
        }
    }
    best
}

/// A capitalised word in `[from, to)` that looks like a vendor name.
fn vendor_name_in(u: &Unit, from: usize, to: usize) -> bool {
    (from..to.min(u.len())).any(|k| {
        let w = &u.w[k];
        w.cap
            && k > 0
            && w.cls & (C_NOT_NAME | C_WEEKDAY | C_MONTH) == 0
            && u.starts_at(Lx::Stakeholder, k).is_none()
    })
}

// ---------------------------------------------------------------------------
// signal:buying_positive / signal:buying_negative (prospect)
// ---------------------------------------------------------------------------

/// Budget approved or available, top priority, or explicit intent to proceed.
fn detect_buying_positive(u: &Unit) -> Option<f32> {
    // "ready to move ahead if the pilot goes well" is conditional.
    let conditional = (0..u.len()).any(|k| {
        matches!(
            u.word(k),
            "if" | "unless" | "provided" | "providing" | "assuming"
        )
    });
    if u.speculative || conditional || u.has(Lx::Counterfactual) || u.question {
        return None;
    }
    let n = u.len();
    let restored = u.has(Lx::FreezeLifted) || u.has(Lx::BudgetBack);
    let clean = |sp: &Span| !u.negated(sp.s.saturating_sub(3), sp.s) && !u.negated(sp.s, sp.e);
    let mut best: Option<f32> = None;
    if restored {
        best = Some(0.8);
    }
    for sp in u.hits(Lx::BuyPos) {
        // "sign-off authority" is a role, not an approval; "zero budget" is none.
        let role = matches!(
            u.word(sp.e),
            "authority" | "rights" | "power" | "powers" | "limit" | "limits" | "process"
        );
        let none = (sp.s..sp.e).any(|k| matches!(u.word(k), "zero" | "little" | "nil"));
        if clean(sp) && !role && !none {
            bump(&mut best, 0.85);
        }
    }
    // A closing "let's do it".
    if n >= 3
        && u.word(n - 3) == "let's"
        && u.word(n - 2) == "do"
        && matches!(u.word(n - 1), "it" | "this")
    {
        bump(&mut best, 0.75);
    }
    for sp in u.hits(Lx::Keen) {
        let after = u.word(sp.e);
        let ends = after.is_empty()
            || matches!(after, "on" | "to" | "for")
                && matches!(
                    u.word(sp.e + 1),
                    "this"
                        | "it"
                        | "move"
                        | "go"
                        | "get"
                        | "proceed"
                        | "start"
                        | "sign"
                        | "press"
                        | "push"
                        | "crack"
                );
        if ends && clean(sp) {
            bump(&mut best, 0.8);
        }
    }
    for b in u.hits(Lx::BudgetWord) {
        let lo = b.s.saturating_sub(4);
        let hi = (b.e + 5).min(n);
        // "until the budget's confirmed" is not confirmed yet.
        let pending = (b.s.saturating_sub(3)..b.s).any(|k| {
            matches!(
                u.word(k),
                "until" | "till" | "once" | "when" | "if" | "unless" | "before"
            )
        });
        for p in u.hits_in(Lx::BudgetPos, lo, hi) {
            let (a, z) = (b.s.min(p.s), b.e.max(p.e));
            if !u.negated(a.saturating_sub(2), z) && !pending {
                bump(&mut best, 0.85);
            }
        }
        for p in u.hits_in(Lx::BudgetOk, b.e, hi) {
            if !u.negated(lo, b.s) && p.s <= b.e + 3 {
                bump(&mut best, 0.85);
            }
        }
    }
    best
}

/// "If funds weren't an issue…", "if budget allowed…": the budget is missing.
fn budget_counterfactual(u: &Unit) -> bool {
    (0..u.len()).filter(|&i| u.word(i) == "if").any(|i| {
        let end = (i + 9).min(u.len());
        let clause_end = (i + 1..end).find(|&k| u.w[k].comma).map_or(end, |k| k + 1);
        let money = !u.hits_in(Lx::BudgetWord, i + 1, clause_end).is_empty()
            || (i + 1..clause_end).any(|k| u.word(k) == "afford");
        let unreal = (i + 1..clause_end).any(|k| {
            matches!(
                u.word(k),
                "had" | "were" | "was" | "allowed" | "could" | "would"
            )
        });
        money && unreal
    })
}

/// Budget tight, cut, frozen or missing; deprioritised or on hold.
fn detect_buying_negative(u: &Unit) -> Option<f32> {
    if u.question || u.has(Lx::FreezeLifted) {
        return None;
    }
    let n = u.len();
    if u.has(Lx::Counterfactual) || budget_counterfactual(u) {
        return Some(0.85);
    }
    if u.has(Lx::PastTime) && !(0..n).any(|k| matches!(u.word(k), "still" | "now" | "currently")) {
        return None;
    }
    let mut best: Option<f32> = None;
    for sp in u.hits(Lx::BuyNeg) {
        let self_neg = u.w[sp.s].cls & C_NEGATOR != 0;
        if self_neg || !u.negated(sp.s.saturating_sub(3), sp.s) {
            bump(&mut best, 0.85);
        }
    }
    for sp in u.hits(Lx::BuyNegSubj) {
        if !u
            .hits_in(Lx::NegSubject, sp.s.saturating_sub(4), sp.s)
            .is_empty()
            && !u.negated(sp.s.saturating_sub(3), sp.s)
        {
            bump(&mut best, 0.8);
        }
    }
    for b in u.hits(Lx::BudgetWord) {
        let lo = b.s.saturating_sub(5);
        let hi = (b.e + 6).min(n);
        for p in u.hits_in(Lx::BudgetNegState, lo, hi) {
            let (a, z) = (b.s.min(p.s), b.e.max(p.e));
            // "budget's not a problem": the idiom is positive.
            let raw_neg =
                (p.s.saturating_sub(3)..p.s).any(|k| matches!(u.word(k), "not" | "no" | "never"));
            if !u.negated(a, z) && !raw_neg {
                bump(&mut best, 0.85);
            }
        }
    }
    // "everything's frozen", "tooling's frozen".
    for i in 0..n {
        if u.word(i) == "frozen" && !u.hits_in(Lx::NegSubject, i.saturating_sub(3), i).is_empty() {
            bump(&mut best, 0.8);
        }
    }
    best
}

// ---------------------------------------------------------------------------
// signal:timeline (prospect)
// ---------------------------------------------------------------------------

/// `busy`: the clause is a meeting proposal, content request or follow-up
/// promise, whose date is a due date rather than a deal date.
fn detect_timeline(u: &Unit, busy: bool) -> Option<f32> {
    if u.question || u.speculative || u.is_past() {
        return None;
    }
    let decision = u.has(Lx::DecisionWord);
    if busy && !decision {
        return None;
    }
    let mut best: Option<f32> = None;
    for t in u.concrete_times() {
        let inside = |sp: &Span| sp.s >= t.s && sp.s < t.e;
        let context = decision
            || u.hits(Lx::DealContext)
                .iter()
                .any(|sp| !inside(sp) && sp.s + 12 >= t.s && sp.s <= t.e + 12);
        if !context {
            continue;
        }
        let conf = match t.kind {
            TimeKind::Season | TimeKind::Event => 0.75,
            _ => 0.85,
        };
        bump(&mut best, conf);
    }
    best
}

#[cfg(test)]
mod tests {
    //! Fresh utterances written for these tests (not taken from any
    //! evaluation file): positives per label and hard negatives per rule.

    use super::*;

    const SP: Label = Label::SendProposal;
    const SM: Label = Label::ScheduleMeeting;
    const SC: Label = Label::SendContent;
    const MS: Label = Label::MultiStakeholder;
    const CO: Label = Label::Competitive;
    const BP: Label = Label::BuyingPositive;
    const BN: Label = Label::BuyingNegative;
    const TL: Label = Label::Timeline;
    const PF: Label = Label::ProspectFollowup;

    const REP: Speaker = Speaker::Rep;
    const PRO: Speaker = Speaker::Prospect;

    /// Asserts the exact label set of every case, reporting all mismatches.
    fn check(cases: &[(Speaker, &str, &[Label])]) {
        let mut failures = Vec::new();
        for (speaker, text, want) in cases {
            let got: Vec<Label> = detect(*speaker, text).iter().map(|d| d.label).collect();
            if got != *want {
                failures.push(format!("{speaker:?} {text:?}: want {want:?}, got {got:?}"));
            }
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    #[test]
    fn send_proposal_positives() {
        check(&[
            (
                REP,
                "Leave that with me and I'll knock together a quote for the forty licences by Thursday.",
                &[SP],
            ),
            (
                REP,
                "Our commercial team will send over a revised quotation once legal signs off on the terms.",
                &[SP],
            ),
            (
                REP,
                "You'll have the updated estimate in your inbox first thing Monday.",
                &[SP],
            ),
            (
                REP,
                "Let me price up the onboarding package and fire it over after this call.",
                &[SP],
            ),
            (
                REP,
                "I'll, uh, I'll get Marcus in finance to run the numbers and send you a proper quote.",
                &[SP],
            ),
            (
                REP,
                "We'll get the revised SOW with the day rates over to you by Thursday.",
                &[SP],
            ),
            (
                REP,
                "Once procurement gives me the PO number, I'll issue the final quote.",
                &[SP],
            ),
            (
                REP,
                "I'm gonna put some numbers together for you — a proper proposal, not just a ballpark.",
                &[SP],
            ),
            (
                REP,
                "Right, action point for me: a revised quote with the multi-site discount, over to you tomorrow.",
                &[SP],
            ),
            (
                REP,
                "Let me go away and cost that out properly for you.",
                &[SP],
            ),
            (
                REP,
                "So, yeah, I'll, um, I'll shoot the quote across after lunch.",
                &[SP],
            ),
        ]);
    }

    #[test]
    fn schedule_meeting_positives() {
        check(&[
            (
                REP,
                "Let's pencil in a follow-up call for next Thursday at three.",
                &[SM],
            ),
            (
                REP,
                "I'll fire over a calendar invite for Tuesday morning.",
                &[SM],
            ),
            (
                PRO,
                "How does Wednesday at half two sound for the next session?",
                &[SM],
            ),
            (
                REP,
                "My assistant Jo will send you a couple of time slots for the pilot kickoff.",
                &[SM],
            ),
            (
                REP,
                "Shall we regroup after your board meeting, say the week of the 20th?",
                &[SM],
            ),
            (
                PRO,
                "Can we jump on a quick call tomorrow to go through the SSO setup?",
                &[SM],
            ),
            (
                REP,
                "Can I grab half an hour with you and your ops lead on Thursday?",
                &[SM],
            ),
            (
                REP,
                "I'll send over a Calendly link so you can pick a time that suits.",
                &[SM],
            ),
            (
                PRO,
                "Are you around on Friday afternoon for a quick catch-up?",
                &[SM],
            ),
            (PRO, "Can you do Monday at eleven instead?", &[SM]),
            (
                PRO,
                "We'd love a demo of the forecasting module, maybe next Tuesday?",
                &[SM],
            ),
            (
                REP,
                "Let me know when suits and I'll send an invite.",
                &[SM],
            ),
        ]);
    }

    #[test]
    fn send_content_positives() {
        check(&[
            (
                PRO,
                "Could you pop the slides from today into an email for me?",
                &[SC],
            ),
            (
                PRO,
                "Would you be able to share a couple of customer references in the logistics space?",
                &[SC],
            ),
            (
                PRO,
                "Is there a security whitepaper you can send across?",
                &[SC],
            ),
            (
                PRO,
                "I'd really appreciate a copy of the implementation plan.",
                &[SC],
            ),
            (
                PRO,
                "Can I get a quote for fifty seats on the annual plan?",
                &[SC],
            ),
            (
                PRO,
                "Any chance of getting the recording of today's session?",
                &[SC],
            ),
            (PRO, "Mind sending over the API docs?", &[SC]),
            (
                PRO,
                "Er, can you — can you send the, uh, the one-pager?",
                &[SC],
            ),
            (
                PRO,
                "Would it be possible for you to send a copy of the MSA?",
                &[SC],
            ),
            (
                PRO,
                "We'll need a completed security questionnaire from you before we go further.",
                &[SC],
            ),
            (
                PRO,
                "Do you have any references in higher education you could put me in touch with?",
                &[SC],
            ),
        ]);
    }

    #[test]
    fn multi_stakeholder_positives() {
        check(&[
            (
                PRO,
                "Our procurement team will need to vet you as a supplier before anything's signed.",
                &[MS],
            ),
            (
                PRO,
                "The trustees sign off anything over twenty thousand, so it'll go to them next.",
                &[MS],
            ),
            (
                PRO,
                "Honestly, the decision sits with our COO, I just make the recommendation.",
                &[MS],
            ),
            (
                PRO,
                "I want to get our CISO's blessing before we go further.",
                &[MS],
            ),
            (
                PRO,
                "I need to socialise this with the wider team before we commit.",
                &[MS],
            ),
            (
                PRO,
                "Legal and procurement will both want a look at the contract.",
                &[MS],
            ),
            (
                PRO,
                "Anything with a contract attached has to be reviewed by our legal counsel.",
                &[MS],
            ),
            (
                PRO,
                "We'll have to get IT comfortable with the data flows first.",
                &[MS],
            ),
            (PRO, "Honestly, it's above my pay grade.", &[MS]),
            (PRO, "Thanks for the quote, it's with finance now.", &[MS]),
        ]);
    }

    #[test]
    fn competitive_positives() {
        check(&[
            (
                PRO,
                "We're also in conversations with Salesloft about the same use case.",
                &[CO],
            ),
            (
                PRO,
                "Pipedrive offered us a thirty percent discount last week, so you'll need to be sharp.",
                &[CO],
            ),
            (
                PRO,
                "A couple of our developers think we could just roll our own with some scripts.",
                &[CO],
            ),
            (
                PRO,
                "Honestly, doing nothing and staying on Excel is still on the table.",
                &[CO],
            ),
            (
                PRO,
                "We're midway through a trial of Aircall, to be honest.",
                &[CO],
            ),
            (
                PRO,
                "Otter's the incumbent, and honestly they're cheap.",
                &[CO],
            ),
            (PRO, "We've narrowed it down to you and Chorus.", &[CO]),
            (
                PRO,
                "Zoho came in about twenty percent cheaper than you.",
                &[CO],
            ),
            (
                PRO,
                "Honestly, we'll probably just extend with our current supplier for another year.",
                &[CO],
            ),
            (PRO, "We're also getting a demo from Gong next week.", &[CO]),
        ]);
    }

    #[test]
    fn buying_positive_positives() {
        check(&[
            (
                PRO,
                "The money's already been set aside in this year's budget.",
                &[BP],
            ),
            (
                PRO,
                "Getting this in place is the CEO's number one priority.",
                &[BP],
            ),
            (
                PRO,
                "We've had the green light from finance to go ahead.",
                &[BP],
            ),
            (
                PRO,
                "The budget was approved last week, so we can move quickly now.",
                &[BP],
            ),
            (PRO, "We've decided we want to go with you.", &[BP]),
            (PRO, "Cost isn't really a concern for us here.", &[BP]),
            (
                PRO,
                "We've ring-fenced about sixty thousand for a tool like this.",
                &[BP],
            ),
        ]);
    }

    #[test]
    fn buying_negative_positives() {
        check(&[
            (
                PRO,
                "Our budget got slashed in the last round of cuts.",
                &[BN],
            ),
            (
                PRO,
                "We've had to put all new software purchases on ice until the merger closes.",
                &[BN],
            ),
            (PRO, "If funds weren't an issue, we'd sign tomorrow.", &[BN]),
            (PRO, "This project has been pushed to next year.", &[BN]),
            (
                PRO,
                "We're in cost-saving mode across the whole business right now.",
                &[BN],
            ),
            (
                PRO,
                "Honestly, budget's a real issue for us at the moment.",
                &[BN],
            ),
            (
                PRO,
                "This has dropped down our list of priorities, unfortunately.",
                &[BN],
            ),
            (
                PRO,
                "If there was budget for it, we'd have done it already.",
                &[BN],
            ),
        ]);
    }

    #[test]
    fn timeline_positives() {
        check(&[
            (
                PRO,
                "We need to be live before the Black Friday rush in November.",
                &[TL],
            ),
            (
                PRO,
                "The plan is to roll out to all three warehouses in Q4.",
                &[TL],
            ),
            (
                PRO,
                "We're aiming to make a decision within the next three weeks.",
                &[TL],
            ),
            (PRO, "We want the contract signed by mid-June.", &[TL]),
            (
                PRO,
                "Realistically we'd kick off in the new year, probably mid-January.",
                &[TL],
            ),
            (
                PRO,
                "We're looking at rolling out in phases from September.",
                &[TL],
            ),
            (
                PRO,
                "We'll make a final call by the end of next week.",
                &[TL],
            ),
        ]);
    }

    #[test]
    fn prospect_followup_positives() {
        check(&[
            (
                PRO,
                "I'll confirm the final user numbers by close of play Friday.",
                &[PF],
            ),
            (
                PRO,
                "We'll have the signed NDA back to you by Wednesday.",
                &[PF],
            ),
            (
                PRO,
                "You'll have our answer before the end of the month.",
                &[PF],
            ),
            (
                PRO,
                "I'll get you the final headcount by Tuesday at the latest.",
                &[PF],
            ),
            (
                PRO,
                "I should be able to get you an answer by Friday.",
                &[PF],
            ),
            (
                PRO,
                "Give me a couple of days and I'll come back to you.",
                &[PF],
            ),
            (
                PRO,
                "I'll get the signed NDA over to you by lunchtime.",
                &[PF],
            ),
        ]);
    }

    #[test]
    fn labels_combine() {
        check(&[
            (
                REP,
                "I'll have the proposal with you by Friday, and let's pencil in Monday to walk through it.",
                &[SP, SM],
            ),
            (
                PRO,
                "Our MD will want to see a business case, so could you send over some ROI figures?",
                &[SC, MS],
            ),
            (
                PRO,
                "We're comparing you against HubSpot and need to pick one by the end of the quarter.",
                &[CO, TL],
            ),
            (
                PRO,
                "Budget's signed off and we'd like to go live in early September.",
                &[BP, TL],
            ),
            (
                PRO,
                "I'll take it to the steering committee on the 4th and come back to you that afternoon.",
                &[MS, PF],
            ),
            (
                PRO,
                "Could we set up a demo for the ops team sometime next week?",
                &[SM, MS],
            ),
            (
                PRO,
                "Our Zendesk contract is up for renewal in May.",
                &[CO, TL],
            ),
            (PRO, "I'll have a yes or no for you by the 30th.", &[TL, PF]),
            (
                PRO,
                "Our freeze on discretionary spend runs until April.",
                &[BN, TL],
            ),
        ]);
    }

    #[test]
    fn past_actions_are_not_commitments() {
        check(&[
            (REP, "I emailed the quote to Dana yesterday afternoon.", &[]),
            (
                REP,
                "We sent over the revised pricing on the fourth, I think.",
                &[],
            ),
            (
                REP,
                "Thanks for the time on the call last week, it was really useful.",
                &[],
            ),
            (PRO, "I sent you the usage figures on Tuesday.", &[]),
            (PRO, "I got back to Sam with the numbers yesterday.", &[]),
        ]);
    }

    #[test]
    fn negations_refusals_and_cancellations() {
        check(&[
            (
                REP,
                "I won't be able to send pricing until our product team confirms the SKUs.",
                &[],
            ),
            (
                REP,
                "I've had to cancel tomorrow's demo because our engineer is off sick.",
                &[],
            ),
            (PRO, "I can't do another call this week, I'm slammed.", &[]),
            (
                PRO,
                "I won't be able to get back to you until after the holidays.",
                &[],
            ),
            (
                REP,
                "Let's not bother with another call; email's fine.",
                &[],
            ),
            (
                PRO,
                "Don't worry about sending the brochure, I've seen it online.",
                &[],
            ),
        ]);
    }

    #[test]
    fn retractions_cancel_the_clause() {
        check(&[
            (
                REP,
                "I was about to send the revised pricing, um, but actually let's wait for the new headcount.",
                &[],
            ),
            (
                PRO,
                "Could you send the case study — actually, never mind, I found it on your site.",
                &[],
            ),
            (
                PRO,
                "Could you send me the — oh wait, no, Sam already forwarded it.",
                &[],
            ),
        ]);
    }

    #[test]
    fn hypotheticals_and_question_offers() {
        check(&[
            (
                REP,
                "If it ever becomes useful, we could always draft a proposal down the line.",
                &[],
            ),
            (
                REP,
                "If you needed a quote for budgeting purposes, I could always rustle one up.",
                &[],
            ),
            (REP, "Shall I put together a rough estimate for you?", &[]),
            (REP, "Do you want me to send a quote over?", &[]),
            (
                PRO,
                "Do you want me to send you our org chart tomorrow?",
                &[],
            ),
            (
                PRO,
                "Would you prefer I send the data on Monday or Tuesday?",
                &[],
            ),
            (
                REP,
                "I'll check with my manager whether we can do a better price.",
                &[],
            ),
        ]);
    }

    #[test]
    fn what_is_not_a_proposal() {
        check(&[
            (
                REP,
                "I'll send across the onboarding checklist and the training videos.",
                &[],
            ),
            (
                REP,
                "I'll get back to you on Monday with the answer about data residency.",
                &[],
            ),
            (
                REP,
                "Our legal team will send the MSA redlines by Friday.",
                &[],
            ),
            (
                REP,
                "I'll send the contract over for signature once you've approved the quote.",
                &[],
            ),
            (
                REP,
                "I'll walk you through the pricing on Thursday's call.",
                &[],
            ),
        ]);
    }

    #[test]
    fn wrong_speaker_and_rep_recaps() {
        check(&[
            (
                REP,
                "So just to recap, you need sign-off from your CFO and legal, right?",
                &[],
            ),
            (
                REP,
                "I appreciate budgets are under pressure this year.",
                &[],
            ),
            (
                REP,
                "So you're comparing us with Dialpad, is that fair?",
                &[],
            ),
            (
                REP,
                "Most clients are up and running within three weeks.",
                &[],
            ),
            (
                REP,
                "Could you send me your current contract so I can check the end date?",
                &[],
            ),
            (
                PRO,
                "I'll put a quote together for our board and send it to you by Friday.",
                &[MS, PF],
            ),
        ]);
    }

    #[test]
    fn content_requests_need_an_ask_to_send() {
        check(&[
            (
                PRO,
                "How does the reporting module handle multi-currency?",
                &[],
            ),
            (PRO, "Can you explain how the pricing tiers work?", &[]),
            (
                PRO,
                "Thanks for forwarding the case studies, really helpful.",
                &[],
            ),
            (PRO, "We already have the datasheet from the webinar.", &[]),
            (
                PRO,
                "Could you share your screen again? It froze on my end.",
                &[],
            ),
            (
                PRO,
                "Can you drop the price a bit if we sign for two years?",
                &[],
            ),
        ]);
    }

    #[test]
    fn follow_ups_need_a_time_anchor() {
        check(&[
            (PRO, "I'll get back to you once I've had a think.", &[]),
            (PRO, "We'll let you know how it goes.", &[]),
            (PRO, "I'll have a look at it at some point.", &[]),
            (PRO, "Shall I send our IT requirements over tomorrow?", &[]),
            (
                PRO,
                "I'll send you our current process map this afternoon.",
                &[PF],
            ),
        ]);
    }

    #[test]
    fn stakeholders_need_future_involvement() {
        check(&[
            (
                PRO,
                "I run the budget for this, so nobody else needs to approve it.",
                &[],
            ),
            (
                PRO,
                "Our CTO is a massive Arsenal fan, don't get him started.",
                &[],
            ),
            (
                PRO,
                "Security already signed off on the architecture last month.",
                &[],
            ),
            (
                PRO,
                "I've got full sign-off authority for anything under a hundred grand.",
                &[],
            ),
            (PRO, "Our CFO loves a good spreadsheet, bless her.", &[]),
            (
                PRO,
                "The spend has been signed off by our finance director.",
                &[BP],
            ),
        ]);
    }

    #[test]
    fn competitors_that_are_not_alternatives() {
        check(&[
            (
                PRO,
                "I spent five years at Outreach before joining this company.",
                &[],
            ),
            (
                PRO,
                "Intercom is actually a client of ours, we build their office fit-outs.",
                &[],
            ),
            (
                PRO,
                "We evaluated Chorus back in 2019 but it went nowhere.",
                &[],
            ),
            (
                PRO,
                "We haven't spoken to any other vendors, you're the only one.",
                &[],
            ),
            (
                PRO,
                "Genesys sponsor our annual conference, funnily enough.",
                &[],
            ),
            (
                REP,
                "Unlike Gong, our pricing is per seat rather than per minute.",
                &[],
            ),
        ]);
    }

    #[test]
    fn mild_approval_and_lexical_traps() {
        check(&[
            (PRO, "It looks slick, I like the dashboards.", &[]),
            (PRO, "That price sounds reasonable for what you get.", &[]),
            (
                PRO,
                "Tight deadline on this report, so I'll keep it short.",
                &[],
            ),
            (PRO, "The car park was frozen solid this morning.", &[]),
            (PRO, "Our board game night is on Thursday, ha.", &[]),
            (
                PRO,
                "We flew a budget airline to the offsite and regretted it.",
                &[],
            ),
            (PRO, "Let's meet halfway on the onboarding fee.", &[]),
            (
                PRO,
                "We're ready to move ahead if the pilot goes well.",
                &[],
            ),
        ]);
    }

    #[test]
    fn timelines_must_be_concrete_future_and_about_the_deal() {
        check(&[
            (
                PRO,
                "We moved offices in January, so things were a bit chaotic.",
                &[],
            ),
            (
                PRO,
                "Sometime in the spring, maybe, but nothing's fixed.",
                &[],
            ),
            (
                PRO,
                "Whenever it's ready, really, there's no hard deadline.",
                &[],
            ),
            (
                PRO,
                "It took us about six months to roll out our last CRM.",
                &[],
            ),
            (PRO, "Our quarter ends in June, so it's a bit hectic.", &[]),
            (
                PRO,
                "I'll send the signed order form back by close of business tomorrow.",
                &[PF],
            ),
        ]);
    }

    #[test]
    fn meeting_exclusions() {
        check(&[
            (
                REP,
                "Our customer success team usually books the kickoff call after contracts are signed.",
                &[],
            ),
            (
                PRO,
                "Fridays are pretty hopeless for me, I'm in back-to-back reviews.",
                &[],
            ),
            (
                PRO,
                "It'd be lovely to meet the team in person one of these days.",
                &[],
            ),
            (
                PRO,
                "Do your onboarding sessions usually run over two days?",
                &[],
            ),
            (
                REP,
                "I'll bring our product manager along to the next one.",
                &[],
            ),
            (REP, "I'll ask our CTO to join the next call.", &[]),
            (
                PRO,
                "I'll have to jump at quarter past, I've got another meeting.",
                &[],
            ),
            (
                PRO,
                "I'll book a meeting room for when you come in on the 14th.",
                &[],
            ),
        ]);
    }

    #[test]
    fn detections_carry_a_verbatim_phrase_and_confidence() {
        let text = "Um, yeah — I'll, er, I'll send the quote over tonight.";
        let found = detect(REP, text);
        assert_eq!(found.len(), 1, "{found:?}");
        let d = &found[0];
        assert_eq!(d.label, SP);
        assert!(text.contains(&d.phrase), "{:?}", d.phrase);
        assert!(d.phrase.contains("send the quote"), "{:?}", d.phrase);
        assert!(d.confidence >= 0.8 && d.confidence <= 1.0);
    }

    #[test]
    fn labels_round_trip_through_their_names() {
        for label in Label::ALL {
            assert_eq!(Label::parse(label.as_str()), Some(label));
        }
        assert_eq!(Label::parse("signal:unknown"), None);
        assert_eq!(Label::parse(" signal:timeline "), Some(TL));
    }

    #[test]
    fn odd_input_never_panics() {
        let long = "I'll send the quote, um, tomorrow; but no — ".repeat(2_000);
        let inputs = [
            "",
            " ",
            "?",
            "—",
            "...",
            "but",
            "'s",
            "I'll",
            "ÉTÉ à Zürich — naïve café… 日本語のテキスト 😀?",
            "\u{301}\u{200b}İß",
            "12th 1st 99th fy24 q3 2.5 10,000",
            "the the the the the the",
            long.as_str(),
        ];
        for text in inputs {
            for speaker in [REP, PRO] {
                for d in detect(speaker, text) {
                    assert!(text.contains(&d.phrase));
                    assert!((0.0..=1.0).contains(&d.confidence));
                }
            }
        }
    }

    #[test]
    fn every_pattern_starts_with_a_plain_word() {
        for (lx, list) in LEXICONS {
            for pat in list.iter() {
                let first = pat.split_whitespace().next().unwrap_or("");
                let plain = !first.is_empty()
                    && !matches!(first, "*" | "~" | "~~")
                    && !first.split('|').any(|a| a == "_");
                assert!(plain, "{lx:?}: {pat:?}");
            }
        }
        for (i, (lx, _)) in LEXICONS.iter().enumerate() {
            assert_eq!(*lx as usize, i, "LEXICONS out of order at {lx:?}");
        }
    }
}
