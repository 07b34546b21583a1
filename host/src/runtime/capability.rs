//! Capabilities: what a skill may do beyond pure computation.
//!
//! A skill's effective capabilities are those its manifest declares AND the
//! operator grants. Each host import checks the effective set before it does
//! anything; the registry also refuses, at load, a component that imports an
//! interface for which nothing is granted.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// One capability, parsed from its text form (see `wit/skill.wit`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Capability {
    /// `context:org`
    ContextOrg,
    /// `context:contact`
    ContextContact,
    /// `context:external:<provider>`
    ContextExternal(String),
    /// `approvals`
    Approvals,
    /// `llm`
    Llm,
    /// `http:<host>` (any port) or `http:<host>:<port>`.
    Http { host: String, port: Option<u16> },
    /// `files`: read-only access to the skill's own data folder.
    Files,
}

/// A capability string that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown capability `{0}`: expected context:org, context:contact, context:external:<provider>, approvals, llm, http:<host>[:<port>] or files"
)]
pub struct UnknownCapability(pub String);

impl FromStr for Capability {
    type Err = UnknownCapability;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || UnknownCapability(s.to_owned());
        let valid_name = |n: &str| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        match s {
            "context:org" => return Ok(Capability::ContextOrg),
            "context:contact" => return Ok(Capability::ContextContact),
            "approvals" => return Ok(Capability::Approvals),
            "llm" => return Ok(Capability::Llm),
            "files" => return Ok(Capability::Files),
            _ => {}
        }
        if let Some(provider) = s.strip_prefix("context:external:") {
            return if valid_name(provider) {
                Ok(Capability::ContextExternal(provider.to_owned()))
            } else {
                Err(bad())
            };
        }
        if let Some(rest) = s.strip_prefix("http:") {
            let (host, port) = match rest.rsplit_once(':') {
                Some((h, p)) => (h, Some(p.parse::<u16>().map_err(|_| bad())?)),
                None => (rest, None),
            };
            return if valid_name(host) {
                Ok(Capability::Http {
                    host: host.to_ascii_lowercase(),
                    port,
                })
            } else {
                Err(bad())
            };
        }
        Err(bad())
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Capability::ContextOrg => f.write_str("context:org"),
            Capability::ContextContact => f.write_str("context:contact"),
            Capability::ContextExternal(p) => write!(f, "context:external:{p}"),
            Capability::Approvals => f.write_str("approvals"),
            Capability::Llm => f.write_str("llm"),
            Capability::Http {
                host,
                port: Some(p),
            } => write!(f, "http:{host}:{p}"),
            Capability::Http { host, port: None } => write!(f, "http:{host}"),
            Capability::Files => f.write_str("files"),
        }
    }
}

impl Capability {
    /// Whether holding `self` (a grant) permits `wanted` (a declaration or a
    /// use). Equal capabilities cover each other; `http:<host>` covers every
    /// port of that host.
    pub fn covers(&self, wanted: &Capability) -> bool {
        match (self, wanted) {
            (
                Capability::Http {
                    host: h1,
                    port: None,
                },
                Capability::Http { host: h2, .. },
            ) => h1 == h2,
            _ => self == wanted,
        }
    }
}

/// A set of capabilities.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CapabilitySet(BTreeSet<Capability>);

impl CapabilitySet {
    /// The empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parse each string; fails on the first unknown one.
    pub fn parse<S: AsRef<str>>(items: &[S]) -> Result<Self, UnknownCapability> {
        items
            .iter()
            .map(|s| s.as_ref().parse())
            .collect::<Result<BTreeSet<_>, _>>()
            .map(CapabilitySet)
    }

    /// Add one capability.
    pub fn insert(&mut self, c: Capability) {
        self.0.insert(c);
    }

    /// Add all of `other`.
    pub fn extend(&mut self, other: &CapabilitySet) {
        self.0.extend(other.0.iter().cloned());
    }

    /// Whether some member covers `wanted`.
    pub fn permits(&self, wanted: &Capability) -> bool {
        self.0.iter().any(|c| c.covers(wanted))
    }

    /// The intersection of what a skill declares and what the operator
    /// grants: the effective set. Where one side is narrower (a port), the
    /// narrower capability is the one kept.
    pub fn effective(declared: &CapabilitySet, granted: &CapabilitySet) -> CapabilitySet {
        let mut out = BTreeSet::new();
        for d in &declared.0 {
            for g in &granted.0 {
                if g.covers(d) {
                    out.insert(d.clone());
                } else if d.covers(g) {
                    out.insert(g.clone());
                }
            }
        }
        CapabilitySet(out)
    }

    /// Whether any member satisfies `pred`.
    pub fn any(&self, pred: impl Fn(&Capability) -> bool) -> bool {
        self.0.iter().any(pred)
    }

    /// Iterate in order.
    pub fn iter(&self) -> impl Iterator<Item = &Capability> {
        self.0.iter()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The text forms, in order.
    pub fn to_strings(&self) -> Vec<String> {
        self.0.iter().map(ToString::to_string).collect()
    }

    /// Whether outbound HTTP to `host:port` is permitted.
    pub fn permits_http(&self, host: &str, port: u16) -> bool {
        self.permits(&Capability::Http {
            host: host.to_ascii_lowercase(),
            port: Some(port),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_every_form() {
        for s in [
            "context:org",
            "context:contact",
            "context:external:clearbit",
            "approvals",
            "llm",
            "http:api.example.com",
            "http:127.0.0.1:8080",
            "files",
        ] {
            let c: Capability = s.parse().expect(s);
            assert_eq!(c.to_string(), s);
        }
    }

    #[test]
    fn rejects_unknown_and_malformed() {
        for s in [
            "",
            "net",
            "context:",
            "context:external:",
            "http:",
            "http:host:99999",
            "http:a b",
        ] {
            assert!(s.parse::<Capability>().is_err(), "{s:?} parsed");
        }
    }

    #[test]
    fn effective_is_declared_and_granted() {
        let declared =
            CapabilitySet::parse(&["context:org", "llm", "http:api.example.com:443"]).unwrap();
        let granted =
            CapabilitySet::parse(&["context:org", "http:api.example.com", "approvals"]).unwrap();
        let eff = CapabilitySet::effective(&declared, &granted);
        assert_eq!(
            eff.to_strings(),
            vec!["context:org", "http:api.example.com:443"]
        );
        assert!(eff.permits_http("API.example.com", 443));
        assert!(!eff.permits_http("api.example.com", 80));
        assert!(!eff.permits(&Capability::Llm));
    }

    #[test]
    fn a_narrower_grant_narrows_the_declaration() {
        let declared = CapabilitySet::parse(&["http:127.0.0.1"]).unwrap();
        let granted = CapabilitySet::parse(&["http:127.0.0.1:8080", "http:localhost"]).unwrap();
        let eff = CapabilitySet::effective(&declared, &granted);
        assert_eq!(eff.to_strings(), vec!["http:127.0.0.1:8080"]);
        assert!(eff.permits_http("127.0.0.1", 8080));
        assert!(!eff.permits_http("127.0.0.1", 8081));
        assert!(!eff.permits_http("localhost", 8080));
    }
}
