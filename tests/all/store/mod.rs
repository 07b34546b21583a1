//! Storage of the composed product, on SQLite and on Postgres alike
//! (`store_test!` runs each test on both): the sales app's tables, Google
//! tokens through a loopback Google, and the engine's and the app's
//! migrations as one list. The engine's own tables are tested in the
//! store's and the engine's test binaries.

mod crm;
mod google_tokens;
mod orgs;
mod pipeline_scan;
