//! A `proposal_send` at its gate: what the rep should know before sending
//! (never part of the document), the document as the prospect will see it
//! (the `/p/` page's renderer), how it goes out (email to whom, or a link),
//! the cover note; and an edit form (delivery, recipients, subject, cover
//! note, title, each section, each price line's quantity and unit price)
//! whose posted fields become the edited payload. Totals are worked out
//! here, so the edit adds up; `orchestrator/edit.rs` checks it as any edit.

use crate::web::proposal::render;
use baton_store::address::recipients;
use baton_types::proposal::{Delivery, ProposalSend};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;

/// The payload as a proposal, if it reads as one.
fn read(payload: &Value) -> Option<ProposalSend> {
    ProposalSend::deserialize(payload).ok()
}

/// The preview: delivery, recipients, cover note, then the document.
pub(super) fn preview(payload: &Value) -> Markup {
    let Some(send) = read(payload) else {
        return html! {
            p.error { "This proposal cannot be read; its payload:" }
            pre { (serde_json::to_string_pretty(payload).unwrap_or_default()) }
        };
    };
    html! {
        @if !send.notes_for_rep.is_empty() {
            aside.notes #before-you-send {
                p { strong { "Before you send" } " (only you see this; it is not in the proposal):" }
                ul { @for n in &send.notes_for_rep { li { (n) } } }
            }
        }
        @match send.delivery {
            Delivery::Email => {
                p #delivery { "Delivery: emailed as you to " strong { (send.to.join(", ")) }
                    @if !send.cc.is_empty() { " (cc " (send.cc.join(", ")) ")" } }
            }
            Delivery::Link => {
                p #delivery { "Delivery: a private link for you to send on (no email is sent)" }
            }
        }
        p { "Subject: " strong.subject { (send.subject) } }
        pre.body #cover { (send.body) }
        div.document { (render::document(&send.proposal, None)) }
    }
}

/// `major` units (`540`, `540.5`, `540.50`) in `currency`'s minor units.
fn parse_money(text: &str, currency: &str) -> Option<i64> {
    let digits = baton_types::money::minor_digits(currency);
    let text = text.trim().replace(',', "");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || fraction.len() > digits as usize
    {
        return None;
    }
    let scale = 10i64.checked_pow(digits)?;
    let fraction = format!("{fraction:0<width$}", width = digits as usize);
    let fraction: i64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    whole
        .parse::<i64>()
        .ok()?
        .checked_mul(scale)?
        .checked_add(fraction)
}

fn major(minor: i64, currency: &str) -> String {
    let digits = baton_types::money::minor_digits(currency);
    let scale = 10i64.pow(digits);
    if digits == 0 {
        return minor.to_string();
    }
    format!(
        "{}.{:0width$}",
        minor / scale,
        (minor % scale).abs(),
        width = digits as usize
    )
}

/// The edit form's fields (inside the gate's edit `<form>`).
pub(super) fn edit_fields(payload: &Value) -> Option<Markup> {
    let send = read(payload)?;
    let doc = &send.proposal;
    Some(html! {
        label for="delivery" { "Delivery" }
        select #delivery name="delivery" {
            option value="email" selected[send.delivery == Delivery::Email] { "Email it to the prospect as me" }
            option value="link" selected[send.delivery == Delivery::Link] { "Only a link, I will send it on" }
        }
        label for="to" { "To (comma-separated)" }
        input #to type="text" name="to" value=(send.to.join(", "));
        label for="subject" { "Subject" }
        input #subject type="text" name="subject" value=(send.subject);
        label for="body" { "Cover note" }
        textarea #body name="body" rows="6" { (send.body) }
        label for="title" { "Title" }
        input #title type="text" name="title" value=(doc.title);
        @for (i, s) in doc.sections.iter().enumerate() {
            fieldset {
                label for={ "section-" (i) "-heading" } { "Section " (i + 1) }
                input id={ "section-" (i) "-heading" } type="text" name={ "section_heading_" (i) } value=(s.heading);
                textarea id={ "section-" (i) "-body" } name={ "section_body_" (i) } rows="6" { (s.body) }
            }
        }
        @for (i, l) in doc.pricing.iter().enumerate() {
            fieldset {
                legend { (l.item) }
                label for={ "price-" (i) "-quantity" } { "Quantity" }
                input id={ "price-" (i) "-quantity" } type="text" name={ "price_quantity_" (i) } value=(l.quantity);
                label for={ "price-" (i) "-unit" } { "Unit price (" (doc.currency) ")" }
                input id={ "price-" (i) "-unit" } type="text" name={ "price_unit_" (i) } value=(major(l.unit_amount, &doc.currency));
            }
        }
    })
}

