//! Readable ASCII slugs from Vietnamese titles.

/// `"Cần Thơ tổ chức Hội nghị"` → `"can-tho-to-chuc-hoi-nghi"`.
pub fn slugify(title: &str) -> String {
    // Only letters and digits carry meaning; symbols and emoji would come out
    // of the transliteration as English words ("grinning").
    let words: String = crate::text::nfc(title)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let ascii = deunicode::deunicode(&words).to_ascii_lowercase();
    let mut slug = String::with_capacity(ascii.len());
    for ch in ascii.chars() {
        if ch.is_ascii_alphanumeric() {
            slug.push(ch);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn folds_vietnamese_letters_and_tones() {
        assert_eq!(
            slugify("Cần Thơ tổ chức Hội nghị"),
            "can-tho-to-chuc-hoi-nghi"
        );
        assert_eq!(slugify("Đường dây nóng – Ủy ban"), "duong-day-nong-uy-ban");
        assert_eq!(slugify("giai đoạn 2015-2017"), "giai-doan-2015-2017");
    }

    #[test]
    fn decomposed_titles_give_the_same_slug() {
        use unicode_normalization::UnicodeNormalization;
        let title = "Cần Thơ tổ chức Hội nghị – Đường dây nóng";
        let decomposed: String = title.nfd().collect();
        assert_eq!(slugify(&decomposed), slugify(title));
    }

    #[test]
    fn symbols_and_emoji_do_not_become_words() {
        assert_eq!(
            slugify("Chúc mừng 😀 năm mới ★ 2018"),
            "chuc-mung-nam-moi-2018"
        );
        assert_eq!(slugify("100% & “một cửa”"), "100-mot-cua");
    }

    #[test]
    fn trims_and_collapses_punctuation() {
        assert_eq!(slugify("  “Một cửa”: quy chế!! "), "mot-cua-quy-che");
        assert_eq!(slugify("???"), "");
    }
}
