//! Phrase lists for the rules, one per rule category. Phrases are matched
//! as whole words on normalised text (see [`crate::text`]); a trailing `*`
//! matches a word prefix. Categories, not any one dataset's wording.

/// Explicit requests to stop contact or be removed (rule 7).
#[rustfmt::skip]
pub const UNSUBSCRIBE: &[&str] = &[
    "unsubscribe", "unsubscribing", "opt me out", "opt us out", "opt out of all", "opt-out of all",
    "opt out of your", "opt out of this", "opt out of future", "like to opt out",
    "want to opt out", "wish to opt out", "take me off", "take us off", "take my name off",
    "take this address off", "remove me", "remove us", "remove my name", "remove my email",
    "remove my address", "remove my details", "remove our address", "remove our email",
    "remove our details", "remove our inbox", "remove this address", "remove this email",
    "remove both", "remove it from your", "stop emailing", "stop e-mailing", "stop sending",
    "stop contacting", "stop messaging", "stop the follow-ups", "stop the emails",
    "stop following up", "do not contact", "don't contact", "do not email", "don't email",
    "never contact", "not contact me again", "not to contact", "no more emails",
    "no further emails", "no further contact", "don't want any more", "do not want any more",
    "don't want to receive", "do not want to receive", "delete my data", "delete all personal",
    "delete my personal", "delete my details", "delete any data", "erase my", "right to erasure",
    "right to be forgotten", "under gdpr", "under the gdpr", "gdpr request", "article 17",
    "data deletion request", "deletion request", "under pecr", "unsolicited", "stop spamming",
    "off your list", "off your mailing", "off your distribution", "from your list",
    "from your mailing", "from your distribution", "from your database", "from your records",
    "from your crm", "from this sequence", "from your sequence", "from the newsletter",
    "from your newsletter", "please stop", "cease all contact", "cease contact",
    "cease contacting", "cease emailing", "stop all contact", "no further correspondence",
    "don't write to", "do not write to", "delete this address", "delete my email",
    "delete my address", "delete my contact", "delete me", "delete it.", "how did you get my",
    "how did you get this", "not wish to receive", "don't wish to receive",
    "further communications", "no further communication", "any further communication",
    "not to receive", "stop receiving",
    "unsub",
    "removed me",
    "removed from your",
    "your contact list",
    "your email list",
    "your marketing list",
    "your mailing list",
];

