//! Project tasks: `cargo xtask build | demo | demo-data | test | fuzz | bench | soak | train`.
//!
//! Each task installs what it needs (the wasm32-wasip2 target) and says what
//! it is doing; a missing tool fails with a message that names it.

mod cycles;
mod day;
mod demo;
mod fuzz;
mod layers;
mod service;
mod skills_js;
mod skills_py;
mod startup;
mod train;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// The guest workspaces and where their artifacts go.
const SKILLS_DIR: &str = "skills";
const GUESTS_DIR: &str = "tests/guests";
const WASM_TARGET: &str = "wasm32-wasip2";

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    STARTED.get_or_init(Instant::now);
    let result = match task {
        "build" => build(Build::All),
        "demo" => demo_args(&args[1..])
            .and_then(|serve| build(Build::Demo).and_then(|()| day::run(&baton(), serve))),
        "demo-data" => {
            step("demo-data: writing the rep's day to examples/day/");
            day::data::generate()
        }
        "test" => test(&args[1..]),
        "fuzz" => fuzz::fuzz(),
        "bench" => build(Build::All).and_then(|()| bench(&args[1..])),
        "soak" => soak(&args[1..]),
        "startup" => build(Build::Demo).and_then(|()| startup::startup(&args[1..])),
        "cycles" => cycles_cmd(&args[1..]),
        "layers" => layers::check(&root()),
        "train" => train::train(&args[1..]),
        "help" | "--help" | "-h" => {
            println!("{}", HELP);
            Ok(())
        }
        other => Err(format!("unknown task `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

const HELP: &str = "usage: cargo xtask <task>
  build   build skills (target/skills/), test guests (target/test-guests/) and the host (target/release/baton) with its tests and benches
  demo    build the skills and target/release/baton, then play a rep's day on a simulated clock (morning briefs in New York and London, the pre-meeting brief, the meeting's follow-ups, an email asking to meet, a campaign reply, approvals, the day's success metrics) and keep serving the inbox; `demo --no-serve` stops after the day (exit 0, or non-zero naming the stage that failed)
  demo-data  write the day the demo plays to examples/day/*.json from examples/demo.json, examples/webhooks/ and examples/events/ (deterministic; the files are committed)
  test    build the skills, test guests and the host's tests, then fmt, clippy and every test
  fuzz    the parsers' property tests at PROPTEST_CASES (default 10000) cases each, then schemathesis over /openapi.json of baton serve with the demo org (BATON_FUZZ_EXAMPLES per operation and phase, default 20)
  bench   build, then the benchmarks (criterion); `bench --load` runs the service load run instead: Meeting BaaS webhooks at 10, 25, 50 and 75 meetings/s (6 s each), each rate on a fresh baton serve and database, on SQLite and Postgres, and prints a table of webhook -> approval request in Slack p50/p90/p99 and the server's CPU; `--rates 10,25`, `--seconds S` or `--webhooks N`, `--backend sqlite|postgres|both`
  train   retrain the skills' learned component (skills/<skill>/data/model.json) from tests/data/shared/eval/; `train --report` prints the evaluation grouped by set (rules alone vs rules+model) instead
  cycles  the circles among each crate's source files and among its top-level modules (--check: fail on any)
  layers  the engine crates' rules: no forbidden dependency (sqlx, axum, the sales app), no sales word in their sources
  startup  build the skills and target/release/baton, then time `baton serve` on a new database to a ready `/readyz`, with an empty compile cache (cold: the skills start on Winch's code), until Cranelift's code has replaced it (which fills the cache), with that cache (warm), and again on the database the warm start made (restart); `--rounds N` (default 3), `--compare OTHER_BATON` interleaves another binary and prints the median per-round ratio
  soak    build, then the long runs the suite keeps shorter: 5,000 sequences on three `baton serve` replicas on one Postgres, one killed with SIGKILL and restarted (BATON_REPLICA_JOBS to change the count); 25 Slack posts cut off by kill -9 on each backend (BATON_CRASH_ROUNDS); prints its figures. `soak --fleet`: 1,000 Google accounts and 20 IMAP and 20 CalDAV ones over 200 orgs on three replicas, one killed and replaced (BATON_FLEET_ACCOUNTS, BATON_FLEET_OTHERS, BATON_FLEET_ORGS, BATON_FLEET_POLL_MS)";

/// `demo [--no-serve]`: whether to keep serving after the day.
fn demo_args(args: &[String]) -> Result<bool> {
    match args {
        [] => Ok(true),
        [flag] if flag == "--no-serve" => Ok(false),
        other => Err(format!(
            "demo takes only --no-serve, not {}",
            other.join(" ")
        )),
    }
}

fn root() -> PathBuf {
    // xtask lives in <root>/xtask.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// When the task started, for the times its steps print.
static STARTED: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

fn step(what: &str) {
    let at = STARTED.get_or_init(Instant::now).elapsed().as_secs();
    println!("==> [{:>2}:{:02}] {what}", at / 60, at % 60);
}

fn cargo() -> Command {
    cargo_at(Priority::Normal)
}

/// How much of the CPU a cargo run may take from the others.
#[derive(Clone, Copy)]
enum Priority {
    Normal,
    /// `nice -n 19`: work beside the host build takes only the CPU that
    /// build leaves idle (while it compiles one large crate at a time).
    Idle,
}

fn cargo_at(priority: Priority) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut c = match priority {
        Priority::Idle if Command::new("nice").arg("true").status().is_ok() => {
            let mut c = Command::new("nice");
            c.args(["-n", "19"]).arg(cargo);
            c
        }
        _ => Command::new(cargo),
    };
    c.current_dir(root());
    // `cargo xtask` runs this binary with xtask's own package variables
    // set (`CARGO_MANIFEST_DIR`, `CARGO_PKG_*`, …). A build script that
    // reads one (ring's) would be fingerprinted with xtask's value, and a
    // plain `cargo build` from a shell afterwards would build ring and
    // everything above it again; the child cargo gets the shell's
    // environment back.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_MANIFEST_")
            || matches!(
                name.as_ref(),
                "CARGO_CRATE_NAME" | "CARGO_BIN_NAME" | "CARGO_PRIMARY_PACKAGE"
            )
        {
            c.env_remove(name.as_ref());
        }
    }
    // A CI run starts from a clean clone and builds once: incremental
    // bookkeeping only slows it down.
    if std::env::var_os("CI").is_some() && std::env::var_os("CARGO_INCREMENTAL").is_none() {
        c.env("CARGO_INCREMENTAL", "0");
    }
    c
}

fn run(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

fn ensure_wasm_target() -> Result {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup is needed to add the {WASM_TARGET} target: {e}"))?;
    if String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l.trim() == WASM_TARGET)
    {
        return Ok(());
    }
    step(&format!("installing the {WASM_TARGET} target"));
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
        .map_err(|e| format!("{e}: could not add the {WASM_TARGET} target (needs network access to the Rust distribution server)"))
}

/// Build one guest workspace for wasm and copy each `cdylib`/`bin` artifact
/// to `out` under its crate name (with `-`).
fn build_guests(
    workspace: &str,
    out: &Path,
    extra: &[(&str, &str, &str)],
    log: &std::fs::File,
) -> Result {
    let target = target_dir().join("wasm");
    let manifest = root().join(workspace).join("Cargo.toml");
    // Every guest build shares one target dir, so proc-macros build once.
    let wasm_build = |extra: &[&str]| {
        run(logged(
            cargo_at(Priority::Idle)
                .args([
                    "build",
                    "--release",
                    "--target",
                    WASM_TARGET,
                    "--manifest-path",
                ])
                .arg(&manifest)
                .arg("--target-dir")
                .arg(&target)
                .args(extra),
            log,
        )?)
    };
    wasm_build(&[])?;
    let release = target.join(WASM_TARGET).join("release");
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    for name in members(&root().join(workspace))? {
        let artifact = release.join(format!("{}.wasm", name.replace('-', "_")));
        let artifact = if artifact.exists() {
            artifact
        } else {
            release.join(format!("{name}.wasm"))
        };
        copy(&artifact, &out.join(format!("{name}.wasm")))?;
        // A skill's read-only data folder (`files` capability) goes beside
        // it as `<name>.data/`, replaced whole so a removed file goes too.
        let data = root().join(workspace).join(&name).join("data");
        if data.is_dir() {
            let dest = out.join(format!("{name}.data"));
            if dest.exists() {
                std::fs::remove_dir_all(&dest).map_err(|e| format!("{}: {e}", dest.display()))?;
            }
            copy_dir(&data, &dest)?;
        }
    }
    // Variants built with extra features: (package, feature, output name).
    for (package, feature, name) in extra {
        // The plain artifact was copied out above, so overwriting it is fine.
        wasm_build(&["-p", package, "--features", feature])?;
        let artifact = release.join(format!("{}.wasm", package.replace('-', "_")));
        copy(&artifact, &out.join(format!("{name}.wasm")))?;
    }
    Ok(())
}

fn copy(from: &Path, to: &Path) -> Result {
    std::fs::copy(from, to)
        .map(drop)
        .map_err(|e| format!("copy {} -> {}: {e}", from.display(), to.display()))
}

/// Copy the folder `from` to `to`, recursively.
fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", from.display()))?;
        let (src, dest) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dest)?;
        } else {
            copy(&src, &dest)?;
        }
    }
    Ok(())
}

/// Crate folders listed in a guest workspace's `members`.
fn members(workspace: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(workspace.join("Cargo.toml"))
        .map_err(|e| format!("{}: {e}", workspace.display()))?;
    let start = text.find("members").ok_or("no members list")?;
    let list = &text[start..];
    let list = &list
        [list.find('[').ok_or("no members list")? + 1..list.find(']').ok_or("no members list")?];
    Ok(list
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_owned())
        .filter(|s| !s.is_empty())
        .collect())
}

/// What a task needs built. Every choice compiles each dependency with the
/// same features (`hack/Cargo.toml`), so a later, larger build only adds
/// what is missing: `demo` then `test` compiles nothing twice.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Build {
    /// The skills and the `baton` binary: what the demo runs.
    Demo,
    /// Also the test guests and every test target.
    Test,
    /// Also the benchmarks.
    All,
}

impl Build {
    fn host_args(self) -> &'static [&'static str] {
        match self {
            Build::Demo => &["build", "--release", "-p", "baton", "--bin", "baton"],
            Build::Test => &[
                "build",
                "--release",
                "--workspace",
                "--lib",
                "--bins",
                "--tests",
            ],
            Build::All => &["build", "--release", "--workspace", "--all-targets"],
        }
    }
}

/// Build the wasm guests and the host. The guests build beside the host
/// at low priority: the host spends minutes in one crate at a time, which
/// leaves a core free on a small machine.
fn build(what: Build) -> Result {
    let started = Instant::now();
    ensure_wasm_target()?;
    let wasm = Background::start("wasm-build", move |log| build_wasm(what, log))?;
    step("building the host -> target/release/baton");
    let host = run(cargo().args(what.host_args()));
    let wasm = wasm.finish();
    host?;
    wasm?;
    if what != Build::Demo {
        check_features_unified()?;
    }
    step(&format!("built in {:.0?}", started.elapsed()));
    Ok(())
}

/// Work on a thread beside the host build, its output in
/// `target/<name>.log`, shown if it fails.
struct Background {
    name: &'static str,
    log: PathBuf,
    handle: std::thread::JoinHandle<Result>,
}

impl Background {
    fn start(
        name: &'static str,
        work: impl FnOnce(&std::fs::File) -> Result + Send + 'static,
    ) -> Result<Self> {
        let log = target_dir().join(format!("{name}.log"));
        std::fs::create_dir_all(target_dir()).map_err(|e| format!("{e}"))?;
        let file = std::fs::File::create(&log)
            .map_err(|e| format!("cannot write {}: {e}", log.display()))?;
        step(&format!("{name}: in the background, log {}", log.display()));
        let handle = std::thread::spawn(move || work(&file));
        Ok(Background { name, log, handle })
    }

    fn finish(self) -> Result {
        let result = self
            .handle
            .join()
            .unwrap_or_else(|_| Err(format!("{}: the thread panicked", self.name)));
        if result.is_err() {
            let text = std::fs::read_to_string(&self.log).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            eprintln!("{}", lines[lines.len().saturating_sub(80)..].join("\n"));
            eprintln!("({}: whole log in {})", self.name, self.log.display());
        }
        result
    }
}

/// `cmd` with its output going to `log`.
fn logged<'a>(cmd: &'a mut Command, log: &std::fs::File) -> Result<&'a mut Command> {
    let out = log.try_clone().map_err(|e| format!("log: {e}"))?;
    let err = log.try_clone().map_err(|e| format!("log: {e}"))?;
    Ok(cmd.stdout(out).stderr(err))
}

/// The skills to `target/skills/` and, beyond the demo, the test guests to
/// `target/test-guests/`.
fn build_wasm(what: Build, log: &std::fs::File) -> Result {
    let skills = target_dir().join("skills");
    build_guests(SKILLS_DIR, &skills, &[], log)?;
    skills_js::build(&skills, log)?;
    skills_py::build(&skills, log)?;
    if what != Build::Demo {
        build_guests(
            GUESTS_DIR,
            &target_dir().join("test-guests"),
            &[("trivial", "v2", "trivial-v2")],
            log,
        )?;
    }
    Ok(())
}
/// After a workspace build, building the `baton` binary alone must find
/// every dependency already compiled. A dependency compiled again has
/// different features here than in the workspace build, so `demo` then
/// `test` would compile it twice: name it, and say where to fix it.
fn check_features_unified() -> Result {
    step("checking that `baton` alone reuses every dependency of the workspace build");
    let out = cargo()
        .args(Build::Demo.host_args())
        .args(["--message-format", "json"])
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err("cargo build -p baton failed".into());
    }
    let rebuilt: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["fresh"] == false)
        .filter_map(|m| m["package_id"].as_str().map(str::to_owned))
        // Our own crates count too: one built again (baton-types with other
        // features) rebuilds every host crate above it.
        // `registry+https://…#name@1.2.3` -> `name@1.2.3`
        .map(|id| id.rsplit('#').next().unwrap_or(&id).to_owned())
        .collect();
    if rebuilt.is_empty() {
        return Ok(());
    }
    let shown = rebuilt
        .iter()
        .take(12)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let more = rebuilt.len().saturating_sub(12);
    Err(format!(
        "building `baton` alone compiled {} dependencies again ({shown}{}): the first of them have other features here than in the workspace build. Add the features the workspace turns on to hack/Cargo.toml",
        rebuilt.len(),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    ))
}

fn baton() -> PathBuf {
    target_dir().join("release").join("baton")
}

/// The test peers and validators written in Python (an SMTP server,
/// slack_sdk's Block Kit checks) live in a virtualenv under `target/py`,
/// remade when `tests/python/requirements.txt` changes.
fn ensure_python_env(log: &std::fs::File) -> Result<PathBuf> {
    ensure_venv(
        &target_dir().join("py"),
        &root().join("tests/python/requirements.txt"),
        "the test virtualenv (target/py): slack_sdk, aiosmtpd, schemathesis",
        log,
    )
}

/// A virtualenv at `venv` with `requirements` installed (`what` says what
/// it is for), made again when the requirements file changes; its Python.
fn ensure_venv(
    venv: &Path,
    requirements: &Path,
    what: &str,
    log: &std::fs::File,
) -> Result<PathBuf> {
    let python = venv.join("bin/python");
    let wanted = std::fs::read_to_string(requirements)
        .map_err(|e| format!("cannot read {}: {e}", requirements.display()))?;
    let stamp = venv.join("requirements.installed");
    if python.exists() && std::fs::read_to_string(&stamp).is_ok_and(|s| s == wanted) {
        return Ok(python);
    }
    step(&format!("making {what}"));
    run(logged(
        Command::new("python3").args(["-m", "venv"]).arg(venv),
        log,
    )?)
    .map_err(|e| {
        format!(
            "{e}: python3 with the venv module is needed for {what} (apt-get install python3-venv)"
        )
    })?;
    run(logged(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(requirements),
        log,
    )?)
    .map_err(|e| {
        format!(
            "{e}: cannot install {} from PyPI with pip (needs network access, and pip in the venv: apt-get install python3-pip)",
            requirements.display()
        )
    })?;
    std::fs::write(&stamp, wanted).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(python)
}

/// Install Debian `packages` with apt-get (as root) unless every one of
/// `paths` is there already; `why` names the tests that need them.
fn ensure_apt(log: &std::fs::File, why: &str, packages: &[&str], paths: &[&str]) -> Result {
    let have = || paths.iter().all(|p| Path::new(p).exists());
    if have() {
        return Ok(());
    }
    let names = packages.join(" ");
    step(&format!("installing {names} (apt) for {why}"));
    let install = || {
        let mut apt = Command::new("apt-get");
        let Ok(cmd) = logged(&mut apt, log) else {
            return false;
        };
        cmd.args(["install", "-y", "-q", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .is_ok_and(|s| s.success())
    };
    if !install() {
        let mut apt = Command::new("apt-get");
        if let Ok(cmd) = logged(&mut apt, log) {
            let _ = cmd.args(["update", "-q"]).status();
        }
        if !install() {
            return Err(format!(
                "cannot install {names} with apt-get (as root); install them to run {why}"
            ));
        }
    }
    if have() {
        Ok(())
    } else {
        Err(format!(
            "apt-get installed {names}, but one of {} is missing",
            paths.join(", ")
        ))
    }
}

/// The inbox's browser test drives Debian's Chromium through ChromeDriver.
fn ensure_chromium(log: &std::fs::File) -> Result {
    ensure_apt(
        log,
        "the inbox browser test",
        &["chromium", "chromium-driver"],
        &["/usr/bin/chromium", "/usr/bin/chromedriver"],
    )
}

/// Where `ensure_axe` installs the browser tests' npm packages.
fn browser_packages() -> PathBuf {
    target_dir().join("browser")
}

/// The axe-core script the inbox's browser tests inject into each page.
fn axe_script() -> PathBuf {
    browser_packages().join("node_modules/axe-core/axe.min.js")
}

/// npm and Node.js, for `why`: installed with apt when `npm` does not run.
fn ensure_npm(log: &std::fs::File, why: &str) -> Result {
    let have_npm = Command::new("npm")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if have_npm {
        return Ok(());
    }
    ensure_apt(log, why, &["npm"], &["/usr/bin/npm"])
}

/// The inbox's browser tests check each page with axe-core, pinned in
/// `tests/browser/package-lock.json` and installed with `npm ci` into
/// `target/browser/` (again when the lock file changes).
fn ensure_axe(log: &std::fs::File) -> Result {
    let dir = browser_packages();
    let lock = root().join("tests/browser/package-lock.json");
    let wanted = std::fs::read_to_string(&lock)
        .map_err(|e| format!("cannot read {}: {e}", lock.display()))?;
    let stamp = dir.join("package-lock.installed");
    if axe_script().exists() && std::fs::read_to_string(&stamp).is_ok_and(|s| s == wanted) {
        return Ok(());
    }
    ensure_npm(log, "the inbox browser tests (axe-core)")?;
    step("installing axe-core (npm ci, tests/browser/) for the inbox browser tests");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for file in ["package.json", "package-lock.json"] {
        copy(&root().join("tests/browser").join(file), &dir.join(file))?;
    }
    run(logged(
        Command::new("npm")
            .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
            .current_dir(&dir),
        log,
    )?)
    .map_err(|e| {
        format!("{e}: cannot install axe-core for the inbox browser tests with npm from the npm registry (npm and Node.js come with apt-get install npm)")
    })?;
    if !axe_script().exists() {
        return Err(format!(
            "npm ci in {} did not leave {}",
            dir.display(),
            axe_script().display()
        ));
    }
    std::fs::write(&stamp, wanted).map_err(|e| format!("cannot write {}: {e}", stamp.display()))
}

/// The IMAP test runs a real Dovecot (IMAP server) in a temp folder.
fn ensure_dovecot(log: &std::fs::File) -> Result {
    ensure_apt(
        log,
        "the IMAP mailbox test",
        &["dovecot-imapd"],
        &["/usr/sbin/dovecot", "/usr/lib/dovecot/imap"],
    )
}

/// The contract tests read the PDFs baton makes back with a real reader.
fn ensure_poppler(log: &std::fs::File) -> Result {
    ensure_apt(
        log,
        "reading the contract PDFs back",
        &["poppler-utils"],
        &["/usr/bin/pdftotext"],
    )
}

/// Storage tests need the local Postgres server: start it if it is down.
fn ensure_postgres() -> Result {
    let ready = || {
        Command::new("pg_isready")
            .args(["-h", "127.0.0.1", "-p", "5432", "-q"])
            .status()
            .is_ok_and(|s| s.success())
    };
    if std::env::var_os("BATON_TEST_PG").is_some() || ready() {
        return Ok(());
    }
    step("starting the local Postgres server");
    let versions = std::fs::read_dir("/etc/postgresql").map_err(|e| {
        format!("Postgres is not running on 127.0.0.1:5432 and /etc/postgresql cannot be read ({e}); start it or set BATON_TEST_PG")
    })?;
    for version in versions.flatten() {
        let _ = Command::new("pg_ctlcluster")
            .args(["--skip-systemctl-redirect"])
            .arg(version.file_name())
            .args(["main", "start"])
            .status();
    }
    for _ in 0..30 {
        if ready() {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
    Err(
        "Postgres did not come up on 127.0.0.1:5432; start it or set BATON_TEST_PG to a server URL"
            .into(),
    )
}

/// clippy on the skills and their native unit tests built (they run soon
/// after the host build), then clippy on the host workspace (wanted only
/// by the end of the run). `skills_done` hears the first part's result.
fn lint(log: &std::fs::File, skills_done: std::sync::mpsc::Sender<Result>) -> Result {
    let skills = lint_skills(log);
    // The receiver gone means the run already failed; nothing to tell.
    let _ = skills_done.send(skills.clone());
    skills?;
    run(logged(
        cargo_at(Priority::Idle)
            .args(["clippy", "--release", "--workspace", "--all-targets"])
            .arg("--target-dir")
            .arg(target_dir().join("clippy"))
            .args(["--", "-D", "warnings"]),
        log,
    )?)
    .map_err(|e| format!("clippy (host, sdk, tests): {e}"))
}

/// clippy on the skills, and their native unit tests built.
fn lint_skills(log: &std::fs::File) -> Result {
    let skills = root().join(SKILLS_DIR).join("Cargo.toml");
    run(logged(
        cargo_at(Priority::Idle)
            .args(["clippy", "--all-targets", "--manifest-path"])
            .arg(&skills)
            .arg("--target-dir")
            .arg(target_dir().join("native-skills"))
            .args(["--", "-D", "warnings"]),
        log,
    )?)
    .map_err(|e| format!("clippy (skills): {e}"))?;
    run(logged(
        cargo_at(Priority::Idle)
            .args(["test", "--no-run", "--manifest-path"])
            .arg(&skills)
            .arg("--target-dir")
            .arg(target_dir().join("native-skills")),
        log,
    )?)
    .map_err(|e| format!("building the skills' unit tests: {e}"))
}

fn test(extra: &[String]) -> Result {
    let started = Instant::now();
    ensure_postgres()?;
    // Downloads and installs need little CPU: they run beside the build.
    let setup = Background::start("test-setup", |log| {
        ensure_chromium(log)?;
        ensure_axe(log)?;
        ensure_dovecot(log)?;
        ensure_poppler(log)?;
        ensure_python_env(log).map(drop)
    })?;
    step("cargo fmt --check");
    run(cargo().args(["fmt", "--all", "--check"]))?;
    for ws in [SKILLS_DIR, GUESTS_DIR] {
        run(cargo()
            .args(["fmt", "--all", "--check", "--manifest-path"])
            .arg(root().join(ws).join("Cargo.toml")))?;
    }
    // Lints need no build artifacts: they run beside the build and then
    // beside the end-to-end tests, in their own target dirs, at low
    // priority, taking the CPU the tests' waits leave (on a 2-core machine
    // after a cold build they ran 10 minutes past the build). The skills'
    // part is waited for before their unit tests, the host's at the end.
    let (skills_linted, skills_lint) = std::sync::mpsc::channel();
    let lints = Background::start("lints", move |log| lint(log, skills_linted))?;
    let tested = build_and_run_tests(extra, setup, &skills_lint);
    if tested.is_ok() {
        step("waiting for the lints (clippy on the host workspace)");
    }
    // Joined whatever happened: no clippy left running behind a failure.
    let linted = lints.finish();
    let tally = tested?;
    linted?;
    step(&format!("all tests passed in {:.0?}", started.elapsed()));
    println!(
        "{} passed, {} failed, {} skipped",
        tally.passed, tally.failed, tally.ignored
    );
    Ok(())
}

/// The test command's build, then the host's and end-to-end tests (the
/// lints going on beside them), the skills' unit tests once their lints
/// are done, and the demo's day; the tally.
fn build_and_run_tests(
    extra: &[String],
    setup: Background,
    skills_lint: &std::sync::mpsc::Receiver<Result>,
) -> Result<Tally> {
    let built = build(Build::Test);
    let set_up = setup.finish();
    built?;
    set_up?;
    step("the engine's layering: no circles, no forbidden dependency, no sales word");
    cycles_cmd(&["--check".to_owned()])?;
    layers::check(&root())?;
    let python = target_dir().join("py/bin/python");
    let mut tally = Tally::default();
    step("host and end-to-end tests");
    tally.run(
        cargo()
            .args(["test", "--release", "--workspace"])
            .args(extra)
            .env("BATON_BIN", baton())
            .env("BATON_PYTHON", &python)
            .env("BATON_PY_SKILLS", skills_py::venv())
            .env("BATON_AXE_JS", axe_script())
            .env("BATON_CACHE_DIR", target_dir().join("component-cache")),
    )?;
    // Their lints built them beside the host's tests. A lint thread gone
    // without a word is reported when it is joined.
    skills_lint.recv().unwrap_or(Ok(()))?;
    step("skill unit tests (native, through the SDK's test harness)");
    tally.run(
        cargo()
            .args(["test", "--manifest-path"])
            .arg(root().join(SKILLS_DIR).join("Cargo.toml"))
            .arg("--target-dir")
            .arg(target_dir().join("native-skills")),
    )?;
    skills_js::test()?;
    skills_py::test()?;
    step("the demo's day (cargo xtask demo --no-serve)");
    day::run(&baton(), false).map_err(|e| format!("the demo's day failed: {e}"))?;
    Ok(tally)
}

/// Sums of cargo test's `test result:` lines across runs.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    ignored: u64,
}

impl Tally {
    /// Run a `cargo test`, echoing its output and adding up its results.
    fn run(&mut self, cmd: &mut Command) -> Result {
        use std::io::{BufRead, BufReader};
        let shown = format!("{cmd:?}");
        let mut child = cmd
            .stdout(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run {shown}: {e}"))?;
        if let Some(out) = child.stdout.take() {
            for line in BufReader::new(out).lines().map_while(std::io::Result::ok) {
                println!("{line}");
                if let Some(rest) = line.strip_prefix("test result: ") {
                    self.add(rest);
                }
            }
        }
        let status = child.wait().map_err(|e| format!("{shown}: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("{shown} failed ({status})"))
        }
    }

    /// Add `ok. 3 passed; 0 failed; 1 ignored; …`.
    fn add(&mut self, rest: &str) {
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(kind), Some(n)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(n) = n.parse::<u64>() else { continue };
            match kind {
                "passed" => self.passed += n,
                "failed" => self.failed += n,
                "ignored" => self.ignored += n,
                _ => {}
            }
        }
    }
}

/// `cycles [--check]`: the file and module circles of each crate's sources
/// (cycles.rs); `--check` fails when there is any.
fn cycles_cmd(args: &[String]) -> Result {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        other => return Err(format!("cycles takes only --check, not {other:?}")),
    };
    let root = root();
    let mut total = 0;
    for src in [
        "host/src",
        "host/concepts/src",
        "host/engine/src",
        "host/runtime/src",
        "host/store/src",
        "host/sales/src",
        "host/service/src",
        "host/strategies/src",
        "sdk/src",
        "types/src",
        "tests/kit/src",
        "tests/support",
        "xtask/src",
    ] {
        println!("== {src}");
        let (files, modules) = cycles::report(&root.join(src))?;
        println!("   {files} file circle(s), {modules} module circle(s)");
        total += files + modules;
    }
    if check && total > 0 {
        return Err(format!(
            "{total} circle(s) among the sources (listed above)"
        ));
    }
    Ok(())
}

/// The long runs whose bounded smoke versions are in the suite.
fn soak(extra: &[String]) -> Result {
    ensure_postgres()?;
    build(Build::Test)?;
    if let Some((_, rest)) = extra.split_first().filter(|(a, _)| *a == "--fleet") {
        return fleet(rest);
    }
    let jobs = std::env::var("BATON_REPLICA_JOBS").unwrap_or_else(|_| "5000".into());
    step(&format!(
        "{jobs} sequences across three replicas, one killed"
    ));
    run(cargo()
        .args(["test", "--release", "-p", "baton-tests", "--", "--exact"])
        .arg("replicas::replicas_share_the_work_and_survive_a_kill")
        .args(["--nocapture"])
        .args(extra)
        .env("BATON_REPLICA_JOBS", jobs)
        .env("BATON_BIN", baton())
        .env("BATON_CACHE_DIR", target_dir().join("component-cache")))?;
    let rounds = std::env::var("BATON_CRASH_ROUNDS").unwrap_or_else(|_| "25".into());
    step(&format!(
        "{rounds} Slack posts cut off by kill -9, each backend"
    ));
    run(cargo()
        .args(["test", "--release", "-p", "baton-tests", "--"])
        .arg("crash::a_slack_post_cut_off_by_a_kill::")
        .args(["--nocapture", "--test-threads", "1"])
        .args(extra)
        .env("BATON_CRASH_ROUNDS", rounds)
        .env("BATON_BIN", baton())
        .env("BATON_CACHE_DIR", target_dir().join("component-cache")))?;
    step("soak done");
    Ok(())
}

/// `soak --fleet`: connected accounts shared by three replicas on
/// Postgres, one killed and replaced (`tests/all/account_replicas.rs`):
/// `BATON_FLEET_ACCOUNTS` (default 1,000) Google accounts, each a mailbox
/// and a calendar, and `BATON_FLEET_OTHERS` (20) IMAP mailboxes (Dovecot)
/// and CalDAV calendars (Radicale), over `BATON_FLEET_ORGS` (200), polled
/// every `BATON_FLEET_POLL_MS` (10 s; calendars every twice that).
fn fleet(extra: &[String]) -> Result {
    let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.into());
    let (accounts, others, orgs, poll) = (
        var("BATON_FLEET_ACCOUNTS", "1000"),
        var("BATON_FLEET_OTHERS", "20"),
        var("BATON_FLEET_ORGS", "200"),
        var("BATON_FLEET_POLL_MS", "10000"),
    );
    step(&format!(
        "the fleet: {accounts} Google accounts (mailbox and calendar), {others} IMAP mailboxes and {others} CalDAV calendars over {orgs} orgs on three replicas, one killed"
    ));
    run(cargo()
        .args(["test", "--release", "-p", "baton-tests", "--", "--exact"])
        .arg("account_replicas::each_account_is_read_by_one_of_three_replicas_and_taken_over_after_a_kill::postgres")
        .args(["--nocapture"])
        .args(extra)
        .env("BATON_FLEET_ACCOUNTS", accounts)
        .env("BATON_FLEET_OTHERS", others)
        .env("BATON_FLEET_ORGS", orgs)
        .env("BATON_FLEET_POLL_MS", poll)
        .env("BATON_BIN", baton())
        .env("BATON_CACHE_DIR", target_dir().join("component-cache")))?;
    step("fleet done");
    Ok(())
}

/// `bench`: the criterion benchmarks; `bench --load [args…]`: the service
/// load run instead (`tests/load/main.rs`, built with the tests above, so
/// nothing is compiled again), its arguments passed on.
fn bench(extra: &[String]) -> Result {
    let Some(("--load", load_args)) = extra.split_first().map(|(a, rest)| (a.as_str(), rest))
    else {
        return run(cargo().args(["bench", "--workspace"]).args(extra));
    };
    if let Err(e) = ensure_postgres() {
        // baton-load then skips Postgres, with a line saying so.
        step(&format!("no Postgres: {e}"));
    }
    step("the service load run (baton-load)");
    run(
        Command::new(target_dir().join("release").join("baton-load"))
            .args(load_args)
            .current_dir(root())
            .env("CARGO_TARGET_DIR", target_dir())
            .env("BATON_BIN", baton())
            .env("BATON_CACHE_DIR", target_dir().join("component-cache")),
    )
}
