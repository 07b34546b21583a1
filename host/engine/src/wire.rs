//! Reading what peers send, the same way for every layer: an HTTP answer
//! with a bound on its size, and base64 in whichever alphabet a provider
//! chose. A leaf.

use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Decode base64 in the standard or URL-safe alphabet, padded or not.
pub fn decode_base64_any(s: &str) -> Option<Vec<u8>> {
    let config =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    let s = s.trim();
    let alphabet = if s.contains(['-', '_']) {
        &alphabet::URL_SAFE
    } else {
        &alphabet::STANDARD
    };
    GeneralPurpose::new(alphabet, config).decode(s).ok()
}

/// The most of one provider answer read into memory: a calendar window, a
/// page of mail or an LLM completion is far less. A larger answer is
/// refused once the limit is passed, never buffered whole.
pub const MAX_ANSWER_BYTES: usize = 16 << 20;

/// Why an answer's body could not be had.
#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    /// Past [`MAX_ANSWER_BYTES`] (or the caller's limit).
    #[error("the answer is larger than {0} bytes")]
    TooLarge(usize),
    /// The connection failed while the body was read.
    #[error("the answer could not be read: {0}")]
    Read(String),
    /// The body is not the JSON the caller reads.
    #[error("the answer is not JSON: {0}")]
    NotJson(#[from] serde_json::Error),
}

impl AnswerError {
    /// Whether reading again later may succeed (a connection that broke,
    /// not an answer that is too large or malformed).
    pub fn retriable(&self) -> bool {
        matches!(self, AnswerError::Read(_))
    }
}

/// `response`'s body, at most `limit` bytes: a `Content-Length` past it is
/// refused before any of the body is read, and a body that streams past it
/// is dropped at the limit.
pub async fn body(response: reqwest::Response, limit: usize) -> Result<Vec<u8>, AnswerError> {
    use http_body_util::BodyExt;
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(AnswerError::TooLarge(limit));
    }
    let limited = http_body_util::Limited::new(reqwest::Body::from(response), limit);
    match limited.collect().await {
        Ok(collected) => Ok(collected.to_bytes().to_vec()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(AnswerError::TooLarge(limit)),
        Err(e) => Err(AnswerError::Read(match e.downcast::<reqwest::Error>() {
            Ok(e) => e.without_url().to_string(),
            Err(e) => e.to_string(),
        })),
    }
}

/// `response`'s body as text (invalid UTF-8 replaced), at most
/// [`MAX_ANSWER_BYTES`].
pub async fn text(response: reqwest::Response) -> Result<String, AnswerError> {
    let bytes = body(response, MAX_ANSWER_BYTES).await?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// `response`'s body as JSON, at most [`MAX_ANSWER_BYTES`].
pub async fn json(response: reqwest::Response) -> Result<serde_json::Value, AnswerError> {
    let bytes = body(response, MAX_ANSWER_BYTES).await?;
    Ok(serde_json::from_slice(&bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    #[test]
    fn base64_in_either_alphabet_padded_or_not() {
        let json = br#"{"emailAddress": "user@example.com", "historyId": "1234567890"}"#;
        let std_padded = base64::engine::general_purpose::STANDARD.encode(json);
        let url_bare = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
        assert_eq!(decode_base64_any(&std_padded).unwrap(), json);
        assert_eq!(decode_base64_any(&url_bare).unwrap(), json);
        // Bytes whose encodings differ between the alphabets.
        let odd = [0xfbu8, 0xff, 0xfe];
        for e in [
            base64::engine::general_purpose::STANDARD.encode(odd),
            base64::engine::general_purpose::URL_SAFE.encode(odd),
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(odd),
        ] {
            assert_eq!(decode_base64_any(&e).unwrap(), odd, "{e}");
        }
        assert!(decode_base64_any("not base64!").is_none());
    }
}
