//! Sentence-level asks for figures (rule 3) and for a meeting (rule 4).
//! Both look at one sentence at a time, so "Thanks for the quote." never
//! lends its noun to "Could we talk Tuesday?".

use crate::text::{first, first_affirmed, has};

/// Changes to a quote named in the subject ("Re: Quote 41 - could you add
/// a third option and resend?").
#[rustfmt::skip]
const SUBJECT_REVISIONS: &[&str] = &[
    "revise", "updated version", "revised version", "new version", "resend", "re send", "add a",
    "another option", "third option", "second option", "take out", "remove the", "swap",
    "revised one", "new one", "any give",
    "change the", "update it", "redo",
    "look like with",
    "what it would look like",
    "capped",
    "instead of",
    "cheaper option",
    "put one together",
    "put together",
    "version without",
    "option without",
];

/// Things with a price on them.
#[rustfmt::skip]
const PRICE_NOUNS: &[&str] = &[
    "quote", "quotes", "quotation*", "pricing", "price", "prices", "price list", "costs", "cost",
    "costed", "costing*", "estimate", "proposal", "rate card", "rates", "ballpark", "figure",
    "figures", "fee", "fees", "discount", "order form", "statement of work", "sow", "rfq",
    "priced response", "sort of number", "what number",
    "how much would", "how much will", "how much is", "how much does", "how much do",
    "how much for", "how much are", "how much?", "how much per", "how much each", "how much a",
    "how much to", "an offer for", "price offer", "your offer", "offer for", "what would it cost", "what does it cost",
    "what will it cost", "per seat", "per user", "per licen*", "budgetary", "run us",
    "set us back", "would we pay", "would we be paying", "do you charge", "you charge",
    "the numbers for", "send me the numbers", "send the numbers", "send over the numbers",
    "upgrade cost*", "cost to upgrade", "price this", "price it", "price up", "cost this up",
    "cost it up", "cost up", "how much extra", "how much more", "how much it", "how much that",
    "how much this", "some numbers", "numbers together", "put numbers", "rough numbers",
    "indicative numbers", "ballpark numbers", "some figures", "cost me", "cost us", "gonna cost",
    "going to cost", "would it cost", "will it cost", "does it cost", "priced", "pricing for",
    "the investment",
    "what investment",
    "investment for",
    "investment required",
    "investment would",
    "outlay",
    "pricing schedule",
    "rework the numbers",
    "revise the numbers",
    "run the numbers",
    "the numbers again",
    "rate",
    "cheaper option",
    "cheaper version",
    "re quote",
    "requote",
    "re price",
    "reprice",
    "re quote",
    "re price",
    // Idioms for the figure itself ("what's the damage?", "what are we
    // talking?") and what the sender would pay.
    "what's the damage", "are we talking", "new offer", "revised offer", "updated offer",
    "what we'd be paying", "what we would be paying", "what we'd actually be paying",
    "what we'd pay", "what we would pay", "what we'd actually pay",
    // An offer graded by its price ("your best offer inclusive of VAT").
    "best offer", "final offer", "lowest offer", "best and final", "commercial offer",
];

