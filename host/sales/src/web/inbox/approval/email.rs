//! An `email_send` at its gate, shown as the email that will go out: From
//! (the rep), To, Cc, Subject, the body in a readable font with the rep's
//! signature appended exactly as the send path appends it
//! ([`email::signed`]); and its inline edit form, whose "Preview" button
//! redraws the page with the edited draft (no script needed; a small
//! script updates the preview as the rep types).

use crate::connectors::email;
use crate::web::store::User;
use baton_store::address::recipients;
use maud::{Markup, PreEscaped, html};
use serde_json::Value;

/// The email as its recipient will read it.
pub(super) fn view(payload: &Value, rep: Option<&User>, signature: Option<&str>) -> Markup {
    let list = |v: &Value| recipients(v).unwrap_or_default().join(", ");
    let cc = list(&payload["cc"]);
    let body = email::signed(payload["body"].as_str().unwrap_or(""), signature);
    html! {
        div.email #email {
            dl.headers {
                dt { "From" }
                dd #email-from { @match rep {
                    Some(u) => { (u.name) " <" (u.email) ">" },
                    None => "You",
                } }
                dt { "To" } dd #email-to { (list(&payload["to"])) }
                @if !cc.is_empty() { dt { "Cc" } dd #email-cc { (cc) } }
                dt { "Subject" } dd #email-subject.subject { (payload["subject"].as_str().unwrap_or("")) }
            }
            pre.body #email-body data-signature=(signature.unwrap_or("")) { (body) }
        }
    }
}

/// The edit form's fields for an email: subject and body, filled with the
/// draft (or the edit being previewed), and the Preview button.
pub(super) fn edit_fields(payload: &Value) -> Markup {
    html! {
        label for="subject" { "Subject" }
        input #subject type="text" name="subject" value=(payload["subject"].as_str().unwrap_or(""));
        label for="body" { "Body (your signature is added when it goes out)" }
        textarea #body name="body" rows="14" { (payload["body"].as_str().unwrap_or("")) }
        button #preview type="submit" name="preview" value="1" formnovalidate { "Preview" }
        script { (PreEscaped(LIVE)) }
    }
}

/// The edited email from the posted fields; empty ones are refused.
pub(super) fn edited(payload: &Value, subject: &str, body: &str) -> Result<Value, String> {
    let subject = subject.trim();
    if subject.is_empty() || body.trim().is_empty() {
        return Err("the subject and the body cannot be empty".into());
    }
    let mut p = payload.clone();
    p["subject"] = Value::String(subject.to_owned());
    p["body"] = Value::String(body.replace("\r\n", "\n"));
    Ok(p)
}

/// With a script, the preview follows the edit as the rep types (the same
/// signature rule as [`email::signed`]).
const LIVE: &str = r#"(function(){
var s=document.getElementById('subject'),b=document.getElementById('body'),
ps=document.getElementById('email-subject'),pb=document.getElementById('email-body');
if(!s||!b||!ps||!pb)return;
function sign(t){var g=pb.getAttribute('data-signature')||'';t=t.replace(/\s+$/,'');
if(g.trim())t+='\n\n-- \n'+g.replace(/\s+$/,'');return t+'\n';}
s.addEventListener('input',function(){ps.textContent=s.value.trim();});
b.addEventListener('input',function(){pb.textContent=sign(b.value);});
})();"#;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_email_shows_what_goes_out_with_the_signature() {
        let p = json!({ "to": "Marta Ruiz <marta@northwind.example>", "cc": ["ops@northwind.example"],
            "subject": "Next steps", "body": "Hi Marta,\n\nThanks.\n" });
        let html = view(&p, None, Some("Jordan Avery\nAcme")).into_string();
        assert!(
            html.contains("Marta Ruiz &lt;marta@northwind.example&gt;"),
            "{html}"
        );
        assert!(html.contains("ops@northwind.example"), "{html}");
        assert!(
            html.contains("Thanks.\n\n-- \nJordan Avery\nAcme\n</pre>"),
            "{html}"
        );
        assert!(edited(&p, " ", "x").is_err());
        let e = edited(&p, "New", "a\r\nb").expect("edited");
        assert_eq!(
            (e["subject"].as_str(), e["body"].as_str()),
            (Some("New"), Some("a\nb"))
        );
        assert_eq!(e["to"], p["to"]);
    }
}
