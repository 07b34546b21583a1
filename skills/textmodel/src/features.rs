//! Features: hashed word 1–2-grams and character 3–5-grams of normalised
//! text, plus named cues (a rule's detection, a clause flag) with a value.
//! Every feature is a name hashed (FNV-1a) into `2^bits` slots.
//!
//! A skill builds one vector per utterance or email on every call, so the
//! builder hashes words and character windows in place (borrowed slices of
//! the lower-cased text, a hash state carried over the shared prefix of a
//! name) and collects slots in plain vectors, sorted once in
//! [`Builder::finish`].

/// A feature vector: `(slot, value)`, sorted by slot, slots unique.
pub type Sparse = Vec<(u32, f32)>;

/// Words dropped as disfluencies.
const FILLERS: &[&str] = &[
    "um", "umm", "uh", "uhh", "uhm", "er", "erm", "err", "hmm", "mm", "mmm", "ah",
];

/// Lower-cased words (letters, digits, inner apostrophes straightened), with
/// fillers dropped and stuttered repeats ("I'll, I'll", "we we") collapsed.
pub fn words(text: &str) -> Vec<String> {
    split_words(&lowered(text))
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// `text` lower-cased, curly apostrophes straightened.
fn lowered(text: &str) -> String {
    if text.is_ascii() {
        // The same, in one pass: no curly apostrophe to straighten.
        return text.to_ascii_lowercase();
    }
    text.to_lowercase()
        .replace(['\u{2019}', '\u{2018}', '\u{02bc}'], "'")
}

/// [`words`] of text already [`lowered`], borrowed from it.
fn split_words(lowered: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for raw in lowered.split(|c: char| !(c.is_alphanumeric() || c == '\'')) {
        let w = raw.trim_matches('\'');
        if w.is_empty() || FILLERS.contains(&w) {
            continue;
        }
        if out.last() == Some(&w) {
            continue;
        }
        out.push(w);
        // "I think, I think": a repeated pair.
        let n = out.len();
        if n >= 4 && out[n - 1] == out[n - 3] && out[n - 2] == out[n - 4] {
            out.truncate(n - 2);
        }
    }
    out
}

/// An FNV-1a state over a name's parts, each followed by a separator byte;
/// a copy taken after a shared prefix hashes every name that starts with it.
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Fnv {
    const START: Fnv = Fnv(0xcbf2_9ce4_8422_2325);
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    /// The state after `bytes`, within the current part.
    fn bytes(self, bytes: &[u8]) -> Fnv {
        Fnv(bytes
            .iter()
            .fold(self.0, |h, &b| (h ^ u64::from(b)).wrapping_mul(Self::PRIME)))
    }

    /// The state after the part's separator.
    fn end(self) -> Fnv {
        Fnv((self.0 ^ 0x1f).wrapping_mul(Self::PRIME))
    }

    /// The state after one whole part.
    fn part(self, bytes: &[u8]) -> Fnv {
        self.bytes(bytes).end()
    }
}

/// FNV-1a over the parts, with a separator byte between them.
#[cfg(test)]
fn hash(parts: &[&[u8]]) -> u64 {
    parts.iter().fold(Fnv::START, |h, p| h.part(p)).0
}

/// Collects one example's features.
pub struct Builder {
    bits: u32,
    /// Slots of the n-grams seen, with repeats (made unique in `finish`).
    grams: Vec<u32>,
    /// Slots and values of the cues, in the order given.
    cues: Vec<(u32, f32)>,
}

impl Builder {
    /// An empty builder hashing into `2^bits` slots (`bits` at most 24).
    pub fn new(bits: u32) -> Builder {
        Builder {
            bits: bits.min(24),
            grams: Vec::new(),
            cues: Vec::new(),
        }
    }

    fn slot(&self, h: Fnv) -> u32 {
        // Fold the high bits in, then keep `bits` of them.
        ((h.0 ^ (h.0 >> 32)) as u32) & ((1u32 << self.bits) - 1)
    }

    /// The word 1–2-grams and character 3–5-grams of `text`, in namespace
    /// `ns` (so a subject's words differ from a body's).
    pub fn text(&mut self, ns: &str, text: &str) {
        let lowered = lowered(text);
        let w = split_words(&lowered);
        let ns = Fnv::START.part(ns.as_bytes());
        let (unigram, bigram, chars) = (ns.part(b"w"), ns.part(b"b"), ns.part(b"c"));
        // Each word, and each with the word before it ("<s>" first); then
        // the last with "</s>".
        self.grams
            .reserve(2 * w.len() + 1 + 3 * (lowered.len() + 2));
        for (i, word) in w.iter().enumerate() {
            let h = unigram.part(word.as_bytes());
            self.grams.push(self.slot(h));
            let prev = if i == 0 { "<s>" } else { w[i - 1] };
            let h = bigram.part(prev.as_bytes()).part(word.as_bytes());
            self.grams.push(self.slot(h));
        }
        if let Some(last) = w.last() {
            let h = bigram.part(last.as_bytes()).part(b"</s>");
            self.grams.push(self.slot(h));
        }
        // Every run of 3, 4 and 5 characters of " w1 w2 … ": the 4- and
        // 5-grams starting at a character extend its 3-gram's hash state.
        let mut joined = String::with_capacity(lowered.len() + 2);
        joined.push(' ');
        for (i, word) in w.iter().enumerate() {
            if i > 0 {
                joined.push(' ');
            }
            joined.push_str(word);
        }
        joined.push(' ');
        let bytes = joined.as_bytes();
        if joined.is_ascii() {
            // One byte per character.
            for start in 0..bytes.len().saturating_sub(2) {
                let mut h = chars.bytes(&bytes[start..start + 2]);
                for &b in bytes.iter().take(start + 5).skip(start + 2) {
                    h = h.bytes(&[b]);
                    self.grams.push(self.slot(h.end()));
                }
            }
            return;
        }
        let bounds: Vec<usize> = joined
            .char_indices()
            .map(|(i, _)| i)
            .chain([joined.len()])
            .collect();
        let n_chars = bounds.len() - 1;
        for start in 0..n_chars.saturating_sub(2) {
            let mut h = chars.bytes(&bytes[bounds[start]..bounds[start + 2]]);
            for end in start + 3..=(start + 5).min(n_chars) {
                h = h.bytes(&bytes[bounds[end - 1]..bounds[end]]);
                self.grams.push(self.slot(h.end()));
            }
        }
    }

    /// A named cue with a value (1 for presence).
    pub fn cue(&mut self, name: &str, value: f32) {
        let h = Fnv::START.part(b"cue").part(name.as_bytes());
        self.cues.push((self.slot(h), value));
    }

    /// The vector: n-grams present get `1/sqrt(count)` (unit length in
    /// total), cues their value; a slot both share gets the sum, the cues'
    /// values added first, in the order given.
    pub fn finish(self) -> Sparse {
        let Builder {
            bits,
            mut grams,
            mut cues,
        } = self;
        radix_sort(&mut grams, bits);
        grams.dedup();
        let weight = if grams.is_empty() {
            0.0
        } else {
            1.0 / (grams.len() as f32).sqrt()
        };
        // A stable sort keeps one slot's values in the order given.
        cues.sort_by_key(|&(slot, _)| slot);
        let mut summed: Sparse = Vec::with_capacity(cues.len());
        for (slot, value) in cues {
            match summed.last_mut() {
                Some(last) if last.0 == slot => last.1 += value,
                // As a map's default plus the value: -0.0 reads 0.0.
                _ => summed.push((slot, 0.0 + value)),
            }
        }
        let mut out: Sparse = Vec::with_capacity(grams.len() + summed.len());
        let mut cues = summed.into_iter().peekable();
        for g in grams {
            while let Some(c) = cues.next_if(|c| c.0 < g) {
                out.push(c);
            }
            match cues.next_if(|c| c.0 == g) {
                Some((_, v)) => out.push((g, v + weight)),
                None => out.push((g, weight)),
            }
        }
        out.extend(cues);
        out
    }
}

/// Sorts slots below `2^bits` (`bits` at most 24) by counting on digits of
/// at most 11 bits, lowest first: two passes for the usual 18 bits, fewer
/// steps than comparing for the few hundred slots of one text.
fn radix_sort(v: &mut Vec<u32>, bits: u32) {
    let passes = bits.div_ceil(11).max(1);
    let width = bits.div_ceil(passes);
    let mask = (1u32 << width) - 1;
    let mut count = vec![0usize; 1 << width];
    let mut sorted = vec![0u32; v.len()];
    for pass in 0..passes {
        let shift = pass * width;
        count.fill(0);
        for &x in v.iter() {
            count[((x >> shift) & mask) as usize] += 1;
        }
        let mut at = 0;
        for c in count.iter_mut() {
            (*c, at) = (at, at + *c);
        }
        for &x in v.iter() {
            let c = &mut count[((x >> shift) & mask) as usize];
            sorted[*c] = x;
            *c += 1;
        }
        std::mem::swap(v, &mut sorted);
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
    fn radix_sort_sorts_like_sort() {
        for bits in [1, 6, 11, 18, 24] {
            let mut v: Vec<u32> = (0..1000u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 7) & ((1 << bits) - 1))
                .collect();
            let mut expected = v.clone();
            expected.sort_unstable();
            radix_sort(&mut v, bits);
            assert_eq!(v, expected, "{bits} bits");
        }
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
