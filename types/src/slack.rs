//! Slack Block Kit text, as host and skills both write it: the limits of
//! the Block Kit reference, cutting text to them, and escaping mrkdwn. The
//! host's own messages (`connectors/blocks.rs`) and the skills that lay out
//! a message themselves (`compose-morning-brief`, `deliver-slack-briefing`)
//! use these, so a message is cut and escaped the same way wherever it was
//! made.

/// A `header` block's text.
pub const HEADER_TEXT: usize = 150;
/// A `section` block's text.
pub const SECTION_TEXT: usize = 3000;
/// A button's label.
pub const BUTTON_TEXT: usize = 75;
/// A button's `value`.
pub const BUTTON_VALUE: usize = 2000;
/// A `context` element's text.
pub const CONTEXT_TEXT: usize = 2000;

/// Cut `s` to at most `max` characters, marking the cut with `…`.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Escape the three characters Slack's mrkdwn treats as control, so outside
/// text never becomes a mention (`<!channel>`) or a link (`<url|label>`).
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cut_to_the_limit_and_escaped() {
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("héllo wörld", 6).chars().count(), 6);
        assert_eq!(
            escape("<!channel> & <a|b>"),
            "&lt;!channel&gt; &amp; &lt;a|b&gt;"
        );
    }
}
