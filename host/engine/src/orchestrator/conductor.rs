//! The [`Orchestrator`] itself and its error: the state every other file of
//! `orchestrator/` adds behaviour to (`impl Orchestrator` blocks live with
//! their concept). It assembles; it never runs a job, delivers an effect or
//! validates an event, and imports nothing from the files that do.
//!
//! Here too is the extension seam, the [`Extension`] an app built on the
//! engine implements, because the orchestrator is composed with it and its
//! hooks are handed the orchestrator. Each app is one value; the binary
//! composes them in one list ([`Extensions`]), as Spin composes its
//! factors. The engine calls the seam at fixed points and names nothing an
//! app means. Every hook has a default that does nothing:
//! - the schedule: the events an app fires on each user's local schedule
//!   ([`Extension::schedule`], done by [`Extension::fire`] once the
//!   scheduler claimed them), what it does on every scheduler pass
//!   ([`Extension::pass`]) and for each org ([`Extension::org_pass`]);
//! - a new job's event completed before its first step
//!   ([`Extension::prepare`]: what the event only links to, fetched), and
//!   what of any event's payload is stored once and carried by reference
//!   ([`Extension::attach`]: a meeting's transcript);
//! - writes with the engine's: the rows a new job writes in the same
//!   transaction as the job ([`Extension::admitted`]: what its event says
//!   already happened), the rows a finished step writes in the same
//!   transaction as the step ([`Extension::rows`]), those a
//!   disconnected account takes with it ([`Extension::on_disconnect`]),
//!   and the columns an erased attachment's words are scrubbed from
//!   ([`Extension::erasable`]);
//! - words: what a person reads for a gate, an event or an action
//!   ([`Extension::gate_title`], [`Extension::event_title`],
//!   [`Extension::action_title`]);
//! - what a gate's suggestion was based on ([`Extension::basis`]) and
//!   whether that has moved on ([`Extension::moved_on`]): the engine
//!   withdraws a gate whose inputs moved on as superseded (`superseded.rs`);
//! - the kinds an app owns: who carries them out ([`Extension::deliverer`])
//!   and their rules ([`Extension::kind`]); whether a click in a chat
//!   message it posted leaves the message ([`Extension::keeps_message`]);
//! - what the app keeps of a person: the contact tier a job is shown
//!   ([`Extension::contact`]), its preferences of a user
//!   ([`Extension::preferences`] and the hooks beside it), and the labels a
//!   "Not right" on its suggestion may name ([`Extension::labels`]);
//! - what it counts for `/metrics` ([`Extension::metrics`]);
//! - its tables' migrations ([`Extension::migrations`]).
//!
//! What the composed apps answer together (an action's words, a user's
//! preferences document, a kind's rules) is `composed.rs`'s.

use super::commit::Committer;
use super::config::Config;
use super::extension::{
    Attach, Finished, Fire, GateDraft, Hook, KindRules, Labels, PreferenceProblem, Prepared,
    Request, Understood,
};
use super::releases::Releases;
use super::sequence::{LiveSequences, Sequences};
use crate::connectors::Deliver;
use crate::registry::Registry;
use crate::runtime::LlmClient;
use crate::runtime::clock::Clock;
use crate::store::{
    ActionKind, Job, JobId, NewJob, Org, OrgId, PendingAction, Preferences, Row, Store, StoreError,
    TextColumn, User, UserId,
};
use serde_json::{Map, Value};
use std::sync::Arc;

