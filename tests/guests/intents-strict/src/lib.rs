//! Helper guest: a changed `detect-intents` for shadow replay. The same
//! skill (same name, rules and schemas: its source is compiled in here)
//! with a stricter floor: detections below 0.9 confidence are not reported
//! whatever the step's params say, so it finds fewer intents on the same
//! transcripts.
//!
//! The skill is included as a module rather than depended on: a crate with
//! a `cdylib` target has no hash in its file names, so building it for two
//! workspaces in one target dir would have each overwrite the other's.
use baton_sdk::prelude::*;

#[path = "../../../../skills/detect-intents/src/lib.rs"]
#[allow(dead_code)]
mod detect_intents;

// The paths the skill's modules name from their crate's root.
use detect_intents::{follow_up_event, rules};

use detect_intents::DetectIntents;

/// The confidence floor.
const FLOOR: f64 = 0.9;

struct IntentsStrict;

impl Skill for IntentsStrict {
    fn manifest() -> Manifest {
        let mut manifest = DetectIntents::manifest();
        manifest.version = "0.2.0-strict".into();
        manifest
    }

    fn run(mut input: Input) -> Result<Output, SkillError> {
        let given = input.params["min_confidence"].as_f64().unwrap_or(0.0);
        if !input.params.is_object() {
            input.params = json!({});
        }
        input.params["min_confidence"] = json!(given.max(FLOOR));
        DetectIntents::run(input)
    }
}

export_skill!(IntentsStrict);
