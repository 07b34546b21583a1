//! `monitor-campaigns`: the org's daily campaign check (seed Build 6). It
//! reads the day's campaign metrics and replies from the campaign provider
//! configured as `providers.campaigns` (Instantly API v2 shapes,
//! [`instantly`]) over the HTTP the operator grants, and:
//!
//! - compares each campaign's open, click and reply rates with the
//!   previous day's ([`rates`]; the figures the host stored, else the
//!   provider's for that day) and flags those under the org's benchmarks;
//! - classifies each reply of the day ([`replies`], the email classifier's
//!   rules plus `forwarded`); a positive one becomes a `campaign_reply`
//!   child whose `draft-email-reply` step holds the answer at a confirm
//!   gate (the send-as-rep rails: gate, undo window, daily cap,
//!   do-not-contact); an unsubscribe becomes a do-not-contact flag;
//! - runs the A/B subject-line test on each step's variants A and B
//!   ([`abtest`]): a switch is suggested only when significant;
//! - posts the update to the owner's Slack in the seed's layout
//!   ([`slack`]), inform-only.
//!
//! Its output's `days` are the day's figures, which the host stores for
//! tomorrow's comparison. A provider that refuses the key, fails or
//! answers what its API does not document fails the step with a message
//! naming the endpoint and the fix; logs never carry an address or a body.

pub mod abtest;
pub mod instantly;
pub mod rates;
pub mod replies;
pub mod slack;

use abtest::{Counts, Decision, ZTest};
use baton_sdk::events::campaign_check::{
    ACTION_EVENT, CampaignDay, Offer, PROVIDER, Payload, REPLY_EVENT,
};
use baton_sdk::host::{Level, Tier};
use baton_sdk::prelude::*;
use instantly::{Analytics, Campaign, Client, ProviderError};
use rates::{Change, Flag, Rates};
use replies::Category;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {
    /// How long each provider request may take.
    #[serde(default = "timeout")]
    #[schemars(range(min = 1))]
    timeout_ms: u32,
    /// Replies read at most, across campaigns (newest first).
    #[serde(default = "fifty")]
    #[schemars(range(min = 1))]
    max_replies: usize,
}

fn timeout() -> u32 {
    5_000
}
fn fifty() -> usize {
    50
}

/// The output, from which the manifest's output schema is derived.
#[derive(Serialize, JsonSchema)]
pub struct Report {
    /// The day reported.
    pub date: String,
    /// The day compared with.
    pub previous_date: String,
    /// Where the previous day's figures came from: `store` (the host kept
    /// them), `provider` (asked again), or `none`.
    pub previous_source: &'static str,
    pub campaigns: Vec<CampaignReport>,
    /// The day's replies, classified, newest first.
    pub replies: Vec<ReplyReport>,
    /// Replies per category.
    pub reply_counts: BTreeMap<String, usize>,
    pub ab_tests: Vec<AbTest>,
    /// The day's figures per campaign, which the host stores.
    pub days: Vec<Day>,
    /// `rules`: the classifier's rules decide alone (no model here).
    pub method: &'static str,
}

/// One campaign's day.
#[derive(Serialize, JsonSchema)]
pub struct CampaignReport {
    pub campaign_id: String,
    pub name: String,
    pub sent: i64,
    pub opened: i64,
    pub clicked: i64,
    pub replied: i64,
    pub rates: Rates,
    /// Against the previous day; `None` without its figures.
    pub change: Option<Change>,
    /// Rates under the org's benchmarks.
    pub flags: Vec<Flag>,
    pub underperforming: bool,
}

/// One reply, classified.
#[derive(Serialize, JsonSchema)]
pub struct ReplyReport {
    pub email_id: String,
    pub campaign_id: String,
    pub campaign: String,
    pub from_name: Option<String>,
    pub from_email: Option<String>,
    pub category: Category,
    /// The classifier's label, or `forwarded`.
    pub label: String,
    pub summary: String,
    pub reasons: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forwarded_to: Option<String>,
    pub thread_id: Option<String>,
    pub received_at: Option<String>,
    /// A `campaign_reply` child drafts the answer (positive replies).
    pub draft_queued: bool,
}

/// The A/B test of one step's subject lines.
#[derive(Serialize, JsonSchema)]
pub struct AbTest {
    pub campaign_id: String,
    pub campaign: String,
    /// 0-based.
    pub step: i64,
    /// `open_rate`: subject lines decide opens.
    pub metric: &'static str,
    pub a: VariantStats,
    pub b: VariantStats,
    pub test: ZTest,
    /// The level the p-value is compared with (two-sided).
    pub alpha: f64,
    pub min_variant_sent: i64,
    pub decision: Decision,
    /// What the Slack update says.
    pub text: String,
    /// One of the two variants is already switched off in the provider (a
    /// winner was applied): no decision is offered.
    pub settled: bool,
}

