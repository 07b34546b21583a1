//! Writes `foreach_guest!` into `OUT_DIR`: one `$mac!(name)` for each
//! member of `tests/guests/Cargo.toml`, so `tests/all/guests.rs` can assert
//! at compile time that every guest has a test named for it (as wasmtime's
//! test-programs do with `foreach_p2!`).

use std::path::{Path, PathBuf};

const MANIFEST: &str = "guests/Cargo.toml";

fn main() {
    println!("cargo::rerun-if-changed={MANIFEST}");
    let members = guests(Path::new(MANIFEST));
    let calls: String = members
        .iter()
        .map(|name| format!("        $mac!({});\n", ident(name)))
        .collect();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let text = format!(
        "/// Calls `$mac!(guest)` for each guest in `tests/guests/Cargo.toml`.\n\
         macro_rules! foreach_guest {{\n    ($mac:ident) => {{\n{calls}    }};\n}}\n"
    );
    std::fs::write(out.join("guests.rs"), text).expect("write OUT_DIR/guests.rs");
}

/// The `[workspace] members` of the guests' manifest.
fn guests(manifest: &Path) -> Vec<String> {
    let text =
        std::fs::read_to_string(manifest).unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
    let doc: toml::Table = text
        .parse()
        .unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
    let members = doc
        .get("workspace")
        .and_then(|w| w.get("members"))
        .and_then(|m| m.as_array())
        .unwrap_or_else(|| panic!("{}: no [workspace] members", manifest.display()));
    members
        .iter()
        .map(|m| {
            m.as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| panic!("{}: member {m} is not a name", manifest.display()))
        })
        .collect()
}

/// A guest's name as a Rust identifier: `-` becomes `_`, and a keyword is
/// written raw (`loop` → `r#loop`).
fn ident(name: &str) -> String {
    const KEYWORDS: [&str; 37] = [
        "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern",
        "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move",
        "mut", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type",
        "unsafe", "use", "where", "while", "yield",
    ];
    let id = name.replace('-', "_");
    if KEYWORDS.contains(&id.as_str()) {
        format!("r#{id}")
    } else {
        id
    }
}