/// Hard declines (rule 7 without a removal request).
#[rustfmt::skip]
pub const DECLINE: &[&str] = &[
    "not interested", "no interest", "no thanks", "no, thanks", "no thank you", "no, thank you",
    "thanks, but no", "thanks but no", "not for us", "not a fit", "not a good fit",
    "not the right fit", "isn't the right fit", "isn't a fit", "not a great fit",
    "not right for us", "isn't right for us", "we'll pass", "we will pass", "pass on this",
    "going to pass", "it's a no", "a no from", "a hard no", "not to proceed", "not proceed",
    "not be proceeding", "won't be proceeding", "will not be proceeding", "not be moving forward",
    "won't be moving forward", "not moving forward", "not going ahead", "won't be going ahead",
    "not go ahead", "on hold indefinitely", "project on hold", "put on hold", "shelved",
    "budget's been cut", "budget has been cut", "budget was cut", "budgets have been cut",
    "no budget", "purchasing decisions are frozen", "spending freeze", "budget freeze",
    "are frozen", "happy with our current", "happy with what we", "happy with our existing",
    "decided to stay with", "chose to stay with", "choose to stay with", "staying with our",
    "stay with our current", "stick with our", "sticking with our", "renewed with",
    "signed with another", "went with another", "gone with another", "chosen another",
    "chose another", "selected another", "decided to go with another",
    "decided to go with a different", "with another vendor", "with a different vendor",
    "with another provider", "with another supplier", "with a competitor", "different direction",
    "work fine for us", "works fine for us", "does the job", "do the job", "built our own",
    "build our own", "built in-house", "build it in-house", "in-house tool", "in-house solution",
    "in-house system", "not looking at any", "not looking for a new", "not looking for anything",
    "not looking for any", "not looking to change", "not looking to switch",
    "not looking to replace", "not in the market", "no need for this", "no need for it",
    "no need for another", "no need for a new", "no need for a tool", "no need for such",
    "not relevant", "isn't relevant", "not something we need", "more than we need",
    "don't need this", "don't need it", "do not need this", "overkill", "too small for",
    "too big for us", "locked into", "locked in to", "nothing to discuss", "not keen",
    "rather not keep", "rather not continue", "rather not pursue", "rather not take",
    "close this one out", "close this out", "close this off", "close the opportunity",
    "close out the", "close my file", "not able to purchase", "unable to purchase",
    "can't purchase", "cannot purchase", "not able to buy", "mandates a single",
    "politely decline", "respectfully decline", "not the right time for us", "not a priority",
    "isn't a priority", "not a focus", "not on our radar", "leave it for now", "leave it there",
    "let's leave it", "not right now", "not at this time", "not for now",
    "feel free to check back", "check back next", "check back later", "check back in 20*",
    "try us again next", "not this year", "timing isn't right", "timing is not right",
    "not the right time", "pass for now", "never will be", "stay on our current",
    "stay with the current", "keep our current", "keep using our", "taking this further",
    "take this further", "taking it further", "not going to pursue", "won't pursue", "not pursue",
    "not be pursuing", "won't be pursuing", "not to pursue", "decided against", "won't proceed",
    "not proceeding", "we're sorted", "all sorted", "stay that way", "happy as we are",
    "fine as we are", "no use for", "don't see a need", "don't see the need", "can't see a need",
    "no requirement for", "different way", "go another way", "gone another way",
    "went another way", "going another way", "different route", "doesn't fit", "does not fit",
    "wouldn't fit", "won't fit", "not suited", "not suitable", "isn't suitable", "not a match",
    "doesn't suit us", "doesn't meet our needs", "this doesn't work for us",
    "this won't work for us", "not going to work for us", "not something we", "not one for us",
    "give it a miss", "give this a miss", "i'll pass", "not for me", "we're good for now",
    "all good for now", "no appetite", "not in a position to", "can't justify", "cannot justify",
    "unable to justify", "no longer a priority", "deprioritised", "deprioritized", "scrapped",
    "cancelled the project", "canceled the project", "chosen a different", "chose a different",
    "selected a different", "picked another", "picked a different", "another solution",
    "a different solution", "different provider", "different supplier", "other provider",
    "tied into", "tied in to", "nothing to talk about", "under contract until", "contracted until",
    "we're good thanks", "we're good, thanks", "nah", "nope", "we're fine thanks",
    "we're fine, thanks", "we're ok thanks", "we're okay thanks", "already have a system",
    "already have a solution", "already have a tool", "already have something", "already have one",
    "happy with it", "we're covered", "already covered", "don't think this is for us",
    "don't think it's for us", "don't think this is right", "don't think it's right",
    "don't think we need", "don't think there's a fit", "don't see a fit", "isn't for us",
    "is not for us", "not really for us", "lost the funding", "lost funding", "lost our funding",
    "funding fell through", "funding was pulled", "budget was pulled", "stop here",
    "leave it here", "leave it at that", "call it a day", "no longer going ahead",
    "no longer proceeding", "not going to happen", "thanks anyway", "thanks all the same",
    "best of luck", "good luck with", "don't do anything like that", "not something we do",
    "we don't do that", "not applicable to us", "doesn't apply to us", "give it a pass",
    "give this a pass", "pass this time", "pass on it", "keep things as they are",
    "leave things as they are", "as they are for now", "as things stand we", "wasn't worth",
    "isn't worth", "not worth the", "not worth it", "won't be worth", "another direction",
    "not looking to revisit", "no plans to revisit", "won't revisit",
    "renewed our contract with our",
    "renewed with our",
    "signed with our current",
    "extended our contract with",
    "committed to our current",
    "other priorities",
    "prioritise other",
    "prioritize other",
    "step back from",
    "stepping back",
    "focus elsewhere",
    "focusing elsewhere",
    "i'll decline",
    "we'll decline",
    "i must decline",
    "we must decline",
    "have to decline",
    "winding down",
    "winding the business down",
    "closing the business",
    "shutting down",
    "answer is no",
    "answer is still no",
    "still a no",
    "that's a no",
    "won't consider",
    "will not consider",
    "not considering",
    "hold off",
    "holding off",
    "park this",
    "parking this",
    "on ice",
    "indefinitely",
    "deal with our existing",
    "deal with our current",
    "contract with our existing",
    "contract with our current",
    "with our existing provider",
    "with our existing supplier",
    "with our existing vendor",
    "with our current provider",
    "with our current supplier",
    "with our current vendor",
    "won't be continuing",
    "not be continuing",
    "not continuing",
    "won't continue",
    "won't be renewing",
    "not be renewing",
    "not renewing",
    "cancel our subscription",
    "cancel our account",
    "cancel our contract",
    "stay as we are",
    "staying as we are",
    "stay as is",
    "keep it as it is",
    "it's working well",
    "moved it in-house",
   
    "moved this to",
];

