//! Offline evaluation of skills against labelled data sets (the format of
//! `shared/data/eval/`). Pure scoring lives here; the CLI runs the skill.

pub mod calls;
pub mod emails;
pub mod intents;