/// Verbs and frames that ask for new figures.
#[rustfmt::skip]
const FIGURE_ASKS: &[&str] = &[
    "send", "share", "provide", "submit", "put together", "prepare", "draw up", "revise", "resend",
    "re send", "quote for", "quote us", "quote me", "could you quote", "can you quote",
    "please quote", "could you include", "can you include", "please include", "add in", "quote in",
    "need", "needs", "require", "requires", "looking for", "seeking", "request", "what would",
    "respond to", "return your", "should i put", "what sort of",
    "what will", "what sort", "what kind of", "what's the", "what is the", "what are the",
    "what are your", "what does", "what's", "how much", "do you offer", "any flexibility", "flexibility on",
    "best price", "ballpark", "rough idea", "give me", "give us", "get a", "could i get",
    "can i get", "can we get", "could we get", "break out", "break down", "breakdown",
    "option with", "new version", "updated version", "revised version", "reissue", "re issue",
    "amend", "adjust", "redo", "can you price", "could you price", "please price", "price up",
    "price this", "price it", "cost up", "cost this", "can you put", "could you put",
    "could you get", "can you get", "could you do", "can you do", "better price", "better rate",
    "sharper price", "what's this", "what's it", "what will this", "what would this", "what'll",
    "gonna cost", "going to cost",
    "email me",
    "email us",
    "email over",
    "can you email",
    "could you email",
    "forward me",
    "discount would",
    "what discount",
    "discount do you",
    "discount can you",
    "discount for",
    "discount on",
    "resubmit",
    "re submit",
    "please provide",
    "please submit",
    "let me know the",
    "let us know the",
    "tell me the",
    "confirm the cost",
    "confirm the price",
    "rework",
    "re work",
    "invited to tender",
    "invite you to",
    "submissions",
    "submission",
    "due by",
    "pop a",
    "pop over",
    "fire over",
    "fire me",
    "chuck over",
    "stick a",
    "confirm your",
    "please confirm",
    "update the quote",
    "update the proposal",
    "please update",
    "update the pricing",
    "would like",
    "we'd like",
    "i'd like",
    "obtain",
    "re quote",
    "requote",
    "re price",
    "reprice",
    "re quote",
    "re price",
    // The size of the figure asked after ("costs hundreds or thousands?").
    "hundreds", "thousands", "rough number", "rough figure",
    "ask for a", "asks for a", "asked for a", "asking for a", "let me know what",
    "let us know what", "tell me what", "tell us what",
    // "Could you let me have the costs?"; slang for "send".
    "let me have", "let us have", "sling us", "sling me", "bung us", "bung me", "flick us",
    "flick me", "chuck us", "chuck me",
];

/// How a direct question opens.
const QUESTION_OPENERS: &[&str] = &[
    "what",
    "how much",
    "do you have",
    "is there",
    "are there",
    "any chance",
    "can i",
    "could i",
    "can we",
    "could we",
    "would you",
    "do you offer",
    "do you do",
    "how is",
    "how are",
];

/// New-figure verbs strong enough to outweigh a clarifying frame.
#[rustfmt::skip]
const NEW_FIGURES: &[&str] = &[
    "send", "revise", "revised", "updated", "resend", "re send", "new quote", "quote for",
    "quote us", "provide", "put together", "prepare", "submit", "what would", "how much",
];

/// Clarifying an existing quote or asking about packaging (→ needs_response).
#[rustfmt::skip]
const CLARIFY: &[&str] = &[
    "does the price include", "does the quote include", "does the proposal include",
    "does the pricing include", "is that included", "is it included", "included in",
    "billed separately", "charged separately", "which plan", "which tier", "which edition",
    "part of the", "an add on", "walk through", "walk us through", "walk me through",
    "go through it", "go over it",
    "price include",
    "pricing include",
    "quote include",
    "price cover",
    "quote cover",
    "discuss the proposal",
    "discuss the quote",
    "discuss it",
    "go through the proposal",
    "talk through",
];

/// Sentences that mention a price noun without asking for one.
#[rustfmt::skip]
const NOT_ASKS: &[&str] = &[
    // "quote the ticket number in the subject" is no price.
    "quote the ticket", "quote the reference", "quote your reference", "quote the case",
    "pleased with your proposal", "happy with your proposal",
    "quote our reference", "quote this reference", "quote the number",
    "reduce cost*", "cut cost*", "save cost*", "cost saving*", "lower cost*", "figure out",
    "i'll send", "we'll send", "i will send", "we will send", "i've sent", "we've sent",
    "rate limit*",
    "conversion rate*",
    "success rate*",
    "error rate*",
    "response rate*",
    "open rate*",
    "interest rate*",
    "no show rate*",
    "churn rate*",
    "talking about",
    // The sender's own figures ("alongside our own figures").
    "our own figure*", "our own number*",
];