/// Declines that only put things off; with explicit interest they are
/// `positive_interest` (rule 6).
#[rustfmt::skip]
pub const DEFERRAL: &[&str] = &[
    "not a priority", "isn't a priority", "not a focus", "not on our radar", "leave it for now",
    "let's leave it", "not right now", "not at this time", "not for now",
    "feel free to check back", "check back next", "check back later", "check back in 20*",
    "try us again next", "not this year", "timing isn't right", "timing is not right",
    "not the right time", "pass for now", "not the right time for us",
    "other priorities",
    "prioritise other",
    "prioritize other",
    "not in a position to",
    "hold off",
    "holding off",
    "park this",
    "parking this",
    "on ice",
];

/// How a reply to outreach sounds when it turns us down without a stock
/// phrase (used only when nothing else matched).
#[rustfmt::skip]
pub const NEGATIVE_TONE: &[&str] = &[
    "unfortunately", "i'm afraid", "we're afraid", "sorry", "we already", "we don't", "we do not",
    "we won't", "we will not", "won't be", "no longer", "not at the moment", "not currently",
    "we can't", "we cannot", "not needed", "not required", "no plans",
    "won't",
    "wouldn't",
    "doesn't apply",
    "not consider",
    "thanks, but",
    "thanks but",
    "but we've",
    "but we have",
    "but we're",
];

/// Explicit interest or openness (rules 5 and 6).
#[rustfmt::skip]
pub const INTEREST: &[&str] = &[
    "interested", "interesting", "intrigued", "curious", "promising", "looks like exactly", "exactly what", "relevant",
    "could be a fit", "might be a fit", "may be a fit", "could be useful", "could be helpful",
    "could help us", "tell me more", "learn more", "hear more", "know more", "find out more",
    "more information", "more info", "more detail*", "caught my eye", "timely", "good time",
    "good timing", "right moment", "keep me posted", "keep me in the loop", "keep in touch",
    "keeping in touch", "stay in touch", "open to", "not a bad idea", "good idea", "yes please",
    "looping in", "loop in", "cc'ing", "copying in", "copied in", "worth a look",
    "worth exploring", "worth a conversation", "worth keeping", "worth a chat", "worth a call",
    "worth talking", "would love", "i'd love", "keen", "slick", "impressive", "like the sound",
    "been meaning to", "been looking for", "struggling with", "headache", "possibly", "maybe",
    "could be relevant", "registration link", "sign me up", "count me in",
    "tell me what you'd suggest", "still on our radar", "on my radar", "go on then",
    "sounds useful", "looks useful", "sounds helpful", "sounds like", "talked about",
    "been talking about", "been thinking about", "on our list", "on our wish list",
    "could save us", "would save us", "save us a lot", "something i can forward",
    "something i can share", "something to share with",
    "stay in the loop",
    "keep us in mind",
    "keep me in mind",
    "like to stay",
];

/// Weaker interest: questions about fit and requests for material, which
/// are interest only from someone answering our outreach (rule 5).
#[rustfmt::skip]
pub const FIT_QUESTION: &[&str] = &[
    "how does it work", "how would it work", "how does this work", "how would this work",
    "what's involved", "what is involved", "what kind of results", "what results", "like ours",
    "like us", "fits with", "fit with our", "work with our", "works with our", "work for",
    "works for", "integrate with", "case stud*", "overview", "brochure", "send me", "send over",
    "send some", "a bit more", "webinar", "something that", "look like for", "our size",
    "for a business like", "for a company like", "for a team like",
];

