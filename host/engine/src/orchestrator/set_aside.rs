//! What of a payload is stored once. The part an app sets aside
//! ([`super::conductor::Extension::attach`]: a meeting's transcript) is
//! moved into an attachment, written in the same transaction as the job
//! that refers to it, and the payload keeps its id: at the door, when an
//! app completes a payload, and for a follow-up. Reading it back is
//! `crate::attachments`'.

use super::conductor::Extension;
use crate::store::{NewAttachment, OrgId, Row};
use serde_json::{Map, Value};
use std::sync::Arc;

/// Move what the first app that answers sets aside of `payload` into an
/// attachment of `org`: the row that stores it at `now`, and the payload
/// left holding its id. Nothing when no app sets anything aside, or the
/// payload holds none of the fields.
pub(crate) fn set_aside(
    apps: &[Arc<dyn Extension>],
    org: &OrgId,
    event_type: &str,
    payload: &mut Value,
    now: i64,
) -> Option<Row> {
    let attach = apps.iter().find_map(|a| a.attach(event_type, payload))?;
    let fields = payload.as_object_mut()?;
    let mut body = Map::new();
    for f in attach.fields {
        if let Some(v) = fields.remove(*f) {
            body.insert((*f).to_owned(), v);
        }
    }
    if body.is_empty() {
        return None;
    }
    let body = Value::Object(body);
    let new = NewAttachment {
        org_id: org,
        kind: attach.kind,
        subject: attach.subject.as_deref(),
        body: &body,
    };
    fields.insert(attach.id_field.to_owned(), Value::String(new.id()));
    Some(new.row(now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orchestrator::extension::Attach;
    use serde_json::json;

    /// An app that stores a payload's `words` once, by `words_id`.
    struct Words;

    impl Extension for Words {
        fn name(&self) -> &'static str {
            "words"
        }

        fn attach(&self, _event_type: &str, payload: &Value) -> Option<Attach> {
            payload.get("words")?;
            Some(Attach {
                kind: "words",
                subject: payload["about"].as_str().map(str::to_owned),
                fields: &["words", "who"],
                id_field: "words_id",
            })
        }
    }

    #[test]
    fn what_an_app_sets_aside_leaves_the_payload_for_its_id() {
        let apps: Vec<Arc<dyn Extension>> = vec![Arc::new(Words)];
        let org = OrgId("o1".into());
        let mut payload =
            json!({ "about": "m1", "words": ["hello"], "who": ["Ann"], "title": "Call" });
        let row = set_aside(&apps, &org, "call", &mut payload, 7).expect("a row");
        let id = payload["words_id"].as_str().expect("the id").to_owned();
        assert_eq!(
            payload,
            json!({ "about": "m1", "title": "Call", "words_id": id })
        );
        assert_eq!(crate::attachments::referenced(&payload), [id.as_str()]);
        assert!(row.statement.starts_with("INSERT INTO attachments"));

        // The same words again: the same id.
        let mut again = json!({ "about": "m1", "words": ["hello"], "who": ["Ann"] });
        set_aside(&apps, &org, "call", &mut again, 9).expect("a row");
        assert_eq!(again["words_id"], id.as_str());

        // Nothing to set aside: nothing happens.
        let mut plain = json!({ "title": "Call" });
        assert!(set_aside(&apps, &org, "call", &mut plain, 7).is_none());
        assert_eq!(plain, json!({ "title": "Call" }));
        assert!(crate::attachments::referenced(&json!({ "x": "att_short", "y": 3 })).is_empty());
    }
}
