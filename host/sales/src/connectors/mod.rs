//! The process's deliverer, [`Connectors`]: the engine's transports
//! (`baton-engine`'s `connectors`, re-exported here) with the sales app's
//! own, CRM-lite and HubSpot for CRM updates and tasks, and proposals.
//!
//! Where each effect lands: `email_send` as the rep, through their own
//! mailbox when they connected one that can send (Gmail with `gmail.send`,
//! Microsoft 365 with `Mail.Send`; `mailbox.rs` in the engine), else by
//! SMTP;
//! `slack_post` in Slack; `crm_update` and `task_create` in CRM-lite
//! always, in HubSpot when the org connected it, and at the webhook when
//! one is set; `calendar_invite` on the rep's Google calendar when they
//! connected one with the calendar scope, else as an iMIP email;
//! a `crm_update` of a campaign (`entity` `campaign`: the buttons under
//! the campaign update) in the campaign provider (`campaign.rs`);
//! `proposal_send` stored with a share link, then emailed as the rep or
//! told to the rep (`proposal.rs`). An email's `attachments` are read from
//! the operator's content folder (`BATON_CONTENT_DIR`, `content.rs`) and
//! nowhere else. Every email
//! sent becomes an `email_sent` activity on its contact and their deal.
//!
//! [`Connectors`] is a [`Deliver`]: it routes each effect by kind, records
//! every send in the audit trail, and answers with a typed
//! [`ConnectorError`] that tells retriable failures from terminal ones. The
//! connectors carry things out; they never decide when (the orchestrator's
//! delivery loop and notifier do) and never import the orchestrator.

mod campaign;
mod crm_landing;
pub mod crm_lite;
mod document;
pub mod hubspot;
pub mod proposal;
pub(crate) mod slack_post;
mod tracking;

/// The engine's transports (in `baton-engine`).
pub use baton_engine::connectors::{
    ConnectorError, Deliver, DeliverFuture, GoogleCalendar, MailboxApis, Mailer, OpenAiCompatible,
    Slack, Webhook, blocks, content, deliver, email, google_calendar, http, ics, imip, llm,
    mailbox, slack, webhook,
};
pub use hubspot::HubSpot;

use crate::store::CrmTables;
use crate::store::NewActivity;
use baton_store::address::address_key;
use baton_store::{ActionKind, Effect, Store, now_ms};
use serde_json::json;

/// The provider name of an org's HubSpot account.
pub const HUBSPOT: &str = "hubspot";

/// The configured connectors.
#[derive(Clone, Default)]
pub struct Connectors {
    pub store: Option<Store>,
    pub slack: Option<Slack>,
    pub mailer: Option<Mailer>,
    /// Effects no other connector carries (CRM writes, tasks, invites).
    pub webhook: Option<std::sync::Arc<Webhook>>,
    /// The public base URL of the service, for links in messages.
    pub public_url: Option<String>,
    /// Connected accounts (a CRM, a rep's calendar) effects may land in.
    pub accounts: Option<baton_engine::accounts::Accounts>,
    /// HubSpot's API base (`BATON_HUBSPOT_API_URL`), used when an org has
    /// connected HubSpot.
    pub hubspot_api_url: Option<String>,
    /// Google Calendar, for reps who connected a Google calendar.
    pub google_calendar: Option<GoogleCalendar>,
    /// Gmail and Microsoft Graph, for reps who connected a mailbox that
    /// can send.
    pub mailbox: Option<MailboxApis>,
    /// The operator's content folder, which emails' attachments come from
    /// (`BATON_CONTENT_DIR`).
    pub content: Option<content::ContentFolder>,
    /// Days a proposal's share link works (`proposal_link_days`; `None`:
    /// [`proposal::DEFAULT_LINK_DAYS`]).
    pub proposal_link_days: Option<u32>,
    /// The service's clock (unix ms), for what connectors record with a
    /// time that is later compared with it (a share link's expiry); `None`:
    /// the system clock.
    pub now: Option<Now>,
    /// The engagement workflow a proposal's deal moves under (`None`: the
    /// shipped one).
    pub workflow: Option<std::sync::Arc<crate::engagement::Workflow>>,
}

/// A clock the connectors are lent (so they need not import the
/// orchestrator's).
pub type Now = std::sync::Arc<dyn Fn() -> i64 + Send + Sync>;

impl Connectors {
    /// Now, by the service's clock (the system's without one).
    fn now(&self) -> i64 {
        self.now.as_ref().map_or_else(now_ms, |n| n())
    }