/// The sentence asks for price figures.
pub fn asks_for_figures(sentence: &str, subject_prices: bool) -> Option<&'static str> {
    // "Thanks for the quote." thanks; "thank you for the presentation
    // please send us an offer…" (a line typed with no stops) asks.
    if starts_with_thanks(sentence)
        && !crate::questions::asks(sentence)
        && first_affirmed(
            sentence,
            &["please send", "please share", "kindly send", "can you send"],
        )
        .is_none()
    {
        return None;
    }
    if first(sentence, NOT_ASKS).is_some() {
        return None;
    }
    let noun = first(sentence, PRICE_NOUNS);
    // "Could you revise it for two years?" under a "Re: Quote …" subject.
    if noun.is_none()
        && subject_prices
        && first(sentence, SUBJECT_REVISIONS).is_some()
        && (first(
            sentence,
            &["revise", "revised", "updated version", "new version"],
        )
        .is_some()
            || first_affirmed(sentence, &["could you", "can you", "would you", "please"]).is_some())
    {
        return Some("asks for a revised quote");
    }
    noun?;
    // A direct question about figures ("What discount …?", "Do you have a
    // pricing sheet?", "four clinics - what are we talking?") is an ask
    // even without a verb from the list.
    let direct = crate::questions::asks(sentence)
        && sentence
            .split([',', ';', ':', '-'])
            .map(str::trim_start)
            .any(|clause| QUESTION_OPENERS.iter().any(|o| clause.starts_with(o)));
    let ask = first_affirmed(sentence, FIGURE_ASKS).or(direct.then_some("question"))?;
    if first(sentence, CLARIFY).is_some() && first(sentence, NEW_FIGURES).is_none() {
        return None;
    }
    let _ = ask;
    Some("asks for a quote or pricing")
}

fn starts_with_thanks(s: &str) -> bool {
    ["thanks", "thank you", "cheers for", "many thanks"]
        .iter()
        .any(|p| s.starts_with(p))
}

/// Things one meets for.
#[rustfmt::skip]
const MEETING_NOUNS: &[&str] = &[
    "meeting", "call", "demo", "chat", "session", "workshop", "site visit", "visit", "kickoff",
    "kick off", "coffee", "catch up", "catch up", "walkthrough", "walk through", "walk us through",
    "walk me through", "show me", "show us", "video call", "zoom", "teams call", "web meeting",
    "webex", "sit down", "get together", "invite", "invitation", "slot", "slots", "time slots",
    "times", "availability", "minutes", "review", "talk", "speak", "discuss", "lunch",
    "presentation", "join us", "on site", "onsite", "on site", "come and see", "pop in", "pop by",
    "stop by", "drop by", "drop in", "face to face", "calendar", "diary", "qbr", "business review",
    "meet you", "meet up", "meet with", "meet in person", "meet on", "meet at", "meet next",
    "we meet", "meet your", "half an hour", "an hour", "find time", "find some time",
    "find a slot", "show the", "show it", "show her", "show him", "show them", "show my",
    "follow up",
    "follow up call",
    "follow up",
    "catchup",
    "touch base",
    "connect",
    "get on a call",
    "hop on",
    "jump on",
    "come find",
    "find us",
    "find me",
    "come by",
    "our stand",
    "our booth",
    "at stand",
    "at booth",
    "present to",
    "run us through",
    "take us through",
    "take me through",
    "stand up",
    "screen share",
    "screenshare",
    "screen share",
    "live demo",
    "walk through",
    "brew",
    "drink",
    "pint",
    "a bite",
    "breakfast",
    "dinner",
    "compare notes",
    "come out",
    "come in",
    "come down",
    "come and",
    "demonstration",
    "huddle",
    "come to our",
    "join our",
    "ring",
    "phone call",
    "by phone",
    "a buzz",
    "a bell",
    "mins",
    "min",
    "appointment",
];

