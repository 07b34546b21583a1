//! Loading one skill file: compile, check the world and the imports against
//! the grants, call `describe`, validate the manifest and compile its
//! schemas.
//!
//! A component importing `wasi:http` must declare some `http:` capability.
//! With a concrete `http:<host>` declaration it must also be granted one; a
//! skill declaring `http:*` (hosts known only at run time) loads even when
//! no host is granted: its calls are denied at run time and it degrades.
//! So does a skill declaring `llm` that is not granted it: a model is never
//! required (it may not be configured either), so every skill that asks
//! for one already answers without it. `context:attachments` is the same:
//! a skill declaring it loads without the grant (an operator's grants file
//! written before it existed, or `baton skill run` with the event's words
//! inline) and each read is denied at run time; only the context tiers
//! (`context:org`, `context:contact`, `context:external:*`) must be granted
//! at load when declared.
//!
//! WASI imports need nothing: the sockets, filesystem and environment a
//! componentized interpreter imports are refused by each call's WASI
//! context (no TCP, UDP or name lookup; no preopen but `/data` with
//! `files`; no environment), not at load.

use super::grants::Grants;
use super::manifest::{Manifest, ManifestError};
use crate::{
    CallContext, CallInput, CallResult, Capability, CapabilitySet, Compile, Limits, Runtime,
    RuntimeError, Schema, SkillPre, Tier,
};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Largest skill file accepted.
const MAX_SKILL_BYTES: u64 = 64 << 20;

/// A skill version ready to be called.
#[derive(Clone)]
pub struct LoadedSkill {
    pub manifest: Manifest,
    /// Hex sha256 of the component file.
    pub sha256: String,
    /// Where it was loaded from.
    pub path: PathBuf,
    /// The component file itself (kept for rollback and for replicas).
    pub bytes: Arc<[u8]>,
    /// Declared ∩ granted.
    pub effective: Arc<CapabilitySet>,
    /// The skill's read-only data folder (`<name>.data/` beside the file), if any.
    pub data_dir: Option<PathBuf>,
    /// The manifest's `input_schema`, compiled: what a step's params must match.
    pub params_schema: Schema,
    /// The manifest's `output_schema`, compiled: what every output's data must match.
    pub output_schema: Schema,
    pub pre: SkillPre,
}

impl LoadedSkill {
    /// Which compiler made the code this version runs.
    pub fn tier(&self) -> Tier {
        self.pre.tier()
    }

    /// Run one call with this version's effective capabilities and data
    /// folder. An output whose data breaks the output schema is the call's
    /// error ([`RuntimeError::OutputSchema`]): no caller sees it as a result.
    pub async fn call(
        &self,
        input: &CallInput,
        limits: &Limits,
        context: Arc<CallContext>,
    ) -> CallResult {
        let mut result = self
            .pre
            .call(
                &self.manifest.name,
                input,
                limits,
                self.effective.clone(),
                context,
                self.data_dir.as_deref(),
            )
            .await;
        result.outcome = result
            .outcome
            .and_then(|out| out.conform(&self.output_schema));
        result
    }
}

impl std::fmt::Debug for LoadedSkill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedSkill")
            .field("name", &self.manifest.name)
            .field("version", &self.manifest.version.to_string())
            .field("sha256", &self.sha256)
            .finish()
    }
}

/// Why a skill file was refused.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {}", .error.report())]
    Invalid { path: String, error: RuntimeError },
    #[error("{path}: {0}", .error)]
    Manifest { path: String, error: ManifestError },
    /// The component imports an interface the operator has not granted.
    #[error("{path}: skill `{skill}` imports `{interface}` but {reason}")]
    NotGranted {
        path: String,
        skill: String,
        interface: String,
        reason: String,
    },
    /// The component imports an interface its manifest does not declare, or
    /// one no skill may use.
    #[error("{path}: skill `{skill}` imports `{interface}` but {reason}")]
    Undeclared {
        path: String,
        skill: String,
        interface: String,
        reason: String,
    },
}

