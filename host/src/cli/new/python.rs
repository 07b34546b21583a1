//! `baton new skill NAME --lang python`.

use super::Scaffold;
use crate::cli::exit::Failure;

/// Write the python project for `s` into `s.root`.
pub fn scaffold(s: &Scaffold) -> Result<(), Failure> {
    Err(Failure::usage(format!(
        "cannot create {}: --lang python is not written yet",
        s.root.display()
    )))
}
