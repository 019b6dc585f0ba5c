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

#[cfg(test)]
mod tests {
    use super::nfc;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn composes_decomposed_vietnamese() {
        let composed = "Thành phố Cần Thơ";
        let decomposed: String = composed.nfd().collect();
        assert_ne!(decomposed, composed);
        assert_eq!(nfc(&decomposed), composed);
        assert!(matches!(nfc(composed), std::borrow::Cow::Borrowed(_)));
    }
}