/// Why an orchestrator operation failed.
#[derive(Debug, thiserror::Error)]
pub enum OrchestratorError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The request does not make sense (a decision that does not fit its gate).
    #[error("{0}")]
    Invalid(String),
    /// It makes sense, but policy refuses it now (the daily send cap).
    #[error("{0}")]
    Refused(String),
    #[error("{0} not found")]
    NotFound(String),
    /// A value of ours could not be written as JSON.
    #[error("internal: {0}")]
    Json(#[from] serde_json::Error),
    /// The worker's slots were closed under it.
    #[error("internal: the worker's slots are closed: {0}")]
    Slots(#[from] tokio::sync::AcquireError),
    /// A step's task panicked or was cancelled.
    #[error("internal: step task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// An app on the engine. Every hook has a default that does nothing.
pub trait Extension: Send + Sync {
    /// The app's name, for logs.
    fn name(&self) -> &'static str;

    /// The events fired on each user's local schedule.
    fn schedule(&self) -> &'static [Fire] {
        &[]
    }

    /// Do a claimed fire: how many events it submitted, or `None` to
    /// leave it to the scheduler, which submits the event with `{date,
    /// scheduled: true}`, keyed by the user and date.
    fn fire<'a>(&'a self, _due: Due<'a>) -> Hook<'a, Result<Option<usize>, OrchestratorError>> {
        Box::pin(async { Ok(None) })
    }

    /// Once each scheduler pass, before any user's fires.
    fn pass<'a>(
        &'a self,
        _orch: &'a Orchestrator,
        _now: i64,
    ) -> Hook<'a, Result<usize, OrchestratorError>> {
        Box::pin(async { Ok(0) })
    }

    /// Once each scheduler pass for each org, after its users' fires.
    fn org_pass<'a>(
        &'a self,
        _orch: &'a Orchestrator,
        _org: &'a Org,
        _now: i64,
    ) -> Hook<'a, Result<usize, OrchestratorError>> {
        Box::pin(async { Ok(0) })
    }

    /// The app's own migrations, numbered in the engine's sequence: the
    /// process opens its store with every app's
    /// (`Store::open_with`), applied with the engine's in version order.
    fn migrations(&self) -> Option<crate::store::Migrations> {
        None
    }

    /// The rows an accepted event's job writes when it is inserted, in
    /// the same transaction (never for a duplicate of a job already
    /// held): what the event says already happened, which the app's
    /// tables show at once rather than when a step gets to it. Read
    /// before the insert, at `now`; an error refuses nothing, the job is
    /// inserted without them and the error is logged.
    fn admitted<'a>(
        &'a self,
        _store: &'a Store,
        _job: &'a NewJob,
        _now: i64,
    ) -> Hook<'a, Result<Vec<Row>, StoreError>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    /// What this app makes of `job`'s event before its first step runs,
    /// asked once its worker holds it (again after a restart until a step
    /// has run, so an answer must hold when asked twice): the payload
    /// completed with what the event only linked to, nothing to run, or a
    /// failure a person reads (a store error leaves the job to be claimed
    /// again). The first app that answers other than
    /// [`Prepared::AsItIs`] decides. The worker's lease is kept alive
    /// meanwhile.
    fn prepare<'a>(
        &'a self,
        _store: &'a Store,
        _job: &'a Job,
    ) -> Hook<'a, Result<Prepared, StoreError>> {
        Box::pin(async { Ok(Prepared::AsItIs) })
    }

    /// What of an `event_type` payload this app stores once, as an
    /// attachment, and leaves in the payload by reference (`attachments.rs`
    /// moves it): asked of every payload the engine stores, an event's at
    /// the door, a completed one and a follow-up's. The first app that
    /// answers decides.
    fn attach(&self, _event_type: &str, _payload: &Value) -> Option<Attach> {
        None
    }

    /// The columns of this app's tables that may hold what a job's steps
    /// made of an attachment's words (a quote in a report, a task's words):
    /// scrubbed with the engine's when an attachment the job read is
    /// erased (`erasure/`).
    fn erasable(&self) -> &'static [TextColumn] {
        &[]
    }

    /// The rows a finished step writes with its checkpoint.
    fn rows(&self, _step: &Finished<'_>) -> Vec<Row> {
        Vec::new()
    }

    /// The rows written when connected account `account` of `org` is
    /// disconnected at `now`, in the same transaction (what the app read
    /// from it and no longer may use).
    fn on_disconnect(&self, _org: &OrgId, _account: &str, _now: i64) -> Vec<Row> {
        Vec::new()
    }

    /// The title a person reads for a gate, if this app names it.
    fn gate_title(&self, _gate: &GateDraft<'_>) -> Option<String> {
        None
    }

    /// What a gate's suggestion is based on (the inputs it read: say, the
    /// newest record of the person it drafts for), in this app's own
    /// shape, if this app checks it ([`Extension::moved_on`]). The first
    /// app that answers gives it.
    fn basis(&self, _gate: &GateDraft<'_>) -> Option<Value> {
        None
    }

    /// Whether what open gate `gate` was based on (its `basis`) has moved
    /// on: the reason a person reads, and the gate is withdrawn as
    /// superseded; `None` while it holds. Asked before the gate is decided
    /// and on each scheduler pass.
    fn moved_on<'a>(
        &'a self,
        _store: &'a Store,
        _gate: &'a PendingAction,
    ) -> Hook<'a, Result<Option<String>, StoreError>> {
        Box::pin(async { Ok(None) })
    }

    /// An event type as a person reads it, if this app names it.
    fn event_title(&self, _event: &str) -> Option<String> {
        None
    }

    /// Whether a click on a button in chat block `block_id` (one this app
    /// posted) leaves its message as it is, the outcome answered beside it
    /// (a message holding several items), rather than replacing it.
    fn keeps_message(&self, _block_id: &str) -> bool {
        false
    }

    /// Who carries out an approved effect of `kind`, if this app delivers
    /// it itself. The first app that answers carries it; without one, the
    /// deliverer the process was started with does. Asked on every
    /// delivery pass, which runs in a process that has a deliverer.
    fn deliverer(&self, _kind: ActionKind) -> Option<&dyn Deliver> {
        None
    }

    /// The rules of `kind`, if this app owns it: whether it waits for a
    /// person, what an edit of it keeps, what it sets at once, how a chat
    /// request shows it. The first app that answers owns it.
    fn kind(&self, _kind: ActionKind) -> Option<&dyn KindRules> {
        None
    }

    /// An action's title as a person reads it, if this app names it.
    fn action_title(
        &self,
        _kind: Option<ActionKind>,
        _preview: &str,
        _payload: &Value,
    ) -> Option<String> {
        None
    }

    /// What labels a "Not right" on a gate of job `job` may name, if this
    /// app made the suggestion the job carries out.
    fn labels<'a>(
        &'a self,
        _store: &'a Store,
        _org: &'a OrgId,
        _job: &'a JobId,
    ) -> Hook<'a, Result<Option<Labels>, StoreError>> {
        Box::pin(async { Ok(None) })
    }

    /// The keys of a user's preferences document that are this app's
    /// (the rest are the engine's).
    fn preference_keys(&self) -> &'static [&'static str] {
        &[]
    }

    /// This app's preferences of a user, as fields of their preferences
    /// document (shown beside the engine's in the API and the org tier).
    fn preferences<'a>(
        &'a self,
        _store: &'a Store,
        _org: &'a OrgId,
        _user: &'a UserId,
    ) -> Hook<'a, Result<Map<String, Value>, StoreError>> {
        Box::pin(async { Ok(Map::new()) })
    }

    /// What is wrong with this app's part of a preferences document (the
    /// fields under its keys; a key left out takes its default).
    fn check_preferences(&self, _doc: &Map<String, Value>) -> Result<(), PreferenceProblem> {
        Ok(())
    }

    /// Store this app's part of a preferences document
    /// ([`Extension::check_preferences`] first: one that does not read is
    /// `Invalid`).
    fn set_preferences<'a>(
        &'a self,
        _store: &'a Store,
        _org: &'a OrgId,
        _user: &'a UserId,
        _doc: &'a Map<String, Value>,
    ) -> Hook<'a, Result<(), OrchestratorError>> {
        Box::pin(async { Ok(()) })
    }

    /// What this app counts for `/metrics` at `now`, rendered after the
    /// engine's own metrics; figures computed up to `max_age_ms` before
    /// may be served again (the service's `metrics_cache_ms`).
    fn metrics<'a>(
        &'a self,
        _store: &'a Store,
        _now: i64,
        _max_age_ms: i64,
    ) -> Hook<'a, Result<Option<prometheus_client::registry::Registry>, StoreError>> {
        Box::pin(async { Ok(None) })
    }

    /// What a person's request in their own words asks for, if this app
    /// understands it (rules first; a model only where the app has one
    /// and checks its answer against what the org holds). The first app
    /// that answers `Some` gives it.
    fn understand<'a>(
        &'a self,
        _store: &'a Store,
        _request: Request<'a>,
    ) -> Hook<'a, Result<Option<Understood>, StoreError>> {
        Box::pin(async { Ok(None) })
    }

    /// Requests this app understands, as a person would type them (shown
    /// when nobody understood one).
    fn request_examples(&self) -> &'static [&'static str] {
        &[]
    }

    /// The contact tier a job's steps are shown (who the job is about,
    /// read from its payload), if this app keeps contacts; the first app
    /// that answers `Some` gives it.
    fn contact<'a>(
        &'a self,
        _store: &'a Store,
        _job: &'a Job,
    ) -> Hook<'a, Result<Option<Value>, StoreError>> {
        Box::pin(async { Ok(None) })
    }
}