#[derive(Serialize, JsonSchema)]
pub struct VariantStats {
    pub subject: Option<String>,
    pub sent: i64,
    pub opened: i64,
    pub open_rate: Option<f64>,
}

/// A day's figures (the host stores them as `campaign_days`).
#[derive(Serialize, JsonSchema)]
pub struct Day {
    pub campaign_id: String,
    pub name: String,
    pub date: String,
    pub sent: i64,
    pub opened: i64,
    pub clicked: i64,
    pub replied: i64,
}

impl From<&CampaignDay> for Day {
    fn from(d: &CampaignDay) -> Day {
        Day {
            campaign_id: d.campaign_id.clone(),
            name: d.name.clone(),
            date: d.date.clone(),
            sent: d.sent,
            opened: d.opened,
            clicked: d.clicked,
            replied: d.replied,
        }
    }
}

pub struct MonitorCampaigns;

impl Skill for MonitorCampaigns {
    fn manifest() -> Manifest {
        Manifest::new(
            "monitor-campaigns",
            env!("CARGO_PKG_VERSION"),
            "Checks the org's campaigns: rates against yesterday and benchmarks, replies classified, A/B subject lines tested.",
        )
        .capability("context:external:campaigns")
        .capability("http:*")
        // Measured in wasm (tests/all/campaigns.rs): 15.8M for a check of two
        // campaigns, four replies and two A/B tests. The classifier's rules
        // take ~6M a short reply, so the 50-reply cap stays well under this.
        .default_fuel(1_000_000_000)
        .params::<Params>()
        .output::<Report>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let params: Params = input.params()?;
        let check: Payload = input.payload()?;
        if check.date.is_empty() {
            return Err(SkillError::InvalidInput(
                "campaign_check payload has no `date`".into(),
            ));
        }
        let client = client(params.timeout_ms)?;
        let campaigns: BTreeMap<String, Campaign> = client
            .campaigns()?
            .into_iter()
            .map(|c| (c.id.clone(), c))
            .collect();
        let today = days(
            client.analytics(&check.date, &check.date)?,
            &check.date,
            &campaigns,
        );
        let (previous, previous_source) = if !check.previous.is_empty() {
            (check.previous.clone(), "store")
        } else if check.previous_date.is_empty() {
            (Vec::new(), "none")
        } else {
            let rows = client.analytics(&check.previous_date, &check.previous_date)?;
            (days(rows, &check.previous_date, &campaigns), "provider")
        };
        let settings = &check.settings;
        let mut reports = Vec::new();
        let mut ab_tests = Vec::new();
        let mut replies = Vec::new();
        let mut out_replies = Vec::new();
        for day in &today {
            let now = rates::rates(day);
            let before = previous
                .iter()
                .find(|p| p.campaign_id == day.campaign_id)
                .map(rates::rates);
            let flags = rates::flags(day, &now, &settings.benchmarks);
            reports.push(CampaignReport {
                campaign_id: day.campaign_id.clone(),
                name: day.name.clone(),
                sent: day.sent,
                opened: day.opened,
                clicked: day.clicked,
                replied: day.replied,
                rates: now,
                change: before.map(|b| rates::change(&now, &b)),
                underperforming: !flags.is_empty(),
                flags,
            });
            let campaign = campaigns.get(&day.campaign_id);
            ab_tests.extend(ab_tests_of(&client, day, campaign, settings)?);
            if replies.len() < params.max_replies {
                let left = params.max_replies - replies.len();
                replies.extend(
                    client
                        .replies(&day.campaign_id)?
                        .into_iter()
                        .filter(|e| {
                            e.timestamp_email
                                .as_deref()
                                .is_some_and(|t| t.starts_with(&check.date))
                        })
                        .take(left)
                        .map(|e| (day.name.clone(), e)),
                );
            }
        }
        let mut follow_ups = Vec::new();
        let mut opt_outs = Vec::new();
        for (campaign, e) in &replies {
            let from_email = e.from_address_email.as_deref().map(str::to_ascii_lowercase);
            let c = replies::classify_reply(
                e.subject.as_deref().unwrap_or(""),
                &e.text(),
                from_email.as_deref(),
                e.is_auto_reply == Some(1),
            );
            let from_name = e.from_name();
            let positive = c.category == Category::Interested && from_email.is_some();
            if positive && let Some(addr) = &from_email {
                let from = match &from_name {
                    Some(n) => format!("{n} <{addr}>"),
                    None => addr.clone(),
                };
                follow_ups.push(json!({
                    "from": from,
                    "subject": e.subject,
                    "body": c.newest,
                    "message_id": e.message_id,
                    "thread_id": e.thread_id,
                    "received_at": e.timestamp_email,
                    "campaign": campaign,
                    "campaign_id": e.campaign_id,
                    "email_id": e.id,
                    "category": c.label,
                }));
            }
            if c.category == Category::Unsubscribe
                && let Some(addr) = &from_email
            {
                opt_outs.push((addr.clone(), from_name.clone(), campaign.clone()));
            }
            out_replies.push(ReplyReport {
                email_id: e.id.clone(),
                campaign_id: e.campaign_id.clone().unwrap_or_default(),
                campaign: campaign.clone(),
                from_name,
                from_email,
                category: c.category,
                label: c.label.to_owned(),
                summary: c.summary,
                reasons: c.reasons,
                forwarded_to: c.forwarded_to,
                thread_id: e.thread_id.clone(),
                received_at: e.timestamp_email.clone(),
                draft_queued: positive,
            });
        }
        let mut reply_counts = BTreeMap::new();
        for r in &out_replies {
            *reply_counts
                .entry(r.category.as_str().to_owned())
                .or_insert(0) += 1;
        }
        host::log(
            Level::Info,
            &format!(
                "{} campaigns, {} flagged, {} replies ({} to draft), {} A/B tests",
                reports.len(),
                reports.iter().filter(|r| r.underperforming).count(),
                out_replies.len(),
                follow_ups.len(),
                ab_tests.len()
            ),
        );
        let report = Report {
            date: check.date.clone(),
            previous_date: check.previous_date.clone(),
            previous_source,
            days: today.iter().map(Day::from).collect(),
            campaigns: reports,
            replies: out_replies,
            reply_counts,
            ab_tests,
            method: "rules",
        };
        let (title, text, blocks) = slack::update(&report, &input.event.id);
        let mut out = Output::of(&report)?.action(
            ActionKind::SlackPost,
            format!("Campaign update for {} in Slack", report.date),
            json!({ "title": title, "text": text, "blocks": blocks }),
        );
        for (email, name, campaign) in opt_outs {
            let who = name.unwrap_or_else(|| "a campaign lead".into());
            out = out.action(
                ActionKind::CrmUpdate,
                format!("Do not contact {who}: they asked to stop emails"),
                json!({
                    "email": email,
                    "do_not_contact": true,
                    "reason": format!("asked to stop emails (reply to campaign {campaign})"),
                }),
            );
        }
        for payload in follow_ups {
            out = out.follow_up(
                REPLY_EVENT,
                payload,
                1.0,
                "a positive campaign reply to answer",
            );
        }
        // The buttons under the update: one decision each, at its own gate.
        for (offer, why) in offers(&report, settings.nurture_campaign.as_deref()) {
            let payload = serde_json::to_value(&offer)
                .map_err(|e| SkillError::Failed(format!("cannot write an offer: {e}")))?;
            out = out.follow_up(ACTION_EVENT, payload, 1.0, why);
        }
        Ok(out)
    }
}

