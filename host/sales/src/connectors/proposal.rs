//! An approved proposal going out: stored in `proposals` (status `sent`,
//! the deal's next version) with an unguessable share link
//! (`{public_url}/p/{token}`, 192 random bits, valid for the org's
//! `proposal_link_days`), then either emailed to the prospect as the rep
//! (the send-as-rep path: do-not-contact, audit, `email_sent` activity),
//! the document as plain text under the cover note, with the link; or,
//! for `delivery = link`, only published, the link told to the rep in
//! Slack when Slack is set up (and shown in the inbox and the API).
//!
//! The record is keyed by the effect's idempotency key, so a redelivery
//! finds the same row and the same link. It never renders HTML (the
//! service's `/p/` page does) and never decides when to send.

use super::{ConnectorError, Connectors, blocks, email, record_sent};
use crate::engagement::Workflow;
use crate::lifecycle::proposals::{By, proposal_moved};
use crate::store::NewProposal;
use crate::store::ProposalTables;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use baton_store::Effect;
use baton_types::proposal::{Delivery, Fork, ProposalDoc, ProposalSend};
use chacha20poly1305::aead::OsRng;
use chacha20poly1305::aead::rand_core::RngCore;
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

/// Days a share link works when the operator did not say.
pub const DEFAULT_LINK_DAYS: u32 = 30;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// A fresh share token: 192 bits from the operating system's CSPRNG,
/// base64url without padding (32 characters).
pub fn share_token() -> String {
    let mut bytes = [0u8; 24];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Whether `s` could be a token [`share_token`] minted (so a malformed
/// one is turned away before the database is asked).
pub fn is_share_token(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Read a `proposal_send` payload, refusing one that does not hold up.
pub fn read(payload: &serde_json::Value) -> Result<ProposalSend, ConnectorError> {
    let bad = |m: String| ConnectorError::rejected(format!("proposal_send payload: {m}"));
    let send = ProposalSend::deserialize(payload).map_err(|e| bad(e.to_string()))?;
    match send.problem() {
        Some(m) => Err(bad(m)),
        None => Ok(send),
    }
}

use baton_types::money::money;

/// The document as plain text, for the email under the cover note.
pub(crate) fn as_text(doc: &ProposalDoc) -> String {
    let mut out = String::new();
    out.push_str(doc.title.trim());
    out.push('\n');
    out.push_str(&"=".repeat(doc.title.trim().chars().count().min(72)));
    out.push('\n');
    let whom: Vec<&str> = [doc.contact_name.as_deref(), doc.company.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect();
    if !whom.is_empty() {
        out.push_str(&format!("Prepared for {}\n", whom.join(", ")));
    }
    for s in &doc.sections {
        out.push('\n');
        out.push_str(s.heading.trim());
        out.push('\n');
        out.push_str(&"-".repeat(s.heading.trim().chars().count().min(72)));
        out.push('\n');
        out.push_str(s.body.trim());
        out.push('\n');
    }
    if !doc.pricing.is_empty() {
        out.push_str("\nPricing\n-------\n");
        for l in &doc.pricing {
            out.push_str(&format!(
                "- {}: {} × {} = {}\n",
                l.item,
                l.quantity,
                money(l.unit_amount, &doc.currency),
                money(l.total, &doc.currency)
            ));
        }
    }
    out.push_str(&format!("\nTotal: {}\n", money(doc.amount, &doc.currency)));
    if let Some(d) = &doc.valid_until {
        out.push_str(&format!("Valid until {d}\n"));
    }
    out
}

impl Connectors {
    /// Carry out a `proposal_send` effect (see the module's doc).
    pub(super) async fn send_proposal(&self, effect: &Effect) -> Result<(), ConnectorError> {
        let send = read(&effect.payload["payload"])?;
        let store = self.store()?;
        let base = self.public_url.as_deref().ok_or_else(|| {
            ConnectorError::config(
                "a proposal's link needs the service's public URL (set BATON_PUBLIC_URL)",
            )
        })?;
        let cover = match send.delivery {
            Delivery::Email => {
                // Nothing is stored when nothing could carry the email.
                self.email_route(effect).await?;
                let draft = email::Draft {
                    to: send.to.clone(),
                    cc: send.cc.clone(),
                    subject: send.subject.clone(),
                    body: String::new(),
                    in_reply_to: send.in_reply_to.clone(),
                    references: send
                        .references
                        .as_deref()
                        .map(|r| r.split_whitespace().map(str::to_owned).collect())
                        .unwrap_or_default(),
                    // The document travels as text and its link.
                    attachments: Vec::new(),
                    html: None,
                };
                // Before the link goes live: nothing is published to a
                // prospect who asked not to be contacted.
                let everyone: Vec<String> = draft.to.iter().chain(&draft.cc).cloned().collect();
                self.refuse_listed(effect, &everyone, &draft.subject)
                    .await?;
                Some(draft)
            }
            Delivery::Link => None,
        };
        let now = self.now();
        let days = i64::from(self.proposal_link_days.unwrap_or(DEFAULT_LINK_DAYS));
        let document = serde_json::to_value(&send.proposal)
            .map_err(|e| ConnectorError::rejected_by("proposal_send payload", e))?;
        let token = share_token();
        let doc = &send.proposal;
        // Asked as a fork (the request's `fork`, checked at the door by the
        // shipped payload schema; again here for a sequence without one):
        // it stands beside the deal's current proposal, and says why.
        let asked = store.job(&effect.org_id, &effect.job_id).await?;
        let fork = match asked.as_ref().map(|j| &j.payload["fork"]) {
            None | Some(serde_json::Value::Null) => None,
            Some(f) => Some(
                Fork::deserialize(f)
                    .ok()
                    .and_then(|f| f.stated())
                    .ok_or_else(|| {
                        ConnectorError::rejected(
                            "not sent: a fork needs a stated reason (`separate_scope` or `separate_audience`) and a note of 1 to 200 characters",
                        )
                    })?,
            ),
        };
        let proposal = store
            .record_proposal(
                &effect.org_id,
                &NewProposal {
                    user: &effect.user_id,
                    job: &effect.job_id,
                    deal_id: doc.deal_id.as_deref(),
                    contact_id: doc.contact_id.as_deref(),
                    title: &doc.title,
                    amount_cents: doc.amount,
                    currency: &doc.currency,
                    document: &document,
                    share_token: &token,
                    expires_at: now + days * DAY_MS,
                    source_key: &effect.idempotency_key,
                    fork_reason: fork.as_deref(),
                },
                now,
            )
            .await?;
        // The deal's engagement learns of it (once per proposal).
        let workflow = self
            .workflow
            .clone()
            .unwrap_or_else(|| Arc::new(Workflow::shipped()));
        proposal_moved(store, &workflow, &proposal, By::Baton, now).await?;
        let token = proposal.share_token.as_deref().unwrap_or(&token);
        let link = format!("{}/p/{token}", base.trim_end_matches('/'));
        let until = jiff::Timestamp::from_millisecond(proposal.expires_at.unwrap_or(now))
            .map(|t| t.strftime("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let detail = json!({
            "effect_id": effect.id, "proposal_id": proposal.id, "version": proposal.version,
            "delivery": send.delivery, "expires_at": proposal.expires_at,
        });
        match cover {
            Some(mut draft) => {
                draft.body = format!(
                    "{}\n\nThe proposal is below, and online (until {until}): {link}\n\n{}",
                    send.body.trim_end(),
                    as_text(doc)
                );
                self.send_as_rep(effect, &draft, None, Vec::new()).await?;
                record_sent(store, effect, "proposal_sent", &detail).await;
            }
            None => {
                self.tell_rep_the_link(effect, &doc.title, &link, &until)
                    .await?;
                record_sent(store, effect, "proposal_published", &detail).await;
            }
        }
        Ok(())
    }

    /// Post the link of a published proposal to the rep's Slack channel,
    /// when Slack is set up and the rep has one.
    async fn tell_rep_the_link(
        &self,
        effect: &Effect,
        title: &str,
        link: &str,
        until: &str,
    ) -> Result<(), ConnectorError> {
        let Some(slack) = &self.slack else {
            return Ok(());
        };
        let store = self.store()?;
        let prefs = store.preferences(&effect.org_id, &effect.user_id).await?;
        let Some(channel) = prefs.slack_channel else {
            return Ok(());
        };
        let heading = format!("Your proposal is ready to share: {title}");
        let text = format!(
            "Send this link to the prospect (it works until {until}; you will hear when it is opened):\n{link}"
        );
        let (fallback, layout) = blocks::inform(&heading, &text);
        slack.post_message(&channel, &fallback, &layout).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_url_safe() {
        let a = share_token();
        let b = share_token();
        assert_ne!(a, b);
        assert!(is_share_token(&a), "{a}");
        assert!(!is_share_token("short"));
        assert!(!is_share_token(&format!("{}/", &a[..31])));
    }

    #[test]
    fn the_text_has_every_section_and_the_total() {
        let send = read(&serde_json::json!({
            "to": ["marta@northwind.example"], "subject": "Proposal", "body": "Hi",
            "proposal": {
                "title": "Renewals Hub", "currency": "USD", "amount": 2_160_000,
                "company": "Northwind", "contact_name": "Marta Ruiz",
                "sections": [{ "heading": "Summary", "body": "You said:\n> churn is 8%" }],
                "pricing": [{ "item": "Growth seats", "quantity": 40, "unit_amount": 54_000, "total": 2_160_000 }],
                "valid_until": "2026-12-31"
            }
        }))
        .expect("reads");
        let text = as_text(&send.proposal);
        assert!(text.starts_with("Renewals Hub\n"), "{text}");
        assert!(
            text.contains("Prepared for Marta Ruiz, Northwind"),
            "{text}"
        );
        assert!(text.contains("> churn is 8%"), "{text}");
        assert!(
            text.contains("- Growth seats: 40 × $540 = $21,600"),
            "{text}"
        );
        assert!(text.contains("Total: $21,600"), "{text}");
        assert!(text.contains("Valid until 2026-12-31"), "{text}");
    }

    #[test]
    fn a_payload_that_does_not_add_up_is_refused_naming_the_problem() {
        let e = read(&serde_json::json!({
            "delivery": "link", "subject": "P", "body": "",
            "proposal": { "title": "T", "currency": "USD", "amount": 1,
                "sections": [{ "heading": "H", "body": "b" }],
                "pricing": [{ "item": "x", "quantity": 1, "unit_amount": 2, "total": 2 }] }
        }))
        .expect_err("does not add up");
        assert!(matches!(e, ConnectorError::Rejected { .. }), "{e:?}");
        assert!(e.to_string().contains("add up"), "{e}");
        let e = read(&serde_json::json!({ "subject": "P" })).expect_err("no document");
        assert!(e.to_string().contains("proposal_send payload"), "{e}");
    }
}
