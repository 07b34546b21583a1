//! Near misses: utterances that hold a label's cue words (a proposal or
//! meeting word, a request verb, a stakeholder, a vendor or budget cue, a
//! concrete date to come) in a clause that is not retracted, whether or not
//! a rule fired. The LLM review (`crate::llm`) sends the model these lines
//! and the labelled ones, never the whole transcript.

use super::Speaker;
use super::clause::analyse;
use super::lexicon::Lx;

/// Cues of the one label a rep may carry besides meetings.
const REP: &[Lx] = &[
    Lx::ProposalNoun,
    Lx::CostWord,
    Lx::MeetNoun,
    Lx::MeetVerbStrong,
    Lx::SchedVerb,
    Lx::ProposeQ,
];

/// Cues of every label a prospect may carry.
const PROSPECT: &[Lx] = &[
    Lx::MeetNoun,
    Lx::MeetVerbStrong,
    Lx::SchedVerb,
    Lx::ProposeQ,
    Lx::ReqQ,
    Lx::ReqPlease,
    Lx::ReqVerb,
    Lx::ContentNoun,
    Lx::Stakeholder,
    Lx::InvolveCue,
    Lx::CompStrong,
    Lx::CompEval,
    Lx::CompTrialNoun,
    Lx::CompUse,
    Lx::CompInHouse,
    Lx::CompStatusQuo,
    Lx::CompContract,
    Lx::CompContractEnd,
    Lx::BudgetWord,
    Lx::BudgetPos,
    Lx::BuyPos,
    Lx::Keen,
    Lx::BuyNeg,
    Lx::BudgetNegState,
    Lx::Counterfactual,
    Lx::DecisionWord,
    Lx::FollowupVerb,
];

/// Whether `text`, said by `speaker`, holds a cue of a label that speaker
/// may carry.
pub fn near_miss(speaker: Speaker, text: &str) -> bool {
    let cues = match speaker {
        Speaker::Rep => REP,
        Speaker::Prospect => PROSPECT,
    };
    analyse(text).iter().filter(|u| !u.retracted).any(|u| {
        cues.iter().any(|lx| u.has(*lx))
            || (speaker == Speaker::Prospect && u.times.iter().any(|t| !t.past))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cue_words_make_a_near_miss_and_small_talk_does_not() {
        assert!(near_miss(
            Speaker::Prospect,
            "Our finance lead will want a look at this."
        ));
        assert!(near_miss(
            Speaker::Prospect,
            "We're kicking the tyres on a couple of other tools."
        ));
        assert!(near_miss(Speaker::Rep, "I'll get a quote together."));
        assert!(!near_miss(
            Speaker::Prospect,
            "Good, thanks. The weather was lovely."
        ));
        // A rep's budget talk can carry no label of theirs.
        assert!(!near_miss(
            Speaker::Rep,
            "I know budgets are tight everywhere."
        ));
    }
}
