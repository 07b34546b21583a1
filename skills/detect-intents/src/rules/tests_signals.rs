//! Positives and hard negatives for the signal labels (`multi_stakeholder`,
//! `competitive`, `buying_positive`, `buying_negative`, `timeline`).

use super::tests::{BN, BP, CO, MS, PF, PRO, REP, TL, check};

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
fn an_approval_still_to_come_is_not_a_buying_signal() {
    check(&[
        (
            PRO,
            "The spend would need to be signed off by our managing director.",
            &[MS],
        ),
        (PRO, "Funding is still being agreed internally.", &[]),
        (
            PRO,
            "The budget for the pilot has to be approved by the steering group.",
            &[MS],
        ),
        (
            PRO,
            "The budget for the whole rollout has already been signed off by finance.",
            &[BP],
        ),
    ]);
}
