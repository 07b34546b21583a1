//! Helper guest: a changed `detect-intents` for shadow replay. The same
//! skill (same name, rules and schemas) with a stricter floor: detections
//! below 0.9 confidence are not reported whatever the step's params say,
//! so it finds fewer intents on the same transcripts.
use baton_sdk::prelude::*;
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
