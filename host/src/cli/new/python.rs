//! `baton new skill NAME --lang python`: a Python project that componentize-py
//! builds into a skill with one command, with pytest against a fake host.
//!
//! The files are templates in `python/` (`{{name}}`, `{{module}}`, … filled
//! in here); the skill's logic module is pure Python taking a `host`
//! object, and `app.py` binds the real imports: only those of the
//! interfaces the declared capabilities need, as `wit/world.wit` imports
//! only those.

use super::{SKILL_WIT, Scaffold, world_wit, write};
use crate::cli::exit::Failure;
use crate::runtime::Capability;

/// The toolchain pins (componentize-py, pytest): the ones baton's own
/// Python skills build with.
const REQUIREMENTS: &str = include_str!("../../../../skills/python-requirements.txt");

/// Write the Python project for `s` into `s.root`.
pub(super) fn scaffold(s: &Scaffold) -> Result<(), Failure> {
    let name = &s.name;
    let module = name.replace('-', "_");
    let caps = s.capabilities.to_strings();
    let context = s.capabilities.any(Capability::is_context);
    let approvals = s.capabilities.any(|c| *c == Capability::Approvals);
    let llm = s.capabilities.any(|c| *c == Capability::Llm);
    let mut imports = Vec::new();
    let mut methods = String::new();
    for (needed, interface, code) in [
        (
            approvals,
            "approvals",
            include_str!("python/host_approvals.py"),
        ),
        (context, "context", include_str!("python/host_context.py")),
        (llm, "llm", include_str!("python/host_llm.py")),
    ] {
        if needed {
            imports.push(interface);
            methods.push('\n');
            methods.push_str(code.trim_end());
            methods.push('\n');
        }
    }
    imports.extend(["log", "types"]);
    let capabilities = format!(
        "[{}]",
        caps.iter()
            .map(|c| format!("{c:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let fill = |template: &str| {
        template
            .replace("{{name}}", name)
            .replace("{{module}}", &module)
            .replace("{{imports}}", &imports.join(", "))
            .replace("{{methods}}", &methods)
            .replace("{{capabilities}}", &capabilities)
    };
    let root = &s.root;
    let (logic, test) = (format!("{module}.py"), format!("tests/test_{module}.py"));
    let files = [
        ("README.md", fill(include_str!("python/README.md"))),
        (".gitignore", include_str!("python/gitignore").to_owned()),
        (
            "pyproject.toml",
            fill(include_str!("python/pyproject.toml")),
        ),
        ("requirements.txt", requirements()),
        ("app.py", fill(include_str!("python/app.py"))),
        ("baton.py", include_str!("python/baton.py").to_owned()),
        (logic.as_str(), fill(include_str!("python/skill.py"))),
        (
            "tests/fake_host.py",
            include_str!("python/fake_host.py").to_owned(),
        ),
        (test.as_str(), fill(include_str!("python/test_skill.py"))),
        ("wit/world.wit", world_wit(name, &s.capabilities)),
        ("wit/deps/baton-skill/skill.wit", SKILL_WIT.to_owned()),
    ];
    for (rel, contents) in &files {
        write(root, rel, contents)?;
    }
    println!("created skill `{name}` (Python) in {}", root.display());
    println!(
        "  set up: cd {} && python3 -m venv .venv && . .venv/bin/activate && pip install -r requirements.txt",
        root.display()
    );
    println!("  test:   pytest");
    println!("  build:  componentize-py -d wit -w {name} componentize app -o {name}.wasm");
    println!("  check:  baton skill check {name}.wasm");
    Ok(())
}

/// `requirements.txt`: the pins of baton's own toolchain, with a comment
/// of its own.
fn requirements() -> String {
    let pins: Vec<&str> = REQUIREMENTS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    format!(
        "# The build and test toolchain: componentize-py turns app.py into a\n\
         # WebAssembly component; pytest runs tests/ against the fake host.\n{}\n",
        pins.join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_requirements_pin_exact_versions() {
        let r = requirements();
        assert!(r.contains("componentize-py==0.25.1"), "{r}");
        assert!(
            r.lines()
                .filter(|l| !l.starts_with('#'))
                .all(|l| l.contains("==")),
            "{r}"
        );
    }
}