/// Frames that ask to meet or propose one.
#[rustfmt::skip]
const MEETING_ASKS: &[&str] = &[
    "can we", "could we", "shall we", "should we", "let's", "let us", "can you", "could you",
    "would you", "will you", "are you free", "are you around", "are you available",
    "is there a time", "when are you", "when would", "when can", "how about", "what about",
    "would", "does", "do you have time", "any chance", "i'd like to", "we'd like to",
    "would like to", "i want to", "we want to", "keen to", "please", "send", "set up", "book", "schedule", "arrange", "organise", "organize", "suggest", "propose",
    "pull your team together", "come up", "come over", "come to", "lets",
    "proposes to", "invite you to", "wish to invite", "get up to", "get down to", "get over to",
    "call me",
    "ring me",
    "give me a call",
    "give me a ring",
    "phone me",
    "free for",
    "up for",
    "i'd like a",
    "we'd like a",
    "would like a",
    "i want a",
    "we want a",
    "need a call",
    "need a meeting",
    "like a call",
    "ping me",
    "drop me",
    "shoot me",
    "fire over",
    "pop an invite",
    "stick something in",
    "fancy",
    "come find",
    "come and find",
    "come and see",
    "come by",
    "pop by",
    "drop by",
    "stop by",
    "swing by",
    // "Fix" a meeting is to set one ("kindly fix a virtual meeting on
    // Tuesday"); slots asked for ("kindly share your available slots").
    "fix a", "fix up a", "your available", "available slots", "your free slots",
    // Slang for "send" ("sling us an invite", "bung me a few times").
    "sling us", "sling me", "bung us", "bung me", "flick us", "flick me", "chuck us", "chuck me",
    // A meeting floated ("maybe we can meet on 6 May"), a number to ring.
    "we can meet", "we could meet", "maybe we can", "maybe we could", "perhaps we can",
    "perhaps we could", "ring my mob*", "call my mob*", "ring me on", "call me on",
];

/// Statements of availability that, with a day or time, propose a slot.
#[rustfmt::skip]
const AVAILABILITY: &[&str] = &[
    "i'm free", "i am free", "i can do", "i'm around", "i am around", "i'm available",
    "i am available", "we're free", "we're available", "we are available", "has availability",
    "have availability", "works for me", "works for us", "would work", "work best", "suits me",
    "suits us", "is open", "is fine", "any day", "any morning", "any afternoon", "any time",
    "'s free", "she is free", "he is free", "'re free", "are free",
    "i'm flexible",
    "happy to meet",
    "we're flexible",
    "flexible on",
];

/// Asking for a particular slot ("could we start at 2:30?").
#[rustfmt::skip]
const SLOT_ASKS: &[&str] = &[
    "could we start", "can we start", "could we do", "can we do", "could we make it",
    "can we make it", "how about", "what about", "shall we say", "could we push", "can we push",
    "could we move", "can we move", "would that work", "does that work", "would it work",
    "need to start at", "have to start at", "which day is suitable", "which time is convenient", "which day suits",
    "at ours", "come to us",
    "work for you", "works for you", "suit you", "suits you", "suit?", "suit", "suits", "be ok?",
    "be okay?",
    "work your end",
    "work at your end",
    "work on your side",
    "work for your team",
    "be convenient",
    "convenient?",
    "convenient for you",
    "better for you",
    "best for you",
    "suits you best",
    "works best for you",
    "possible for you",
    // The same asks after "any chance" ("any chance we could start at
    // half two instead?").
    "we could start", "we could move", "we could push", "we could shift", "we could bring",
];

/// Asking for or sharing a booking link.
#[rustfmt::skip]
const BOOKING_LINKS: &[&str] = &[
    "calendly", "booking link", "calendar link", "scheduling link", "booking page", "grab a slot",
    "grab a time", "book a time", "pick a time", "find a time", "my calendar", "book time",
    "book a slot", "book some time", "book something", "book in a", "book a call",
    "set something up", "arrange a time", "my assistant", "manages my diary",
    "manages my calendar", "in my calendar?", "put something in", "get something in",
    "on the books",
    "in the books",
    "teams link",
    "zoom link",
    "meeting link",
    "video link",
    "link in my signature",
    "via the link",
    "using the link",
    "link to book",
    "set up a time",
    "schedule a time",
    "set a time",
    "when we can talk",
    "when we can meet",
    "when we can chat",
    "when we can speak",
    "when can we talk",
    "when can we meet",
    "a good time to talk",
    "a good time to chat",
    "a time to talk",
    "a time to chat",
];

