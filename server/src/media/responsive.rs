//! Library photos in an article body become responsive pictures on the way
//! out: `<picture>` with a WebP `srcset`, a JPEG `srcset` fallback, `sizes`,
//! the variant's `width`/`height` (no layout shift) and lazy loading after
//! the first picture. The stored body keeps the plain `<img>` the editor
//! inserted, so editing never sees the generated markup.

use std::collections::HashMap;

use app::model::media::{MediaItem, media_token};

/// How wide an article's pictures are shown, for the browser's choice.
pub const SIZES: &str = "(min-width: 48rem) 42rem, 100vw";

/// The attributes of one tag, as `(name, raw value)`; ammonia's output
/// always double-quotes values and escapes `"` inside them.
fn attributes(tag: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = tag;
    while let Some(eq) = rest.find("=\"") {
        let name = rest[..eq].trim().rsplit(' ').next().unwrap_or_default();
        let after = &rest[eq + 2..];
        let Some(end) = after.find('"') else { break };
        out.push((name, &after[..end]));
        rest = &after[end + 1..];
    }
    out
}

/// The places (1 for the first picture of the body) of every `<img>` of
/// `html` without a text alternative (Circular 32/2017 asks one of each).
pub fn images_without_alt(html: &str) -> Vec<usize> {
    html.match_indices("<img ")
        .enumerate()
        .filter(|(_, (at, _))| {
            let tag = &html[*at..];
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            !attributes(tag)
                .iter()
                .any(|(name, value)| *name == "alt" && !value.trim().is_empty())
        })
        .map(|(place, _)| place + 1)
        .collect()
}

/// The tokens of every library photo `html` shows.
pub fn tokens_in(html: &str) -> Vec<String> {
    let mut tokens: Vec<String> = html
        .match_indices("src=\"/media/")
        .filter_map(|(at, _)| {
            let src = &html[at + 5..];
            let end = src.find('"')?;
            media_token(&src[..end]).map(str::to_owned)
        })
        .collect();
    tokens.sort();
    tokens.dedup();
    tokens
}

/// `html` with each `<img>` of a known library photo made a `<picture>`.
pub fn responsive(html: &str, photos: &HashMap<String, MediaItem>) -> String {
    let mut out = String::with_capacity(html.len() + 512);
    let mut rest = html;
    let mut first = true;
    while let Some(start) = rest.find("<img ") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('>') else {
            rest = &rest[start..];
            break;
        };
        let tag = &rest[start..start + len + 1];
        rest = &rest[start + len + 1..];
        let attrs = attributes(tag);
        let get = |name: &str| attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
        let photo = get("src")
            .and_then(media_token)
            .and_then(|token| photos.get(token));
        let Some(photo) = photo else {
            out.push_str(tag);
            continue;
        };
        let width = photo.default_width();
        let loading = if first { "eager" } else { "lazy" };
        first = false;
        out.push_str(&format!(
            "<picture><source type=\"image/webp\" srcset=\"{webp}\" sizes=\"{SIZES}\">\
             <img src=\"{src}\" srcset=\"{jpeg}\" sizes=\"{SIZES}\" alt=\"{alt}\" width=\"{width}\" \
             height=\"{height}\" loading=\"{loading}\" decoding=\"async\"></picture>",
            webp = photo.srcset("webp"),
            jpeg = photo.srcset("jpg"),
            src = photo.url(width, "jpg"),
            alt = get("alt").unwrap_or_default(),
            height = photo.height_at(width),
        ));
    }
    out.push_str(rest);
    // A picture without a caption keeps no empty caption.
    out.replace("<figcaption></figcaption>", "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo() -> MediaItem {
        MediaItem {
            id: 1,
            token: "00aa11bb22cc33dd".into(),
            file_name: "a.jpg".into(),
            alt: "Ảnh".into(),
            caption: String::new(),
            width: 1600,
            height: 900,
            widths: vec![480, 960, 1600],
            bytes: 1,
            created_at: time::OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn library_photos_become_pictures_and_others_stay() {
        let html = "<figure><img src=\"/media/00aa11bb22cc33dd/960.jpg\" alt=\"Hội nghị &quot;A&quot;\" loading=\"lazy\"><figcaption>Chú thích</figcaption></figure>\
                    <p><img src=\"/demo/x.svg\" alt=\"Khác\"></p>\
                    <img src=\"/media/00aa11bb22cc33dd/480.jpg\" alt=\"Lần hai\">";
        assert_eq!(tokens_in(html), ["00aa11bb22cc33dd"]);
        let photos = HashMap::from([("00aa11bb22cc33dd".to_owned(), photo())]);
        let out = responsive(html, &photos);
        assert_eq!(out.matches("<picture>").count(), 2);
        assert!(out.contains("<source type=\"image/webp\" srcset=\"/media/00aa11bb22cc33dd/480.webp 480w, /media/00aa11bb22cc33dd/960.webp 960w, /media/00aa11bb22cc33dd/1600.webp 1600w\""));
        assert!(out.contains(
            "alt=\"Hội nghị &quot;A&quot;\" width=\"960\" height=\"540\" loading=\"eager\""
        ));
        assert!(out.contains("alt=\"Lần hai\" width=\"960\" height=\"540\" loading=\"lazy\""));
        assert!(out.contains("<p><img src=\"/demo/x.svg\" alt=\"Khác\"></p>"));
        assert!(out.contains("<figcaption>Chú thích</figcaption></figure>"));
        // Unknown photos (deleted, say) stay as they were.
        assert_eq!(responsive(html, &HashMap::new()), html);
    }

    #[test]
    fn images_without_text_are_counted() {
        assert!(images_without_alt("<p>x</p>").is_empty());
        assert_eq!(
            images_without_alt(
                "<img src=\"/a.jpg\" alt=\"Ảnh\"><img src=\"/b.jpg\" alt=\" \"><img src=\"/c.jpg\">"
            ),
            [2, 3]
        );
    }
}
