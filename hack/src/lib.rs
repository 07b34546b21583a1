//! No code. This crate only unifies dependency features so that building
//! the `baton` binary alone compiles its dependencies exactly as the whole
//! workspace does; see its `Cargo.toml`.
