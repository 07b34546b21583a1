//! Runner settings and prices, from `baton.toml` (`[runner]`, `[pricing]`;
//! `[service]` is kept for `baton serve`)
//! with defaults for everything.

use serde::Deserialize;
use std::path::Path;
use std::time::Duration;

/// What things cost, in micro-dollars.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Pricing {
    /// Per billion units of fuel.
    pub fuel_per_billion: i64,
    /// Per million LLM input tokens.
    pub llm_input_per_million: i64,
    /// Per million LLM output tokens.
    pub llm_output_per_million: i64,
    /// Per effect delivered (an email, a record written, a Slack post).
    pub per_effect: i64,
}

impl Default for Pricing {
    fn default() -> Self {
        Pricing {
            fuel_per_billion: 10_000,
            llm_input_per_million: 3_000_000,
            llm_output_per_million: 15_000_000,
            per_effect: 0,
        }
    }
}

impl Pricing {
    /// `quantity × price / per`, rounded up so no paid use is free.
    pub fn charge(quantity: u64, price: i64, per: u64) -> i64 {
        if quantity == 0 || price <= 0 {
            return 0;
        }
        let micros = (u128::from(quantity) * price as u128).div_ceil(u128::from(per));
        i64::try_from(micros).unwrap_or(i64::MAX)
    }
}

/// How the runner behaves.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RunnerConfig {
    /// How long a claimed job is ours without a heartbeat (ms): a job whose
    /// process died is resumed elsewhere after at most this long. Claimed
    /// outbox effects are held as long.
    pub lease_ms: i64,
    /// Jobs run at once by one process.
    pub concurrency: usize,
    /// A step's deadline unless its sequence sets one (ms).
    pub step_timeout_ms: u64,
    /// A step's memory cap (MiB).
    pub step_memory_mib: usize,
    /// How long an approved email waits, cancellable, before it is sent (ms).
    pub undo_window_ms: i64,
    /// Longest event chain: an event and its follow-ups (the next is dropped).
    pub max_chain_depth: i64,
    /// Idle workers look for due jobs this often (ms).
    pub poll_ms: u64,
    /// Let the configured LLM (`BATON_LLM_URL`) read a person's request
    /// that no rule reads; its answer is checked like the rules' and its
    /// tokens charged to the org. Off unless granted here.
    pub request_llm: bool,
}

impl Default for RunnerConfig {
    fn default() -> Self {
        RunnerConfig {
            lease_ms: 60_000,
            concurrency: 64,
            step_timeout_ms: 30_000,
            step_memory_mib: 64,
            undo_window_ms: 30_000,
            max_chain_depth: 3,
            poll_ms: 200,
            request_llm: false,
        }
    }
}

impl RunnerConfig {
    /// The poll interval.
    pub fn poll(&self) -> Duration {
        Duration::from_millis(self.poll_ms)
    }
}

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub runner: RunnerConfig,
    pub pricing: Pricing,
    /// `[service]`: read by `baton serve` (see `service::config`).
    pub service: toml::Table,
}

/// Why a config file cannot be used; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {}", path.display(), source.message())]
    Parse {
        path: std::path::PathBuf,
        #[source]
        source: toml::de::Error,
    },
    #[error("{}: runner.lease_ms must be ≥ 1000 and runner.concurrency ≥ 1", path.display())]
    Runner { path: std::path::PathBuf },
}

impl Config {
    /// Read `path`; errors name the file and the problem.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let config: Config = toml::from_str(&text).map_err(|source| ConfigError::Parse {
            path: path.to_owned(),
            source,
        })?;
        if config.runner.lease_ms < 1_000 || config.runner.concurrency == 0 {
            return Err(ConfigError::Runner {
                path: path.to_owned(),
            });
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charges_round_up_and_never_overflow() {
        assert_eq!(Pricing::charge(0, 10_000, 1_000_000_000), 0);
        assert_eq!(Pricing::charge(1, 10_000, 1_000_000_000), 1);
        assert_eq!(
            Pricing::charge(2_000_000_000, 10_000, 1_000_000_000),
            20_000
        );
        assert_eq!(Pricing::charge(u64::MAX, i64::MAX, 1), i64::MAX);
    }

    #[test]
    fn a_config_file_overrides_defaults_and_refuses_unknown_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baton.toml");
        std::fs::write(&path, "[pricing]\nper_effect = 500\n").unwrap();
        let c = Config::load(&path).unwrap();
        assert_eq!(c.pricing.per_effect, 500);
        assert_eq!(c.runner, RunnerConfig::default());
        std::fs::write(&path, "[pricing]\nper_email = 5\n").unwrap();
        let e = Config::load(&path).unwrap_err();
        assert!(e.to_string().contains("per_email"), "{e}");
        assert!(matches!(e, ConfigError::Parse { .. }));
        assert!(std::error::Error::source(&e).is_some(), "the cause is kept");
    }
}
