//! `baton new skill NAME --lang rust`: a skill crate on baton-sdk that
//! builds and passes its own test.

use super::Scaffold;
use crate::cli::exit::{Exit, Failure};
use std::path::{Path, PathBuf};

/// Write the crate for `s` into `s.root`.
pub(super) fn scaffold(s: &Scaffold, sdk: Option<PathBuf>) -> Result<(), Failure> {
    let name = &s.name;
    let sdk = match sdk {
        Some(p) => p,
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../sdk")),
    };
    let sdk = sdk.canonicalize().map_err(|e| {
        Failure::usage(format!(
            "cannot find baton-sdk at {}: {e}; pass --sdk PATH",
            sdk.display()
        ))
    })?;
    if !sdk.join("Cargo.toml").is_file() {
        return Err(Failure::usage(format!(
            "{} has no Cargo.toml; pass --sdk PATH",
            sdk.display()
        )));
    }
    let root = &s.root;
    let io = |e: std::io::Error| Failure::new(Exit::Internal, format!("{}: {e}", root.display()));
    std::fs::create_dir_all(root.join("src")).map_err(io)?;
    // The crate names the SDK by a path relative to itself, so the two can
    // move together (a clone elsewhere, another machine), never by where
    // they were when it was made.
    let sdk = relative(&root.canonicalize().map_err(io)?, &sdk);
    // Inside a parent workspace (like baton's skills/), join it; else stand alone.
    let standalone = !in_workspace(&s.dir);
    std::fs::write(root.join("Cargo.toml"), cargo_toml(name, &sdk, standalone)).map_err(io)?;
    std::fs::write(root.join("src/lib.rs"), lib_rs(name)).map_err(io)?;
    println!("created skill `{name}` (Rust) in {}", root.display());
    println!("  test:   cd {} && cargo test", root.display());
    println!("  build:  cargo build --target wasm32-wasip2 --release");
    println!(
        "  check:  baton skill check target/wasm32-wasip2/release/{}.wasm",
        name.replace('-', "_")
    );
    Ok(())
}

/// `to` as seen from `from` (both absolute): `../../sdk`.
fn relative(from: &Path, to: &Path) -> PathBuf {
    let (from, to): (Vec<_>, Vec<_>) = (from.components().collect(), to.components().collect());
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in &to[common..] {
        out.push(c);
    }
    out
}

fn in_workspace(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml"))
        .map(|t| t.lines().any(|l| l.trim() == "[workspace]"))
        .unwrap_or(false)
}

fn cargo_toml(name: &str, sdk: &Path, standalone: bool) -> String {
    let workspace = if standalone { "\n[workspace]\n" } else { "" };
    format!(
        r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2024"
publish = false

[lib]
crate-type = ["cdylib", "rlib"]

[dependencies]
baton-sdk = {{ path = "{sdk}" }}
serde = {{ version = "1", features = ["derive"] }}
{workspace}"#,
        sdk = sdk.display().to_string().replace('\\', "/"),
    )
}

fn lib_rs(name: &str) -> String {
    let ty: String = name
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    format!(
        r#"//! The `{name}` skill.

use baton_sdk::prelude::*;

pub struct {ty};

#[derive(serde::Deserialize)]
struct Payload {{
    #[serde(default)]
    subject: String,
}}

impl Skill for {ty} {{
    fn manifest() -> Manifest {{
        Manifest::new("{name}", "0.1.0", "Describe what {name} does in one line.")
            .default_fuel(10_000_000)
    }}

    fn run(input: Input) -> Result<Output, SkillError> {{
        let payload: Payload = input.payload()?;
        Ok(Output::new(json!({{ "echo": payload.subject }})))
    }}
}}

export_skill!({ty});

#[cfg(test)]
mod tests {{
    use super::*;
    use baton_sdk::testing::FakeHost;

    #[test]
    fn echoes_the_subject() {{
        let input = Input::for_event("demo", json!({{ "subject": "hello" }}));
        let out = FakeHost::for_skill::<{ty}>().run::<{ty}>(input).unwrap();
        assert_eq!(out.data, json!({{ "echo": "hello" }}));
    }}
}}
"#
    )
}
