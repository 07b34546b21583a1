//! A deal's engagement as the app moves it and shows it, above the store:
//! [`approvals`] (approvals by class asked and decided, and workflow events
//! reported from elsewhere), [`contract`] (the contract asked for from the
//! accepted terms), [`proposals`] (what a proposal sent, accepted, declined or asked about
//! does to its deal's engagement), [`facts`] (facts reported from
//! elsewhere, and decisions on conflicts between sources) and [`view`] (a deal's state as the API,
//! the inbox and the CLI show it). The engagement itself — workflow, state
//! and its one change — is [`crate::engagement`].

pub mod approvals;
pub mod contract;
pub mod facts;
pub mod proposals;
pub mod view;
