//! What the orchestrator commands share: opening the database, the skills,
//! the sequences and the config; picking the org; mapping errors.

use super::args::DatabaseArg;
use super::args::GrantArgs;
use super::exit::{Exit, Failure};
use crate::orchestrator::sequence::{self, SequenceError};
use crate::orchestrator::{Clock, Config, Orchestrator, OrchestratorError, Sequences, SystemClock};
use crate::registry::{Grants, Registry};
use crate::runtime::{Runtime, RuntimeConfig};
use crate::store::{Org, Store, StoreError};
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;

/// Where the orchestrator's parts come from.
#[derive(Args, Debug)]
pub(super) struct ConductorArgs {
    #[command(flatten)]
    pub db: DatabaseArg,
    /// The folder of sequence files.
    #[arg(
        long,
        env = "BATON_SEQUENCES",
        default_value = "sequences",
        value_name = "DIR"
    )]
    pub sequences: PathBuf,
    /// The folder of installed skills (`*.wasm`).
    #[arg(
        long,
        env = "BATON_SKILLS",
        default_value = "target/skills",
        value_name = "DIR"
    )]
    pub skills: PathBuf,
    /// Settings and prices (TOML, `[runner]` and `[pricing]`).
    #[arg(long, env = "BATON_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub grants: GrantArgs,
}

impl ConductorArgs {
    /// Open everything and assemble the orchestrator. Sequence files with
    /// errors are fatal; sequences whose skills are missing are reported on
    /// stderr (their events are refused) when `report` is set.
    pub(super) async fn open(&self, report: bool) -> Result<Arc<Orchestrator>, Failure> {
        let config = self.config()?;
        let orch = self.assemble(config, None, Arc::new(SystemClock)).await?;
        self.load_skills(&orch, |_, _| {}).await?;
        if report {
            report_problems(&orch);
        }
        Ok(orch)
    }

    /// Load the skills folder into `orch`'s registry (progress as
    /// `(loaded, of)`). Step params that break their skill's params schema
    /// are fatal. One-shot commands run the folder as it is; the long-lived
    /// `baton worker` then follows the release log
    /// ([`crate::orchestrator::releases::Releases::reconcile`]).
    pub(crate) async fn load_skills(
        &self,
        orch: &Orchestrator,
        progress: impl Fn(usize, usize),
    ) -> Result<(), Failure> {
        let how = crate::runtime::Compile::Optimized;
        orch.registry
            .load_folder(progress, how)
            .await
            .map_err(|e| {
                Failure::usage(format!(
                    "cannot read skills from {}: {e} (build them with `cargo xtask build`)",
                    self.skills.display()
                ))
            })?;
        refuse("invalid sequences", &orch.settle_sequences())?;
        // Each event serves its recorded version (as `baton serve` does).
        for p in orch.refresh_heads().await? {
            eprintln!("warning: {p}");
        }
        Ok(())
    }

    /// The config file (`--config`), or the defaults.
    pub(super) fn config(&self) -> Result<Config, Failure> {
        match &self.config {
            Some(path) => Config::load(path).map_err(|e| Failure::usage(e.to_string())),
            None => Ok(Config::default()),
        }
    }

    /// The orchestrator with a given config, LLM connector and clock, its
    /// skills not loaded yet ([`ConductorArgs::load_skills`] loads them).
    pub(crate) async fn assemble(
        &self,
        config: Config,
        llm: Option<Arc<dyn crate::runtime::LlmClient>>,
        clock: Arc<dyn Clock>,
    ) -> Result<Arc<Orchestrator>, Failure> {
        let sequences = Sequences::load(&self.sequences).map_err(|e| {
            Failure::usage(format!(
                "cannot read sequences from {}: {e}",
                self.sequences.display()
            ))
        })?;
        refuse("invalid sequence files", &sequences.errors)?;
        let store = self.db.open().await?;
        let grants = if self.grants.any() {
            self.grants.load()?
        } else {
            Grants::trust_declared()
        };
        let runtime = Runtime::new(RuntimeConfig {
            cache_dir: super::args::cache_dir(),
            ..RuntimeConfig::default()
        })
        .map_err(|e| Failure::new(Exit::Internal, e.to_string()))?;
        let registry = Registry::empty(runtime, &self.skills, grants).map_err(|e| {
            Failure::usage(format!(
                "cannot read skills from {}: {e} (build them with `cargo xtask build`)",
                self.skills.display()
            ))
        })?;
        // The engine composed with its apps: the one list.
        Ok(Orchestrator::with_llm(
            store,
            registry,
            sequences,
            clock,
            config,
            crate::sales::extensions(),
            llm,
        ))
    }
}

