//! Real-world shapes: Gmail's multipart/alternative reply, Outlook's
//! quoted history, a Latin-1 quoted-printable body, RFC 2047 headers.

use super::*;

fn gmail() -> Envelope<'static> {
    Envelope {
        provider: "gmail",
        thread_id: Some("18c1f0a2b3"),
        received_at_ms: Some(1_795_000_000_000),
    }
}

const GMAIL_REPLY: &str = "Delivered-To: rep@acme.example\r
Received: by 2002:a05:6a10:8f0e:b0:5a1 with SMTP id x14csp1;\r
        Mon, 23 Nov 2026 01:12:05 -0800 (PST)\r
MIME-Version: 1.0\r
References: <CAB0root@mail.gmail.com> <CAB1out@mail.gmail.com>\r
In-Reply-To: <CAB1out@mail.gmail.com>\r
From: Aisha Bello <aisha.bello@harbourfreight.example>\r
Date: Mon, 23 Nov 2026 09:12:00 +0000\r
Message-ID: <CAF3k2+reply@mail.gmail.com>\r
Subject: Re: pricing\r
To: Rep Person <rep@acme.example>\r
Cc: ops@harbourfreight.example, \"Lee, Ann\" <ann@harbourfreight.example>\r
Content-Type: multipart/alternative; boundary=\"000000000000a1b2c3\"\r
\r
--000000000000a1b2c3\r
Content-Type: text/plain; charset=\"UTF-8\"\r
Content-Transfer-Encoding: quoted-printable\r
\r
Thanks for the numbers. Could you send over the security questionnaire answ=\r
ers before Thursday?\r
\r
On Sun, Nov 22, 2026 at 4:01 PM Rep Person <rep@acme.example> wrote:\r
\r
> Hi Aisha, here is the pricing we discussed.\r
> Best, Rep\r
\r
--000000000000a1b2c3\r
Content-Type: text/html; charset=\"UTF-8\"\r
\r
<div dir=3D\"ltr\">Thanks for the numbers.</div>\r
--000000000000a1b2c3--\r
";

#[test]
fn a_gmail_reply_becomes_the_payload_the_sequence_reads() {
    let m = parse(GMAIL_REPLY.as_bytes(), &gmail()).expect("parses");
    let p = &m.payload;
    assert_eq!(m.message_id, "<CAF3k2+reply@mail.gmail.com>");
    assert_eq!(p["message_id"], "<CAF3k2+reply@mail.gmail.com>");
    assert_eq!(m.sender, "aisha.bello@harbourfreight.example");
    assert_eq!(
        p["from"],
        "Aisha Bello <aisha.bello@harbourfreight.example>"
    );
    assert_eq!(p["to"], json!(["Rep Person <rep@acme.example>"]));
    assert_eq!(
        p["cc"],
        json!([
            "ops@harbourfreight.example",
            "Lee, Ann <ann@harbourfreight.example>"
        ])
    );
    assert_eq!(p["subject"], "Re: pricing");
    assert_eq!(p["thread_id"], "18c1f0a2b3");
    assert_eq!(p["in_reply_to"], "<CAB1out@mail.gmail.com>");
    assert_eq!(
        p["references"],
        "<CAB0root@mail.gmail.com> <CAB1out@mail.gmail.com>"
    );
    assert_eq!(p["provider"], "gmail");
    assert_eq!(p["received_at"], "2026-11-18T11:06:40Z");
    // The plain part (not the HTML one), soft line breaks joined.
    assert_eq!(
        p["newest"],
        "Thanks for the numbers. Could you send over the security questionnaire answers before Thursday?"
    );
    let quoted = p["quoted"].as_str().unwrap();
    assert!(quoted.starts_with("On Sun, Nov 22, 2026"), "{quoted}");
    assert!(quoted.contains("> Hi Aisha"), "{quoted}");
    let body = p["body"].as_str().unwrap();
    assert!(body.contains("answers before Thursday") && body.contains("> Best, Rep"));
    assert!(!body.contains('\r'));
}

