//! The CRM-lite vocabulary skills share: the deal stages, in order.
//!
//! Imported CRMs name stages their own way; these are the names baton's
//! demo data and its skills use, with the common synonyms folded in.

/// Deal stages from first touch to close, in order.
pub const STAGES: [&str; 8] = [
    "lead",
    "discovery",
    "qualification",
    "demo",
    "proposal",
    "negotiation",
    "closed_won",
    "closed_lost",
];

/// Where `stage` sits in [`STAGES`] (synonyms folded, case ignored), or
/// `None` for a stage this vocabulary does not know.
pub fn stage_position(stage: &str) -> Option<usize> {
    let s = stage.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    let s = match s.as_str() {
        "prospecting" | "new" => "lead",
        "qualified" => "qualification",
        "evaluation" | "solution" => "demo",
        "quote" | "proposal_sent" => "proposal",
        "contract" | "negotiating" => "negotiation",
        "won" => "closed_won",
        "lost" => "closed_lost",
        other => other,
    };
    STAGES.iter().position(|x| *x == s)
}

/// Whether a deal at `stage` is still open.
pub fn is_open(stage: &str) -> bool {
    !matches!(stage_position(stage), Some(6 | 7))
}

/// `$21,600` or `£5,400.50`: the amount with its currency (the one
/// formatter the host shares, in `baton-types`).
pub use baton_types::money::money;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_fold_synonyms_and_keep_their_order() {
        assert_eq!(stage_position("Discovery"), Some(1));
        assert_eq!(stage_position("Proposal Sent"), Some(4));
        assert!(stage_position("qualified") < stage_position("quote"));
        assert_eq!(stage_position("on hold"), None);
        assert!(!is_open("Won") && is_open("demo"));
    }
}
