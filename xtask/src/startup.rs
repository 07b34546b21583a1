//! `cargo xtask startup`: how long `baton serve` on a new database takes
//! to answer `/readyz` with every shipped skill loaded, first with an empty
//! compile cache (cold: the skills start on Winch's code), then how long
//! until Cranelift's code has replaced it in the background (which fills
//! the cache), then with that cache (warm), then again on the database the
//! warm start made (a restart: its skills are already recorded there).
//! `--compare OTHER_BATON` times a second binary in the same rounds,
//! interleaved (A, B, A, B …), and prints the median of the per-round
//! ratios: these machines are shared and noisy.

use crate::service::{Api, Service, listen_addr, secret, wait_ready_every};
use crate::{Result, baton, root, step, target_dir};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The port tried first (any free one otherwise).
const PORT: u16 = 8791;

/// `startup [--rounds N] [--compare BATON]`.
pub(crate) fn startup(args: &[String]) -> Result {
    let mut rounds = 3usize;
    let mut bins = vec![baton()];
    let mut args = args.iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rounds" => {
                rounds = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n > 0)
                    .ok_or("--rounds takes a positive number")?;
            }
            "--compare" => {
                let other = PathBuf::from(args.next().ok_or("--compare takes a baton binary")?);
                if !other.is_file() {
                    return Err(format!("--compare: {} is not a file", other.display()));
                }
                bins.push(other);
            }
            other => return Err(format!("startup: unknown argument `{other}`")),
        }
    }
    let dir = target_dir().join("startup");
    let skills = target_dir().join("skills");
    let files = std::fs::read_dir(&skills)
        .map_err(|e| format!("cannot read {}: {e}", skills.display()))?
        .flatten()
        .filter(|f| f.path().extension().is_some_and(|x| x == "wasm"))
        .count();
    step(&format!(
        "startup: baton serve on a new SQLite database with the {files} skill files of {}, {rounds} round(s)",
        crate::service::rel(&skills)
    ));
    // Per binary: (cold, warm, restart) seconds of each round.
    let mut times: Vec<Vec<(f64, f64, f64)>> = vec![Vec::new(); bins.len()];
    let mut optimized: Vec<Vec<f64>> = vec![Vec::new(); bins.len()];
    for round in 1..=rounds {
        for (b, bin) in bins.iter().enumerate() {
            let cache = dir.join(format!("cache-{b}"));
            let _ = std::fs::remove_dir_all(&cache);
            let at = |new_db, optimized| Start {
                new_db,
                optimized,
                skills: (&skills, files),
                cache: &cache,
                dir: &dir,
            };
            let (cold, filled) = time_to_ready(bin, at(true, true))?;
            let (warm, _) = time_to_ready(bin, at(true, false))?;
            let (restart, _) = time_to_ready(bin, at(false, false))?;
            let shown = filled.map_or("     -  ".into(), |s| format!("{s:6.1} s"));
            println!(
                "  round {round}  {:<40} cold {cold:6.2} s   optimized {shown}   warm {warm:6.3} s   restart {restart:6.3} s",
                bin.display()
            );
            times[b].push((cold, warm, restart));
            optimized[b].extend(filled);
        }
    }
    println!();
    for ((bin, t), o) in bins.iter().zip(&times).zip(&optimized) {
        println!(
            "  median  {:<40} cold {:6.2} s   optimized {:6.1} s   warm {:6.3} s   restart {:6.3} s",
            bin.display(),
            median(t.iter().map(|x| x.0)),
            median(o.iter().copied()),
            median(t.iter().map(|x| x.1)),
            median(t.iter().map(|x| x.2))
        );
    }
    if let [this, other] = &times[..] {
        let ratio = |f: fn(&(f64, f64, f64)) -> f64| {
            median(this.iter().zip(other).map(|(a, b)| f(a) / f(b)))
        };
        println!(
            "  this / other, median of the per-round ratios: cold {:.2}, warm {:.2}, restart {:.2}",
            ratio(|x| x.0),
            ratio(|x| x.1),
            ratio(|x| x.2)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// How one start is timed.
struct Start<'a> {
    /// A new database, or the one the previous start left.
    new_db: bool,
    /// Also wait for Cranelift's code to replace Winch's.
    optimized: bool,
    /// The skills folder and how many skill files it holds.
    skills: (&'a Path, usize),
    /// The compile cache.
    cache: &'a Path,
    /// Where the run's database and log go.
    dir: &'a Path,
}

/// Seconds from starting `bin serve` (compile cache `at.cache`) to its
/// first `200` from `/readyz`; with `at.optimized`, also to its log's line
/// that Cranelift's code replaced Winch's (`None` if it says nothing within
/// ten minutes); a build without the quick tier has filled the cache (one
/// artifact per skill file) by then.
fn time_to_ready(bin: &Path, at: Start<'_>) -> Result<(f64, Option<f64>)> {
    let Start {
        new_db,
        optimized,
        skills: (skills, files),
        cache,
        dir,
    } = at;
    let run = dir.join("run");
    if new_db {
        let _ = std::fs::remove_dir_all(&run);
    }
    std::fs::create_dir_all(&run).map_err(|e| format!("cannot create {}: {e}", run.display()))?;
    let log = run.join("serve.log");
    let log_file =
        std::fs::File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let addr = listen_addr(PORT);
    let started = Instant::now();
    let child = Command::new(bin)
        .current_dir(root())
        .arg("serve")
        .arg("--database")
        .arg(run.join("baton.db"))
        .args(["--sequences", "sequences"])
        .arg("--skills")
        .arg(skills)
        .args(["--listen", &addr])
        .env("BATON_ADMIN_TOKEN", secret()?)
        .env("BATON_CACHE_DIR", cache)
        .stdout(Stdio::null())
        .stderr(log_file)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let mut service = Service { child, log };
    wait_ready_every(
        &mut service,
        &Api::new(format!("http://{addr}")),
        Duration::from_millis(10),
    )?;
    let took = started.elapsed().as_secs_f64();
    let mut filled = None;
    if optimized {
        let deadline = Instant::now() + Duration::from_secs(600);
        while Instant::now() < deadline {
            let text = std::fs::read_to_string(&service.log).unwrap_or_default();
            // A build without the quick tier filled the cache before it
            // was ready.
            if text.contains("skills optimized") || cached(cache) >= files {
                filled = Some(started.elapsed().as_secs_f64());
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    service.stop();
    Ok((took, filled))
}

/// Compiled components in the cache folder.
fn cached(cache: &Path) -> usize {
    std::fs::read_dir(cache).map_or(0, |d| {
        d.flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "cwasm"))
            .count()
    })
}

fn median(xs: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = xs.collect();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}
