//! Capabilities: what a skill may do beyond pure computation.
//!
//! A skill's effective capabilities are those its manifest declares AND the
//! operator grants. Each host import checks the effective set before it does
//! anything; the registry also refuses, at load, a component that imports an
//! interface for which nothing is granted.
//!
//! Outbound HTTP to a host known only at run time: a skill that reaches a
//! provider whose address comes from its tier-3 context (the org profile's
//! `providers.<name>.url`) cannot name the host in its manifest. It declares
//! `http:*`, which means "outbound HTTP to the hosts the operator grants" and
//! nothing more:
//!
//! - the effective set holds only the concrete `http:<host>[:<port>]` grants
//!   the operator gave that skill, never the wildcard itself;
//! - `http:*` is never a grant: a grants file naming it is refused, and
//!   trust-declared mode (no grants file) does not turn a declared `http:*`
//!   into access to any host;
//! - a component declaring `http:*` with no host granted still loads (its
//!   wasi:http imports are declared); each call is then denied at run time
//!   and audited, and the skill is expected to degrade.
//!
//! The org profile never grants network access: it is tenant data, and a
//! URL in it must not reach a host the operator did not allow.

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
    /// `context:attachments`: what an event carries by reference.
    ContextAttachments,
    /// `approvals`
    Approvals,
    /// `llm`
    Llm,
    /// `http:<host>` (any port) or `http:<host>:<port>`.
    Http { host: String, port: Option<u16> },
    /// `http:*`: a declaration only, "the hosts the operator grants". It
    /// covers nothing by itself (see the module docs).
    HttpGranted,
    /// `files`: read-only access to the skill's own data folder.
    Files,
}

/// A capability string that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown capability `{0}`: expected context:org, context:contact, context:external:<provider>, context:attachments, approvals, llm, http:<host>[:<port>], http:* or files"
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
            "context:attachments" => return Ok(Capability::ContextAttachments),
            "approvals" => return Ok(Capability::Approvals),
            "llm" => return Ok(Capability::Llm),
            "files" => return Ok(Capability::Files),
            "http:*" => return Ok(Capability::HttpGranted),
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
            Capability::ContextAttachments => f.write_str("context:attachments"),
            Capability::Approvals => f.write_str("approvals"),
            Capability::Llm => f.write_str("llm"),
            Capability::Http {
                host,
                port: Some(p),
            } => write!(f, "http:{host}:{p}"),
            Capability::Http { host, port: None } => write!(f, "http:{host}"),
            Capability::HttpGranted => f.write_str("http:*"),
            Capability::Files => f.write_str("files"),
        }
    }
}

impl Capability {
    /// Whether this is one of the `context:` capabilities, which the
    /// `context` interface serves.
    pub fn is_context(&self) -> bool {
        matches!(
            self,
            Capability::ContextOrg
                | Capability::ContextContact
                | Capability::ContextExternal(_)
                | Capability::ContextAttachments
        )
    }

    /// Whether this is a context tier (`context:org`, `context:contact`,
    /// `context:external:<provider>`): what the job loaded, as opposed to
    /// what its event carries by reference.
    pub fn is_context_tier(&self) -> bool {
        self.is_context() && *self != Capability::ContextAttachments
    }

    /// Whether holding `self` (a grant) permits `wanted` (a declaration or a
    /// use). Equal capabilities cover each other; `http:<host>` covers every
    /// port of that host; `http:*` covers nothing and is covered by nothing
    /// (it is resolved against the grants in [`CapabilitySet::effective`]).
    pub fn covers(&self, wanted: &Capability) -> bool {
        match (self, wanted) {
            (Capability::HttpGranted, _) | (_, Capability::HttpGranted) => false,
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
    /// narrower capability is the one kept. A declared `http:*` takes every
    /// concrete `http:<host>[:<port>]` granted; the wildcard itself is never
    /// effective.
    pub fn effective(declared: &CapabilitySet, granted: &CapabilitySet) -> CapabilitySet {
        let mut out = BTreeSet::new();
        for d in &declared.0 {
            for g in &granted.0 {
                if *d == Capability::HttpGranted {
                    if matches!(g, Capability::Http { .. }) {
                        out.insert(g.clone());
                    }
                } else if g.covers(d) {
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
            "http:*",
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
            "http:*.example.com",
            "http:*:80",
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

    #[test]
    fn a_declared_wildcard_takes_only_the_concrete_hosts_granted() {
        let declared = CapabilitySet::parse(&["context:external:apollo", "http:*"]).unwrap();
        let granted = CapabilitySet::parse(&[
            "context:external:apollo",
            "http:127.0.0.1:9000",
            "http:api.apollo.io",
            "llm",
        ])
        .unwrap();
        let eff = CapabilitySet::effective(&declared, &granted);
        assert_eq!(
            eff.to_strings(),
            vec![
                "context:external:apollo",
                "http:127.0.0.1:9000",
                "http:api.apollo.io"
            ]
        );
        assert!(eff.permits_http("127.0.0.1", 9000));
        assert!(eff.permits_http("api.apollo.io", 443));
        assert!(!eff.permits_http("127.0.0.1", 9001));
        assert!(!eff.permits_http("evil.example", 80));
    }

    #[test]
    fn the_wildcard_never_grants_by_itself() {
        let wildcard = CapabilitySet::parse(&["http:*"]).unwrap();
        // Trust-declared mode grants what is declared: still no host.
        let eff = CapabilitySet::effective(&wildcard, &wildcard);
        assert!(eff.is_empty(), "{:?}", eff.to_strings());
        assert!(!wildcard.permits_http("127.0.0.1", 80));
        // A wildcard grant does not cover a concrete declaration either.
        let declared = CapabilitySet::parse(&["http:api.example.com"]).unwrap();
        assert!(CapabilitySet::effective(&declared, &wildcard).is_empty());
        // Declared with no http granted: nothing, not an error.
        let none = CapabilitySet::parse(&["context:org"]).unwrap();
        assert!(CapabilitySet::effective(&wildcard, &none).is_empty());
    }
}