    fn store(&self) -> Result<&Store, ConnectorError> {
        self.store
            .as_ref()
            .ok_or_else(|| ConnectorError::config("connectors have no store"))
    }

    /// An email as the rep; one that carries a deal's document (a
    /// contract) attaches its PDF, and the document is marked sent.
    async fn send_email(&self, effect: &Effect) -> Result<(), ConnectorError> {
        let draft = email::Draft::from_payload(&effect.payload["payload"])?;
        let (files, carried) = match document::carried(self, effect).await? {
            Some(c) => (vec![c.file], Some(c.document)),
            None => (Vec::new(), None),
        };
        self.send_as_rep(effect, &draft, None, files).await?;
        if let Some(d) = carried {
            document::sent(self, effect, &d).await;
        }
        Ok(())
    }

    /// Refuse (and audit) a send to anyone on the do-not-contact list: the
    /// last check before the wire, for an address flagged after the
    /// approval (an unsubscribe that came in during the undo window or
    /// between retries).
    async fn refuse_listed(
        &self,
        effect: &Effect,
        addresses: &[String],
        subject: &str,
    ) -> Result<(), ConnectorError> {
        let store = self.store()?;
        let keys: Vec<String> = addresses.iter().filter_map(|a| address_key(a)).collect();
        let listed = store.do_not_contact(&effect.org_id, &keys).await?;
        let Some(s) = listed.first() else {
            return Ok(());
        };
        store
            .audit(
                &effect.org_id,
                Some(&effect.user_id),
                Some(&effect.job_id),
                "email_blocked",
                &json!({ "effect_id": effect.id, "reason": "do_not_contact", "subject": subject }),
                now_ms(),
            )
            .await?;
        Err(ConnectorError::rejected(format!(
            "not sent: {} is on the do-not-contact list ({})",
            s.email, s.reason
        )))
    }

    /// Send `draft` as the rep (with `invite` as an iMIP request beside the
    /// text when given, and `made`, files baton made, attached after the
    /// content folder's), then audit it and record it on the recipients'
    /// contacts and deals.
    async fn send_as_rep(
        &self,
        effect: &Effect,
        draft: &email::Draft,
        invite: Option<&imip::Invite>,
        made: Vec<content::File>,
    ) -> Result<(), ConnectorError> {
        let store = self.store()?;
        let route = self.email_route(effect).await?;
        let user = store
            .user(&effect.org_id, &effect.user_id)
            .await?
            .ok_or_else(|| ConnectorError::rejected("the rep no longer exists"))?;
        let prefs = store.preferences(&effect.org_id, &effect.user_id).await?;
        let everyone: Vec<String> = draft.to.iter().chain(&draft.cc).cloned().collect();
        self.refuse_listed(effect, &everyone, &draft.subject)
            .await?;
        let sender = email::Sender {
            name: &user.name,
            email: &user.email,
            signature: prefs.email_signature.as_deref(),
        };
        let uid = imip::effect_uid(&effect.idempotency_key);
        let calendar = invite.map(|i| {
            i.request(
                &format!("{uid}@baton"),
                (&user.name, &user.email),
                jiff::Timestamp::now(),
            )
        });
        let mut files = self.attachments(draft).await?;
        files.extend(made);
        // With the org's open and click tracking (off by default).
        let tracked = self
            .tracked(effect, draft, prefs.email_signature.as_deref())
            .await?;
        let draft = tracked.as_ref().unwrap_or(draft);
        let key = &effect.idempotency_key;
        let (via, message_id, already) = match route {
            EmailRoute::Smtp(mailer) => {
                let (message, message_id) =
                    mailer.compose_attaching(&sender, draft, key, calendar.as_deref(), &files)?;
                mailer.send(message).await?;
                ("smtp", message_id, false)
            }
            EmailRoute::Mailbox(apis, accounts, account) => {
                // The Message-ID is minted under the rep's own domain.
                let domain = user
                    .email
                    .rsplit_once('@')
                    .map_or("baton.local", |(_, d)| d);
                let (message, message_id) = email::compose_message(
                    domain,
                    &sender,
                    draft,
                    key,
                    calendar.as_deref(),
                    &files,
                )?;
                let sent = apis
                    .send(
                        accounts,
                        &account,
                        &message.formatted(),
                        &message_id,
                        draft.in_reply_to.as_deref(),
                    )
                    .await?;
                let already = sent == mailbox::Sent::Already;
                (provider_of(&account), message_id, already)
            }
        };
        // Sent: from here on nothing may make it look unsent (it would be
        // sent again).
        let detail = json!({
            "effect_id": effect.id,
            "message_id": message_id,
            "via": via,
            "already_sent": already,
            "to": draft.to,
            "cc": draft.cc,
            "subject": draft.subject,
            "in_reply_to": draft.in_reply_to,
            "invite": invite.map(|_| format!("{uid}@baton")),
            "attachments": files.iter().map(|f| &f.name).collect::<Vec<_>>(),
            "tracked": tracked.is_some(),
        });
        record_sent(store, effect, "email_sent", &detail).await;
        record_email_activity(store, effect, draft).await;
        Ok(())
    }