#[test]
fn latin1_quoted_printable_and_encoded_words_are_decoded() {
    let raw = "From: =?ISO-8859-1?Q?Ren=E9_M=FCller?= <rene@bureau.example>\r
To: rep@acme.example\r
Subject: =?UTF-8?B?UmU6IERldmlzIHBvdXIgbCfDqXF1aXBl?=\r
Date: Tue, 24 Nov 2026 08:00:00 +0100\r
Message-ID: <20261124.abc@bureau.example>\r
Content-Type: text/plain; charset=ISO-8859-1\r
Content-Transfer-Encoding: quoted-printable\r
\r
Bonjour, pourriez-vous m'envoyer le devis d=E9taill=E9 ? Merci, Ren=E9\r
";
    let env = Envelope {
        provider: "imap",
        ..Envelope::default()
    };
    let m = parse(raw.as_bytes(), &env).expect("parses");
    assert_eq!(m.payload["from"], "René Müller <rene@bureau.example>");
    assert_eq!(m.payload["subject"], "Re: Devis pour l'équipe");
    assert_eq!(
        m.payload["body"],
        "Bonjour, pourriez-vous m'envoyer le devis détaillé ? Merci, René\n"
    );
    // No provider thread: a message that starts one names it.
    assert_eq!(m.payload["thread_id"], "<20261124.abc@bureau.example>");
    assert_eq!(m.payload["received_at"], "2026-11-24T07:00:00Z");
    assert!(m.payload.get("in_reply_to").is_none());
}

#[test]
fn shift_jis_and_windows_1252_bodies_are_decoded() {
    let mut raw = b"From: tanaka@example.jp\r\nSubject: =?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=\r\nMessage-ID: <a@example.jp>\r\nContent-Type: text/plain; charset=Shift_JIS\r\n\r\n".to_vec();
    raw.extend_from_slice(&[0x82, 0xb1, 0x82, 0xf1, 0x82, 0xc9, 0x82, 0xbf, 0x82, 0xcd]);
    let m = parse(&raw, &gmail()).expect("parses");
    assert_eq!(m.payload["subject"], "こんにちは");
    assert_eq!(m.payload["body"], "こんにちは");
    let mut raw = b"From: a@b.example\r\nMessage-ID: <w@b.example>\r\nContent-Type: text/plain; charset=windows-1252\r\n\r\n".to_vec();
    raw.extend_from_slice(b"\x93Quoted\x94 \x96 caf\xe9");
    let m = parse(&raw, &gmail()).expect("parses");
    assert_eq!(m.payload["body"], "\u{201c}Quoted\u{201d} \u{2013} café");
}

#[test]
fn outlook_history_is_quoted_and_auto_reply_headers_are_kept() {
    let raw = "From: kit@harbour.example\r
To: rep@acme.example\r
Subject: Automatic reply: pricing\r
Auto-Submitted: auto-replied\r
X-Auto-Response-Suppress: All\r
Message-ID: <ooo-1@harbour.example>\r
Content-Type: text/plain; charset=utf-8\r
\r
I am out of the office until Monday.\r
\r
-----Original Message-----\r
From: Rep <rep@acme.example>\r
Sent: Monday\r
Subject: pricing\r
";
    let m = parse(raw.as_bytes(), &gmail()).expect("parses");
    assert_eq!(m.payload["newest"], "I am out of the office until Monday.");
    assert!(
        m.payload["quoted"]
            .as_str()
            .unwrap()
            .starts_with("-----Original Message-----")
    );
    assert_eq!(m.payload["headers"]["Auto-Submitted"], "auto-replied");
    assert_eq!(m.payload["headers"]["X-Auto-Response-Suppress"], "All");
}

#[test]
fn html_only_mail_is_read_as_text_and_a_missing_id_has_a_stable_stand_in() {
    let raw = "From: a@b.example\r\nDate: Tue, 24 Nov 2026 08:00:00 +0000\r\nSubject: hi\r\nContent-Type: text/html\r\n\r\n<p>Can we <b>meet</b> Tuesday?</p>";
    let a = parse(raw.as_bytes(), &gmail()).expect("parses");
    let b = parse(
        raw.as_bytes(),
        &Envelope {
            provider: "imap",
            ..Envelope::default()
        },
    )
    .expect("parses");
    assert!(
        a.payload["body"]
            .as_str()
            .unwrap()
            .contains("Can we meet Tuesday?")
    );
    assert_eq!(a.message_id, b.message_id, "Gmail and IMAP agree");
    assert!(a.message_id.ends_with("@no-message-id.baton.invalid>"));
}

#[test]
fn what_is_not_a_message_or_has_no_sender_is_refused() {
    assert_eq!(parse(b"", &gmail()).unwrap_err(), MessageError::Unreadable);
    assert_eq!(
        parse(b"Subject: x\r\n\r\nbody", &gmail()).unwrap_err(),
        MessageError::NoSender
    );
}
