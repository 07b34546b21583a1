//! `baton eval intents FILE [--skill PATH] [--json]`.

use super::exit::{Exit, Failure};
use super::skill::{cli_runtime, print_json};
use crate::eval::intents;
use crate::registry::{Grants, load_skill};
use crate::runtime::{CallContext, Limits};
use clap::Subcommand;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(Subcommand, Debug)]
pub enum EvalCommand {
    /// Run an intent-detection skill over labelled utterances (JSON Lines of
    /// {"id","speaker","text","labels"}) and print precision and recall.
    Intents {
        file: PathBuf,
        /// The skill to evaluate (default: target/skills/detect-intents.wasm).
        #[arg(long, value_name = "PATH.wasm")]
        skill: Option<PathBuf>,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(cmd: EvalCommand) -> Result<(), Failure> {
    let EvalCommand::Intents { file, skill, json } = cmd;
    let text = std::fs::read_to_string(&file)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?;
    let examples = intents::parse_jsonl(&text)
        .map_err(|e| Failure::usage(format!("{}: {e}", file.display())))?;
    let skill_path = match skill {
        Some(p) => p,
        None => default_skill_path("detect-intents")?,
    };
    let runtime = cli_runtime()?;
    let skill = load_skill(&runtime, &skill_path, &Grants::trust_declared()).await?;
    let input = intents::transcript_input(&examples);
    let limits = Limits {
        fuel: skill.manifest.default_fuel.saturating_mul(10),
        timeout: Duration::from_secs(60),
        output_bytes: 16 << 20,
        ..Limits::default()
    };
    let result = skill
        .call(&input, &limits, Arc::new(CallContext::default()))
        .await;
    let output = result.outcome?;
    let predicted = intents::predictions(&output, examples.len())
        .map_err(|e| Failure::new(Exit::Skill, format!("{}: {e}", skill_path.display())))?;
    let scores = intents::score(&examples, &predicted);
    if json {
        let value = serde_json::to_value(&scores)
            .map_err(|e| Failure::new(Exit::Internal, e.to_string()))?;
        return print_json(&value);
    }
    println!(
        "{} utterances, skill {} {}",
        examples.len(),
        skill.manifest.name,
        skill.manifest.version
    );
    println!(
        "{:<30} {:>9} {:>7} {:>8} {:>10}",
        "LABEL", "PRECISION", "RECALL", "SUPPORT", "PREDICTED"
    );
    for (label, s) in &scores.labels {
        println!(
            "{label:<30} {:>9.3} {:>7.3} {:>8} {:>10}",
            s.precision, s.recall, s.support, s.predicted
        );
    }
    println!(
        "micro: precision {:.3}  recall {:.3}  f1 {:.3}",
        scores.micro.precision, scores.micro.recall, scores.micro.f1
    );
    println!(
        "false-positive rate on no-intent utterances: {:.3}",
        scores.false_positive_rate
    );
    Ok(())
}

/// `target/skills/<name>.wasm` beside the running binary (target/release/),
/// else under the current folder.
fn default_skill_path(name: &str) -> Result<PathBuf, Failure> {
    let file = format!("{name}.wasm");
    let beside_exe = std::env::current_exe().ok().and_then(|exe| {
        exe.parent()
            .and_then(|d| d.parent())
            .map(|t| t.join("skills").join(&file))
    });
    let candidates = beside_exe
        .into_iter()
        .chain([PathBuf::from("target/skills").join(&file)]);
    for c in candidates {
        if c.is_file() {
            return Ok(c);
        }
    }
    Err(Failure::usage(format!(
        "cannot find {file}: build the skills with `cargo xtask build` or pass --skill PATH"
    )))
}
