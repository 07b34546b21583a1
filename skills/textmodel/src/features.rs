//! Features: hashed word 1–2-grams and character 3–5-grams of normalised
//! text, plus named cues (a rule's detection, a clause flag) with a value.
//! Every feature is a name hashed (FNV-1a) into `2^bits` slots.

use std::collections::{BTreeMap, BTreeSet};

/// A feature vector: `(slot, value)`, sorted by slot, slots unique.
pub type Sparse = Vec<(u32, f32)>;

/// Words dropped as disfluencies.
const FILLERS: &[&str] = &[
    "um", "umm", "uh", "uhh", "uhm", "er", "erm", "err", "hmm", "mm", "mmm", "ah",
];

/// Lower-cased words (letters, digits, inner apostrophes straightened), with
/// fillers dropped and stuttered repeats ("I'll, I'll", "we we") collapsed.
pub fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let lowered = text
        .to_lowercase()
        .replace(['\u{2019}', '\u{2018}', '\u{02bc}'], "'");
    for raw in lowered.split(|c: char| !(c.is_alphanumeric() || c == '\'')) {
        let w = raw.trim_matches('\'');
        if w.is_empty() || FILLERS.contains(&w) {
            continue;
        }
        if out.last().is_some_and(|last| last == w) {
            continue;
        }
        out.push(w.to_owned());
        // "I think, I think": a repeated pair.
        let n = out.len();
        if n >= 4 && out[n - 1] == out[n - 3] && out[n - 2] == out[n - 4] {
            out.truncate(n - 2);
        }
    }
    out
}

/// FNV-1a over the parts, with a separator byte between them.
fn hash(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h ^= 0x1f;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Collects one example's features.
pub struct Builder {
    bits: u32,
    grams: BTreeSet<u32>,
    cues: BTreeMap<u32, f32>,
}

impl Builder {
    /// An empty builder hashing into `2^bits` slots (`bits` at most 24).
    pub fn new(bits: u32) -> Builder {
        Builder {
            bits: bits.min(24),
            grams: BTreeSet::new(),
            cues: BTreeMap::new(),
        }
    }

    fn slot(&self, h: u64) -> u32 {
        // Fold the high bits in, then keep `bits` of them.
        ((h ^ (h >> 32)) as u32) & ((1u32 << self.bits) - 1)
    }

    /// The word 1–2-grams and character 3–5-grams of `text`, in namespace
    /// `ns` (so a subject's words differ from a body's).
    pub fn text(&mut self, ns: &str, text: &str) {
        let w = words(text);
        let ns = ns.as_bytes();
        for (i, word) in w.iter().enumerate() {
            let h = hash(&[ns, b"w", word.as_bytes()]);
            self.grams.insert(self.slot(h));
            let prev = if i == 0 { "<s>" } else { w[i - 1].as_str() };
            let h = hash(&[ns, b"b", prev.as_bytes(), word.as_bytes()]);
            self.grams.insert(self.slot(h));
        }
        if let Some(last) = w.last() {
            let h = hash(&[ns, b"b", last.as_bytes(), b"</s>"]);
            self.grams.insert(self.slot(h));
        }
        let joined: Vec<char> = format!(" {} ", w.join(" ")).chars().collect();
        let mut buf = [0u8; 4 * 5];
        for n in 3..=5 {
            for win in joined.windows(n) {
                let mut len = 0;
                for c in win {
                    len += c.encode_utf8(&mut buf[len..]).len();
                }
                let h = hash(&[ns, b"c", &buf[..len]]);
                self.grams.insert(self.slot(h));
            }
        }
    }

    /// A named cue with a value (1 for presence).
    pub fn cue(&mut self, name: &str, value: f32) {
        let h = hash(&[b"cue", name.as_bytes()]);
        *self.cues.entry(self.slot(h)).or_default() += value;
    }

    /// The vector: n-grams present get `1/sqrt(count)` (unit length in
    /// total), cues their value.
    pub fn finish(self) -> Sparse {
        let weight = if self.grams.is_empty() {
            0.0
        } else {
            1.0 / (self.grams.len() as f32).sqrt()
        };
        let mut out: BTreeMap<u32, f32> = self.cues;
        for g in self.grams {
            *out.entry(g).or_default() += weight;
        }
        out.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fillers_and_stutters_are_normalised() {
        assert_eq!(
            words("I'll, er, I'll send the the quote, um, by Friday"),
            ["i'll", "send", "the", "quote", "by", "friday"]
        );
        assert_eq!(
            words("I think, I think we’re close"),
            ["i", "think", "we're", "close"]
        );
    }

    #[test]
    fn the_same_text_gives_the_same_sorted_vector() {
        let build = |t: &str| {
            let mut b = Builder::new(18);
            b.text("t", t);
            b.cue("rule:x", 1.0);
            b.finish()
        };
        let a = build("Um, send me the deck");
        assert_eq!(a, build("send me the  deck"));
        assert!(a.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(a.iter().all(|(s, _)| *s < 1 << 18));
        assert_ne!(a, build("send me the proposal"));
    }

    /// FNV-1a over each entry's slot and value bits: the exact vector in
    /// one number.
    fn digest(x: &Sparse) -> u64 {
        let bytes: Vec<u8> = x
            .iter()
            .flat_map(|(s, v)| s.to_le_bytes().into_iter().chain(v.to_bits().to_le_bytes()))
            .collect();
        hash(&[&bytes])
    }

    #[test]
    fn vectors_stay_the_same_bit_for_bit() {
        // Fillers, stutters, curly apostrophes, letters outside ASCII,
        // digits, an empty text; cues that repeat, sum fractions and, at 6
        // bits, collide with each other and with the n-grams.
        let texts = [
            "I'll, er, I'll send the the quote, um, by Friday — ok?",
            "I think, I think we\u{2019}re close: Zürich, São Paulo, 40 seats",
            "",
            "Ünïcödé ÉLAN naïve café 東京 x",
            "'quoted' words''",
        ];
        let mut digests = Vec::new();
        for bits in [18, 6] {
            for t in texts {
                let mut b = Builder::new(bits);
                b.cue("speaker:rep", 1.0);
                b.cue("lx:Send", 0.1);
                b.cue("lx:Send", 0.2);
                b.cue("flag:negated", -0.7);
                b.text("s", "Re: pricing");
                b.text("u", t);
                b.cue("lx:Send", 0.3);
                digests.push(digest(&b.finish()));
            }
        }
        assert_eq!(
            digests,
            [
                10282830063046518941,
                10121763598727071420,
                392397370391953263,
                14047108125221607177,
                4449489646170719175,
                11423752550020568819,
                1274663564398853484,
                8101343031750957249,
                3324438798504306581,
                12531995916473267786
            ]
        );
    }
}