/// Say on stderr which skill files were refused and which sequences cannot
/// run for want of a skill.
pub(crate) fn report_problems(orch: &Orchestrator) {
    for p in orch.registry.problems() {
        eprintln!("warning: skill {} not loaded: {}", p.path, p.reason);
    }
    for seq in orch.sequences().iter() {
        let missing = orch.missing_skills(seq);
        if !missing.is_empty() {
            eprintln!(
                "warning: `{}` events are refused until these skills are installed: {} ({})",
                seq.event,
                missing.join(", "),
                seq.file.display()
            );
        }
    }
}

/// A usage failure listing `errors` under `what`, if there are any.
fn refuse(what: &str, errors: &[SequenceError]) -> Result<(), Failure> {
    if errors.is_empty() {
        return Ok(());
    }
    Err(Failure::usage(format!(
        "{what}:{}",
        sequence::lines(errors)
    )))
}

/// The org a command works on, and its database.
#[derive(Args, Debug)]
pub(super) struct OrgArgs {
    /// The org's slug (optional when the database holds one org).
    #[arg(long)]
    pub org: Option<String>,
    #[command(flatten)]
    pub db: DatabaseArg,
}

impl OrgArgs {
    /// Open the database and find the org.
    pub(super) async fn open(&self) -> Result<(Store, Org), Failure> {
        let store = self.db.open().await?;
        let org = pick_org(&store, self.org.as_deref()).await?;
        Ok((store, org))
    }
}

/// The org named by `--org`, or the only org if there is one.
pub(crate) async fn pick_org(store: &Store, slug: Option<&str>) -> Result<Org, Failure> {
    if let Some(slug) = slug {
        return store
            .org_by_slug(slug)
            .await
            .map_err(store_failure)?
            .ok_or_else(|| {
                Failure::usage(format!("no org `{slug}` (import one with `baton import`)"))
            });
    }
    let mut orgs = store.orgs().await.map_err(store_failure)?;
    match orgs.len() {
        1 => Ok(orgs.remove(0)),
        0 => Err(Failure::usage(
            "the database has no org yet: `baton import examples/demo.json` makes one",
        )),
        _ => Err(Failure::usage(format!(
            "the database has several orgs; pick one with --org ({})",
            orgs.iter()
                .map(|o| o.slug.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// A storage failure as the CLI reports it.
pub(crate) fn store_failure(e: StoreError) -> Failure {
    match e {
        StoreError::NotFound(m) => Failure::usage(format!("{m} not found")),
        StoreError::Stale(m) => Failure::new(Exit::Refused, m),
        other => Failure::new(Exit::Internal, other.to_string()),
    }
}

impl From<OrchestratorError> for Failure {
    fn from(e: OrchestratorError) -> Self {
        match e {
            OrchestratorError::Store(e) => store_failure(e),
            OrchestratorError::Invalid(m) => Failure::usage(m),
            OrchestratorError::NotFound(m) => Failure::usage(format!("{m} not found")),
            OrchestratorError::Refused(m) => Failure::new(Exit::Refused, m),
            e @ (OrchestratorError::Json(_)
            | OrchestratorError::Slots(_)
            | OrchestratorError::Task(_)) => Failure::new(Exit::Internal, e.to_string()),
        }
    }
}