/// The edited payload from the posted fields; a field that does not read
/// (a quantity that is not a number) is named.
pub(super) fn edited(
    payload: &Value,
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<Value, String> {
    let mut send = read(payload).ok_or("this proposal cannot be read, so it cannot be edited")?;
    let text = |k: &str| get(k).map(|v| v.replace("\r\n", "\n"));
    if let Some(d) = get("delivery") {
        send.delivery = match d.as_str() {
            "email" => Delivery::Email,
            "link" => Delivery::Link,
            other => return Err(format!("`{other}` is not a delivery: email or link")),
        };
    }
    if let Some(to) = get("to") {
        send.to = recipients(&Value::String(to))?;
    }
    if let Some(s) = text("subject") {
        send.subject = s.trim().to_owned();
    }
    if let Some(b) = text("body") {
        send.body = b;
    }
    let doc = &mut send.proposal;
    if let Some(t) = text("title") {
        doc.title = t.trim().to_owned();
    }
    for (i, s) in doc.sections.iter_mut().enumerate() {
        if let Some(h) = text(&format!("section_heading_{i}")) {
            s.heading = h.trim().to_owned();
        }
        if let Some(b) = text(&format!("section_body_{i}")) {
            s.body = b;
        }
    }
    let currency = doc.currency.clone();
    for (i, l) in doc.pricing.iter_mut().enumerate() {
        if let Some(q) = get(&format!("price_quantity_{i}")) {
            l.quantity = q
                .trim()
                .parse()
                .map_err(|_| format!("the quantity of `{}` is not a whole number", l.item))?;
        }
        if let Some(u) = get(&format!("price_unit_{i}")) {
            l.unit_amount = parse_money(&u, &currency)
                .ok_or_else(|| format!("the unit price of `{}` is not an amount", l.item))?;
        }
        l.total = i64::from(l.quantity)
            .checked_mul(l.unit_amount)
            .ok_or_else(|| format!("the total of `{}` is too large", l.item))?;
    }
    if !doc.pricing.is_empty() {
        doc.amount = doc
            .pricing
            .iter()
            .try_fold(0i64, |a, l| a.checked_add(l.total))
            .ok_or("the total is too large")?;
    }
    serde_json::to_value(&send).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn payload() -> Value {
        json!({ "to": ["marta@northwind.example"], "subject": "Proposal", "body": "Hi",
            "proposal": { "title": "Hub", "currency": "USD", "amount": 2_160_000,
                "sections": [{ "heading": "Summary", "body": "old" }],
                "pricing": [{ "item": "Seats", "quantity": 40, "unit_amount": 54_000, "total": 2_160_000 }] } })
    }

    #[test]
    fn posted_fields_become_a_proposal_that_adds_up() {
        let fields = [
            ("delivery", "link"),
            ("section_body_0", "new\r\ntext"),
            ("price_quantity_0", "50"),
            ("price_unit_0", "540.5"),
        ];
        let get = |k: &str| {
            fields
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        };
        let v = edited(&payload(), &get).expect("edits");
        let send = read(&v).expect("a proposal");
        assert_eq!(send.delivery, Delivery::Link);
        assert_eq!(send.proposal.sections[0].body, "new\ntext");
        assert_eq!(send.proposal.pricing[0].unit_amount, 54_050);
        assert_eq!(send.proposal.pricing[0].total, 2_702_500);
        assert_eq!(send.proposal.amount, 2_702_500);
        assert_eq!(send.problem(), None);
        let bad = |k: &str| (k == "price_quantity_0").then(|| "forty".to_owned());
        assert!(edited(&payload(), &bad).is_err_and(|e| e.contains("whole number")));
    }

    #[test]
    fn money_reads_in_the_currency_s_minor_units() {
        assert_eq!(parse_money("540", "USD"), Some(54_000));
        assert_eq!(parse_money("1,540.05", "USD"), Some(154_005));
        assert_eq!(parse_money("540.005", "USD"), None);
        assert_eq!(parse_money("120000", "JPY"), Some(120_000));
        assert_eq!(parse_money("-1", "USD"), None);
        assert_eq!(parse_money("", "USD"), None);
        assert_eq!(major(54_050, "USD"), "540.50");
        assert_eq!(major(120_000, "JPY"), "120000");
    }
}
