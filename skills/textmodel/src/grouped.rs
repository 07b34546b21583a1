//! The grouped evaluation's shared parts: each file of labelled lines is
//! one author's [`Set`]; a set is held out in turn, the model trained (and
//! its gate decided) on the others only ([`HeldOut`]), and the held-out
//! lines scored as written and in the [`Style`]s of [`crate::transform`].

use crate::Model;

/// One author's labelled set: a fold of the grouped evaluation.
pub struct Set<L> {
    /// The file's name.
    pub name: String,
    pub lines: Vec<L>,
}

impl<L> Set<L> {
    /// The same set with each line replaced by `f` of it (a rewrite of its
    /// text, keeping its labels).
    pub fn map(&self, f: impl Fn(&L) -> L) -> Set<L> {
        Set {
            name: self.name.clone(),
            lines: self.lines.iter().map(f).collect(),
        }
    }
}

/// The lines of every set but the `k`-th.
pub fn all_but<'a, L>(sets: &[&'a Set<L>], k: usize) -> Vec<&'a L> {
    others(sets, k).into_iter().flat_map(|s| &s.lines).collect()
}

/// Every set but the `k`-th.
pub fn others<'a, L>(sets: &[&'a Set<L>], k: usize) -> Vec<&'a Set<L>> {
    sets.iter()
        .enumerate()
        .filter(|(j, _)| *j != k)
        .map(|(_, s)| *s)
        .collect()
}

/// The names of every set but the `k`-th, joined for a heading.
pub fn others_named<L>(sets: &[&Set<L>], k: usize) -> String {
    others(sets, k)
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The index of the set named `name`.
pub fn position<L>(sets: &[&Set<L>], name: &str) -> Result<usize, String> {
    sets.iter()
        .position(|s| s.name == name)
        .ok_or_else(|| format!("no set named {name}"))
}

/// A held-out set's models: trained on the other sets, with every gate
/// open and with the gates the grouped evaluation over the others decides.
pub struct HeldOut {
    pub open: Model,
    pub gated: Model,
}

impl HeldOut {
    /// `open` as trained, and a copy with `gates` applied.
    pub fn new(open: Model, gates: &[bool]) -> HeldOut {
        let mut gated = open.clone();
        gated.set_gates(gates);
        HeldOut { open, gated }
    }

    /// The labels the gated model may use, for a heading.
    pub fn open_list(&self) -> String {
        let open = self.gated.open_labels();
        if open.is_empty() {
            "none (rules alone)".to_owned()
        } else {
            open.join(", ")
        }
    }
}

/// A mechanical rewrite of a line's text (see [`crate::transform`]).
pub type Style = fn(&str) -> String;

/// The text as it was written: the first form every set is scored in.
pub fn as_written(t: &str) -> String {
    t.to_owned()
}

/// The style of `styles` named `name` (as written when `None`); the error
/// lists the names known.
pub fn style_named(styles: &[(&str, Style)], name: Option<&str>) -> Result<Style, String> {
    let Some(name) = name else {
        return Ok(as_written);
    };
    styles
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| *s)
        .ok_or_else(|| {
            let known: Vec<&str> = styles.iter().skip(1).map(|(n, _)| *n).collect();
            format!("unknown style {name} (known: {})", known.join(", "))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sets() -> Vec<Set<u32>> {
        vec![
            Set {
                name: "a".into(),
                lines: vec![1, 2],
            },
            Set {
                name: "b".into(),
                lines: vec![3],
            },
            Set {
                name: "c".into(),
                lines: vec![4, 5],
            },
        ]
    }

    #[test]
    fn a_held_out_set_is_left_out_of_the_others() {
        let owned = sets();
        let sets: Vec<&Set<u32>> = owned.iter().collect();
        assert_eq!(all_but(&sets, 1), vec![&1, &2, &4, &5]);
        assert_eq!(others_named(&sets, 0), "b, c");
        assert_eq!(position(&sets, "c"), Ok(2));
        assert!(matches!(position(&sets, "d"), Err(e) if e.contains("no set named d")));
    }

    #[test]
    fn styles_are_found_by_name() {
        fn shout(t: &str) -> String {
            t.to_uppercase()
        }
        let styles: [(&str, Style); 2] = [("as written", as_written), ("shout", shout)];
        assert_eq!(style_named(&styles, None).map(|s| s("x")), Ok("x".into()));
        assert_eq!(
            style_named(&styles, Some("shout")).map(|s| s("x")),
            Ok("X".into())
        );
        let Err(err) = style_named(&styles, Some("whisper")) else {
            panic!("an unknown style is an error");
        };
        assert!(err.contains("whisper") && err.contains("shout"), "{err}");
    }
}
