//! What a finished sales step writes with its checkpoint, in the same
//! transaction: a campaign check's figures (kept for the next day's
//! comparison), a meeting's coaching analysis, a drafted contract or
//! invoice (a new version of the deal's document of its kind when it says
//! something new), and a billing dispute an email raised (kept for the
//! engagement worker, `lifecycle::disputes`), and what was found about
//! the rivals a prospect named (an activity on the deal per rival).

use super::{campaigns, coaching};

/// The event that researches the rivals a prospect named.
pub(crate) const RESEARCH_EVENT: &str = "competitive_research";
/// What researching a rival the prospect named left on the deal.
pub(crate) const RESEARCH_ACTIVITY: &str = "competitive_research";
use crate::documents::{CONTRACT, Drafted, INVOICE};
use crate::lifecycle::{contract, invoice};
use crate::store::campaigns::day_row;
use crate::store::coaching::analysis_row;
use crate::store::{NewActivity, activity_row};
use crate::store::{NewDraft, Pending, draft_rows, outbox_row};
use baton_engine::orchestrator::extension::Finished;
use baton_store::Row;

/// The rows `step` writes.
pub(super) fn of(step: &Finished<'_>) -> Vec<Row> {
    let mut rows: Vec<Row> = campaigns::days_of(step.event_type, step.skill, step.data)
        .iter()
        .map(|d| day_row(step.org_id, step.job_id, step.now, d))
        .collect();
    if step.skill == coaching::ANALYSER
        && let Some(c) = coaching::row(step.payload, step.data)
    {
        rows.push(analysis_row(
            step.org_id,
            step.user_id,
            step.job_id,
            step.now,
            &c,
        ));
    }
    rows.extend(research_rows(step));
    rows.extend(document_rows(step));
    rows.extend(dispute_rows(step));
    rows
}

/// One `competitive_research` activity on the deal per rival
/// `research-competitors` found something about (a rival nothing is known
/// of leaves nothing).
fn research_rows(step: &Finished<'_>) -> Vec<Row> {
    if step.event_type != RESEARCH_EVENT || step.skill != "research-competitors" {
        return Vec::new();
    }
    let Some(deal) = step.payload["deal_id"].as_str() else {
        return Vec::new();
    };
    step.data["cards"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["source"] != "none")
        .filter_map(|c| {
            let name = c["competitor"].as_str()?;
            let summary = c["summary"].as_str().unwrap_or("no summary");
            let from = if c["source"] == "battlecard" {
                "battlecard"
            } else {
                "research"
            };
            let text = format!("{name} ({from}): {summary}");
            Some(activity_row(
                step.org_id,
                &NewActivity {
                    deal_id: Some(deal),
                    contact_id: None,
                    user: Some(step.user_id),
                    kind: RESEARCH_ACTIVITY,
                    summary: &text,
                    occurred_at: step.now,
                },
            ))
        })
        .collect()
}

/// A document a drafting skill drafted (`draft-contract`'s `contract`,
/// `draft-invoice`'s `invoice`), for the deal the host's payload names (a
/// document naming another deal is not recorded), with the digest of the
/// terms it was drafted from.
fn document_rows(step: &Finished<'_>) -> Vec<Row> {
    // The drafting step's output holds the document; the sending step's
    // does not.
    let (kind, terms) = match (step.event_type, step.skill) {
        (contract::EVENT, "draft-contract") => (CONTRACT, contract::terms_digest(step.payload)),
        (invoice::EVENT, "draft-invoice") => (INVOICE, invoice::terms_digest(step.payload)),
        _ => return Vec::new(),
    };
    let raw = &step.data[kind];
    if raw.is_null() {
        return Vec::new();
    }
    let Some(deal) = step.payload["deal_id"].as_str() else {
        return Vec::new();
    };
    let Some(doc) = Drafted::of(kind, raw) else {
        tracing::warn!(job = %step.job_id, kind, "a draft that does not read as one; not recorded");
        return Vec::new();
    };
    if doc.deal_id() != deal {
        tracing::warn!(job = %step.job_id, kind, "a draft for another deal; not recorded");
        return Vec::new();
    }
    let (Some(json), Some(terms)) = (doc.json(), terms) else {
        return Vec::new();
    };
    let from = match &doc {
        Drafted::Contract(c) => format!("contract drafted from {}", c.terms_source),
        Drafted::Invoice(i) => format!(
            "invoice {} drafted under {} v{}",
            i.number, i.contract.title, i.contract.version
        ),
    };
    let note = if doc.gaps().is_empty() {
        format!("{from}; nothing missing")
    } else {
        let mut missing: Vec<&str> = doc.gaps().iter().map(|g| g.fact.as_str()).collect();
        missing.dedup();
        format!("{from}; missing {}", missing.join(", "))
    };
    draft_rows(
        step.org_id,
        step.job_id,
        step.now,
        &NewDraft {
            deal_id: deal,
            kind,
            title: doc.title(),
            doc: &json,
            gaps: doc.gaps().len(),
            note: &note,
            terms: &terms,
        },
    )
}

/// A billing dispute the email classifier found, kept for the engagement
/// worker to apply to the sender's deal (keyed by the job: the same email
/// classified again records nothing twice).
fn dispute_rows(step: &Finished<'_>) -> Vec<Row> {
    if step.event_type != crate::admitted::EMAIL_RECEIVED || step.skill != "classify-email-intent" {
        return Vec::new();
    }
    let (Some(why), Some(address)) = (
        step.data["billing_dispute"].as_str(),
        step.data["sender"]["email"].as_str(),
    ) else {
        return Vec::new();
    };
    let who = step.data["sender"]["name"]
        .as_str()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or("the contact");
    let evidence = match step.payload["subject"].as_str().map(str::trim) {
        Some(subject) if !subject.is_empty() => {
            format!("email from {who}, “{subject}”: {why}")
        }
        _ => format!("email from {who}: {why}"),
    };
    vec![outbox_row(&Pending {
        org_id: step.org_id.clone(),
        key: format!(
            "{}:{}",
            crate::lifecycle::disputes::EVENT,
            step.job_id.as_str()
        ),
        event: crate::lifecycle::disputes::EVENT.into(),
        address: address.to_owned(),
        evidence: evidence.chars().take(500).collect(),
        at: step.now,
    })]
}
