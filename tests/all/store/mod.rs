//! Storage, on SQLite and on Postgres alike (`store_test!` runs each test on
//! both).

mod crm;
mod jobs;
mod orgs;
