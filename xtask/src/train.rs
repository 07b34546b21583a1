//! `cargo xtask train [--report]`: the skills' learned component
//! (`docs/judgement.md`). Runs each judging skill's `train-<skill>` example
//! natively, which rewrites `skills/<skill>/data/model.json` from the
//! labelled sets in `tests/data/shared/eval/` and `tests/data/own/` (the
//! same bytes on every run), or with `--report` prints the grouped
//! evaluation instead.

use crate::{Result, SKILLS_DIR, cargo, root, run, step, target_dir};

/// The skills with a learned component.
const JUDGING_SKILLS: [&str; 2] = ["detect-intents", "classify-email-intent"];

pub(crate) fn train(extra: &[String]) -> Result {
    let report = extra.iter().any(|a| a == "--report");
    if let Some(bad) = extra.iter().find(|a| *a != "--report") {
        return Err(format!(
            "train: unknown argument `{bad}` (expected --report)"
        ));
    }
    for skill in JUDGING_SKILLS {
        step(&if report {
            format!("{skill}: grouped evaluation")
        } else {
            format!("{skill}: training skills/{skill}/data/model.json")
        });
        let mut cmd = cargo();
        cmd.args(["run", "--quiet", "--release", "--manifest-path"])
            .arg(root().join(SKILLS_DIR).join("Cargo.toml"))
            .arg("--target-dir")
            .arg(target_dir().join("native-skills"))
            .args(["-p", skill, "--example", &format!("train-{skill}")]);
        if report {
            cmd.args(["--", "--report"]);
        }
        run(&mut cmd)?;
    }
    Ok(())
}
