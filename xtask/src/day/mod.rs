//! `cargo xtask demo`: a rep's day, on a simulated clock. `baton serve`
//! starts on a fresh SQLite file with the day's org (`examples/day/`,
//! made by `cargo xtask demo-data`), its clock at 07:30 in London; the demo
//! then moves the clock through Friday 2026-11-20 (`POST /v1/admin/clock`)
//! and feeds the day in through the service's own doors:
//!
//! 1. Priya's (rep2, London) morning brief, fired by the scheduler at her
//!    briefing time, then Jordan's (rep1, New York) five hours later;
//! 2. the pre-meeting brief, 90 minutes before the discovery call on
//!    Jordan's calendar;
//! 3. the call ends: Meeting BaaS posts its `complete` webhook, and the
//!    follow-up draft, CRM changes, tasks, proposal and content wait at
//!    their gates;
//! 4. Priya's check-in with Meridian Parcel ends, where Owen says the
//!    budget is tight: the deal is flagged at risk and Sam, their manager,
//!    finds the notice in his inbox;
//! 5. an inbound email asks to meet, and times come from Jordan's calendar
//!    (an iCalendar feed on loopback, `feed.rs`);
//! 6. a prospect replies to a campaign;
//! 7. Jordan answers a few gates through the API (the proposal among
//!    them), and the day's success metrics are shown;
//! 8. Marta accepts the proposal on its link page, and the deal's
//!    engagement moves from proposal to contract (its event log printed).
//!
//! Each stage prints one line with the simulated time in both zones. Then
//! the service keeps serving with the inbox link (in a terminal), or, with
//! `--no-serve`, stops and the task exits 0 — non-zero naming the stage
//! that failed.

pub(crate) mod data;
mod feed;
mod stages;

use crate::service::{Api, Service, listen_addr, rel, secret, wait_ready};
use crate::{Result, root, step, target_dir};
use serde_json::{Value, json};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The port the demo prefers (another is picked when it is taken).
const PORT: u16 = 8700;

/// A generated file of `examples/day/`, without its `generated` note.
fn day_file(name: &str) -> Result<Value> {
    let path = data::dir().join(name);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "cannot read {} ({e}); `cargo xtask demo-data` writes it",
            rel(&path)
        )
    })?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", rel(&path)))
}

/// The running day: the service, its API and credentials, and the zones.
pub(crate) struct Day {
    pub service: Service,
    pub api: Api,
    pub base: String,
    /// `Bearer <admin token>`.
    pub admin: String,
    /// `Bearer <org token>`.
    pub auth: String,
    pub token: String,
    pub meetingbaas_key: String,
    pub mail: PathBuf,
    /// `(abbreviation, minutes from UTC)` for rep1 and rep2.
    pub zones: [(String, i64); 2],
    /// The day's moments (`examples/day/day.json` `at`).
    pub at: Value,
    /// What the summary lists: each stage and how it went.
    pub done: Vec<String>,
}

/// Run the day; `serve` keeps the service up afterwards in a terminal.
pub(crate) fn run(baton: &Path, serve: bool) -> Result {
    let started = Instant::now();
    let mut day = start(baton)?;
    let outcome = stages::all(&mut day);
    if let Err(e) = outcome {
        return Err(format!(
            "the day stopped: {e}\nservice log ({}):\n{}",
            rel(&day.service.log),
            day.service.log_tail()
        ));
    }
    let (status, link) = day.api.call(
        "POST",
        "/v1/admin/orgs/demo/magic-links",
        &[("authorization", &day.admin)],
        Some(&json!({ "user": "rep1", "minutes": 60 }).to_string()),
    )?;
    let url = link["url"]
        .as_str()
        .ok_or_else(|| format!("cannot create a sign-in link ({status}): {link}"))?;
    println!();
    println!(
        "The day in brief ({:.0?} of wall clock):",
        started.elapsed()
    );
    for line in &day.done {
        println!("  {line}");
    }
    println!();
    println!(
        "Everything the day left for Jordan (rep1) waits in the inbox; open this link to sign in:"
    );
    println!();
    println!("    {url}");
    println!();
    println!(
        "Once signed in, Jordan changes his time zone, brief time, quiet hours, tone and more at {}/inbox/settings",
        day.base
    );
    println!(
        "Or sign in at {}/inbox with the org token: {}",
        day.base, day.token
    );
    println!(
        "Approved email is written to {}/ (a mail drop). The clock is simulated: move it with",
        rel(&day.mail)
    );
    println!(
        "  curl -X POST {}/v1/admin/clock -H 'authorization: {}' -H 'content-type: application/json' -d '{{\"advance_minutes\": 60}}'",
        day.base, day.admin
    );
    println!(
        "API: {0}/openapi.json · metrics: {0}/metrics · log: {1}",
        day.base,
        rel(&day.service.log)
    );
    if serve && std::io::stdin().is_terminal() {
        println!();
        println!("Serving until Ctrl-C.");
        let _ = day.service.child.wait();
    } else {
        println!();
        if serve {
            println!(
                "No terminal attached: stopping the service. Run `cargo xtask demo` in a terminal to keep it up."
            );
        } else {
            println!("--no-serve: stopping the service.");
        }
        day.service.stop();
    }
    Ok(())
}

