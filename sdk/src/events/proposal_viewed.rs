//! `proposal_viewed`: a proposal's share link was opened. Built by the
//! host's `/p/{token}` page (at most one event per proposal per half hour);
//! read by `notify-proposal-viewed`.

pub use baton_types::proposal_viewed::ProposalViewed as Payload;
