//! Where the servers of connected accounts may be: an org names an IMAP
//! host or a CalDAV URL, so without a rule an org could make the service
//! log in to, or probe, anything the service's machine can reach. By
//! default an account reaches only public addresses: loopback, private,
//! link-local, shared (CGNAT), unique-local and unspecified addresses are
//! refused, after resolution and again on every connect (a name that
//! resolves elsewhere the second time is checked the second time). The
//! operator may allow some (`accounts_allow`: host names, addresses or
//! networks, e.g. an on-premises mail server); only to those may a
//! password travel without TLS.

use ipnet::IpNet;
use rustls_pki_types::CertificateDer;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// Why an account's server may not be reached.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EgressError {
    /// The host is, or resolves to, an internal address.
    #[error(
        "the server's address is not public (it is loopback, private or link-local) and the operator has not allowed it"
    )]
    Internal,
    /// A password would travel without TLS to a host not allowed.
    #[error(
        "the password would be sent without encryption: use TLS, or ask the operator to allow this host"
    )]
    Plaintext,
    /// The host name has no address.
    #[error("the server's host name could not be resolved")]
    Unresolved,
}

/// One entry of the operator's allow-list.
#[derive(Debug, Clone, PartialEq)]
enum Allowed {
    /// A host name, lowercased, as the account names it.
    Name(String),
    /// An address or network.
    Net(IpNet),
}

/// The rule for where connected accounts may reach, and whom their TLS
/// trusts beside the public roots.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Egress {
    allowed: Arc<[Allowed]>,
    /// CA certificates the operator trusts for accounts' servers (an
    /// on-premises mail server's own CA), DER.
    roots: Arc<[CertificateDer<'static>]>,
}

impl Egress {
    /// Public addresses only.
    pub(crate) fn public_only() -> Egress {
        Egress::default()
    }

    /// Public addresses and `entries` (host names, addresses, networks in
    /// CIDR form); the error names an entry that is none of these.
    pub fn allowing<S: AsRef<str>>(entries: &[S]) -> Result<Egress, String> {
        let mut allowed = Vec::new();
        for entry in entries {
            let e = entry.as_ref().trim().trim_matches(['[', ']']);
            if e.is_empty() {
                continue;
            }
            if let Ok(net) = e.parse::<IpNet>() {
                allowed.push(Allowed::Net(net));
            } else if let Ok(ip) = e.parse::<IpAddr>() {
                allowed.push(Allowed::Net(IpNet::from(ip)));
            } else if e
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
            {
                allowed.push(Allowed::Name(e.to_ascii_lowercase()));
            } else {
                return Err(format!(
                    "accounts_allow: `{e}` is not a host name, an address or a network (10.0.0.0/8)"
                ));
            }
        }
        Ok(Egress {
            allowed: allowed.into(),
            roots: Arc::new([]),
        })
    }

    /// The same, trusting the CA certificates in `pem` (one or more
    /// `CERTIFICATE` blocks) for accounts' servers beside the public
    /// roots; the error says what is wrong with the file's text.
    pub fn trusting(self, pem: &[u8]) -> Result<Egress, String> {
        use rustls_pki_types::pem::PemObject;
        let roots: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(pem)
            .collect::<Result<_, _>>()
            .map_err(|e| format!("not PEM certificates: {e}"))?;
        if roots.is_empty() {
            return Err("holds no CERTIFICATE block".into());
        }
        Ok(Egress {
            roots: roots.into(),
            ..self
        })
    }

    /// The CA certificates trusted beside the public roots (DER).
    pub fn roots(&self) -> &[CertificateDer<'static>] {
        &self.roots
    }

    /// Whether the operator named `host` (or the address it is).
    fn names(&self, host: &str) -> bool {
        let bare = host.trim_matches(['[', ']']).to_ascii_lowercase();
        let ip = bare.parse::<IpAddr>().ok();
        self.allowed.iter().any(|a| match a {
            Allowed::Name(n) => *n == bare,
            Allowed::Net(net) => ip.is_some_and(|ip| net.contains(&ip)),
        })
    }

    /// Whether an account may reach `ip` (reached through `host`).
    fn reaches(&self, host: &str, ip: IpAddr) -> bool {
        is_public(ip)
            || self.names(host)
            || self.allowed.iter().any(|a| match a {
                Allowed::Net(net) => net.contains(&ip),
                Allowed::Name(_) => false,
            })
    }

    /// Whether a password may go to `host` without TLS: only to a host
    /// the operator allowed.
    pub fn check_plaintext(&self, host: &str) -> Result<(), EgressError> {
        if self.names(host) {
            Ok(())
        } else {
            Err(EgressError::Plaintext)
        }
    }

    /// The addresses of `host`, every one an account may reach; an
    /// internal one refuses the whole host (a name that resolves to both
    /// is not trusted with either).
    pub async fn resolve(&self, host: &str, port: u16) -> Result<Vec<SocketAddr>, EgressError> {
        let bare = host.trim_matches(['[', ']']);
        let addrs: Vec<SocketAddr> = match bare.parse::<IpAddr>() {
            Ok(ip) => vec![SocketAddr::new(ip, port)],
            Err(_) => tokio::net::lookup_host((bare, port))
                .await
                .map_err(|_| EgressError::Unresolved)?
                .collect(),
        };
        if addrs.is_empty() {
            return Err(EgressError::Unresolved);
        }
        if addrs.iter().any(|a| !self.reaches(bare, a.ip())) {
            return Err(EgressError::Internal);
        }
        Ok(addrs)
    }