/// The extensions one process runs, in the order they were composed.
pub type Extensions = Arc<[Arc<dyn Extension>]>;

/// A scheduled fire that is due and claimed for one user
/// (`scheduler.rs` submits it).
pub struct Due<'a> {
    pub orch: &'a Orchestrator,
    pub org: &'a Org,
    pub user: &'a User,
    pub prefs: &'a Preferences,
    pub event: &'static str,
    /// The user's local date, `YYYY-MM-DD`.
    pub date: &'a str,
    pub now: i64,
}

/// The conductor, shared by the workers of one process.
pub struct Orchestrator {
    pub store: Store,
    pub registry: Arc<Registry>,
    /// The skill release log this process follows (replicas, rollback,
    /// pinned versions).
    pub releases: Arc<Releases>,
    /// The sequences serving now; [`Orchestrator::sequences`] reads them.
    pub live_sequences: Arc<LiveSequences>,
    pub clock: Arc<dyn Clock>,
    pub config: Config,
    pub llm: Option<Arc<dyn LlmClient>>,
    /// The apps plugged into the engine's seam (`extension.rs`).
    extensions: Extensions,
    /// The vault provider keys are opened with, once lent
    /// ([`Orchestrator::lend_provider_keys`]): none, no keys are injected.
    provider_vault: std::sync::OnceLock<crate::accounts::Vault>,
    /// Candidate versions run beside the live ones on this process's calls.
    pub shadows: Arc<crate::replay::Shadows>,
    pub(super) worker_id: String,
    pub(super) committer: Committer,
    /// Woken when a committed step opened a gate or queued a notification,
    /// so the notifier tells the rep at once rather than at its next poll.
    pub(super) to_announce: Arc<tokio::sync::Notify>,
    /// Woken when a job became runnable here (accepted, or decided), so a
    /// worker claims it at once rather than at its next poll.
    pub(super) to_run: tokio::sync::Notify,
}