/// Asking for dates or times to meet, which name no day of their own
/// ("give me two dates that work").
#[rustfmt::skip]
const DATES_ASKED: &[&str] = &[
    "dates that work", "times that work", "give me two dates", "give me some dates",
    "give me a few dates", "send me some dates", "send me a few dates", "send over some dates",
    "send a few dates", "send some dates", "send over a few dates", "send a few times",
    "send some times", "suggest a few dates", "suggest some dates", "propose a few dates",
    "propose some dates", "share a few dates", "share some dates",
];

/// Moving a meeting.
#[rustfmt::skip]
const RESCHEDULE: &[&str] = &[
    "reschedule", "re schedule", "move our", "move the", "push our", "push the", "postpone",
    "bring forward", "shift our", "shift the", "rearrange", "move it", "push it",
    "bump", "push back",
];

/// Concrete days and times.
#[rustfmt::skip]
const WHEN: &[&str] = &[
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "tomorrow",
    "today", "tonight", "next week", "this week", "week of", "morning", "afternoon", "evening",
    "am", "pm", "noon", "lunchtime", "jan*", "feb*", "mar*", "apr*", "jun*", "jul*", "aug*",
    "sep*", "oct*", "nov*", "dec*", "et", "cet", "gmt", "bst", "est", "pst", "jst", "the 1*",
    "the 2*", "the 3*", "the 4*", "the 5*", "the 6*", "the 7*", "the 8*", "the 9*",
    "sometime next", "early next", "later this week", "your time", "same time", "instead",
    "end of the month", "end of next week", "this month", "next month", "end of the week",
    "this afternoon", "this morning", "mon", "tue", "tues", "wed", "weds", "thu", "thur", "thurs",
    "fri", "may 1*", "may 2*", "may 3*", "may 4*", "may 5*", "may 6*", "may 7*", "may 8*",
    "may 9*", "in may",
    "fortnight",
    "first week",
    "last week of",
    "early june",
    "early july",
    "the week after",
    "following week",
    "week after next",
    "next few days",
    "next time you're",
    "next time you are",
    "when you're next",
    "mondays", "tuesdays", "wednesdays", "thursdays", "fridays", "mornings", "afternoons",
    "evenings",
];

/// Meetings that are not with us, or not proposed.
#[rustfmt::skip]
const NOT_OURS: &[&str] = &[
    "internal meeting", "board meeting", "board meets", "our next meeting", "reference call",
    "meet the deadline", "meet our requirements", "meet the requirements", "meet our needs",
    "will not review", "won't review", "not review", "to review it", "to review the",
    "governors' meeting", "governors meeting", "trustees meeting", "committee meeting",
    "staff meeting", "team meeting", "management meeting", "last meeting",
    "last week's meeting", "meeting today", "today's meeting", "missed the", "recording",
    "recorded", "last session", "yesterday's", "minutes from", "notes from", "from the meeting",
    "from our meeting", "from the call", "from our call", "from the demo", "from the session",
    "'s meeting", "'s call", "on the call we", "website", "web site", "visit our site",
    "visit the portal",
    // A past session named by its day ("following on from Tuesday's
    // demo, does the platform…").
    "'s demo", "'s session", "'s workshop", "'s presentation", "'s walkthrough", "'s visit",
    "following on from",
    "following our call",
    "following our meeting",
    "after our call",
    "after our meeting",
    "since our call",
    "on our call",
    "thanks for the call",
    "from our call",
    "on the call",
    "in the call",
    "during the call",
    "on the demo",
    "during the demo",
    "you mentioned",
    // Talking to someone else: a reference, not a meeting with us.
    "put me in touch", "put us in touch", "existing customer*", "reference customer*",
];

