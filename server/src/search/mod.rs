//! Text folding and snippets for search: "CẦN THƠ", "Cần Thơ" and "can tho"
//! are the same words to a reader, so they are the same to the index.

pub mod store;

pub use store::SearchStore;

use app::model::SnippetPart;

/// Lower-cases and strips diacritics, one output character per input
/// character, so that positions in the folded text are positions in the
/// original: `"Cần Thơ"` → `"can tho"`, `"Đ"` → `"d"`. `text` must be NFC
/// ([`crate::text::nfc`]): a lone combining mark folds to a separator.
/// Folding folded text changes nothing.
pub fn fold_chars(text: &str) -> Vec<char> {
    text.chars()
        .map(|ch| {
            if ch.is_ascii() {
                return ch.to_ascii_lowercase();
            }
            // Lower case first: a capital and its small letter may transliterate
            // differently ("Ξ" to "KS", "ξ" to "x"), and must fold alike.
            let lower = ch.to_lowercase().next().unwrap_or(ch);
            match deunicode::deunicode_char(lower) {
                Some(ascii) if ascii.chars().count() == 1 => ascii
                    .chars()
                    .next()
                    .map(|c| c.to_ascii_lowercase())
                    .unwrap_or(' '),
                _ if lower.is_alphanumeric() => lower,
                _ => ' ',
            }
        })
        .collect()
}

/// [`fold_chars`] of any text: NFC and NFD spellings fold alike.
pub fn fold(text: &str) -> String {
    fold_chars(&crate::text::nfc(text)).into_iter().collect()
}

/// The most words a query may have, and the longest word: longer input is
/// not an error, just cut.
const MAX_TOKENS: usize = 12;
const MAX_TOKEN_CHARS: usize = 40;

/// The words of a query, folded; punctuation, quotes and operators of any
/// search syntax are separators, never syntax.
pub fn tokens(query: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in fold(query).split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let word: String = word.chars().take(MAX_TOKEN_CHARS).collect();
        if !words.contains(&word) {
            words.push(word);
        }
        if words.len() == MAX_TOKENS {
            break;
        }
    }
    words
}

