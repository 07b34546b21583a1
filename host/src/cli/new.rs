//! `baton new skill NAME`: a skill crate that builds and passes its own test.

use super::exit::{Exit, Failure};
use clap::Subcommand;
use std::path::{Path, PathBuf};

#[derive(Subcommand, Debug)]
pub enum NewCommand {
    /// Create a skill crate in DIR/NAME (DIR defaults to the current folder).
    Skill {
        name: String,
        /// The parent folder.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Path to the baton-sdk crate (default: the one this baton was built from).
        #[arg(long, value_name = "PATH")]
        sdk: Option<PathBuf>,
    },
}

pub fn run(cmd: NewCommand) -> Result<(), Failure> {
    let NewCommand::Skill { name, dir, sdk } = cmd;
    if name.is_empty()
        || !name.starts_with(|c: char| c.is_ascii_lowercase())
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(Failure::usage(format!(
            "skill name `{}` must be a-z, 0-9 and `-`, starting with a letter",
            name.escape_debug()
        )));
    }
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
    let root = dir.join(&name);
    if root.exists() {
        return Err(Failure::usage(format!("{} already exists", root.display())));
    }
    let io = |e: std::io::Error| Failure::new(Exit::Internal, format!("{}: {e}", root.display()));
    std::fs::create_dir_all(root.join("src")).map_err(io)?;
    // Inside a parent workspace (like baton's skills/), join it; else stand alone.
    let standalone = !in_workspace(&dir);
    std::fs::write(root.join("Cargo.toml"), cargo_toml(&name, &sdk, standalone)).map_err(io)?;
    std::fs::write(root.join("src/lib.rs"), lib_rs(&name)).map_err(io)?;
    println!("created skill `{name}` in {}", root.display());
    println!("  test:   cd {} && cargo test", root.display());
    println!("  build:  cargo build --target wasm32-wasip2 --release");
    println!(
        "  check:  baton skill check target/wasm32-wasip2/release/{}.wasm",
        name.replace('-', "_")
    );
    Ok(())
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
