//! Lexicons for `request:send_content`: question and polite request forms,
//! wishes and needs, send verbs and the content nouns they apply to.

pub(super) const REQ_Q: &[&str] = &[
    "can|could|would|will you",
    "can|could u",
    "would|do you mind",
    "mind",
    "are you able to",
    "is it possible to|for",
    "is possible to|for",
    "is it|_ possible that|_ you",
    "would|will it be possible to|for",
    "any chance you could|can|would",
    "any chance of",
    "is there any chance",
    "if you could|can|would",
    "you could|can",
    "can|could|may i ask you to",
];

pub(super) const REQ_PLEASE: &[&str] = &["please|kindly|pls"];

pub(super) const REQ_ME_HAVE: &[&str] = &[
    "can|could|may i|we get|have|grab|receive",
    "would|will it be possible to get|have|receive|see",
    "is it possible to get|have|receive|see",
    "is possible to get|have|receive|see",
];

pub(super) const REQ_WISH: &[&str] = &[
    "i|we would _|really|so|greatly|very|much|also love|like|appreciate",
    "i|we would be grateful",
    "it would be great|helpful|useful|brilliant|good|handy|ideal|lovely to get|have|see|receive",
];

pub(super) const REQ_NEED_YOU: &[&str] =
    &["i|we will|would|_ need you to", "i|we need|want that you"];

pub(super) const REQ_NEED_IT: &[&str] = &[
    "i|we will|would|_ need your",
    "i|we will|would|_ need a|an|the|your|some ~ from you",
    "i|we will|would|_ need|want to see",
    "i|we will|would|_ need|want sight of",
    "i|we will|would|_ need a copy|copies",
    "i|we will|would|_ need|require from you",
];

pub(super) const REQ_VERB: &[&str] = &[
    "send|email|mail|forward|share|sharing|sending|emailing|forwarding|dropping|ping|pass|circulate|resend|resending|attach|upload",
    "drop|fire|shoot|pop|chuck|flick|bung|whack me|us|it|that|them|this|those|over|across|through|into|in",
    "bung|whack|flick|chuck|shoot|fire|pop the|a|your|that|those|these|any ~ over|across|through",
    "send|shoot|fire|chuck|bung|pop it|them|that|those|this|these|one my|our way",
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

pub(super) const REQ_VERB_LOOSE: &[&str] = &[
    "get|getting|give|giving|provide|providing|prepare|preparing|complete|completing|include|including|post|stick|pop|chuck|bung|upload|save|put|drop|fire|shoot|furnish|supply|popping|posting|sticking",
    "put|pull together",
    "put|pull ~ together",
    "put ~ in writing",
    "putting|pulling together",
    "fill in|out",
    "filling in|out",
    "turn that|this|it around",
    "let me|us have",
];

pub(super) const CONTENT_NOUN: &[&str] = &[
    "deck|slides|slide|recording|recordings|video|videos|onepager|whitepaper|spec|specs|datasheet|brochure|documentation|docs|doc|document|documents|report|reports|pdf|soc|soc2|iso|certificate|certification|questionnaire|rates|questionnaires|certificates|certifications|references|reference|contacts|proposal|offer|quote|quotation|pricing|prices|price|estimate|comparison|sample|samples|example|examples|template|link|contract|agreement|dpa|msa|terms|roadmap|summary|presentation|presentations|notes|minutes|overview|breakdown|calculator|copy|details|info|information|material|materials|collateral|login|access|sandbox|sow|policy|policies|diagram|faq|guide|manual|checklist|plan|literature|testimonials|benchmarks|results|one|something|anything|whatever|it|that|them|those",
    "case study|studies",
    "one pager",
    "white paper",
    "spec sheet",
    "specification|specifications|factsheet|brochures|datasheets",
    "fact sheet",
    "rate card",
    "data sheet",
    "price list",
    "business case",
    "order form",
    "statement of work",
];
