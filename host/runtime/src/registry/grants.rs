//! Operator grants: which capabilities each skill may use, from a TOML file
//! plus command-line additions.
//!
//! ```toml
//! # Granted to every skill.
//! default = ["context:org"]
//!
//! [skills.detect-intents]
//! grant = ["context:contact", "llm"]
//!
//! [skills.enrich-attendees]   # declares `http:*`: name the provider's host
//! grant = ["context:external:apollo", "http:api.apollo.io"]
//! ```
//!
//! `http:*` is a declaration ("the hosts the operator grants"), never a
//! grant: a file naming it is refused, and trust-declared mode resolves a
//! declared `http:*` to no host at all (see `runtime::capability`).

use crate::{Capability, CapabilitySet};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Capabilities granted by the operator.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grants {
    /// Grant whatever a skill declares (for `baton skill check`).
    trust_declared: bool,
    default: CapabilitySet,
    per_skill: BTreeMap<String, CapabilitySet>,
}

/// A grants file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum GrantsError {
    #[error("cannot read grants file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("grants file {path}: {message}")]
    Invalid { path: String, message: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    default: Vec<String>,
    #[serde(default)]
    skills: BTreeMap<String, SkillEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SkillEntry {
    #[serde(default)]
    grant: Vec<String>,
}

impl Grants {
    /// No grants at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// Grant every skill exactly what it declares: for checking a skill's
    /// validity, never for running untrusted code in production.
    pub fn trust_declared() -> Self {
        Grants {
            trust_declared: true,
            ..Self::default()
        }
    }

    /// Parse a grants file.
    pub fn load(path: &Path) -> Result<Self, GrantsError> {
        let text = std::fs::read_to_string(path).map_err(|source| GrantsError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text).map_err(|message| GrantsError::Invalid {
            path: path.display().to_string(),
            message,
        })
    }

    /// Parse grants from TOML text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let default = grant_set(&file.default).map_err(|e| format!("default: {e}"))?;
        let per_skill = file
            .skills
            .into_iter()
            .map(|(name, entry)| {
                grant_set(&entry.grant)
                    .map(|caps| (name.clone(), caps))
                    .map_err(|e| format!("skills.{name}: {e}"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Grants {
            trust_declared: false,
            default,
            per_skill,
        })
    }

    /// Grant `capability` to every skill. `http:*` grants nothing (it is
    /// only a declaration), so it is not kept.
    pub fn grant_all(&mut self, capability: Capability) {
        if capability != Capability::HttpGranted {
            self.default.insert(capability);
        }
    }

    /// What the operator grants the skill `name`, which declares `declared`.
    pub fn for_skill(&self, name: &str, declared: &CapabilitySet) -> CapabilitySet {
        if self.trust_declared {
            return declared.clone();
        }
        let mut caps = self.default.clone();
        if let Some(extra) = self.per_skill.get(name) {
            caps.extend(extra);
        }
        caps
    }
}

/// Parse granted capabilities: anything a manifest may declare except the
/// `http:*` wildcard, which would grant every host.
fn grant_set(items: &[String]) -> Result<CapabilitySet, String> {
    if items.iter().any(|s| s == "http:*") {
        return Err(
            "`http:*` cannot be granted (it would allow every host); grant the concrete hosts, e.g. `http:api.example.com` or `http:127.0.0.1:8080`"
                .into(),
        );
    }
    CapabilitySet::parse(items).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_and_per_skill_grants_combine() {
        let g =
            Grants::parse("default = [\"context:org\"]\n[skills.a]\ngrant = [\"llm\"]\n").unwrap();
        let none = CapabilitySet::new();
        assert_eq!(
            g.for_skill("a", &none).to_strings(),
            vec!["context:org", "llm"]
        );
        assert_eq!(g.for_skill("b", &none).to_strings(), vec!["context:org"]);
    }

    #[test]
    fn unknown_capability_and_field_are_named() {
        let e = Grants::parse("[skills.a]\ngrant = [\"net\"]\n").unwrap_err();
        assert!(e.contains("skills.a") && e.contains("`net`"), "{e}");
        let e = Grants::parse("defaults = []\n").unwrap_err();
        assert!(e.contains("defaults"), "{e}");
    }

    #[test]
    fn the_http_wildcard_is_never_a_grant() {
        let e = Grants::parse("[skills.a]\ngrant = [\"http:*\"]\n").unwrap_err();
        assert!(e.contains("skills.a") && e.contains("http:*"), "{e}");
        assert!(Grants::parse("default = [\"http:*\"]\n").is_err());
        let mut g = Grants::none();
        g.grant_all(Capability::HttpGranted);
        assert!(g.for_skill("a", &CapabilitySet::new()).is_empty());
    }

    #[test]
    fn a_declared_wildcard_resolves_to_the_hosts_granted_and_to_none_when_trusted() {
        let declared = CapabilitySet::parse(&["context:external:apollo", "http:*"]).unwrap();
        let g = Grants::parse(
            "[skills.enrich]\ngrant = [\"context:external:apollo\", \"http:127.0.0.1:9000\"]\n",
        )
        .unwrap();
        let eff = CapabilitySet::effective(&declared, &g.for_skill("enrich", &declared));
        assert_eq!(
            eff.to_strings(),
            vec!["context:external:apollo", "http:127.0.0.1:9000"]
        );
        let trusted = Grants::trust_declared();
        let eff = CapabilitySet::effective(&declared, &trusted.for_skill("enrich", &declared));
        assert_eq!(eff.to_strings(), vec!["context:external:apollo"]);
    }
}
