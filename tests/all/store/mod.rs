//! Storage, on SQLite and on Postgres alike (`store_test!` runs each test on
//! both).

mod accounts;
mod crm;
mod google_tokens;
mod jobs;
mod orgs;
mod pipeline_scan;
mod provider_keys;
