//! The editorial workflow: nháp → chờ duyệt → (đã lên lịch →) đã xuất bản →
//! đã gỡ, with "trả lại" (returned to the author with a comment).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::accounts::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ArticleStatus {
    /// Nháp: being written.
    Draft,
    /// Chờ duyệt: submitted, waiting for an editor.
    Review,
    /// Trả lại: an editor sent it back to the author with a comment.
    Returned,
    /// Đã xuất bản: public.
    Published,
    /// Đã lên lịch: approved, to go public by itself at its `publish_at`.
    Scheduled,
    /// Đã gỡ: was public, taken down.
    Unpublished,
}

impl ArticleStatus {
    pub const ALL: [ArticleStatus; 6] = [
        Self::Draft,
        Self::Review,
        Self::Returned,
        Self::Scheduled,
        Self::Published,
        Self::Unpublished,
    ];

    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Review => "review",
            Self::Returned => "returned",
            Self::Published => "published",
            Self::Scheduled => "scheduled",
            Self::Unpublished => "unpublished",
        }
    }

    pub fn parse(stored: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == stored)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Nháp",
            Self::Review => "Chờ duyệt",
            Self::Returned => "Trả lại",
            Self::Published => "Đã xuất bản",
            Self::Scheduled => "Đã lên lịch",
            Self::Unpublished => "Đã gỡ",
        }
    }
}

/// A step of the workflow someone asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Transition {
    /// Gửi duyệt: draft or returned → review.
    Submit,
    /// Trả lại: review → returned (a comment is required).
    Return,
    /// Xuất bản: review, draft, scheduled or unpublished → published, now.
    Publish,
    /// Gỡ: published → unpublished.
    Unpublish,
    /// Hủy lịch: scheduled → review (back in the editors' queue).
    Unschedule,
}

impl Transition {
    pub const ALL: [Transition; 5] = [
        Self::Submit,
        Self::Return,
        Self::Publish,
        Self::Unpublish,
        Self::Unschedule,
    ];

    /// The status this step leads to from `from`, if it may be taken at
    /// all, whoever asks.
    pub fn target(self, from: ArticleStatus) -> Option<ArticleStatus> {
        use ArticleStatus::*;
        match (self, from) {
            (Self::Submit, Draft | Returned) => Some(Review),
            (Self::Return, Review) => Some(Returned),
            (Self::Publish, Review | Draft | Unpublished | Scheduled) => Some(Published),
            (Self::Unpublish, Published) => Some(Unpublished),
            (Self::Unschedule, Scheduled) => Some(Review),
            _ => None,
        }
    }

    /// The least role that may take this step. Authors submit their own
    /// articles; reviewing and publishing is an editor's.
    pub fn required_role(self) -> Role {
        match self {
            Self::Submit => Role::Author,
            Self::Return | Self::Publish | Self::Unpublish | Self::Unschedule => Role::Editor,
        }
    }

    /// The revision note kept for this step.
    pub fn note(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Return => "return",
            Self::Publish => "publish",
            Self::Unpublish => "unpublish",
            Self::Unschedule => "unschedule",
        }
    }
}

/// The statuses from which an editor may schedule a publication: those
/// [`Transition::Publish`] leaves from (a scheduled article is rescheduled).
pub fn may_schedule_from(status: ArticleStatus) -> bool {
    Transition::Publish.target(status).is_some()
}

