//! The media library: uploaded photos and their resized variants.

use serde::{Deserialize, Serialize};

/// The widths, in pixels, of the variants made of each photo (narrower
/// photos get one variant at their own width).
pub const VARIANT_WIDTHS: [u32; 3] = [480, 960, 1600];

/// A photo in the library.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaItem {
    pub id: i32,
    /// The random name of its folder under `/media/`.
    pub token: String,
    /// The name of the file as uploaded.
    pub file_name: String,
    /// The text alternative (Circular 32/2017): required before insertion.
    pub alt: String,
    pub caption: String,
    /// The largest variant's size, in pixels.
    pub width: u32,
    pub height: u32,
    /// The variants' widths, smallest first; each exists as WebP and JPEG.
    pub widths: Vec<u32>,
    /// All variants together, in bytes.
    pub bytes: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
}

impl MediaItem {
    /// The address of the variant `width` wide in `extension` (`webp`, `jpg`).
    pub fn url(&self, width: u32, extension: &str) -> String {
        media_url(&self.token, width, extension)
    }

    /// The variant an article shows by default: the widest up to 960 px.
    pub fn default_width(&self) -> u32 {
        self.widths
            .iter()
            .copied()
            .filter(|w| *w <= 960)
            .max()
            .or_else(|| self.widths.first().copied())
            .unwrap_or(self.width)
    }

    /// The height of the variant `width` wide.
    pub fn height_at(&self, width: u32) -> u32 {
        if self.width == 0 {
            return 0;
        }
        ((u64::from(self.height) * u64::from(width) + u64::from(self.width) / 2)
            / u64::from(self.width)) as u32
    }

    /// `srcset` for `extension`: every variant with its width.
    pub fn srcset(&self, extension: &str) -> String {
        self.widths
            .iter()
            .map(|w| format!("{} {w}w", self.url(*w, extension)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `/media/{token}/{width}.{extension}`.
pub fn media_url(token: &str, width: u32, extension: &str) -> String {
    format!("/media/{token}/{width}.{extension}")
}

/// The token of a library address (`/media/{token}/…`), if it is one.
pub fn media_token(src: &str) -> Option<&str> {
    let rest = src.strip_prefix("/media/")?;
    let (token, file) = rest.split_once('/')?;
    let well_formed = !token.is_empty()
        && token.bytes().all(|b| b.is_ascii_hexdigit())
        && file
            .split_once('.')
            .is_some_and(|(w, _)| w.parse::<u32>().is_ok());
    well_formed.then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> MediaItem {
        MediaItem {
            id: 1,
            token: "0a1b2c3d4e5f6071".into(),
            file_name: "anh.jpg".into(),
            alt: "Hội nghị".into(),
            caption: String::new(),
            width: 1600,
            height: 1200,
            widths: vec![480, 960, 1600],
            bytes: 1,
            created_at: time::OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn addresses_and_sizes() {
        let item = item();
        assert_eq!(item.default_width(), 960);
        assert_eq!(item.height_at(960), 720);
        assert_eq!(
            item.srcset("webp"),
            "/media/0a1b2c3d4e5f6071/480.webp 480w, /media/0a1b2c3d4e5f6071/960.webp 960w, /media/0a1b2c3d4e5f6071/1600.webp 1600w"
        );
        assert_eq!(
            media_token("/media/0a1b2c3d4e5f6071/960.jpg"),
            Some("0a1b2c3d4e5f6071")
        );
        for other in [
            "/demo/a.svg",
            "/media/../x/1.jpg",
            "/media/zz/1.jpg",
            "/media/ab/x.jpg",
        ] {
            assert_eq!(media_token(other), None, "{other}");
        }
    }
}