/// Putting a meeting off or declining one.
#[rustfmt::skip]
const NO_MEETING: &[&str] = &[
    "no need for a", "not ready to", "before committing to", "don't need a", "do not need a",
    "not necessary", "rather read", "at some point", "down the line", "in the future",
    "after our quarter", "in a few weeks", "in a couple of weeks", "later in the year",
    "next year", "reconnect", "in the new year", "once things calm down",
    // The meeting that was: "following the demo, two questions…".
    "following the", "after the demo", "after the call", "after the meeting", "since the demo",
    "in the demo", "during the demo",
];

/// Asks that read like a meeting and are not one: a document asked for
/// ("…the annual supplier review, please send us a copy of…"), work done
/// on site ("does it include the on-site training days").
const NOT_A_MEETING: &[&str] = &[
    "a copy of",
    "on site training",
    "onsite training",
    "installation on site",
    "on site installation",
    "on site commissioning",
    "joining link",
    "like to attend",
    "include the on site",
    "include on site",
    "includes the on site",
    "includes on site",
    "including on site",
    "including the on site",
];

/// Declining a session without asking for another ("I can't make the live
/// session on Thursday").
const CANT_MAKE: &[&str] = &[
    "can't make",
    "cannot make",
    "can't attend",
    "cannot attend",
    "won't be able to make",
    "unable to attend",
    "unable to make",
];

/// Confirming a slot already agreed (rule 4: `fyi`).
#[rustfmt::skip]
pub const CONFIRMED: &[&str] = &[
    "is confirmed", "are confirmed", "confirmed for", "accepted the invite",
    "accepted your invite", "accepted the invitation", "see you then", "see you there",
    "see you on", "see you at", "see you tomorrow", "see you next", "look forward to seeing you",
    "looking forward to seeing you", "in the diary", "in my diary",
    "see you monday",
    "see you tuesday",
    "see you wednesday",
    "see you thursday",
    "see you friday",
    "see you soon",
];

/// The sentence asks to meet now; `Some(reason)`.
pub fn asks_to_meet(sentence: &str) -> Option<&'static str> {
    // "Put something in writing" is a document, not a diary entry.
    if first(sentence, BOOKING_LINKS).is_some() && !has(sentence, "in writing") {
        return Some("asks for or shares a booking link");
    }
    let noun = first(sentence, MEETING_NOUNS);
    let when = names_a_time(sentence);
    // "I need to bump tomorrow's 10am": only a meeting is bumped.
    let bumped = when
        && first(
            sentence,
            &["bump", "reschedule", "re schedule", "rearrange"],
        )
        .is_some();
    if (noun.is_some() && first(sentence, RESCHEDULE).is_some())
        || bumped
        || moves_to_a_time(sentence)
    {
        return Some("asks to move a meeting");
    }
    if first(sentence, DATES_ASKED).is_some() {
        return Some("asks for dates to meet");
    }
    if asks_for_a_time(sentence) {
        return Some("proposes a different time");
    }
    let proposes_another = first_affirmed(
        sentence,
        &[
            "can we",
            "could we",
            "how about",
            "instead",
            "another time",
            "move it",
            "rather",
        ],
    )
    .is_some();
    if first(sentence, CANT_MAKE).is_some() && !proposes_another {
        return None;
    }
    if first(sentence, NOT_OURS)
        .or_else(|| first(sentence, NOT_A_MEETING))
        .is_some()
        && first_affirmed(sentence, &["can we", "could we", "let's"]).is_none()
    {
        return None;
    }
    if first(sentence, NO_MEETING).is_some() && !when {
        return None;
    }
    let asked =
        first_affirmed(sentence, MEETING_ASKS).is_some() || crate::questions::asks(sentence);
    if asked && noun.is_some() && (when || is_meeting_noun_strong(sentence)) {
        return Some("email asks to meet");
    }
    if when && (first(sentence, SLOT_ASKS).is_some() || sentence.ends_with("work?")) {
        return Some("proposes a different time");
    }
    if when && offers_availability(sentence) {
        return Some("proposes times to meet");
    }
    None
}

