//! Event sources that baton reads on its own: connected mailboxes (Gmail,
//! IMAP) become `email_received` events, connected calendars (Google
//! Calendar, CalDAV) become the `meetings` the scheduler prepares for.
//! Each source is a loop started by `baton serve`, woken by pushes and
//! polling as a fallback; how far each feed has been read is a sync cursor.
//! A call's transcript that its webhook only links to is fetched before
//! the job's first step (`transcript`).

pub mod calendar;
pub mod mail;
mod rota;
pub mod transcript;
