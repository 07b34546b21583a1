//! `cargo xtask layers`: the rules that keep the engine apart from the
//! apps built on it (issue 39), checked on every `cargo xtask test`:
//! - an engine crate's normal dependencies hold none of the crates it must
//!   not reach (`cargo tree -e normal`);
//! - an engine crate's sources name no concept of the sales app.
//!
//! The circles among each crate's files are `cycles.rs`'s.

use std::path::Path;
use std::process::Command;

/// An engine crate: its name, where its sources are, and the crates its
/// normal dependency tree must not contain. Every file of it is checked.
struct Rule {
    name: &'static str,
    src: &'static str,
    forbidden: &'static [&'static str],
}

const CRATES: &[Rule] = &[
    Rule {
        name: "baton-concepts",
        src: "host/concepts/src",
        forbidden: &["sqlx", "axum", "wasmtime", "baton-sales"],
    },
    Rule {
        name: "baton-runtime",
        src: "host/runtime/src",
        forbidden: &["sqlx", "axum", "baton-sales"],
    },
    Rule {
        name: "baton-engine",
        src: "host/engine/src",
        forbidden: &["axum", "baton-sales"],
    },
    Rule {
        name: "baton-store",
        src: "host/store/src",
        forbidden: &["axum", "wasmtime", "baton-sales"],
    },
    Rule {
        name: "baton-service",
        src: "host/service/src",
        forbidden: &["baton-sales"],
    },
];

/// Words of the sales app that no engine crate's sources may hold
/// (case-insensitive, anywhere in a file).
const SALES_WORDS: &[&str] = &[
    "brief", "coaching", "campaign", "proposal", "crm", "deal", "prospect",
];

/// Check every rule; the error lists each one broken.
pub(crate) fn check(root: &Path) -> Result<(), String> {
    let mut broken = Vec::new();
    for rule in CRATES {
        let (name, src, forbidden) = (rule.name, rule.src, rule.forbidden);
        let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(root)
            .args(["tree", "-e", "normal", "--prefix", "none", "-p", name])
            .output()
            .map_err(|e| format!("cannot run cargo tree: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "cargo tree -p {name} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let tree = String::from_utf8_lossy(&out.stdout);
        for dep in forbidden {
            if tree
                .lines()
                .any(|l| l.split_whitespace().next() == Some(*dep))
            {
                broken.push(format!(
                    "{name} depends on {dep} (cargo tree -e normal -p {name})"
                ));
            }
        }
        for file in rust_files(&root.join(src))? {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?
                .to_lowercase();
            for word in SALES_WORDS {
                if text.contains(word) {
                    let shown = file.strip_prefix(root).unwrap_or(&file);
                    broken.push(format!("{} names `{word}`, a sales word", shown.display()));
                }
            }
        }
    }
    if broken.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the engine's layering rules are broken:\n  {}",
            broken.join("\n  ")
        ))
    }
}

fn rust_files(dir: &Path) -> Result<Vec<std::path::PathBuf>, String> {
    let mut out = Vec::new();
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            out.extend(rust_files(&path)?);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}