/// An existing relationship: a customer, or a prospect already in an
/// evaluation (rule 5).
#[rustfmt::skip]
pub const ACTIVE: &[&str] = &[
    "as discussed", "we discussed", "as agreed", "as promised", "thanks for the call",
    "thanks for the meeting", "thanks for the demo", "thanks for the session",
    "thanks for the kickoff", "thanks for the deep-dive", "thanks for the walkthrough",
    "thanks for the presentation", "thanks for the proposal", "thanks for the quote",
    "thanks for the rough", "thanks for the pricing", "thanks for the figures",
    "thanks for sending the", "after our call", "after our meeting", "following our call",
    "following our meeting", "since our call", "since our meeting", "our account",
    "our subscription", "our contract", "the contract", "invoice*", "renewal", "our instance",
    "our admins", "our users", "in the app", "the app is", "go-live", "kickoff", "kick-off",
    "onboarding", "the pilot", "security review", "questionnaire", "procurement", "supplier",
    "vendor form", "po number", "purchase order", "msa", "dpa", "data processing agreement",
    "clause", "legal team", "evaluation", "tender", "rfp", "our order", "since the update",
    "since yesterday's update", "stopped working", "not working", "isn't working",
    "aren't working", "not syncing", "isn't syncing", "aren't syncing", "not arriving",
    "aren't arriving", "bug", "error", "support ticket", "ticket", "our licen*", "our seats",
    "our plan", "training", "remittance", "w-9", "w9", "vat number", "the proposal", "the quote",
    "your quote", "your proposal", "implementation", "the demo", "recording of", "our meeting",
    "the call", "couldn't attend", "how do i", "where do i", "where do we",
    "can't find", "cannot find", "our trial", "the trial ends", "trial ends", "trial account", "trial expires", "during the trial", "extend the", "extended by", "extension", "doesn't work", "broken", "crash*",
    "not showing", "isn't showing", "won't load", "stuck", "log in", "login", "password",
    "admins",
    "admin users",
    "changing plan",
    "change plan",
    "change our plan",
    "the reference",
    "for arranging",
    "arranging the",
];

/// Subjects of an existing relationship's threads (an outreach subject
/// names a topic, so only these count there).
#[rustfmt::skip]
pub const ACTIVE_SUBJECT: &[&str] = &[
    "invoice*", "contract", "renewal", "rollout", "roll-out", "go-live", "kickoff", "kick-off",
    "pilot", "ticket", "support", "security review", "questionnaire", "order form", "msa", "dpa",
    "sow", "implementation", "training", "account", "demo", "meeting",
    "subscription",
    "billing",
    "plan",
    "reference",
];

/// Questions of substance (product, security, compliance) that need an
/// answer even from someone we reached out to.
#[rustfmt::skip]
pub const TECHNICAL: &[&str] = &[
    "sso", "saml", "gdpr", "soc 2", "soc2", "iso 27001", "security", "compliance", "compliant",
    "data residency", "encrypt*", "api", "rate limit*", "sla", "audit log*", "penetration",
    "hipaa", "retention", "uptime", "backup*", "certificat*", "insurance", "accessibility",
];

/// A reply to our outreach or nurture (rule 5), besides the `Re:` subject
/// and a quoted earlier message.
#[rustfmt::skip]
pub const OUTREACH: &[&str] = &[
    "your note", "your email", "your message", "your ad", "your talk", "your webinar", "your post",
    "your article", "the video you sent", "thanks for reaching out", "thanks for getting in touch",
    "saw your", "caught your", "your newsletter", "the webinar", "your outreach",
    "you reached out", "funnily enough",
];

/// A question or request that needs our reply (rule 5's `needs_response`).
#[rustfmt::skip]
pub const REQUEST: &[&str] = &[
    "could you", "can you", "would you", "will you", "please send", "please complete",
    "please return", "please confirm", "please check", "please fix", "please reissue",
    "please advise", "please clarify", "please share", "please provide", "please update",
    "please resend", "please explain", "please help", "please let me know", "please let us know",
    "needs your", "need your", "we need", "i need", "who should", "let me know whether",
    "let me know if you", "let us know whether", "do you have", "is there", "are there",
    "put me in touch", "get back to me", "get back to us", "asks whether", "asked whether",
    "asks if", "asked if", "wants to know", "want to know", "would like to know", "need to know",
    "needs to know", "wondering whether", "wondering if", "i'd like to know", "can you confirm",
    "could you confirm",
    "requires a",
    "require a",
    "we require",
    "need a copy",
    "needs a copy",
    "requires your",
    "require your",
];

#[rustfmt::skip]
pub const NO_REPLY: &[&str] = &[
    "no need to reply", "no need to respond", "nothing needed", "no action needed",
    "no action required", "do not reply", "don't reply", "no reply needed", "no response needed",
    "for your records", "just fyi", "fyi", "for your information", "nothing you need to do",
    "don't need to reply", "don't need to respond",
    "instead of me",
    "please update your records",
    "update your records",
    "going forward please",
    "from now on please",
    "new point of contact",
    "your main contact",
    "will be your contact",
    "will be taking over",
    "has replaced me",
    "replaces me",
    "my new email",
    "my new address",
    "new email address",
];

/// Updates that promise news later rather than ask for anything (rule 9).
#[rustfmt::skip]
pub const KEEP_POSTED: &[&str] = &[
    "will keep you posted", "i'll keep you posted", "i'll let you know", "we'll let you know",
    "we'll be in touch", "i'll be in touch", "will be in touch",
];
