//! How a suggestion's trigger is drawn: the panel on a gate's page, the
//! source line and quote in the list, a group's heading, and their styles.

use super::trigger::{Quote, Source, Trigger, Why};
use baton_types::evidence::Evidence;
use maud::{Markup, html};

/// The styles of the trigger panel and the list's groups.
pub(super) const STYLE: &str = ".why{border-left:3px solid #c9d6ea;padding:.2rem .8rem;margin:.6rem 0;background:#f7f9fc}\
.why p{margin:.2rem 0}blockquote.quote{margin:.3rem 0;font-style:italic}blockquote.quote .at{font-style:normal;color:#555}\
.group{margin:1.2rem 0}.group h3{margin:.2rem 0}.item{border:1px solid #e2e2e2;border-radius:6px;padding:.5rem .8rem;margin:.4rem 0}\
.item a.open{font-weight:600}.item p{margin:.2rem 0}.summary{color:#333}";

/// The quote, as the list and the approval page show it: the words, who
/// said them, where, and how sure the step that found them was.
pub(super) fn quote_markup(q: &Quote) -> Markup {
    html! {
        blockquote.quote {
            "“" (q.text) "”"
            span.at { " — " (q.who) @if let Some(at) = &q.at { " " (at) } }
            @if let Some(c) = q.confidence {
                span.confidence { " · confidence " (format!("{:.0}%", c * 100.0)) }
            }
        }
    }
}

/// The words one action rests on (its payload's evidence), under it.
pub(super) fn evidence_markup(e: &Evidence) -> Markup {
    quote_markup(&Quote::of_evidence(e, None))
}

/// The line under a group's heading: when and with whom, or the thread.
pub(super) fn source_line(s: &Source) -> Markup {
    html! {
        @match s {
            Source::Meeting { when, with, .. } => {
                p.muted.when {
                    @if let Some(w) = when { (w) " · " }
                    "with " (with.join(", "))
                }
            }
            Source::Thread { from, asked, .. } => {
                p.muted { "From " (from) }
                @if let Some(a) = asked { p.asked { "“" (a) "”" } }
            }
            Source::Other { .. } => {}
        }
    }
}

/// The heading a group is shown under.
pub(super) fn heading(s: &Source) -> String {
    match s {
        Source::Meeting { title, .. } => title.clone(),
        Source::Thread { subject, .. } => format!("Email: {subject}"),
        Source::Other { what } => (*what).to_owned(),
    }
}

/// The contact, company and deal, in one line.
fn crm_line(w: &Why) -> Option<String> {
    let a = &w.about;
    let mut parts = Vec::new();
    if let Some(c) = &a.contact {
        parts.push(match &w.contact_role {
            Some(r) => format!("{c}, {r}"),
            None => c.clone(),
        });
    }
    if let Some(c) = &a.company {
        parts.push(c.clone());
    }
    if let Some(d) = &a.deal {
        parts.push(match &w.deal_stage {
            Some(s) => format!("{d} ({s})"),
            None => d.clone(),
        });
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// Why this waits, for the top of an approval page.
pub(super) fn panel(t: &Trigger) -> Markup {
    let w = &t.why;
    html! {
        section.why #why aria-label="Why this is here" {
            p { strong { (heading(&w.source)) } }
            (source_line(&w.source))
            @if let Some(line) = crm_line(w) { p.crm { (line) } }
            @if let Some(q) = &t.quote { (quote_markup(q)) }
        }
    }
}
