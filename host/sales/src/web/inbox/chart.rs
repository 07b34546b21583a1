//! Small inline SVG charts for the inbox, rendered on the server (no
//! JavaScript): a bar per day, and a bar split into parts. Each scales to
//! its container's width (a `viewBox` and `width="100%"`), so it reads on a
//! 390 px phone, and carries a text label for screen readers.

use maud::{Markup, html};

/// Outcome colours: accepted, edited, dismissed, expired (and for a share:
/// the good part, then the rest).
pub(super) const GREEN: &str = "#2e7d32";
pub(super) const BLUE: &str = "#1565c0";
pub(super) const RED: &str = "#c62828";
pub(super) const GREY: &str = "#9e9e9e";
pub(super) const BROWN: &str = "#6d4c41";

const WIDTH: f64 = 300.0;
const HEIGHT: f64 = 60.0;

/// One bar per value, oldest first, scaled so `max` fills the height; a
/// day without a value is a grey tick on the baseline. `label` says what
/// the chart shows, `first` and `last` name the ends of the axis.
pub(super) fn daily_bars(
    values: &[Option<f64>],
    max: f64,
    colour: &str,
    label: &str,
    (first, last): (&str, &str),
) -> Markup {
    let n = values.len().max(1) as f64;
    let slot = WIDTH / n;
    let bar = (slot * 0.8).max(1.0);
    let max = if max > 0.0 { max } else { 1.0 };
    html! {
        svg.chart viewBox=(format!("0 0 {WIDTH} {}", HEIGHT + 14.0)) width="100%" role="img"
            aria-label=(label) preserveAspectRatio="none" {
            title { (label) }
            line x1="0" y1=(HEIGHT) x2=(WIDTH) y2=(HEIGHT) stroke="#ccc" stroke-width="1" {}
            @for (i, v) in values.iter().enumerate() {
                @let x = fmt(i as f64 * slot + (slot - bar) / 2.0);
                @match v {
                    Some(v) => {
                        @let h = (v / max).clamp(0.0, 1.0) * HEIGHT;
                        rect x=(x) y=(fmt(HEIGHT - h)) width=(fmt(bar)) height=(fmt(h.max(0.5)))
                            fill=(colour) { title { (fmt(*v)) } }
                    }
                    None => {
                        rect x=(x) y=(fmt(HEIGHT - 1.0)) width=(fmt(bar)) height="1" fill="#ddd" {}
                    }
                }
            }
            text x="0" y=(HEIGHT + 12.0) font-size="9" fill="#666" { (first) }
            text x=(WIDTH) y=(HEIGHT + 12.0) font-size="9" fill="#666" text-anchor="end" { (last) }
        }
    }
}

/// One horizontal bar split into `parts` (count, colour, name) in
/// proportion; an empty bar when they are all 0.
pub(super) fn split_bar(parts: &[(u64, &str, &str)], label: &str) -> Markup {
    let total: u64 = parts.iter().map(|p| p.0).sum();
    // Each drawn part as (x, width, colour, name, count).
    let mut drawn = Vec::new();
    let mut x = 0.0;
    for &(n, colour, name) in parts.iter().filter(|p| p.0 > 0 && total > 0) {
        let w = n as f64 / total as f64 * WIDTH;
        drawn.push((x, w, colour, name, n));
        x += w;
    }
    html! {
        svg.chart viewBox=(format!("0 0 {WIDTH} 14")) width="100%" role="img" aria-label=(label)
            preserveAspectRatio="none" {
            title { (label) }
            rect x="0" y="0" width=(WIDTH) height="14" fill="#f0f0f0" {}
            @for (x, w, colour, name, n) in drawn {
                rect x=(fmt(x)) y="0" width=(fmt(w)) height="14" fill=(colour) {
                    title { (name) ": " (n) }
                }
            }
        }
    }
}

/// A coordinate with at most two decimals.
fn fmt(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_width_and_mark_empty_days() {
        let svg =
            daily_bars(&[Some(1.0), None, Some(0.5)], 1.0, RED, "rate", ("a", "b")).into_string();
        assert!(svg.contains("viewBox=\"0 0 300 74\""), "{svg}");
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("height=\"60\""), "the full bar: {svg}");
        assert!(svg.contains("height=\"30\""), "the half bar: {svg}");
        let bar = split_bar(&[(1, GREEN, "kept"), (3, RED, "dropped")], "x").into_string();
        assert!(bar.contains("width=\"75\""), "{bar}");
        assert!(bar.contains("x=\"75\""), "{bar}");
    }
}
