//! `baton new skill NAME [--lang rust|js|python]`: a skill project that
//! builds with one command, passes `baton skill check`, and has a native
//! test against a fake host.
//!
//! JavaScript and Python toolchains (componentize-js, componentize-py) bind
//! every import of the world they are given, so those scaffolds carry a
//! world of their own ([`world_wit`]): `baton:skill/skill-core` plus one
//! `with-*` world per interface the declared capabilities need. A skill
//! then imports only what its manifest declares and loads without a
//! refusal for an undeclared `approvals` or `llm`.

mod js;
mod python;
mod rust;

use super::exit::{Exit, Failure};
use crate::runtime::{Capability, CapabilitySet};
use clap::{Subcommand, ValueEnum};
use std::path::PathBuf;

/// The `baton:skill` WIT package this baton was built with.
pub(super) const SKILL_WIT: &str = include_str!("../../../../wit/skill.wit");

/// The package version skills import (`baton:skill/...@VERSION`).
pub(super) const SKILL_WIT_VERSION: &str = "0.1.1";

#[derive(Subcommand, Debug)]
pub(super) enum NewCommand {
    /// Create a skill project in DIR/NAME (DIR defaults to the current folder).
    Skill {
        name: String,
        /// The language to write the skill in.
        #[arg(long, value_enum, default_value_t = Lang::Rust)]
        lang: Lang,
        /// A capability the skill declares (repeatable), e.g. `context:org`;
        /// JS and Python skills import only the interfaces these need.
        #[arg(long = "capability", value_name = "CAPABILITY")]
        capabilities: Vec<String>,
        /// The parent folder.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Path to the baton-sdk crate (Rust only; default: the one this
        /// baton was built from).
        #[arg(long, value_name = "PATH")]
        sdk: Option<PathBuf>,
    },
}

/// A language a skill may be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum Lang {
    Rust,
    Js,
    Python,
}

/// What every language's scaffold is given.
#[derive(Debug)]
pub(super) struct Scaffold {
    /// The skill's name (checked: a-z, 0-9, `-`).
    pub name: String,
    /// The parent folder.
    pub dir: PathBuf,
    /// `dir/name`, which does not exist yet.
    pub root: PathBuf,
    /// The declared capabilities (checked).
    pub capabilities: CapabilitySet,
}

pub(super) fn run(cmd: NewCommand) -> Result<(), Failure> {
    let NewCommand::Skill {
        name,
        lang,
        capabilities,
        dir,
        sdk,
    } = cmd;
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
    let capabilities =
        CapabilitySet::parse(&capabilities).map_err(|e| Failure::usage(e.to_string()))?;
    let root = dir.join(&name);
    if root.exists() {
        return Err(Failure::usage(format!("{} already exists", root.display())));
    }
    let s = Scaffold {
        name,
        dir,
        root,
        capabilities,
    };
    match lang {
        Lang::Rust => rust::scaffold(&s, sdk),
        Lang::Js => js::scaffold(&s),
        Lang::Python => python::scaffold(&s),
    }
}

/// The skill's own WIT world, for toolchains that bind every import:
/// `baton:skill/skill-core` and the `with-*` worlds `capabilities` need.
/// Written as `wit/world.wit`, beside `wit/deps/baton-skill/skill.wit`
/// ([`SKILL_WIT`]).
pub(crate) fn world_wit(name: &str, capabilities: &CapabilitySet) -> String {
    let v = SKILL_WIT_VERSION;
    let mut out = format!(
        "// The world of the `{name}` skill: what it exports and the interfaces its\n\
         // manifest's capabilities need. Regenerate it when those change\n\
         // (`baton new skill` writes it; see docs/skills.md).\n\
         package local:{name};\n\nworld {name} {{\n    include baton:skill/skill-core@{v};\n"
    );
    for interface in interfaces(capabilities) {
        out.push_str(&format!("    include baton:skill/with-{interface}@{v};\n"));
    }
    out.push_str("}\n");
    out
}

/// The `baton:skill` interfaces beyond `log` that `capabilities` need, in
/// the WIT's order: `context`, `approvals`, `llm`.
pub(super) fn interfaces(capabilities: &CapabilitySet) -> Vec<&'static str> {
    let context = capabilities.any(Capability::is_context);
    [
        (context, "context"),
        (
            capabilities.any(|c| *c == Capability::Approvals),
            "approvals",
        ),
        (capabilities.any(|c| *c == Capability::Llm), "llm"),
    ]
    .into_iter()
    .filter_map(|(needed, interface)| needed.then_some(interface))
    .collect()
}

/// Write `contents` to `root/rel`, creating folders.
pub(super) fn write(root: &std::path::Path, rel: &str, contents: &str) -> Result<(), Failure> {
    let path = root.join(rel);
    let io = |e: std::io::Error| Failure::new(Exit::Internal, format!("{}: {e}", path.display()));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(&path, contents).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_world_includes_only_what_the_capabilities_need() {
        let caps = CapabilitySet::parse(&["context:org", "files"]).unwrap();
        let w = world_wit("talk-ratio", &caps);
        assert!(w.contains("include baton:skill/skill-core@0.1.1;"), "{w}");
        assert!(w.contains("include baton:skill/with-context@0.1.1;"), "{w}");
        assert!(
            !w.contains("with-approvals") && !w.contains("with-llm"),
            "{w}"
        );
        let none = world_wit("x", &CapabilitySet::new());
        assert!(!none.contains("with-"), "{none}");
    }

    #[test]
    fn the_embedded_wit_has_the_version_skills_import() {
        assert!(SKILL_WIT.contains(&format!("package baton:skill@{SKILL_WIT_VERSION};")));
        for world in ["skill-core", "with-context", "with-approvals", "with-llm"] {
            assert!(SKILL_WIT.contains(&format!("world {world} {{")), "{world}");
        }
    }
}