/// The decisions the update offers the owner, each with why: a significant
/// A/B test (apply the winner, or keep testing) and a lead who answered
/// "not interested" (mark closed, or add to nurture).
pub fn offers(report: &Report, nurture: Option<&str>) -> Vec<(Offer, &'static str)> {
    let mut out = Vec::new();
    for t in report.ab_tests.iter().filter(|t| !t.settled) {
        let (keep_variant, subject) = match t.decision {
            Decision::SwitchToB => (1, t.b.subject.clone()),
            Decision::KeepA => (0, t.a.subject.clone()),
            Decision::KeepTesting => continue,
        };
        out.push((
            Offer::AbWinner {
                key: format!("ab:{}:{}:{}", t.campaign_id, t.step, report.date),
                date: report.date.clone(),
                campaign_id: t.campaign_id.clone(),
                campaign: t.campaign.clone(),
                step: t.step,
                keep_variant,
                subject,
                text: t.text.clone(),
            },
            "a subject line test with a significant winner",
        ));
    }
    for r in &report.replies {
        let (Category::NotInterested, Some(email)) = (r.category, &r.from_email) else {
            continue;
        };
        out.push((
            Offer::NotInterested {
                key: format!("lead:{}:{}", r.campaign_id, r.email_id),
                date: report.date.clone(),
                campaign_id: r.campaign_id.clone(),
                campaign: r.campaign.clone(),
                email: email.clone(),
                name: r.from_name.clone(),
                summary: r.summary.clone(),
                nurture_campaign: nurture.map(str::to_owned),
            },
            "a campaign lead who answered not interested",
        ));
    }
    out
}