/// Start `baton serve` on the day: a fresh database, the day's org, its
/// clock at the day's start, the calendar feed, and an org token.
fn start(baton: &Path) -> Result<Day> {
    let dir = target_dir().join("demo");
    let db = dir.join("baton.db");
    let mail = dir.join("mail");
    for stale in ["baton.db", "baton.db-wal", "baton.db-shm"] {
        let _ = std::fs::remove_file(dir.join(stale));
    }
    let _ = std::fs::remove_dir_all(&mail);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;

    let plan = day_file("day.json")?;
    let zone = |i: usize| -> (String, i64) {
        let z = &plan["zones"][i];
        (
            z["abbrev"].as_str().unwrap_or("UTC").to_owned(),
            z["utc_offset_min"].as_i64().unwrap_or(0),
        )
    };
    let zones = [zone(0), zone(1)];
    let at = plan["at"].clone();
    let clock_start = at["clock_start"]
        .as_str()
        .ok_or("examples/day/day.json names no clock_start")?
        .to_owned();

    // Jordan's calendar feed, and the org document pointing at it.
    let calendar = day_file("calendar-rep1.json")?;
    let ics = calendar["ics"]
        .as_str()
        .ok_or("examples/day/calendar-rep1.json holds no `ics`")?;
    let owner = feed::Owner::default();
    let feed_port = feed::serve(owner.clone(), ics.to_owned())?;
    let mut org = day_file("org.json")?["import"].take();
    let url = org["org"]["profile"]["providers"]["calendar"]["rep_ics_url"]
        .as_str()
        .unwrap_or_default()
        .replace("{port}", &feed_port.to_string());
    org["org"]["profile"]["providers"]["calendar"]["rep_ics_url"] = json!(url);
    let org_file = dir.join("org.json");
    std::fs::write(&org_file, org.to_string())
        .map_err(|e| format!("cannot write {}: {e}", org_file.display()))?;
    // The scheduler looks every second, so a fire due after a move of
    // the clock goes out at once.
    let config = dir.join("baton.toml");
    std::fs::write(&config, "[service]\nschedule_every_ms = 1000\n")
        .map_err(|e| format!("cannot write {}: {e}", config.display()))?;

    let addr = listen_addr(PORT);
    let base = format!("http://{addr}");
    let admin = secret()?;
    let meetingbaas_key = secret()?;
    let skills = target_dir().join("skills");
    let grants = grants(baton, &skills, feed_port)?;
    step(&format!(
        "demo: baton serve on {base} (SQLite {}, the day's org from examples/day/org.json, simulated clock from {clock_start})",
        rel(&db)
    ));
    let log = dir.join("serve.log");
    let log_file =
        std::fs::File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let child = Command::new(baton)
        .current_dir(root())
        .arg("serve")
        .arg("--database")
        .arg(&db)
        .arg("--import")
        .arg(&org_file)
        .arg("--config")
        .arg(&config)
        .args(["--sequences", "sequences"])
        .arg("--skills")
        .arg(&skills)
        .args(grants.iter().flat_map(|g| ["--grant", g.as_str()]))
        .args(["--listen", &addr])
        .args(["--simulated-clock", &clock_start])
        .env("BATON_ADMIN_TOKEN", &admin)
        .env("BATON_MEETINGBAAS_API_KEY", &meetingbaas_key)
        .env("BATON_PUBLIC_URL", &base)
        .env("BATON_SMTP_URL", format!("file://{}", mail.display()))
        .env("BATON_CONTENT_DIR", root().join("examples/content"))
        .env("BATON_CACHE_DIR", target_dir().join("component-cache"))
        .stdout(Stdio::null())
        .stderr(log_file)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", baton.display()))?;
    let mut service = Service { child, log };
    let api = Api::new(base.clone());
    wait_ready(&mut service, &api)?;

    let admin = format!("Bearer {admin}");
    let (status, token) = api.call(
        "POST",
        "/v1/admin/orgs/demo/tokens",
        &[("authorization", &admin)],
        Some(&json!({ "name": "demo" }).to_string()),
    )?;
    let token = token["token"]
        .as_str()
        .ok_or_else(|| format!("cannot create an org token ({status}): {token}"))?
        .to_owned();
    let auth = format!("Bearer {token}");
    let (status, users) = api.call("GET", "/v1/users", &[("authorization", &auth)], None)?;
    let rep1 = users
        .as_array()
        .into_iter()
        .flatten()
        .find(|u| u["handle"] == "rep1")
        .and_then(|u| u["id"].as_str())
        .ok_or_else(|| format!("rep1 is not among the users ({status}): {users}"))?;
    if let Ok(mut o) = owner.lock() {
        *o = Some(rep1.to_owned());
    }
    Ok(Day {
        service,
        api,
        base,
        admin,
        auth,
        token,
        meetingbaas_key,
        mail,
        zones,
        at,
        done: Vec::new(),
    })
}

