//! The inbox's keyboard shortcuts, one small script every page carries
//! (`keys.js` beside this file): on the list j/k move between waiting
//! items and o/Enter open one; on an approval page a approves, e opens the
//! draft's editor, s skips, and j/k follow `a#next`/`a#prev` when the page
//! has them; ? (or the button the script adds) shows the keys in a dialog
//! (Esc closes it), where they can be turned off for this browser (WCAG
//! 2.1.4). Keys typed into a field are the field's. The script only presses what the page already
//! has: every page works the same without it.

use maud::{Markup, PreEscaped, html};

/// The script's source.
const SCRIPT: &str = include_str!("keys.js");

/// The `<script>` element a page ends with.
pub(super) fn script() -> Markup {
    html! { script { (PreEscaped(SCRIPT)) } }
}

#[cfg(test)]
mod tests {
    use super::SCRIPT;

    #[test]
    fn the_script_cannot_end_its_own_element() {
        assert!(!SCRIPT.to_ascii_lowercase().contains("</script"));
    }

    #[test]
    fn the_script_answers_the_keys_its_help_lists() {
        for key in [
            "\"j\"", "\"k\"", "\"o\"", "\"a\"", "\"e\"", "\"s\"", "\"?\"",
        ] {
            assert!(SCRIPT.contains(&format!("key === {key}")), "{key}");
        }
    }
}
