//! Standard base64 (RFC 4648, padded), for the model file's packed weights.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Encodes bytes as padded base64.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Each byte's 6-bit value, or [`INVALID`] for a byte outside the alphabet
/// (`=` included: padding is handled apart).
static VALUES: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        t[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
};
const INVALID: u8 = 0xff;

fn value(c: u8) -> Option<u32> {
    match VALUES[c as usize] {
        INVALID => None,
        v => Some(u32::from(v)),
    }
}

/// Decodes padded base64; `None` on any other character or a bad length.
/// Every group of four may end in one or two `=` (so concatenated encodings
/// decode too); bits past the last whole byte are ignored.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let s = text.as_bytes();
    if !s.len().is_multiple_of(4) {
        return None;
    }
    // The common case: every group but the last is four letters of the
    // alphabet, three bytes each, written in place.
    let body = s.len().saturating_sub(4);
    let mut out = vec![0u8; body / 4 * 3];
    for (group, bytes) in s[..body].chunks_exact(4).zip(out.chunks_exact_mut(3)) {
        let (a, b, c, d) = (
            VALUES[usize::from(group[0])],
            VALUES[usize::from(group[1])],
            VALUES[usize::from(group[2])],
            VALUES[usize::from(group[3])],
        );
        if (a | b | c | d) & 0x80 != 0 {
            // Padding inside, or a stray character: the careful way.
            return decode_groups(s);
        }
        bytes[0] = (a << 2) | (b >> 4);
        bytes[1] = (b << 4) | (c >> 2);
        bytes[2] = (c << 6) | d;
    }
    decode_group(&s[body..], &mut out)?;
    Some(out)
}

/// [`decode`] group by group.
fn decode_groups(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    for group in s.chunks_exact(4) {
        decode_group(group, &mut out)?;
    }
    Some(out)
}

/// Appends the bytes of one group of four (or none, for an empty input).
fn decode_group(group: &[u8], out: &mut Vec<u8>) -> Option<()> {
    if group.is_empty() {
        return Some(());
    }
    let pad = group.iter().rev().take_while(|&&c| c == b'=').count();
    if pad > 2 {
        return None;
    }
    let mut n = 0u32;
    for (k, &c) in group.iter().enumerate() {
        let v = if k >= 4 - pad { 0 } else { value(c)? };
        n = (n << 6) | v;
    }
    let bytes = n.to_be_bytes();
    out.extend_from_slice(&bytes[1..4 - pad]);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_length() {
        let data: Vec<u8> = (0..=255u8).collect();
        for n in 0..10 {
            assert_eq!(decode(&encode(&data[..n])).as_deref(), Some(&data[..n]));
        }
        assert_eq!(encode(b"Man"), "TWFu");
        assert_eq!(encode(b"Ma"), "TWE=");
        assert_eq!(decode("TWE"), None);
        assert_eq!(decode("T!E="), None);
        assert_eq!(decode("TWE=TWFu").as_deref(), Some(&b"MaMan"[..]));
        assert_eq!(decode("TW=="), Some(b"M".to_vec()));
        assert_eq!(decode("T==="), None);
        assert_eq!(decode("TW=u"), None);
        assert_eq!(decode(""), Some(Vec::new()));
    }
}
