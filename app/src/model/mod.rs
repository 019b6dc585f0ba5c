//! Types shared by the server and the browser: what a server function returns
//! is exactly what a component renders.

pub mod accounts;
pub mod documents;
pub mod editorial;
pub mod media;
pub mod pages;
pub mod questions;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A news category ("chuyên mục"), e.g. "Tin tức - Sự kiện".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: i32,
    pub slug: String,
    pub name: String,
}

/// What a feed shows of an article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleSummary {
    pub slug: String,
    pub title: String,
    pub excerpt: String,
    #[serde(with = "time::serde::rfc3339")]
    pub published_at: OffsetDateTime,
    pub category: Category,
    /// The article's first image, with its text alternative, if it has one.
    pub image: Option<Image>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// The portal's own address of the file (`/demo/x.svg`), never another site's.
    pub src: String,
    pub alt: String,
    /// Intrinsic size in CSS pixels, when the body's `<img>` gives it.
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// A published article as a reader sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub slug: String,
    pub title: String,
    /// The lead paragraph, also used as the meta description.
    pub excerpt: String,
    /// Sanitised HTML: paragraphs and `<figure>`s with `<figcaption>`s.
    pub body_html: String,
    pub author: String,
    #[serde(with = "time::serde::rfc3339")]
    pub published_at: OffsetDateTime,
    pub category: Category,
    /// The absolute address, for sharing, canonical links and structured data.
    pub canonical_url: String,
    /// The cover picture, or the body's first image, for link previews
    /// (`og:image`), with `src` absolute.
    pub image: Option<Image>,
    /// For `<meta name="description">`: the editor's SEO description, or the lead.
    pub description: String,
    pub tags: Vec<String>,
}

impl Article {
    pub fn path(&self) -> String {
        article_path(&self.slug)
    }
}

/// A newly published article as the live stream offers it to readers of
/// the home page ("Có 2 tin mới"), formatted on the server so that the
/// browser needs no date code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreshArticle {
    /// `/tin-tuc/{slug}`.
    pub path: String,
    pub title: String,
    pub category: String,
    pub excerpt: String,
    /// Publication time, Unix seconds (to compare with what a page shows).
    pub published: i64,
    /// ISO 8601, for `<time datetime>`.
    pub datetime: String,
    /// As readers see it: `16:33 - 01/12/2017`, Vietnam time.
    pub time_text: String,
}

impl From<&ArticleSummary> for FreshArticle {
    fn from(item: &ArticleSummary) -> Self {
        Self {
            path: item.path(),
            title: item.title.clone(),
            category: item.category.name.clone(),
            excerpt: item.excerpt.clone(),
            published: item.published_at.unix_timestamp(),
            datetime: crate::vn_time::iso_datetime(item.published_at),
            time_text: crate::vn_time::format_datetime(item.published_at),
        }
    }
}

impl ArticleSummary {
    pub fn path(&self) -> String {
        article_path(&self.slug)
    }
}

/// The public URL of an article: a readable, ASCII slug of its title.
pub fn article_path(slug: &str) -> String {
    format!("/tin-tuc/{slug}")
}

/// A piece of a search result's passage; highlighted pieces matched the query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnippetPart {
    pub text: String,
    pub highlight: bool,
}

/// An article found by a search, with the passage that matched.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub article: ArticleSummary,
    pub snippet: Vec<SnippetPart>,
}

/// The public URL of a category's page.
pub fn category_path(slug: &str) -> String {
    format!("/chuyen-muc/{slug}")
}

impl Category {
    pub fn path(&self) -> String {
        category_path(&self.slug)
    }
}

/// The highest page number any list serves. Past it every list is empty
/// anyway, and the offset of a page, `(page - 1) × per_page`, stays far
/// inside the signed 64-bit `OFFSET` the databases take (the SQL driver
/// panics on an unsigned offset above `i64::MAX`).
pub const MAX_PAGE: u64 = 1_000_000;

/// A page number as asked for (a server function's argument, the API's
/// `page`), within `1..=MAX_PAGE`.
pub fn clamp_page(page: u64) -> u64 {
    page.clamp(1, MAX_PAGE)
}

/// Reads a `?trang=` page number leniently: missing, zero, negative or
/// non-numeric values mean the first page; at most [`MAX_PAGE`].
pub fn parse_page(raw: Option<&str>) -> u64 {
    raw.and_then(|value| value.trim().parse::<u64>().ok())
        .filter(|page| *page >= 1)
        .unwrap_or(1)
        .min(MAX_PAGE)
}

/// One page of a longer list, with what pagination needs to know.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    /// 1-based page number actually returned.
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

impl<T> Paged<T> {
    pub fn page_count(&self) -> u64 {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }
}

/// The visitor counter ("Lượt truy cập"). Visits count each visitor once per
/// Vietnam day; `online` counts distinct visitors of the last five minutes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorStats {
    pub online: u64,
    pub today: u64,
    pub yesterday: u64,
    pub this_week: u64,
    pub this_month: u64,
    /// Every visit ever, including the total carried over from an old portal.
    pub total: u64,
}

/// Formats a count the Vietnamese way: `123081` → `123.081`.
pub fn format_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{format_count, parse_page};

    #[test]
    fn page_numbers_are_read_leniently() {
        assert_eq!(parse_page(None), 1);
        assert_eq!(parse_page(Some("")), 1);
        assert_eq!(parse_page(Some("0")), 1);
        assert_eq!(parse_page(Some("-3")), 1);
        assert_eq!(parse_page(Some("abc")), 1);
        assert_eq!(parse_page(Some("2")), 2);
        assert_eq!(parse_page(Some(" 7 ")), 7);
        assert_eq!(parse_page(Some("99999999999999999999999")), 1);
        assert_eq!(parse_page(Some("5000000")), 1_000_000);
    }

    #[test]
    fn groups_thousands_with_dots() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1000), "1.000");
        assert_eq!(format_count(123081), "123.081");
        assert_eq!(format_count(1234567), "1.234.567");
    }
}