/// The provider client, from `providers.campaigns` (`{"url": …}`).
fn client(timeout_ms: u32) -> Result<Client, SkillError> {
    let config = match host::context(Tier::External(PROVIDER.into())) {
        Ok(c) => c,
        Err(HostError::NotFound(_)) => {
            return Err(ProviderError::NotConfigured(
                "no campaign provider is configured (providers.campaigns.url in the org profile)"
                    .into(),
            )
            .into());
        }
        Err(e) => return Err(e.into()),
    };
    let url = config["url"].as_str().ok_or_else(|| {
        SkillError::from(ProviderError::NotConfigured(
            "providers.campaigns has no `url` (the provider's API base, e.g. https://api.instantly.ai)"
                .into(),
        ))
    })?;
    Ok(Client::new(url, timeout_ms)?)
}

/// The day's figures of each campaign that sent anything, by name.
fn days(
    rows: Vec<Analytics>,
    date: &str,
    campaigns: &BTreeMap<String, Campaign>,
) -> Vec<CampaignDay> {
    let mut out: Vec<CampaignDay> = rows
        .into_iter()
        .filter(|a| a.emails_sent_count > 0 || a.replied() > 0)
        .map(|a| CampaignDay {
            name: if a.campaign_name.is_empty() {
                campaigns
                    .get(&a.campaign_id)
                    .map(|c| c.name.clone())
                    .unwrap_or_default()
            } else {
                a.campaign_name.clone()
            },
            campaign_id: a.campaign_id.clone(),
            date: date.to_owned(),
            sent: a.emails_sent_count,
            opened: a.opened(),
            clicked: a.clicked(),
            replied: a.replied(),
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.campaign_id.cmp(&b.campaign_id)));
    out
}

/// The A/B tests of a campaign: each step with variants A and B.
fn ab_tests_of(
    client: &Client,
    day: &CampaignDay,
    campaign: Option<&Campaign>,
    settings: &baton_sdk::events::campaign_check::Settings,
) -> Result<Vec<AbTest>, SkillError> {
    let rows = client.steps(&day.campaign_id)?;
    let mut steps: BTreeMap<i64, BTreeMap<i64, Counts>> = BTreeMap::new();
    for r in rows {
        let v = steps
            .entry(r.step)
            .or_default()
            .entry(r.variant)
            .or_insert(Counts { n: 0, x: 0 });
        v.n += r.sent;
        v.x += r.unique_opened;
    }
    let mut out = Vec::new();
    for (step, variants) in steps {
        let (Some(&a), Some(&b)) = (variants.get(&0), variants.get(&1)) else {
            continue;
        };
        let subject = |v: usize| {
            campaign
                .zip(usize::try_from(step).ok())
                .and_then(|(c, s)| c.subject(s, v))
                .map(str::to_owned)
        };
        let test = abtest::z_test(a, b);
        let decision = abtest::decide(a, b, &test, settings.alpha, settings.min_variant_sent);
        let stats = |c: Counts, v: usize| VariantStats {
            subject: subject(v),
            sent: c.n,
            opened: c.x,
            open_rate: (c.n > 0).then(|| c.x as f64 / c.n as f64),
        };
        let (sa, sb) = (stats(a, 0), stats(b, 1));
        let settled = campaign
            .zip(usize::try_from(step).ok())
            .is_some_and(|(c, s)| c.disabled(s, 0) || c.disabled(s, 1));
        let text = slack::ab_text(
            &sa,
            &sb,
            &test,
            decision,
            settings.alpha,
            settings.min_variant_sent,
        );
        out.push(AbTest {
            campaign_id: day.campaign_id.clone(),
            campaign: day.name.clone(),
            step,
            metric: "open_rate",
            a: sa,
            b: sb,
            test,
            alpha: settings.alpha,
            min_variant_sent: settings.min_variant_sent,
            decision,
            text,
            settled,
        });
    }
    Ok(out)
}

export_skill!(MonitorCampaigns);

#[cfg(test)]
mod tests;