impl Orchestrator {
    /// Assemble an orchestrator; starts its commit task on the current
    /// tokio runtime.
    pub fn new(
        store: Store,
        registry: Arc<Registry>,
        sequences: Sequences,
        clock: Arc<dyn Clock>,
        config: Config,
        extensions: Extensions,
    ) -> Arc<Orchestrator> {
        Orchestrator::with_llm(store, registry, sequences, clock, config, extensions, None)
    }

    /// [`Orchestrator::new`] with an LLM connector lent to skills that
    /// declare the capability.
    pub fn with_llm(
        store: Store,
        registry: Arc<Registry>,
        sequences: Sequences,
        clock: Arc<dyn Clock>,
        config: Config,
        extensions: Extensions,
        llm: Option<Arc<dyn LlmClient>>,
    ) -> Arc<Orchestrator> {
        let committer = Committer::start(store.clone());
        let dir = sequences.dir().map(|d| d.to_owned());
        let mut sequences = sequences;
        // Laid out with the skills known now; again once they have loaded
        // (`Orchestrator::settle_sequences`).
        let refused = sequences.lay_out(|s| registry.get(s).map(|k| k.manifest.flow.clone()));
        sequences.errors.extend(refused);
        Arc::new(Orchestrator {
            worker_id: format!("{}-{}", std::process::id(), crate::store::new_id()),
            releases: Releases::new(store.clone(), registry.clone()),
            store,
            registry,
            live_sequences: Arc::new(LiveSequences::new(sequences, dir)),
            clock,
            config,
            llm,
            extensions,
            provider_vault: std::sync::OnceLock::new(),
            shadows: Arc::default(),
            committer,
            to_announce: Arc::default(),
            to_run: tokio::sync::Notify::new(),
        })
    }

    /// The apps plugged into the engine, in the order they were composed.
    pub fn extensions(&self) -> &Extensions {
        &self.extensions
    }

    /// Inject the provider keys kept in the store (opened with `vault`)
    /// into skills' granted outbound requests. The first vault lent stays.
    pub fn lend_provider_keys(&self, vault: crate::accounts::Vault) {
        let _ = self.provider_vault.set(vault);
    }

    /// The provider keys for a call of `job` of `org`, if a vault was lent.
    pub(crate) fn provider_keys(
        &self,
        org: &crate::store::OrgId,
        job: &crate::store::JobId,
    ) -> Option<Arc<dyn crate::runtime::ProviderKeys>> {
        let vault = self.provider_vault.get()?;
        Some(Arc::new(crate::accounts::keys::KeyRing {
            store: self.store.clone(),
            vault: vault.clone(),
            clock: self.clock.clone(),
            org: org.clone(),
            job: job.clone(),
        }))
    }

    /// Notified when there is something new for the notifier (see
    /// [`super::notify::Notifier::run`]); other replicas' work is
    /// found by its poll.
    pub fn to_announce(&self) -> Arc<tokio::sync::Notify> {
        self.to_announce.clone()
    }

    /// The sequences serving now (one snapshot; hold it for a whole use).
    pub fn sequences(&self) -> Arc<Sequences> {
        self.live_sequences.current()
    }

    /// This process's worker id (lease owner).
    pub fn worker_id(&self) -> &str {
        &self.worker_id
    }
}