/// An [`AVAILABILITY`] statement; "is fine" and "is open" only of a time
/// or a slot ("thursday is fine", "that is fine"), not "the west wing is
/// fine" in a line that names a day elsewhere.
fn offers_availability(sentence: &str) -> bool {
    AVAILABILITY.iter().any(|p| {
        crate::text::find_all(sentence, p).into_iter().any(|i| {
            !matches!(*p, "is fine" | "is open")
                || sentence[..i]
                    .split_whitespace()
                    .next_back()
                    .is_some_and(|w| {
                        time_word(w)
                            || matches!(
                                w.trim_matches(|c: char| !c.is_alphanumeric()),
                                "that"
                                    | "this"
                                    | "it"
                                    | "time"
                                    | "slot"
                                    | "date"
                                    | "day"
                                    | "one"
                                    | "either"
                                    | "both"
                                    | "whichever"
                            )
                    })
        })
    })
}

/// Verbs that move a slot ("shift Thursday to Friday", "change to next
/// Monday", "push it to 4").
const MOVES: &[&str] = &["move", "shift", "push", "switch", "change", "bring", "bump"];

/// Words that may stand between a [`MOVES`] verb and its "to": the slot
/// moved ("it", "our call", "Thursday").
const MOVED: &[&str] = &[
    "it", "this", "that", "our", "the", "call", "meeting", "chat", "demo", "session", "slot",
];

/// Whether `word` names a day or a time ("thursday", "tomorrow", "4pm",
/// "10-12", "next"); plurals and "half" ("half two") count.
fn time_word(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    w.starts_with(|c: char| c.is_ascii_digit())
        || matches!(w, "next" | "half" | "same" | "noon" | "midday")
        || WHEN
            .iter()
            .any(|t| !t.contains([' ', '*']) && (w == *t || w.strip_suffix('s') == Some(t)))
}

/// A slot moved to a named time: a [`MOVES`] verb, at most two words of
/// what is moved, then "to" and a day or time ("can we shift thursday to
/// friday", "is it possible to change to next monday"); not "move to the
/// annual plan".
fn moves_to_a_time(sentence: &str) -> bool {
    MOVES.iter().any(|v| {
        crate::text::find_all(sentence, v).into_iter().any(|i| {
            let after = crate::text::words_after(sentence, i, v.len(), 5);
            after.iter().position(|w| *w == "to").is_some_and(|k| {
                k <= 2
                    && after[..k].iter().all(|w| MOVED.contains(w) || time_word(w))
                    && after.get(k + 1).is_some_and(|w| time_word(w))
            })
        })
    })
}

/// Verbs that reserve a slot in the reader's diary ("could you please hold
/// 4 June, 6pm", "pencil in Thursday").
const HOLDS: &[&str] = &[
    "please hold",
    "you hold",
    "pencil in",
    "block out",
    "block off",
];

/// Whether `after` opens with a date or time: a day word ("thursday",
/// "next"), a clock time or ordinal ("6pm", "2:30", "4th"), or a number
/// with a day word after it ("4 june"); not a bare count ("hold 3
/// licences").
fn opens_with_a_date(after: &[&str]) -> bool {
    let Some(w) = after
        .first()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != ':'))
    else {
        return false;
    };
    if !w.starts_with(|c: char| c.is_ascii_digit()) {
        return time_word(w);
    }
    w.contains(':')
        || ["am", "pm", "th", "st", "nd", "rd"]
            .iter()
            .any(|s| w.ends_with(s))
        || after
            .get(1)
            .is_some_and(|n| !n.starts_with(|c: char| c.is_ascii_digit()) && names_a_time(n))
}

/// A slot asked for by its time: "can you do tomorrow 8.15", "could we
/// make thursday", a date held ("please hold 4 june"), or a time offered
/// as free ("thursday 10-12 is free").
fn asks_for_a_time(sentence: &str) -> bool {
    let held = HOLDS.iter().any(|p| {
        crate::text::find_all(sentence, p)
            .into_iter()
            .any(|i| opens_with_a_date(&crate::text::words_after(sentence, i, p.len(), 2)))
    });
    let asked = [
        "can you do",
        "could you do",
        "can you make",
        "could you make",
        "can we do",
        "could we do",
        "can we make",
        "could we make",
    ]
    .iter()
    .any(|p| {
        crate::text::find_all(sentence, p).into_iter().any(|i| {
            crate::text::words_after(sentence, i, p.len(), 1)
                .first()
                .is_some_and(|w| time_word(w))
        })
    });
    let offered = ["is free", "are free", "is open"].iter().any(|p| {
        crate::text::find_all(sentence, p).into_iter().any(|i| {
            sentence[..i]
                .split_whitespace()
                .next_back()
                .is_some_and(time_word)
        })
    });
    held || asked || offered
}

