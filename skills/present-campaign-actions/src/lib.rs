//! `present-campaign-actions`: the buttons the seed puts under the daily
//! campaign update (Build 6), as a choose gate the campaign owner decides
//! in Slack or the inbox. `monitor-campaigns` queues one `campaign_action`
//! child per decision ([`Offer`]); this skill turns it into the options:
//!
//! - a significant A/B test: "Apply suggestion" (send only the winning
//!   subject line from now on) or "Keep testing";
//! - a lead who answered "not interested": "Mark closed" (the lead marked
//!   not interested in the campaign) or "Add to nurture" (moved to the
//!   org's nurture campaign, offered only when the org names one).
//!
//! Each option is a `crm_update` of the campaign provider's records
//! (`entity` `campaign`, its [`Change`] in `campaign_change`); the host
//! carries the chosen one out after the undo window (`hold_for_undo`),
//! through the provider's API with the key it keeps. A skip changes
//! nothing. Pure: no capability, no outside call.

use baton_sdk::events::campaign_check::{Change, ENTITY, Offer};
use baton_sdk::prelude::*;
use serde::Serialize;

/// The output: what is asked, for the gate's readers.
#[derive(Serialize, JsonSchema)]
pub struct Asked {
    /// `ab_winner` or `not_interested`.
    pub offer: String,
    pub campaign_id: String,
    pub campaign: String,
    /// What the gate is called ("Subject line test: “Q1 SaaS Outreach”").
    pub title: String,
    /// The question, in a sentence.
    pub question: String,
    /// The options, in order (the gate's choices).
    pub options: Vec<String>,
}

#[derive(serde::Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Params {}

/// A subject line as quoted in an option: at most this many characters.
const SUBJECT_CHARS: usize = 60;

fn quoted(subject: Option<&str>) -> String {
    match subject.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) if s.chars().count() > SUBJECT_CHARS => {
            let cut: String = s.chars().take(SUBJECT_CHARS - 1).collect();
            format!(" (\u{201c}{}\u{2026}\u{201d})", cut.trim_end())
        }
        Some(s) => format!(" (\u{201c}{s}\u{201d})"),
        None => String::new(),
    }
}

/// A variant's letter (0 = A).
fn letter(variant: i64) -> String {
    u8::try_from(variant).ok().filter(|v| *v < 26).map_or_else(
        || format!("#{}", variant + 1),
        |v| char::from(b'A' + v).to_string(),
    )
}

/// A `crm_update` payload carrying `change`; one that writes to the
/// provider waits out the undo window.
fn payload(change: &Change, writes: bool) -> Result<Value, SkillError> {
    let change = to_data(change)?;
    let mut p = json!({ "entity": ENTITY, "campaign_change": change });
    if writes {
        p["hold_for_undo"] = json!(true);
    }
    Ok(p)
}

/// The options of `offer`: `(preview, change, writes outside)`.
pub fn options(offer: &Offer) -> (Asked, Vec<(String, Change, bool)>) {
    match offer {
        Offer::AbWinner {
            campaign_id,
            campaign,
            step,
            keep_variant,
            subject,
            text,
            ..
        } => {
            let won = letter(*keep_variant);
            let opts = vec![
                (
                    format!(
                        "Apply suggestion: send only {won}{} in step {} of \u{201c}{campaign}\u{201d}",
                        quoted(subject.as_deref()),
                        step + 1
                    ),
                    Change::KeepVariant {
                        campaign_id: campaign_id.clone(),
                        step: *step,
                        variant: *keep_variant,
                    },
                    true,
                ),
                (
                    format!(
                        "Keep testing: leave step {} of \u{201c}{campaign}\u{201d} as it is",
                        step + 1
                    ),
                    Change::KeepTesting {
                        campaign_id: campaign_id.clone(),
                        step: *step,
                    },
                    false,
                ),
            ];
            let asked = Asked {
                offer: "ab_winner".into(),
                campaign_id: campaign_id.clone(),
                campaign: campaign.clone(),
                title: format!("Subject line test: \u{201c}{campaign}\u{201d}"),
                question: text.clone(),
                options: opts.iter().map(|o| o.0.clone()).collect(),
            };
            (asked, opts)
        }
        Offer::NotInterested {
            campaign_id,
            campaign,
            email,
            name,
            summary,
            nurture_campaign,
            ..
        } => {
            let who = name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .unwrap_or(email);
            let mut opts = vec![(
                format!("Mark closed: {who} is not interested in \u{201c}{campaign}\u{201d}"),
                Change::MarkClosed {
                    campaign_id: campaign_id.clone(),
                    campaign: campaign.clone(),
                    email: email.clone(),
                },
                true,
            )];
            if let Some(to) = nurture_campaign.as_deref().filter(|c| !c.trim().is_empty()) {
                opts.push((
                    format!("Add to nurture: move {who} to the nurture campaign"),
                    Change::Nurture {
                        campaign_id: campaign_id.clone(),
                        campaign: campaign.clone(),
                        email: email.clone(),
                        to_campaign_id: to.to_owned(),
                    },
                    true,
                ));
            }
            let asked = Asked {
                offer: "not_interested".into(),
                campaign_id: campaign_id.clone(),
                campaign: campaign.clone(),
                title: format!("Not interested: {who} (\u{201c}{campaign}\u{201d})"),
                question: format!(
                    "{who} answered \u{201c}{campaign}\u{201d}: {summary}. Close them, or keep them warm?"
                ),
                options: opts.iter().map(|o| o.0.clone()).collect(),
            };
            (asked, opts)
        }
    }
}

pub struct PresentCampaignActions;

impl Skill for PresentCampaignActions {
    fn manifest() -> Manifest {
        Manifest::new(
            "present-campaign-actions",
            env!("CARGO_PKG_VERSION"),
            "Offers the campaign check's buttons for one decision: apply an A/B winner or keep testing; mark a lead closed or add them to nurture.",
        )
        .default_fuel(50_000_000)
        .params::<Params>()
        .output::<Asked>()
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let _: Params = input.params()?;
        let offer: Offer = input.payload()?;
        let (asked, opts) = options(&offer);
        let mut out = Output::of(&asked)?;
        for (preview, change, writes) in opts {
            out = out.action(ActionKind::CrmUpdate, preview, payload(&change, writes)?);
        }
        Ok(out)
    }
}

export_skill!(PresentCampaignActions);

#[cfg(test)]
mod tests;
