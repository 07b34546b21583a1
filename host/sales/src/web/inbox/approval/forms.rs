//! The forms of an open gate, each working without a script: approve; edit
//! the draft inline (with a preview); choose a time; a batch as a checklist
//! with "Select all" / "Select none" (submit buttons that redraw the page
//! ticked, instant with a script) and "Approve checked"; skip; cancel; and
//! "Not right" — a visible button opening the reason form.

use super::super::proposal_gate;
use super::{Shown, choice, crm, draft, email, send_later};
use crate::eval::{emails, intents};
use crate::suggested::SuggestedKind;
use crate::web::store::{ActionKind, FeedbackReason, GateKind, Pattern, PendingAction};
use baton_engine::orchestrator::NONE_OF_THEM;
use baton_service::inbox::RepClock;
use baton_types::evidence::Evidence;
use maud::{Markup, PreEscaped, html};

/// The "Not right" form: a reason, the labels the suggestion should have
/// had (from the vocabulary of what it suggested), a note.
fn not_right_form(action: &str, kind: SuggestedKind) -> Markup {
    html! {
        details #not-right {
            summary.button { "Not right" }
            form method="post" action=(action) {
                input type="hidden" name="decision" value="not_right";
                label for="reason" { "What was wrong" }
                select #reason name="reason" required {
                    option value="" { "Pick one" }
                    @for r in FeedbackReason::ALL {
                        option value=(r.as_str()) { (r.describe()) }
                    }
                }
                @match kind {
                    SuggestedKind::Intent => {
                        fieldset #labels {
                            legend { "With “wrong intent or label”: what this line should have had (leave all unticked if unsure)" }
                            @for l in intents::LABELS {
                                label { input type="checkbox" name="label" value=(l); " " (l) } br;
                            }
                            label { input type="checkbox" name="label" value=(NONE_OF_THEM); " none of these" }
                        }
                    }
                    SuggestedKind::Email => {
                        label for="label" { "With “wrong intent or label”: what this email is" }
                        select #label name="label" {
                            option value="" { "Not sure" }
                            @for l in emails::LABELS { option value=(l) { (l) } }
                        }
                    }
                    SuggestedKind::Other => {}
                }
                label for="note" { "Anything else (optional)" }
                textarea #note name="note" rows="3" maxlength=(baton_engine::orchestrator::approvals::MAX_NOTE) {}
                button #not-right-submit type="submit" { "Skip as not right" }
            }
        }
    }
}

/// The batch as a checklist; `ticked` overrides the default (all ticked)
/// after "Select all" / "Select none".
fn checklist(g: &PendingAction, action: &str, ticked: Option<bool>) -> Markup {
    let on = ticked.unwrap_or(true);
    html! {
        form #batch method="post" action=(action) {
            input type="hidden" name="decision" value="items";
            p.select {
                button #select-all type="submit" name="select" value="all" formnovalidate { "Select all" }
                button #select-none type="submit" name="select" value="none" formnovalidate { "Select none" }
            }
            ul.checklist {
                @for (i, o) in g.options.iter().enumerate() {
                    li {
                        label { input.item type="checkbox" name="item" value=(i) checked[on]; " " (o) }
                        // The words each item rests on, and how sure.
                        @if let Some(e) = super::actions(g).get(i).and_then(|a| Evidence::of(&a["payload"])) {
                            (super::super::trigger_view::evidence_markup(&e))
                        }
                    }
                }
            }
            button #approve type="submit" { "Approve checked" }
        }
        script { (PreEscaped(SELECT)) }
    }
}

/// With a script, "Select all" / "Select none" tick at once.
const SELECT: &str = r#"(function(){
['all','none'].forEach(function(w){var b=document.getElementById('select-'+w);if(!b)return;
b.addEventListener('click',function(e){e.preventDefault();
document.querySelectorAll('#batch input.item').forEach(function(c){c.checked=(w==='all');});});});
})();"#;

/// The forms for an open gate.
pub(super) fn decision(
    g: &PendingAction,
    kind: SuggestedKind,
    clock: &RepClock,
    later: Option<&send_later::Suggestion>,
    shown: &Shown<'_>,
) -> Markup {
    let action = format!("/inbox/approvals/{}", g.id);
    // A step's own draft that goes out by email can be sent later.
    let emails = g.kind == GateKind::Step
        && draft(g).is_some_and(|(k, p)| k.is_some_and(|k| k.sends_email(p)));
    html! {
        div.decide {
            @match g.pattern {
                Pattern::Choose => {
                    form #choose method="post" action=(action) {
                        input type="hidden" name="decision" value="choose";
                        (choice::options(g, clock))
                        button #approve type="submit" name="go" value="choose" { "Choose" }
                    }
                }
                Pattern::Batch => { (checklist(g, &action, shown.ticked)) }
                Pattern::Confirm | Pattern::Inform => {
                    form.inline method="post" action=(action) {
                        input type="hidden" name="decision" value="approve";
                        button #approve type="submit" { "Approve" }
                    }
                    @if emails { (send_later::form(&action, clock, later)) }
                }
            }
            form.inline method="post" action=(action) {
                input type="hidden" name="decision" value="skip";
                button #skip type="submit" { "Skip" }
            }
            (not_right_form(&action, kind))
            @if matches!(g.pattern, Pattern::Confirm | Pattern::Inform) {
                @if let Some((kind, payload)) = draft(g) {
                    @let payload = shown.draft.as_ref().unwrap_or(payload);
                    details #edit open[shown.draft.is_some()] {
                        summary.button { "Edit" }
                        form method="post" action=(action) {
                            input type="hidden" name="decision" value="edit";
                            @if let Some(fields) = (kind == Some(ActionKind::ProposalSend)).then(|| proposal_gate::edit_fields(payload)).flatten() {
                                (fields)
                            } @else if kind == Some(ActionKind::EmailSend) {
                                (email::edit_fields(payload))
                            } @else if kind == Some(ActionKind::CrmUpdate) {
                                (crm::edit_fields(payload))
                            } @else {
                                label for="payload" { "The change, as data" }
                                textarea #payload name="payload" rows="14" { (serde_json::to_string_pretty(payload).unwrap_or_default()) }
                            }
                            button #approve-edited type="submit" { "Approve edited" }
                            @if emails {
                                " "
                                label for="edit-send-at" { "or send at (your time) " }
                                input #edit-send-at type="datetime-local" name=(send_later::FIELD);
                                " "
                                button #approve-edited-later type="submit" name=(send_later::LATER) value="1" { "Approve edited and send then" }
                            }
                        }
                    }
                }
            }
            form.inline.cancel method="post" action=(action) {
                input type="hidden" name="decision" value="cancel";
                button #cancel type="submit" { "Stop this follow-up" }
            }
        }
    }
}
