//! Building addresses.

/// Percent-encodes `text` for a query-string value or a path segment: RFC
/// 3986 unreserved characters stay, every other byte of the UTF-8 is `%XX`.
/// `"cần thơ"` → `"c%E1%BA%A7n%20th%C6%A1"`.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The reverse of [`encode_component`] (`+` stays `+`); `None` when a `%`
/// is not followed by two hex digits or the bytes are not UTF-8.
pub fn decode_component(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::{decode_component, encode_component};

    #[test]
    fn decoding_reverses_encoding() {
        for text in ["cần thơ", "a&b=c?#/", "ảnh 1.jpg"] {
            assert_eq!(
                decode_component(&encode_component(text)).as_deref(),
                Some(text)
            );
        }
        assert_eq!(decode_component("%E1%BA"), None);
        assert_eq!(decode_component("%zz"), None);
        assert_eq!(decode_component("50%"), None);
    }

    #[test]
    fn keeps_unreserved_and_encodes_the_rest() {
        assert_eq!(encode_component("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(encode_component("cần thơ"), "c%E1%BA%A7n%20th%C6%A1");
        assert_eq!(encode_component("a&b=c?#/"), "a%26b%3Dc%3F%23%2F");
    }
}
