//! Connected calendars → `meetings`: Google Calendar and CalDAV.