impl LoadError {
    /// The same refusal naming the file as `shown`: an upload is refused as
    /// what it is, not by the path it would have been written to.
    pub(crate) fn shown_as(mut self, shown: &str) -> LoadError {
        match &mut self {
            LoadError::Read { path, .. }
            | LoadError::Invalid { path, .. }
            | LoadError::Manifest { path, .. }
            | LoadError::NotGranted { path, .. }
            | LoadError::Undeclared { path, .. } => *path = shown.to_owned(),
        }
        self
    }
}

/// What an import needs.
enum Need {
    Nothing,
    /// Any capability matching the predicate; the text names them.
    Any(fn(&Capability) -> bool, &'static str),
    /// A declaration only: without the grant its calls are denied at run
    /// time (audited) and the skill does without.
    Declared(Capability, &'static str),
    /// Outbound HTTP: an `http:` declaration; granted unless it is `http:*`.
    Http,
    /// The `context` interface: some `context:` declaration; a declared tier
    /// granted (attachments alone are a declaration only).
    Context,
}

fn need(import: &str) -> Need {
    let iface = import.split('@').next().unwrap_or(import);
    match iface {
        "baton:skill/types" | "baton:skill/log" => Need::Nothing,
        "baton:skill/context" => Need::Context,
        "baton:skill/approvals" => Need::Any(|c| *c == Capability::Approvals, "`approvals`"),
        "baton:skill/llm" => Need::Declared(Capability::Llm, "`llm`"),
        "wasi:http/outgoing-handler" | "wasi:http/types" => Need::Http,
        // JS and Python toolchains import the whole of WASI. Every call's
        // WASI context denies TCP, UDP and name lookup, so the import is
        // harmless: a socket call fails at run time (tests/guests/sockets).
        _ => Need::Nothing,
    }
}

/// Load, check and describe the skill at `path`.
pub async fn load_skill(
    runtime: &Runtime,
    path: &Path,
    grants: &Grants,
) -> Result<LoadedSkill, LoadError> {
    let shown = path.display().to_string();
    let read_err = |source| LoadError::Read {
        path: shown.clone(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read_err)?;
    check_size(&shown, meta.len())?;
    let bytes = std::fs::read(path).map_err(read_err)?;
    load_bytes(
        runtime,
        bytes.into(),
        None,
        path,
        grants,
        Compile::Optimized,
    )
    .await
}

/// Refuse a file larger than [`MAX_SKILL_BYTES`] before reading it.
pub(super) fn check_size(shown: &str, len: u64) -> Result<(), LoadError> {
    if len > MAX_SKILL_BYTES {
        return Err(LoadError::Invalid {
            path: shown.to_owned(),
            error: RuntimeError::InvalidComponent(format!(
                "file is {len} bytes; the limit is {MAX_SKILL_BYTES}"
            )),
        });
    }
    Ok(())
}

/// Hex sha256 of a component file.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Compile as `how` asks (off the async threads), check and describe the
/// component `bytes` (whose hex sha256 is `sha256`, if the caller has it),
/// as if it were the file at `path` (named in errors; its folder holds the
/// skill's data folder).
pub(crate) async fn load_bytes(
    runtime: &Runtime,
    bytes: Arc<[u8]>,
    sha256: Option<String>,
    path: &Path,
    grants: &Grants,
    how: Compile,
) -> Result<LoadedSkill, LoadError> {
    let shown = path.display().to_string();
    check_size(&shown, bytes.len() as u64)?;
    let sha256 = sha256.unwrap_or_else(|| sha256_hex(&bytes));
    let invalid = |error| LoadError::Invalid {
        path: shown.clone(),
        error,
    };
    let (rt, code, sha) = (runtime.clone(), bytes.clone(), sha256.clone());
    let (component, runtime) = tokio::task::spawn_blocking(move || rt.compile_as(&code, &sha, how))
        .await
        .map_err(|e| invalid(RuntimeError::host_by("compile task", e)))?
        .map_err(invalid)?;
    let runtime = &runtime;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown.clone());
    let pre = runtime.prepare(&file_name, &component).map_err(|e| {
        invalid(match e {
            RuntimeError::InvalidComponent(m) if runtime.exports(&component).iter().any(|x| x.starts_with("wasi:cli/run")) => {
                RuntimeError::InvalidComponent(format!(
                    "{m}; it is a `wasi:cli` command, not a baton skill (write skills with baton-sdk)"
                ))
            }
            other => other,
        })
    })?;
    let raw = pre.describe().await.map_err(invalid)?;
    let manifest = Manifest::validate(raw).map_err(|error| LoadError::Manifest {
        path: shown.clone(),
        error,
    })?;
    let (params_schema, output_schema) =
        manifest
            .compile_schemas()
            .map_err(|error| LoadError::Manifest {
                path: shown.clone(),
                error,
            })?;
    let granted = grants.for_skill(&manifest.name, &manifest.capabilities);
    let effective = CapabilitySet::effective(&manifest.capabilities, &granted);
    for import in runtime.imports(&component) {
        let (path, skill, interface) = (shown.clone(), manifest.name.clone(), import.clone());
        match need(&import) {
            Need::Nothing => {}
            Need::Any(pred, what) if !manifest.capabilities.any(pred) => {
                return Err(LoadError::Undeclared {
                    path,
                    skill,
                    interface,
                    reason: format!(
                        "its manifest declares no {what}; declare it with Manifest::capability"
                    ),
                });
            }
            Need::Any(pred, what) if !effective.any(pred) => {
                return Err(LoadError::NotGranted {
                    path,
                    reason: format!(
                        "is not granted {what}; add it under [skills.{skill}] in grants.toml or pass --grant"
                    ),
                    skill,
                    interface,
                });
            }
            Need::Any(..) => {}
            Need::Declared(cap, what) if !manifest.capabilities.any(|c| *c == cap) => {
                return Err(LoadError::Undeclared {
                    path,
                    skill,
                    interface,
                    reason: format!(
                        "its manifest declares no {what}; declare it with Manifest::capability"
                    ),
                });
            }
            Need::Declared(..) => {}
            Need::Context if !manifest.capabilities.any(Capability::is_context) => {
                return Err(LoadError::Undeclared {
                    path,
                    skill,
                    interface,
                    reason: "its manifest declares no `context:` capability; declare it with Manifest::capability".into(),
                });
            }
            Need::Context
                if manifest.capabilities.any(Capability::is_context_tier)
                    && !effective.any(Capability::is_context_tier) =>
            {
                return Err(LoadError::NotGranted {
                    path,
                    reason: format!(
                        "is not granted a `context:` tier; add it under [skills.{skill}] in grants.toml or pass --grant"
                    ),
                    skill,
                    interface,
                });
            }
            Need::Context => {}
            Need::Http => {
                let concrete = |c: &Capability| matches!(c, Capability::Http { .. });
                let wildcard = manifest.capabilities.any(|c| *c == Capability::HttpGranted);
                if !wildcard && !manifest.capabilities.any(concrete) {
                    return Err(LoadError::Undeclared {
                        path,
                        skill,
                        interface,
                        reason: "its manifest declares no `http:<host>` (or `http:*`) capability; declare it with Manifest::capability".into(),
                    });
                }
                if !wildcard && !effective.any(concrete) {
                    return Err(LoadError::NotGranted {
                        path,
                        reason: format!(
                            "is not granted an `http:<host>` capability; add it under [skills.{skill}] in grants.toml or pass --grant"
                        ),
                        skill,
                        interface,
                    });
                }
            }
        }
    }
    let data_dir = path
        .parent()
        .map(|dir| dir.join(format!("{}.data", manifest.name)))
        .filter(|d| d.is_dir());
    Ok(LoadedSkill {
        manifest,
        sha256,
        path: path.to_owned(),
        bytes,
        effective: Arc::new(effective),
        data_dir,
        params_schema,
        output_schema,
        pre,
    })
}
