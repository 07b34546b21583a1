//! `baton eval intents FILE [--skill PATH] [--json]` and
//! `baton eval calls DIR [--skill PATH] [--json]` and
//! `baton eval emails FILE [--skill PATH] [--json]` and
//! `baton eval export [--since 30d] [--kind intents|emails] [--out FILE]`.

use super::args::DatabaseArg;
use super::conductor::{pick_org, store_failure};
use super::exit::{Exit, Failure};
use super::io::print_json;
use super::skill::cli_runtime;
use crate::eval::export::{self, ExportKind};
use crate::eval::{calls, emails, intents};
use crate::registry::{Grants, load_skill};
use crate::runtime::{CallContext, Limits};
use clap::Subcommand;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(Subcommand, Debug)]
pub(super) enum EvalCommand {
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
    /// Run an intent-detection skill over whole sales calls (a folder of
    /// normalized transcripts with `sales_calls_metadata.json`) and set what
    /// it finds against each call's recorded outcome.
    Calls {
        dir: PathBuf,
        /// The skill to evaluate (default: target/skills/detect-intents.wasm).
        #[arg(long, value_name = "PATH.wasm")]
        skill: Option<PathBuf>,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Run an email classifier over labelled emails (JSON Lines of
    /// {"id","from","subject","body","label"}, optional "headers") and print
    /// accuracy and per-label precision and recall.
    Emails {
        file: PathBuf,
        /// The skill to evaluate (default: target/skills/classify-email-intent.wasm).
        #[arg(long, value_name = "PATH.wasm")]
        skill: Option<PathBuf>,
        /// Print one JSON object {"accuracy", "labels": {LABEL: {"precision", "recall", "support"}}}.
        #[arg(long)]
        json: bool,
    },
    /// Write the label corrections reps made with "Not right" as evaluation
    /// cases (JSON Lines in the format `eval intents` / `eval emails`
    /// read), ids `fb-<approval id>`, labels as corrected.
    Export {
        /// How far back: `30d`, `12h`, `2w`, or an RFC 3339 date or time.
        #[arg(long, default_value = "30d")]
        since: String,
        /// Which set: intent corrections or email corrections.
        #[arg(long, value_enum, default_value = "intents")]
        kind: ExportKind,
        /// Write here (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// The org (needed when the database holds several).
        #[arg(long)]
        org: Option<String>,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

pub(super) async fn run(cmd: EvalCommand) -> Result<(), Failure> {
    match cmd {
        EvalCommand::Intents { file, skill, json } => eval_intents(file, skill, json).await,
        EvalCommand::Calls { dir, skill, json } => eval_calls(dir, skill, json).await,
        EvalCommand::Emails { file, skill, json } => eval_emails(file, skill, json).await,
        EvalCommand::Export {
            since,
            kind,
            out,
            org,
            db,
        } => eval_export(&since, kind, out, org.as_deref(), &db).await,
    }
}

async fn eval_export(
    since: &str,
    kind: ExportKind,
    out: Option<PathBuf>,
    org: Option<&str>,
    db: &DatabaseArg,
) -> Result<(), Failure> {
    let now = jiff::Timestamp::now().as_millisecond();
    let since = export::since(since, now).map_err(Failure::usage)?;
    let store = db.open().await?;
    let org = pick_org(&store, org).await?;
    let found = export::export(&store, &org.id, since, kind)
        .await
        .map_err(store_failure)?;
    let mut text = found.lines.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    let what = match kind {
        ExportKind::Intents => "intent",
        ExportKind::Emails => "email",
    };
    let to = match &out {
        Some(path) => {
            std::fs::write(path, &text)
                .map_err(|e| Failure::usage(format!("cannot write {}: {e}", path.display())))?;
            path.display().to_string()
        }
        None => {
            use std::io::Write;
            std::io::stdout()
                .write_all(text.as_bytes())
                .map_err(|e| Failure::new(Exit::Internal, format!("cannot write: {e}")))?;
            "standard output".to_owned()
        }
    };
    eprintln!(
        "wrote {} {what} case{} to {to}{}",
        found.lines.len(),
        if found.lines.len() == 1 { "" } else { "s" },
        match found.passed_over {
            0 => String::new(),
            n => format!(
                " ({n} other \"Not right\" mark{} in the window {} not a correction of {what} labels)",
                if n == 1 { "" } else { "s" },
                if n == 1 { "is" } else { "are" }
            ),
        }
    );
    store.close().await;
    Ok(())
}

/// The skill to evaluate, loaded and trusted with what it declares.
async fn load(
    skill: Option<PathBuf>,
    default: &str,
) -> Result<(PathBuf, crate::registry::LoadedSkill), Failure> {
    let path = match skill {
        Some(p) => p,
        None => default_skill_path(default)?,
    };
    let runtime = cli_runtime()?;
    let loaded = load_skill(&runtime, &path, &Grants::trust_declared()).await?;
    Ok((path, loaded))
}

/// Run `examples` as one transcript; the labels found per utterance.
async fn detect(
    skill: &crate::registry::LoadedSkill,
    path: &std::path::Path,
    examples: &[intents::Example],
) -> Result<Vec<std::collections::BTreeSet<String>>, Failure> {
    let input = intents::transcript_input(examples);
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
    intents::predictions(&output, examples.len())
        .map_err(|e| Failure::new(Exit::Skill, format!("{}: {e}", path.display())))
}

async fn eval_calls(dir: PathBuf, skill: Option<PathBuf>, json: bool) -> Result<(), Failure> {
    let meta_path = dir.join("sales_calls_metadata.json");
    let meta: serde_json::Value = std::fs::read_to_string(&meta_path)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", meta_path.display())))
        .and_then(|t| {
            serde_json::from_str(&t)
                .map_err(|e| Failure::usage(format!("{}: {e}", meta_path.display())))
        })?;
    let Some(entries) = meta.as_object() else {
        return Err(Failure::usage(format!(
            "{}: expected an object keyed by call id",
            meta_path.display()
        )));
    };
    let (path, skill) = load(skill, "detect-intents").await?;
    let mut reports = Vec::new();
    for (id, m) in entries {
        let file = dir.join(format!("{id}.jsonl"));
        let text = std::fs::read_to_string(&file)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?;
        let call = calls::parse_call(id, &text, m).map_err(Failure::usage)?;
        let detected = detect(&skill, &path, &call.examples).await?;
        reports.push(calls::report(&call, &detected));
    }
    let checked = reports.iter().filter(|r| r.agrees.is_some()).count();
    let agree = reports.iter().filter(|r| r.agrees == Some(true)).count();
    if json {
        return print_json(&serde_json::json!({
            "calls": reports, "checked": checked, "agree": agree,
        }));
    }
    for r in &reports {
        let verdict = match r.agrees {
            Some(true) => "agrees",
            Some(false) => "DISAGREES",
            None => "-",
        };
        println!(
            "{} ({} utterances) outcome: {}  [{verdict}]",
            r.id,
            r.utterances,
            r.outcome.as_deref().unwrap_or("(none recorded)")
        );
        for (label, n) in &r.found {
            println!("    {label:<30} {n}");
        }
    }
    println!("{agree} of {checked} calls with a checkable outcome agree");
    Ok(())
}

async fn eval_intents(file: PathBuf, skill: Option<PathBuf>, json: bool) -> Result<(), Failure> {
    let text = std::fs::read_to_string(&file)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?;
    let examples = intents::parse_jsonl(&text)
        .map_err(|e| Failure::usage(format!("{}: {e}", file.display())))?;
    let (skill_path, skill) = load(skill, "detect-intents").await?;
    let predicted = detect(&skill, &skill_path, &examples).await?;
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

async fn eval_emails(file: PathBuf, skill: Option<PathBuf>, json: bool) -> Result<(), Failure> {
    let text = std::fs::read_to_string(&file)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?;
    let examples = emails::parse_jsonl(&text)
        .map_err(|e| Failure::usage(format!("{}: {e}", file.display())))?;
    let (path, skill) = load(skill, "classify-email-intent").await?;
    let limits = Limits {
        fuel: skill.manifest.default_fuel.saturating_mul(10),
        timeout: Duration::from_secs(30),
        ..Limits::default()
    };
    let mut predicted = Vec::with_capacity(examples.len());
    for (n, ex) in examples.iter().enumerate() {
        if !json && examples.len() >= 100 && n > 0 && n % 100 == 0 {
            eprintln!("classified {n} of {} emails", examples.len());
        }
        let result = skill
            .call(
                &emails::email_input(ex),
                &limits,
                Arc::new(CallContext::default()),
            )
            .await;
        let output = result
            .outcome
            .map_err(|e| Failure::new(Exit::Skill, format!("email {}: {e}", ex.id)))?;
        predicted.push(
            emails::prediction(&output)
                .map_err(|e| Failure::new(Exit::Skill, format!("{}: {e}", path.display())))?,
        );
    }
    let scores = emails::score(&examples, &predicted);
    if json {
        let value = serde_json::to_value(&scores)
            .map_err(|e| Failure::new(Exit::Internal, e.to_string()))?;
        return print_json(&value);
    }
    println!(
        "{} emails, skill {} {}",
        examples.len(),
        skill.manifest.name,
        skill.manifest.version
    );
    println!(
        "{:<20} {:>9} {:>7} {:>8} {:>10}",
        "LABEL", "PRECISION", "RECALL", "SUPPORT", "PREDICTED"
    );
    for label in emails::LABELS {
        let s = &scores.labels[label];
        println!(
            "{label:<20} {:>9.3} {:>7.3} {:>8} {:>10}",
            s.precision, s.recall, s.support, s.predicted
        );
    }
    println!("accuracy {:.3}", scores.accuracy);
    if !scores.misses.is_empty() {
        println!("misclassified:");
        for m in &scores.misses {
            println!("  {:<14} {} -> {}", m.id, m.expected, m.predicted);
        }
    }
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
