//! Positives and hard negatives for the commitment and request labels
//! (`send_proposal`, `schedule_meeting`, `send_content`, `prospect_followup`).

use super::tests::{PF, PRO, REP, SC, SM, SP, check};

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
