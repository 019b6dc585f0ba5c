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

#[cfg(test)]
mod tests {
    use super::encode_component;

    #[test]
    fn keeps_unreserved_and_encodes_the_rest() {
        assert_eq!(encode_component("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(encode_component("cần thơ"), "c%E1%BA%A7n%20th%C6%A1");
        assert_eq!(encode_component("a&b=c?#/"), "a%26b%3Dc%3F%23%2F");
    }
}