    /// How the rep's email goes out: through the mailbox they connected
    /// that can send (an active one first; one needing reconnecting still
    /// is theirs, and the send fails saying so rather than going out
    /// another way), else the SMTP relay.
    async fn email_route(&self, effect: &Effect) -> Result<EmailRoute<'_>, ConnectorError> {
        if let (Some(apis), Some(accounts)) = (&self.mailbox, &self.accounts) {
            let mut senders: Vec<_> = self
                .store()?
                .accounts(&effect.org_id, Some(&effect.user_id))
                .await?
                .into_iter()
                .filter(MailboxApis::sends_for)
                .collect();
            senders.sort_by_key(|a| a.status != baton_store::accounts::ACTIVE);
            if let Some(account) = senders.into_iter().next() {
                return Ok(EmailRoute::Mailbox(apis, accounts, Box::new(account)));
            }
        }
        match &self.mailer {
            Some(mailer) => Ok(EmailRoute::Smtp(mailer)),
            None => Err(ConnectorError::config(
                "nothing carries the rep's email: set BATON_SMTP_URL, or have the rep connect a mailbox that can send (Gmail or Microsoft 365)",
            )),
        }
    }

    /// The files `draft` attaches, read from the content folder; a file
    /// that is not there is a refusal naming it, and attachments without a
    /// content folder a configuration to fix. The files are read on a
    /// blocking thread, never on the async runtime's.
    async fn attachments(
        &self,
        draft: &email::Draft,
    ) -> Result<Vec<content::File>, ConnectorError> {
        if draft.attachments.is_empty() {
            return Ok(Vec::new());
        }
        let folder = self.content.as_ref().ok_or_else(|| {
            ConnectorError::config(
                "the email has attachments but no content folder is configured (set BATON_CONTENT_DIR)",
            )
        })?;
        let (folder, wanted) = (folder.clone(), draft.attachments.clone());
        tokio::task::spawn_blocking(move || wanted.iter().map(|a| folder.read(a)).collect())
            .await
            .map_err(|e| ConnectorError::retriable_by("reading the attachments", e))?
    }

    /// A calendar invite: on the rep's Google calendar when connected with
    /// the calendar scope, else an iMIP email as the rep; then at the
    /// webhook too when one is set (as before either existed).
    async fn invite(&self, effect: &Effect) -> Result<(), ConnectorError> {
        self.send_invite(effect).await?;
        match &self.webhook {
            Some(w) => w.deliver(effect).await,
            None => Ok(()),
        }
    }

    async fn send_invite(&self, effect: &Effect) -> Result<(), ConnectorError> {
        let store = self.store()?;
        let invite = imip::Invite::from_payload(&effect.payload["payload"])?;
        if let (Some(calendar), Some(accounts)) = (&self.google_calendar, &self.accounts) {
            let account = store
                .accounts(&effect.org_id, Some(&effect.user_id))
                .await?
                .into_iter()
                .find(|a| {
                    a.provider == "google"
                        && a.status == baton_store::accounts::ACTIVE
                        && a.has_scope(baton_engine::accounts::google::CALENDAR)
                });
            if let Some(account) = account {
                // Google emails the attendees: the same last check as an email.
                self.refuse_listed(effect, &invite.attendees, &invite.title)
                    .await?;
                let id = imip::effect_uid(&effect.idempotency_key);
                let inserted = calendar.insert(accounts, &account, &invite, &id).await?;
                let detail = json!({ "effect_id": effect.id, "event_id": id,
                    "already": inserted == google_calendar::Inserted::AlreadyThere });
                record_sent(store, effect, "calendar_event_created", &detail).await;
                return Ok(());
            }
        }
        self.send_as_rep(effect, &invite.draft(), Some(&invite), Vec::new())
            .await
    }

    async fn route(&self, effect: &Effect) -> Result<(), ConnectorError> {
        match effect.kind {
            ActionKind::EmailSend => self.send_email(effect).await,
            ActionKind::SlackPost => self.post_slack(effect).await,
            ActionKind::CrmUpdate | ActionKind::TaskCreate => self.land_crm(effect).await,
            ActionKind::CalendarInvite => self.invite(effect).await,
            ActionKind::ProposalSend => self.send_proposal(effect).await,
        }
    }
}