/// What the skills declare, granted (the service's default when no grant
/// is given), with the one host the declared `http:*` may reach: the
/// calendar feed. The skills' manifests come from `baton skill list`.
fn grants(baton: &Path, skills: &Path, feed_port: u16) -> Result<Vec<String>> {
    let out = Command::new(baton)
        .args(["skill", "list"])
        .arg(skills)
        .arg("--json")
        .env("BATON_CACHE_DIR", target_dir().join("component-cache"))
        .output()
        .map_err(|e| format!("cannot run baton skill list: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "baton skill list {} failed: {}",
            skills.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let listed: Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("baton skill list --json: {e}"))?;
    let mut caps: Vec<String> = listed["skills"]
        .as_array()
        .or(listed.as_array())
        .into_iter()
        .flatten()
        .flat_map(|s| {
            s["manifest"]["capabilities"]
                .as_array()
                .or(s["capabilities"].as_array())
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|c| c.as_str().map(str::to_owned))
        .filter(|c| c != "http:*")
        .collect();
    caps.push(format!("http:127.0.0.1:{feed_port}"));
    caps.sort();
    caps.dedup();
    Ok(caps)
}

impl Day {
    /// `HH:MM ABBR` of the UTC instant `iso` for zone `i` (0 rep1, 1 rep2).
    fn local(&self, iso: &str, i: usize) -> String {
        let (abbrev, offset) = &self.zones[i];
        let hm = iso.get(11..16).unwrap_or("00:00");
        let (h, m) = hm.split_once(':').unwrap_or(("0", "0"));
        let min = h.parse::<i64>().unwrap_or(0) * 60 + m.parse::<i64>().unwrap_or(0);
        let local = (min + offset).rem_euclid(24 * 60);
        format!("{:02}:{:02} {abbrev}", local / 60, local % 60)
    }

    /// `08:00 EST (13:00 GMT)`: the instant in Jordan's zone, then Priya's.
    pub(crate) fn both(&self, iso: &str) -> String {
        format!("{} ({})", self.local(iso, 0), self.local(iso, 1))
    }

    /// `13:00 GMT (08:00 EST)`: Priya's zone first.
    pub(crate) fn both_london_first(&self, iso: &str) -> String {
        format!("{} ({})", self.local(iso, 1), self.local(iso, 0))
    }

    /// The moment `name` of the day's plan.
    pub(crate) fn at(&self, name: &str) -> Result<String> {
        self.at[name]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("examples/day/day.json has no time `{name}`"))
    }

    /// Move the simulated clock to `iso`; what the scheduler fired.
    pub(crate) fn clock_to(&self, iso: &str) -> Result<u64> {
        let (status, moved) = self.api.call(
            "POST",
            "/v1/admin/clock",
            &[("authorization", &self.admin)],
            Some(&json!({ "to": iso }).to_string()),
        )?;
        if status != 200 {
            return Err(format!("moving the clock to {iso}: {status} {moved}"));
        }
        Ok(moved["fired"].as_u64().unwrap_or(0))
    }

    /// A GET with the org token: status and body.
    pub(crate) fn get(&self, path: &str) -> Result<(u16, Value)> {
        self.api
            .call("GET", path, &[("authorization", &self.auth)], None)
    }

    /// A POST of `body` with the org token: status and body.
    pub(crate) fn post(&self, path: &str, body: &Value) -> Result<(u16, Value)> {
        self.api.call(
            "POST",
            path,
            &[("authorization", &self.auth)],
            Some(&body.to_string()),
        )
    }

    /// Print the stage line and keep it for the summary.
    pub(crate) fn stage(&mut self, iso: &str, what: &str) {
        let line = format!("{}  {what}", self.both(iso));
        println!();
        step(&line);
        self.done.push(line);
    }
}
