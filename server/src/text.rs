//! Unicode normalisation at the boundary. Vietnamese keyboards (Unikey's
//! "Unicode tổ hợp"), text pasted from PDFs and macOS send a base letter
//! plus combining marks (NFD); everything else sends precomposed letters
//! (NFC). Every piece of user text that is stored, compared, folded or
//! slugged goes through [`nfc`] first, so both spellings are one text.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// `text` in Unicode Normalization Form C; borrowed when it already is.
pub fn nfc(text: &str) -> Cow<'_, str> {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfc().collect()),
    }
}

/// The name an uploaded file was sent with, as people will see it: the
/// last part of the path (percent-decoded when it was sent encoded), NFC,
/// without control characters or the bidirectional-text controls that make
/// `"tệp\u{202E}fdp.exe"` show as `"tệpexe.pdf"`, trimmed; empty when
/// nothing is left or only dots (`.` and `..` name folders, not files).
pub fn uploaded_file_name(raw: &str) -> String {
    let decoded = app::url::decode_component(raw).unwrap_or_else(|| raw.to_owned());
    let last = decoded.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = nfc(last)
        .chars()
        .filter(|c| !c.is_control() && !is_bidi_control(*c))
        .collect();
    let name = name.trim();
    if name.chars().all(|c| c == '.') {
        String::new()
    } else {
        name.to_owned()
    }
}

/// The invisible marks that reorder the text around them.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::{nfc, uploaded_file_name};
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn composes_decomposed_vietnamese() {
        let composed = "Thành phố Cần Thơ";
        let decomposed: String = composed.nfd().collect();
        assert_ne!(decomposed, composed);
        assert_eq!(nfc(&decomposed), composed);
        assert!(matches!(nfc(composed), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn uploaded_names_lose_their_folders_and_invisible_marks() {
        assert_eq!(uploaded_file_name("../../etc/passwd"), "passwd");
        assert_eq!(uploaded_file_name("C:\\ảnh\\a.png"), "a.png");
        assert_eq!(uploaded_file_name("%2E%2E"), "");
        assert_eq!(uploaded_file_name(" \u{1} .. "), "");
        assert_eq!(uploaded_file_name("t\u{1}ệp\u{202E}fdp.exe"), "tệpfdp.exe");
    }
}