    /// A first look at a server an org names, when it connects the
    /// account: an internal address is refused; a name that does not
    /// resolve within a few seconds passes (every connect checks again).
    pub async fn screen(&self, host: &str, port: u16) -> Result<(), EgressError> {
        match tokio::time::timeout(Duration::from_secs(3), self.resolve(host, port)).await {
            Ok(Err(EgressError::Internal)) => Err(EgressError::Internal),
            _ => Ok(()),
        }
    }

    /// A TCP connection to `host:port` through [`Egress::resolve`], to
    /// the addresses it checked (never a second lookup).
    pub async fn connect(
        &self,
        host: &str,
        port: u16,
        within: Duration,
    ) -> Result<tokio::net::TcpStream, ConnectError> {
        let addrs = self.resolve(host, port).await?;
        match tokio::time::timeout(within, tokio::net::TcpStream::connect(&addrs[..])).await {
            Ok(Ok(stream)) => Ok(stream),
            Ok(Err(e)) => Err(ConnectError::Io(e)),
            Err(_) => Err(ConnectError::TimedOut),
        }
    }

    /// An HTTP client for accounts' servers: every name it connects to is
    /// resolved through this rule, and a redirect is followed only within
    /// the same scheme, host and port. An address written in the URL
    /// itself is not resolved: check it with [`Egress::check_url`] first.
    pub fn http_client(&self, timeout: Duration) -> reqwest::Result<reqwest::Client> {
        let policy = reqwest::redirect::Policy::custom(|attempt| {
            let first = attempt.previous().first().map(reqwest::Url::origin);
            if attempt.previous().len() > 5 {
                attempt.error("too many redirects")
            } else if first.as_ref() == Some(&attempt.url().origin()) {
                attempt.follow()
            } else {
                attempt.stop()
            }
        });
        let mut builder = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(policy)
            .dns_resolver(Arc::new(self.clone()));
        for root in self.roots.iter() {
            builder = builder.add_root_certificate(reqwest::Certificate::from_der(root)?);
        }
        builder.build()
    }

    /// Check a URL an account names before a request to it: its host
    /// when it is an address (a name is checked by the client's resolver
    /// on connect), and TLS when `with_password`.
    pub fn check_url(&self, url: &reqwest::Url, with_password: bool) -> Result<(), EgressError> {
        let Some(name) = url.host_str() else {
            return Err(EgressError::Unresolved);
        };
        // The URL parser has already written any address form (2130706433,
        // 0x7f.1) as dotted decimal.
        let ip = name.trim_matches(['[', ']']).parse::<IpAddr>().ok();
        if let Some(ip) = ip
            && !self.reaches(name, ip)
        {
            return Err(EgressError::Internal);
        }
        if with_password && url.scheme() != "https" {
            self.check_plaintext(name)?;
        }
        Ok(())
    }
}

impl reqwest::dns::Resolve for Egress {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let egress = self.clone();
        Box::pin(async move {
            let addrs = egress
                .resolve(name.as_str(), 0)
                .await
                .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)?;
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Why a connection to an account's server failed.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(transparent)]
    Refused(#[from] EgressError),
    #[error("the connection timed out")]
    TimedOut,
    #[error("{0}")]
    Io(std::io::Error),
}

/// Whether `ip` is an address anyone on the internet could reach: not
/// loopback, private, link-local, shared, unique-local, unspecified,
/// multicast, broadcast or documentation (an IPv4 address mapped into
/// IPv6 is judged as IPv4).
pub(crate) fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                // Shared address space (RFC 6598).
                || (a == 100 && (64..128).contains(&b))
                // Benchmarking (RFC 2544) and reserved (240/4).
                || (a == 198 && (b == 18 || b == 19))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // Unique local (fc00::/7) and link-local (fe80::/10).
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                // Documentation (2001:db8::/32) and IPv4-compatible (::/96).
                || (first == 0x2001 && v6.segments()[1] == 0x0db8)
                || v6.segments()[..6].iter().all(|s| *s == 0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "127.0.2.1",
            "0.0.0.0",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "142.250.74.46", "2a00:1450:4001:82b::200e"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[tokio::test]
    async fn loopback_is_refused_unless_the_operator_allows_it() {
        let none = Egress::public_only();
        for host in ["127.0.0.1", "localhost", "0.0.0.0", "[::1]", "2130706433"] {
            assert_eq!(
                none.resolve(host, 993).await,
                Err(EgressError::Internal),
                "{host}"
            );
        }
        let allowed = Egress::allowing(&["localhost", "127.0.0.0/8"]).unwrap();
        assert!(allowed.resolve("127.0.0.1", 993).await.is_ok());
        assert!(allowed.resolve("127.0.2.1", 993).await.is_ok());
        assert!(allowed.check_plaintext("localhost").is_ok());
        assert_eq!(
            none.check_plaintext("localhost"),
            Err(EgressError::Plaintext)
        );
        assert_eq!(
            allowed.resolve("10.0.0.1", 993).await,
            Err(EgressError::Internal)
        );
        assert!(Egress::allowing(&["mail/x"]).is_err());
    }

    #[test]
    fn a_url_written_with_an_internal_address_is_refused() {
        let none = Egress::public_only();
        for url in [
            "http://127.0.0.1:8080/cal/",
            "https://2130706433/cal/",
            "https://[::1]/cal/",
            "https://0x7f.1/cal/",
        ] {
            let u = reqwest::Url::parse(url).unwrap();
            assert_eq!(
                none.check_url(&u, false),
                Err(EgressError::Internal),
                "{url}"
            );
        }
        let public = reqwest::Url::parse("http://cal.example.com/dav/").unwrap();
        assert_eq!(none.check_url(&public, false), Ok(()));
        assert_eq!(none.check_url(&public, true), Err(EgressError::Plaintext));
    }
}