/// A looser ask ("let's talk") that proposes a meeting when the email names
/// a day or time in another sentence ("Wed 2pm?").
pub fn asks_to_talk(sentence: &str) -> bool {
    first(sentence, MEETING_NOUNS).is_some()
        && first_affirmed(sentence, MEETING_ASKS).is_some()
        && first(sentence, NOT_OURS).is_none()
        && first(sentence, NO_MEETING).is_none()
        && first(sentence, CANT_MAKE).is_none()
        && first(sentence, NOT_A_MEETING).is_none()
}

/// The text names a concrete day or time: a [`WHEN`] word or a clock time
/// ("2:30", "10am", "at 3", "at half two").
pub fn names_a_time(text: &str) -> bool {
    let mut prev = "";
    first(text, WHEN).is_some()
        || text.split_whitespace().any(|word| {
            let w = word.trim_matches(|c: char| !c.is_alphanumeric());
            let digits = w.starts_with(|c: char| c.is_ascii_digit());
            let clock = (digits && (w.contains(':') || w.ends_with("am") || w.ends_with("pm")))
                || (prev == "at" && (digits || w == "half"));
            prev = word;
            clock
        })
}

/// Nouns that are about meeting on their own ("a demo", "an invite"),
/// unlike "talk" or "review" which need a day or time.
fn is_meeting_noun_strong(sentence: &str) -> bool {
    first(
        sentence,
        &[
            "meeting",
            "meet you",
            "meet up",
            "meet with",
            "call",
            "demo",
            "chat",
            "session",
            "workshop",
            "site visit",
            "kickoff",
            "kick off",
            "coffee",
            "catch up",
            "catch up",
            "video call",
            "zoom",
            "web meeting",
            "invite",
            "invitation",
            "slots",
            "time slots",
            "sit down",
            "lunch",
            "minutes",
            "mins",
            "half an hour",
            "an hour",
            "visit",
            "appointment",
        ],
    )
    .is_some()
        && !has(sentence, "send me the recording")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_asks_however_casual() {
        for s in [
            "roughly what would this run us for a crew of 9?",
            "any chance you could quote us for the bigger bundle?",
            "what sort of ballpark are we talking?",
            "please share per user pricing for 25 people.",
            "is there any flexibility on the setup fee?",
        ] {
            assert!(asks_for_figures(s, false).is_some(), "{s}");
        }
    }

    #[test]
    fn clarifying_a_quote_is_not_a_new_ask() {
        for s in [
            "does the price include onsite training?",
            "thanks for the quote.",
            "is the api included in the standard plan or billed separately?",
            "i'll send the signed quote back tomorrow.",
            "how does it help us reduce costs?",
        ] {
            assert!(asks_for_figures(s, false).is_none(), "{s}");
        }
        assert!(asks_for_figures("could you revise it for 18 months?", true).is_some());
    }

    #[test]
    fn meeting_asks_and_non_asks() {
        for s in [
            "could we find 20 minutes on thursday?",
            "happy to do a demo for the ops team - what does next week look like?",
            "can you send me your booking link?",
            "we'll need to push our call to next wednesday.",
            "i'm free friday after 3pm.",
            "could you come to our depot for a site visit?",
        ] {
            assert!(asks_to_meet(s).is_some(), "{s}");
        }
        for s in [
            "i'll raise it at our internal meeting on monday.",
            "no need for a call yet.",
            "let's reconnect at some point.",
            "can you return the form by the 3rd?",
        ] {
            assert!(asks_to_meet(s).is_none(), "{s}");
        }
    }
}