/// The transport an account sends by, as the audit row names it.
fn provider_of(account: &baton_store::Account) -> &'static str {
    match baton_engine::accounts::Provider::named(&account.provider) {
        Some(baton_engine::accounts::Provider::Google) => "gmail",
        Some(baton_engine::accounts::Provider::Microsoft) => "microsoft_graph",
        None => "mailbox",
    }
}

/// How a rep's email goes out.
enum EmailRoute<'a> {
    /// Through the rep's own mailbox (Gmail, Microsoft 365).
    Mailbox(
        &'a MailboxApis,
        &'a baton_engine::accounts::Accounts,
        Box<baton_store::Account>,
    ),
    /// Through the operator's SMTP relay (or mail drop).
    Smtp(&'a Mailer),
}

/// How long the audit row of something already sent is retried while the
/// database is unreachable (with the outbox's own wait for the outcome, well
/// inside the delivery lease).
const AUDIT_PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);

/// Audit a send that has happened. The database being away must not turn
/// it into a failed delivery (the outbox would send it again), so the row
/// is written again for a while, and if it still cannot be, the send stands
/// and the loss of its audit row is logged.
async fn record_sent(store: &Store, effect: &Effect, kind: &str, detail: &serde_json::Value) {
    let written = baton_store::retry_transient(AUDIT_PATIENCE, async || {
        store
            .audit(
                &effect.org_id,
                Some(&effect.user_id),
                Some(&effect.job_id),
                kind,
                detail,
                now_ms(),
            )
            .await
    })
    .await;
    if let Err(e) = written {
        tracing::error!(effect = %effect.id, kind, error = %e, "sent, but its audit row could not be written");
    }
}

/// Record a sent email as an `email_sent` activity on each recipient who
/// is a contact, and on their newest open deal, at the send time: the
/// stale-deal scan counts it. Like the audit row, a failure here leaves
/// the send standing (it is logged, without the address).
async fn record_email_activity(store: &Store, effect: &Effect, draft: &email::Draft) {
    let everyone: Vec<String> = draft.to.iter().chain(&draft.cc).cloned().collect();
    let summary = format!("Email sent: {}", draft.subject);
    record_on_recipients(
        store,
        &effect.org_id,
        &effect.user_id,
        &everyone,
        ("email_sent", &summary),
        now_ms(),
    )
    .await;
}

/// Record an activity (`kind`, `summary`) at `at` on each of `addresses`
/// that is a contact of `org`, and on their newest open deal. A failure is
/// logged (without the address) and leaves what happened standing.
pub(crate) async fn record_on_recipients(
    store: &Store,
    org: &baton_store::OrgId,
    user: &baton_store::UserId,
    addresses: &[String],
    (kind, summary): (&str, &str),
    at: i64,
) {
    for to in addresses {
        let Some(key) = address_key(to) else {
            continue;
        };
        let recorded = async {
            let Some(contact) = store.contact_by_email(org, &key).await? else {
                return Ok(());
            };
            let deal = store.open_deal_of_contact(org, &contact.id).await?;
            store
                .insert_activity(
                    org,
                    &NewActivity {
                        deal_id: deal.as_ref().map(|d| d.id.as_str()),
                        contact_id: Some(&contact.id),
                        user: Some(user),
                        kind,
                        summary,
                        occurred_at: at,
                    },
                )
                .await
        };
        if let Err(e) = recorded.await {
            let e: baton_store::StoreError = e;
            tracing::warn!(kind, error = %e, "an activity could not be recorded");
        }
    }
}

/// The channel an effect kind goes out on, for metrics.
fn channel(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::EmailSend => "email",
        ActionKind::SlackPost => "slack",
        ActionKind::CrmUpdate | ActionKind::TaskCreate => "crm",
        ActionKind::CalendarInvite => "calendar",
        ActionKind::ProposalSend => "proposal",
    }
}

impl Deliver for Connectors {
    fn deliver<'a>(&'a self, effect: &'a Effect) -> DeliverFuture<'a> {
        Box::pin(async move {
            let result = self.route(effect).await;
            baton_engine::metrics::delivery(channel(effect.kind), result.is_ok());
            result
        })
    }
}

#[cfg(test)]
mod tests;
