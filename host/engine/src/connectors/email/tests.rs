use super::*;
use serde_json::json;

#[tokio::test]
async fn a_mail_drop_holds_each_message_as_an_eml_file() {
    let dir = tempfile::tempdir().expect("dir");
    let drop_dir = dir.path().join("mail");
    let url = format!("file://{}", drop_dir.display());
    let mailer = Mailer::new(&url).expect("a mail drop");
    let draft = Draft::from_payload(&json!({
        "to": "marta.ruiz@northwind.example", "subject": "Next steps", "body": "Hi Marta,"
    }))
    .expect("draft");
    let from = Sender {
        name: "Jordan Avery",
        email: "jordan.avery@acme.example",
        signature: Some("Jordan"),
    };
    let (message, id) = mailer.compose(&from, &draft, "eff-1").expect("compose");
    mailer.send(message).await.expect("written");
    let files: Vec<_> = std::fs::read_dir(&drop_dir)
        .expect("the drop exists")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(files.len(), 1);
    let text = std::fs::read_to_string(files[0].path()).expect("read");
    assert!(text.contains("Subject: Next steps"), "{text}");
    assert!(text.contains(&format!("Message-ID: {id}")), "{text}");
    assert!(text.contains("-- \r\nJordan"), "{text}");
    assert!(matches!(
        Mailer::new("file://relative/dir"),
        Err(ConnectorError::Config { .. })
    ));
}

#[test]
fn a_draft_that_ends_with_the_signature_is_not_signed_twice() {
    let dir = tempfile::tempdir().expect("dir");
    let mailer = Mailer::new(&format!("file://{}", dir.path().display())).expect("a mail drop");
    let from = Sender {
        name: "Jordan Avery",
        email: "jordan.avery@acme.example",
        signature: Some("Jordan Avery\nAccount Executive\n"),
    };
    let body = |b: &str| {
        let draft = Draft::from_payload(&json!({
            "to": "marta.ruiz@northwind.example", "subject": "Next steps", "body": b
        }))
        .expect("draft");
        let (message, _) = mailer.compose(&from, &draft, "eff-2").expect("compose");
        String::from_utf8(message.formatted()).expect("text")
    };
    let signed = body("Hi Marta,\n\nBest,\nJordan Avery\nAccount Executive\n");
    assert_eq!(signed.matches("Account Executive").count(), 1, "{signed}");
    assert!(!signed.contains("-- \r\n"), "{signed}");
    let unsigned = body("Hi Marta,\n\nBest,\nJordan\n");
    assert!(
        unsigned.contains("-- \r\nJordan Avery\r\nAccount Executive"),
        "{unsigned}"
    );
}
