//! The portal's fixed pages: "Giới thiệu" (`/gioi-thieu`: functions,
//! tasks, organisation chart and contacts, Decree 42/2022 art. 4) and its
//! English counterpart (`/en`, art. 7.2). Both always exist (seeded at
//! start-up); admins change their title and text.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::i18n::Lang;

/// The about page's slug (and address, `/gioi-thieu`).
pub const ABOUT: &str = "gioi-thieu";
/// The English page's slug (and address, `/en`).
pub const ENGLISH: &str = "en";
/// Every fixed page, in the editors' order.
pub const SLUGS: [&str; 2] = [ABOUT, ENGLISH];

/// The longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// The largest body, in bytes of HTML.
pub const MAX_BODY_BYTES: usize = 500_000;

/// A fixed page's address.
pub fn page_path(slug: &str) -> String {
    format!("/{slug}")
}

/// A fixed page as readers and admins see it. The body is sanitised HTML.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    pub slug: String,
    pub lang: Lang,
    pub title: String,
    pub body_html: String,
    /// Plain text from the start of the body, for `<meta name=description>`.
    pub description: String,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Who saved it last (a display name); `None` for the seeded text.
    pub updated_by: Option<String>,
    /// Increased by every save: a save based on an older one is refused.
    pub version: i64,
}

impl Page {
    pub fn path(&self) -> String {
        page_path(&self.slug)
    }
}

/// What an admin saves.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageInput {
    pub slug: String,
    /// The [`Page::version`] the edit started from.
    pub base_version: i64,
    pub title: String,
    pub body_html: String,
}
