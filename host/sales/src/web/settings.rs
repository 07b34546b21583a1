//! The sales app's settings (its keys of the `[service]` table, then the
//! environment) and secrets (from the environment).

use serde::Deserialize;

/// The sales app's keys of the `[service]` table, then the environment
/// over them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct SalesSettings {
    /// HubSpot's API (`BATON_HUBSPOT_API_URL`), for orgs that connect
    /// HubSpot.
    pub hubspot_api_url: String,
    /// Days a proposal's share link (`/p/{token}`) works
    /// (`BATON_PROPOSAL_LINK_DAYS`; default 30).
    pub proposal_link_days: u32,
    /// The engagement workflow file (`BATON_WORKFLOW`); `None`: the
    /// shipped one (`workflows/completetech_services.toml`).
    pub workflow: Option<String>,
    /// The keys it does not know, for the apps after it (the composition
    /// refuses any no one took: `baton_service::config::unknown_keys`).
    #[serde(flatten)]
    pub rest: toml::Table,
}

impl Default for SalesSettings {
    fn default() -> Self {
        SalesSettings {
            hubspot_api_url: "https://api.hubapi.com".into(),
            proposal_link_days: 30,
            workflow: None,
            rest: toml::Table::new(),
        }
    }
}

impl SalesSettings {
    /// Read from the keys the shell left (`rest`), then the environment.
    pub fn load(
        rest: &toml::Table,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<SalesSettings, String> {
        let mut s: SalesSettings = toml::Value::Table(rest.clone())
            .try_into()
            .map_err(|e: toml::de::Error| format!("[service]: {}", e.message()))?;
        for (k, v) in env {
            match k.as_str() {
                _ if v.is_empty() => {}
                "BATON_HUBSPOT_API_URL" => s.hubspot_api_url = v,
                "BATON_WORKFLOW" => s.workflow = Some(v),
                "BATON_PROPOSAL_LINK_DAYS" => {
                    s.proposal_link_days = v.parse().map_err(|_| {
                        format!("BATON_PROPOSAL_LINK_DAYS `{v}` is not a number of days")
                    })?;
                }
                _ => {}
            }
        }
        if !(1..=365).contains(&s.proposal_link_days) {
            return Err("proposal_link_days must be from 1 to 365".into());
        }
        Ok(s)
    }
}

/// The sales app's secrets, from the environment.
#[derive(Clone, Default)]
pub struct SalesSecrets {
    /// `BATON_MEETINGBAAS_API_KEY`: v1 webhooks carry it in a header.
    pub meetingbaas_api_key: Option<String>,
    /// `BATON_MEETINGBAAS_WEBHOOK_SECRET`: v2 (Svix) signing secret, `whsec_…`.
    pub meetingbaas_webhook_secret: Option<String>,
}

impl SalesSecrets {
    /// Read from an environment; empty values count as unset.
    pub fn from_env(env: impl IntoIterator<Item = (String, String)>) -> SalesSecrets {
        let mut s = SalesSecrets::default();
        for (k, v) in env {
            match k.as_str() {
                _ if v.is_empty() => {}
                "BATON_MEETINGBAAS_API_KEY" => s.meetingbaas_api_key = Some(v),
                "BATON_MEETINGBAAS_WEBHOOK_SECRET" => s.meetingbaas_webhook_secret = Some(v),
                _ => {}
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baton_service::Settings;
    use baton_service::config::unknown_keys;

    /// An environment of one variable.
    fn var(k: &str, v: &str) -> [(String, String); 1] {
        [(k.to_owned(), v.to_owned())]
    }

    #[test]
    fn the_sales_keys_share_the_service_table_and_a_key_no_one_takes_is_named() {
        let table: toml::Table =
            toml::from_str("listen = \"0.0.0.0:9000\"\nproposal_link_days = 7\nlistn = 1").unwrap();
        let shell = Settings::load(&table, []).unwrap();
        assert_eq!(shell.listen, "0.0.0.0:9000");
        let own = SalesSettings::load(&shell.rest, []).unwrap();
        let e = unknown_keys(&own.rest).expect("refused");
        assert!(e.starts_with("[service]: unknown field `listn` ("), "{e}");
        let table: toml::Table = toml::from_str("proposal_link_days = 7").unwrap();
        let shell = Settings::load(&table, []).unwrap();
        let own = SalesSettings::load(
            &shell.rest,
            var("BATON_HUBSPOT_API_URL", "http://127.0.0.1:9/"),
        )
        .unwrap();
        assert_eq!(own.proposal_link_days, 7);
        assert_eq!(own.hubspot_api_url, "http://127.0.0.1:9/");
    }

    #[test]
    fn a_share_link_lasts_one_day_to_a_year() {
        let none = toml::Table::new();
        assert_eq!(
            SalesSettings::load(&none, []).unwrap().proposal_link_days,
            30
        );
        for bad in ["0", "366", "soon"] {
            let e = SalesSettings::load(&none, var("BATON_PROPOSAL_LINK_DAYS", bad)).unwrap_err();
            assert!(
                e.contains("PROPOSAL_LINK_DAYS") || e.contains("proposal_link_days"),
                "{bad}: {e}"
            );
        }
        let wrong: toml::Table = toml::from_str("proposal_link_days = \"week\"").unwrap();
        let e = SalesSettings::load(&wrong, []).unwrap_err();
        assert!(e.starts_with("[service]: ") && e.contains("week"), "{e}");
    }
}