/// One recorded step of an article's workflow: who, when, from, to, why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TransitionRecord {
    pub from: ArticleStatus,
    pub to: ArticleStatus,
    pub by: Option<String>,
    pub comment: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::{ArticleStatus, Transition};
    use ArticleStatus::*;

    #[test]
    fn statuses_round_trip() {
        for status in ArticleStatus::ALL {
            assert_eq!(ArticleStatus::parse(status.as_str()), Some(status));
        }
    }

    #[test]
    fn the_workflow_allows_exactly_its_steps() {
        let allowed: Vec<(Transition, ArticleStatus, ArticleStatus)> = Transition::ALL
            .into_iter()
            .flat_map(|t| ArticleStatus::ALL.into_iter().map(move |from| (t, from)))
            .filter_map(|(t, from)| t.target(from).map(|to| (t, from, to)))
            .collect();
        assert_eq!(
            allowed,
            vec![
                (Transition::Submit, Draft, Review),
                (Transition::Submit, Returned, Review),
                (Transition::Return, Review, Returned),
                (Transition::Publish, Draft, Published),
                (Transition::Publish, Review, Published),
                (Transition::Publish, Scheduled, Published),
                (Transition::Publish, Unpublished, Published),
                (Transition::Unpublish, Published, Unpublished),
                (Transition::Unschedule, Scheduled, Review),
            ]
        );
    }
}

/// What the editor sends when saving. Fields left out of a request take
/// their defaults.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ArticleDraft {
    pub title: String,
    /// The lead (sapo), plain text.
    pub excerpt: String,
    /// HTML from the editor; the server keeps only what its allow-list allows.
    pub body_html: String,
    /// The byline.
    pub author: String,
    pub category_id: i32,
    /// The address asked for; empty derives it from the title.
    pub slug: String,
    /// For search engines (`<meta name="description">`); the lead when empty.
    pub seo_description: String,
    pub tags: Vec<String>,
    /// Leads the home page ("tin nổi bật").
    pub featured: bool,
    /// Shown in the header's latest headlines.
    pub in_headlines: bool,
    /// The cover picture (a portal address such as `/demo/x.svg`) and its
    /// text alternative, required with it (Circular 32/2017).
    pub cover_image: String,
    pub cover_alt: String,
}

impl Default for ArticleDraft {
    fn default() -> Self {
        Self {
            title: String::new(),
            excerpt: String::new(),
            body_html: String::new(),
            author: String::new(),
            category_id: 0,
            slug: String::new(),
            seo_description: String::new(),
            tags: Vec::new(),
            featured: false,
            in_headlines: true,
            cover_image: String::new(),
            cover_alt: String::new(),
        }
    }
}

/// A moment chosen in the editors' app, sent as RFC 3339 text
/// (`"2026-12-02T08:00:00+07:00"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moment(#[serde(with = "time::serde::rfc3339")] pub OffsetDateTime);

/// What a save or a workflow step left: the version the next save is based on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedVersion {
    pub id: i32,
    pub version: i64,
    pub slug: String,
    pub status: ArticleStatus,
}

/// An article as the editors' app edits it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditorArticle {
    pub id: i32,
    pub version: i64,
    pub status: ArticleStatus,
    pub slug: String,
    pub draft: ArticleDraft,
    /// Who created it (`None` for seeded articles).
    pub created_by: Option<i32>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub published_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// When a scheduled article goes public by itself.
    #[serde(with = "time::serde::rfc3339::option")]
    pub publish_at: Option<OffsetDateTime>,
    /// When a published (or scheduled) article is taken down by itself.
    #[serde(with = "time::serde::rfc3339::option")]
    pub unpublish_at: Option<OffsetDateTime>,
    /// The workflow's recorded steps, oldest first.
    pub history: Vec<TransitionRecord>,
}

/// A line of the editors' article list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditorArticleSummary {
    pub id: i32,
    pub title: String,
    pub status: ArticleStatus,
    pub category: String,
    pub author: String,
    pub created_by: Option<i32>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// When a scheduled article goes public, and when a public one is taken down.
    #[serde(with = "time::serde::rfc3339::option")]
    pub publish_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub unpublish_at: Option<OffsetDateTime>,
}

/// Which articles the editors' list shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleFilter {
    pub status: Option<ArticleStatus>,
    pub category_id: Option<i32>,
    /// Only the articles this account created.
    pub created_by: Option<i32>,
    /// Words to find in titles and bodies (insensitive to case and diacritics).
    pub query: String,
}

/// A kept revision, without its text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RevisionSummary {
    pub id: i32,
    pub version: i64,
    pub note: String,
    pub saved_by: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}