/// The text of sanitised article HTML, in NFC: tags dropped, block ends as
/// spaces, the entities the sanitiser emits decoded, white space collapsed.
pub fn html_to_text(html: &str) -> String {
    app::diff::text_of(&crate::text::nfc(html))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where whole words of `tokens` occur in `folded`, as char ranges.
fn matches(folded: &[char], tokens: &[Vec<char>]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < folded.len() {
        let at_word_start = i == 0 || !folded[i - 1].is_alphanumeric();
        if at_word_start {
            let hit = tokens.iter().find(|token| {
                let end = i + token.len();
                end <= folded.len()
                    && folded[i..end] == token[..]
                    && (end == folded.len() || !folded[end].is_alphanumeric())
            });
            if let Some(token) = hit {
                found.push((i, i + token.len()));
                i += token.len();
                continue;
            }
        }
        i += 1;
    }
    found
}

/// A passage of about `width` characters around the first match, split into
/// plain and highlighted parts. Text only: the page escapes it.
pub fn snippet(text: &str, query_tokens: &[String], width: usize) -> Vec<SnippetPart> {
    let original: Vec<char> = text.chars().collect();
    let folded = fold_chars(text);
    let tokens: Vec<Vec<char>> = query_tokens.iter().map(|t| t.chars().collect()).collect();
    let found = matches(&folded, &tokens);
    let first = found.first().map(|(start, _)| *start).unwrap_or(0);
    let mut start = first.saturating_sub(width / 3);
    let mut end = (start + width).min(original.len());
    // Start and end on word boundaries.
    while start > 0 && original[start - 1].is_alphanumeric() {
        start -= 1;
    }
    while end < original.len() && original[end].is_alphanumeric() {
        end += 1;
    }
    let mut parts = Vec::new();
    if start > 0 {
        parts.push(SnippetPart {
            text: "… ".into(),
            highlight: false,
        });
    }
    let mut cursor = start;
    for (from, to) in found
        .into_iter()
        .filter(|(from, to)| *from >= start && *to <= end)
    {
        if from > cursor {
            parts.push(SnippetPart {
                text: original[cursor..from].iter().collect(),
                highlight: false,
            });
        }
        parts.push(SnippetPart {
            text: original[from..to].iter().collect(),
            highlight: true,
        });
        cursor = to;
    }
    if end > cursor {
        parts.push(SnippetPart {
            text: original[cursor..end].iter().collect(),
            highlight: false,
        });
    }
    if end < original.len() {
        parts.push(SnippetPart {
            text: " …".into(),
            highlight: false,
        });
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_vietnamese_diacritics_one_to_one() {
        assert_eq!(fold("Cần Thơ"), "can tho");
        assert_eq!(fold("CẦN THƠ"), "can tho");
        assert_eq!(fold("Đường dây nóng"), "duong day nong");
        assert_eq!(fold("hành chính công"), "hanh chinh cong");
        for text in ["Ủy ban nhân dân", "PAPI – 2017…", "“Một cửa”"] {
            assert_eq!(fold_chars(text).len(), text.chars().count(), "{text}");
        }
    }

    /// Found by the property tests (`server/tests/properties.rs`).
    #[test]
    fn capitals_fold_like_their_small_letters() {
        assert_eq!(fold("Ξ"), fold("ξ"));
        assert_eq!(tokens("Ξ"), tokens(&tokens("Ξ").join(" ")));
    }

    #[test]
    fn decomposed_text_folds_like_composed_text() {
        use unicode_normalization::UnicodeNormalization;
        for text in [
            "Thành phố Cần Thơ",
            "Ủy ban nhân dân",
            "Đường dây nóng",
            "hành chính công",
        ] {
            let decomposed: String = text.nfd().collect();
            assert_ne!(decomposed, text);
            assert_eq!(fold(&decomposed), fold(text), "{text}");
            assert_eq!(tokens(&decomposed), tokens(text), "{text}");
            assert_eq!(html_to_text(&format!("<p>{decomposed}</p>")), text);
        }
    }

    #[test]
    fn queries_are_words_not_syntax() {
        assert_eq!(tokens("can tho"), ["can", "tho"]);
        assert_eq!(tokens("CẦN THƠ"), ["can", "tho"]);
        assert_eq!(
            tokens("\"hành\" AND chính* OR (công) NEAR/3 -x ' ; DROP TABLE article; --"),
            [
                "hanh", "and", "chinh", "or", "cong", "near", "3", "x", "drop", "table", "article"
            ]
        );
        assert!(tokens("!!! ??? ... ---").is_empty());
        assert!(tokens("").is_empty());
        let long = "a".repeat(10_000);
        assert_eq!(tokens(&long), ["a".repeat(MAX_TOKEN_CHARS)]);
        let many = (0..100)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(tokens(&many).len(), MAX_TOKENS);
    }

    #[test]
    fn strips_html_to_text() {
        assert_eq!(
            html_to_text(
                "<p>Một &amp; hai</p>\n<figure><img src=\"x\" alt=\"y\"><figcaption>Ba</figcaption></figure>"
            ),
            "Một & hai Ba"
        );
    }

    #[test]
    fn snippets_highlight_whole_words_in_the_original_text() {
        let text = "Ủy ban nhân dân thành phố Cần Thơ tổ chức hội nghị về hành chính công.";
        let parts = snippet(text, &tokens("can tho"), 200);
        let highlighted: Vec<&str> = parts
            .iter()
            .filter(|p| p.highlight)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(highlighted, ["Cần", "Thơ"]);
        let joined: String = parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, text);
        // "cong" does not light up inside another word.
        let parts = snippet("công cộng congress", &tokens("cong"), 200);
        let highlighted: Vec<&str> = parts
            .iter()
            .filter(|p| p.highlight)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(highlighted, ["công", "cộng"]);
    }

    #[test]
    fn long_texts_are_cut_around_the_first_match() {
        let text = format!(
            "{} Cần Thơ {}",
            "mở đầu ".repeat(100),
            "kết thúc ".repeat(100)
        );
        let parts = snippet(&text, &tokens("can tho"), 60);
        assert_eq!(parts.first().unwrap().text, "… ");
        assert_eq!(parts.last().unwrap().text, " …");
        assert!(parts.iter().any(|p| p.highlight && p.text == "Cần"));
    }
}
