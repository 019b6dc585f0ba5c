//! The editors' side of articles: drafts, saves, workflow steps, revisions.

use async_trait::async_trait;

use super::StoreError;
use crate::error::AppError;
use crate::model::Article;
use crate::model::accounts::{CurrentUser, Role};
use crate::model::editorial::{
    ArticleDraft, ArticleFilter, EditorArticle, EditorArticleSummary, RevisionSummary,
    SavedVersion, Transition,
};

/// How long an editor counts as editing after their last heartbeat, in seconds.
pub const EDITING_WINDOW_SECS: i64 = 90;

/// Every method checks what `user` may do (roles, own articles) and writes
/// nothing when refused.
#[async_trait]
pub trait Editorial: Send + Sync + 'static {
    async fn create_draft(
        &self,
        user: &CurrentUser,
        draft: ArticleDraft,
    ) -> Result<SavedVersion, StoreError>;

    /// Saves over `base_version`; [`StoreError::Conflict`] when someone
    /// saved in between. `autosave` coalesces the revisions of one sitting.
    async fn save(
        &self,
        user: &CurrentUser,
        id: i32,
        base_version: i64,
        draft: ArticleDraft,
        autosave: bool,
    ) -> Result<SavedVersion, StoreError>;

    async fn transition(
        &self,
        user: &CurrentUser,
        id: i32,
        step: Transition,
        comment: String,
    ) -> Result<SavedVersion, StoreError>;

    /// An article to edit or review: authors see their own, editors all.
    async fn article(&self, user: &CurrentUser, id: i32) -> Result<EditorArticle, StoreError>;

    /// The article as readers would see it if it were published now, for
    /// the preview (authors their own, editors all).
    async fn preview(&self, user: &CurrentUser, id: i32) -> Result<Article, StoreError>;

    /// Articles matching `filter`, newest change first; authors see only their own.
    async fn list(
        &self,
        user: &CurrentUser,
        filter: ArticleFilter,
    ) -> Result<Vec<EditorArticleSummary>, StoreError>;

    async fn revisions(
        &self,
        user: &CurrentUser,
        id: i32,
    ) -> Result<Vec<RevisionSummary>, StoreError>;

    /// One revision's content.
    async fn revision(
        &self,
        user: &CurrentUser,
        id: i32,
        revision_id: i32,
    ) -> Result<ArticleDraft, StoreError>;

    /// Marks `user` as editing article `id` now, and returns the names of
    /// the others seen editing it in the last [`EDITING_WINDOW_SECS`]
    /// seconds (the soft lock: "X đang sửa bài này").
    async fn editing(&self, user: &CurrentUser, id: i32) -> Result<Vec<String>, StoreError>;

    /// Deletes a draft that was never published, with its revisions
    /// (authors their own, editors any); a published article is unpublished,
    /// never deleted.
    async fn delete_draft(&self, user: &CurrentUser, id: i32) -> Result<(), StoreError>;

    /// Schedules the publication of article `id` at `at` (editors and
    /// admins): it becomes [`crate::model::editorial::ArticleStatus::Scheduled`]
    /// and goes public by itself at that moment. [`StoreError::Invalid`]
    /// when `at` is not in the future or the status does not allow it.
    async fn schedule(
        &self,
        user: &CurrentUser,
        id: i32,
        at: time::OffsetDateTime,
    ) -> Result<SavedVersion, StoreError>;

    /// Plans (`Some`) or cancels (`None`) taking a published or scheduled
    /// article down by itself at `at` (editors and admins).
    async fn schedule_unpublish(
        &self,
        user: &CurrentUser,
        id: i32,
        at: Option<time::OffsetDateTime>,
    ) -> Result<SavedVersion, StoreError>;

    /// Brings a revision back as a new revision (saved over `base_version`).
    async fn restore(
        &self,
        user: &CurrentUser,
        id: i32,
        revision_id: i32,
        base_version: i64,
    ) -> Result<SavedVersion, StoreError>;
}

/// How every editors' server function starts: the signed-in user, if an
/// author or above ([`AppError::Unauthenticated`] / [`AppError::Forbidden`]
/// otherwise), and the editorial store, which then checks what that user may
/// do with the article.
pub async fn signed_in_editor() -> Result<(CurrentUser, std::sync::Arc<dyn Editorial>), AppError> {
    let user = super::require_role(Role::Author).await?;
    Ok((user, super::app_state()?.editorial.clone()))
}
