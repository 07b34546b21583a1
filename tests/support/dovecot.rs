//! A real Dovecot IMAP server for the mailbox tests: its own config in a
//! temp folder (passwd-file auth, maildirs under the folder, IMAP on an
//! ephemeral loopback port — STARTTLS offered — and IMAPS on another,
//! under a certificate of a test CA made with `openssl`, which the tests
//! trust through `BATON_ACCOUNTS_CA`), in the foreground (`-F`), killed
//! on drop.
//! Mail is delivered the way an MDA does: into the maildir's `tmp/`, then
//! renamed into `new/`. Install it with `cargo xtask test` (apt's
//! `dovecot-imapd`).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The uid and gid the mail processes run as (Dovecot refuses root's):
/// Debian's `nobody` and `nogroup`.
const MAIL_ID: u32 = 65534;

/// A running Dovecot.
pub struct Dovecot {
    /// IMAP (plain, or upgraded by STARTTLS).
    pub port: u16,
    /// IMAP over TLS.
    pub tls_port: u16,
    dir: tempfile::TempDir,
    child: Child,
    serial: std::cell::Cell<u32>,
}

fn chown(path: &Path) {
    let ok = Command::new("chown")
        .arg("-R")
        .arg(format!("{MAIL_ID}:{MAIL_ID}"))
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "chown {}", path.display());
}

impl Dovecot {
    /// Start with one user, `user` / `password`.
    pub fn start(user: &str, password: &str) -> Dovecot {
        Dovecot::start_many(&[(user, password)])
    }

    /// Start with `users`, each `(user, password)`.
    pub fn start_many(users: &[(&str, &str)]) -> Dovecot {
        assert!(
            Path::new("/usr/sbin/dovecot").exists(),
            "/usr/sbin/dovecot is missing: `cargo xtask test` installs dovecot-imapd with apt"
        );
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        for sub in ["run", "state", "mail", "home"] {
            std::fs::create_dir_all(root.join(sub)).expect("mkdir");
        }
        let passwd: String = users
            .iter()
            .map(|(user, password)| format!("{user}:{{PLAIN}}{password}\n"))
            .collect();
        std::fs::write(root.join("passwd"), passwd).expect("passwd");
        let port = crate::free_port();
        let tls_port = crate::free_port();
        make_certificates(root);
        let d = root.display();
        let config = format!(
            "protocols = imap
listen = 127.0.0.1
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
ssl = yes
ssl_cert = <{d}/server.pem
ssl_key = <{d}/server.key
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{d}/mail/%u
first_valid_uid = 1
mailbox_idle_check_interval = 1 secs
default_internal_user = dovecot
default_login_user = dovenull
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {d}/passwd
}}
userdb {{
  driver = static
  args = uid={MAIL_ID} gid={MAIL_ID} home={d}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
"
        );
        std::fs::write(root.join("dovecot.conf"), config).expect("config");
        for (user, _) in users {
            let maildir = root.join("mail").join(user);
            for sub in ["cur", "new", "tmp"] {
                std::fs::create_dir_all(maildir.join(sub)).expect("maildir");
            }
        }
        chown(&root.join("mail"));
        chown(&root.join("home"));
        let child = Command::new("/usr/sbin/dovecot")
            .arg("-F")
            .arg("-c")
            .arg(root.join("dovecot.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dovecot");
        let up = (0..200).any(|_| {
            std::thread::sleep(Duration::from_millis(50));
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
        let dovecot = Dovecot {
            port,
            tls_port,
            dir,
            child,
            serial: std::cell::Cell::new(0),
        };
        assert!(up, "dovecot did not listen: {}", dovecot.log());
        dovecot
    }

    fn maildir(&self, user: &str) -> PathBuf {
        self.dir.path().join("mail").join(user)
    }

    /// Deliver `raw` to `user`'s INBOX.
    pub fn deliver(&self, user: &str, raw: &[u8]) {
        let n = self.serial.get() + 1;
        self.serial.set(n);
        let name = format!("1795000000.M{n}P1.baton-test");
        let tmp = self.maildir(user).join("tmp").join(&name);
        std::fs::write(&tmp, raw).expect("write mail");
        chown(&tmp);
        std::fs::rename(&tmp, self.maildir(user).join("new").join(&name)).expect("deliver");
    }

    /// The test CA's certificate (PEM), which the server's is signed by.
    pub fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// Give `user`'s INBOX a new UIDVALIDITY (as a server does when it
    /// rebuilds a folder): the UIDs read so far mean nothing any more.
    pub fn renew_uidvalidity(&self, user: &str, uidvalidity: u32) {
        let out = Command::new("/usr/bin/doveadm")
            .arg("-c")
            .arg(self.dir.path().join("dovecot.conf"))
            .args(["mailbox", "update", "-u", user, "--uid-validity"])
            .arg(uidvalidity.to_string())
            .arg("INBOX")
            .output()
            .expect("run doveadm");
        assert!(
            out.status.success(),
            "doveadm mailbox update: {}{}",
            String::from_utf8_lossy(&out.stderr),
            self.log()
        );
    }

    /// Dovecot's log, for failures.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }
}

/// A test CA and a certificate it signs for 127.0.0.1 and `localhost`,
/// in `dir`: `ca.pem`, `server.pem`, `server.key`.
fn make_certificates(dir: &Path) {
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("run openssl");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=baton test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .expect("extensions");
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "server.ext",
    ]);
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
