//! A readable word diff between two versions of a text (the editors' revisions and conflict views).

/// A run of words: kept, removed (only in the old text) or added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Same(String),
    Removed(String),
    Added(String),
}

/// The text of article HTML: tags as spaces, the entities the sanitiser
/// writes decoded (also the search index's text, `server::search`).
pub fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(ch),
            _ => {}
        }
    }
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The changes from `old` to `new`, word by word (longest common
/// subsequence; texts longer than 4,000 words are compared paragraph-free
/// in their first 4,000 words to keep the browser responsive).
pub fn diff_words(old: &str, new: &str) -> Vec<Change> {
    let a: Vec<&str> = old.split_whitespace().take(4_000).collect();
    let b: Vec<&str> = new.split_whitespace().take(4_000).collect();
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut changes: Vec<Change> = Vec::new();
    let mut push = |change: Change| {
        let merged = match (changes.last_mut(), &change) {
            (Some(Change::Same(t)), Change::Same(w))
            | (Some(Change::Removed(t)), Change::Removed(w))
            | (Some(Change::Added(t)), Change::Added(w)) => {
                t.push(' ');
                t.push_str(w);
                true
            }
            _ => false,
        };
        if !merged {
            changes.push(change);
        }
    };
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            push(Change::Same(a[i].to_owned()));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            push(Change::Removed(a[i].to_owned()));
            i += 1;
        } else {
            push(Change::Added(b[j].to_owned()));
            j += 1;
        }
    }
    for word in &a[i..] {
        push(Change::Removed((*word).to_owned()));
    }
    for word in &b[j..] {
        push(Change::Added((*word).to_owned()));
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::{Change, diff_words, text_of};

    #[test]
    fn words_added_and_removed() {
        assert_eq!(
            diff_words("một hai ba", "một bốn ba năm"),
            vec![
                Change::Same("một".into()),
                Change::Removed("hai".into()),
                Change::Added("bốn".into()),
                Change::Same("ba".into()),
                Change::Added("năm".into()),
            ]
        );
        assert_eq!(
            text_of("<p>A &amp; B</p><p>C</p>")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["A", "&", "B", "C"]
        );
    }
}
