//! Connected mailboxes → `email_received` events: Gmail and IMAP.
