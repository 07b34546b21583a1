//! Helper guest: asks for a confirm gate, and on resume reports the decision.
use baton_sdk::host::{self, Decision, Gate, Level, Pattern};
use baton_sdk::prelude::*;

struct Gatekeeper;

impl Skill for Gatekeeper {
    fn manifest() -> Manifest {
        Manifest::new("gatekeeper", "0.1.0", "Asks before it proposes an email.")
            .capability("approvals")
    }
    fn run(_: Input) -> Result<Output, SkillError> {
        let draft = json!({ "subject": "Next steps", "body": "Thanks for your time today." });
        match host::decision("send-email")? {
            None => {
                host::request_approval(Gate {
                    key: "send-email".into(),
                    pattern: Pattern::Confirm,
                    title: "Send the follow-up?".into(),
                    body: draft,
                    options: vec![],
                })?;
                host::log(Level::Info, "gate requested");
                Ok(Output::new(json!({ "status": "awaiting_approval" })))
            }
            Some(Decision::Approved) => Ok(Output::new(json!({ "status": "approved" })).action(
                ActionKind::EmailSend,
                "Next steps",
                draft,
            )),
            Some(Decision::Edited(edited)) => Ok(Output::new(json!({ "status": "edited" }))
                .action(ActionKind::EmailSend, "Next steps (edited)", edited)),
            Some(other) => Ok(Output::new(json!({ "status": format!("{other:?}") }))),
        }
    }
}

export_skill!(Gatekeeper);
