//! `baton new skill NAME --lang js`.

use super::Scaffold;
use crate::cli::exit::Failure;

/// Write the js project for `s` into `s.root`.
pub fn scaffold(s: &Scaffold) -> Result<(), Failure> {
    Err(Failure::usage(format!(
        "cannot create {}: --lang js is not written yet",
        s.root.display()
    )))
}
