//! The editors' side of articles: drafts, saves, workflow steps, revisions.

use async_trait::async_trait;

use super::StoreError;
use crate::model::accounts::CurrentUser;
use crate::model::editorial::{
    ArticleDraft, ArticleFilter, EditorArticle, EditorArticleSummary, RevisionSummary,
    SavedVersion, Transition,
};

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

    /// Brings a revision back as a new revision (saved over `base_version`).
    async fn restore(
        &self,
        user: &CurrentUser,
        id: i32,
        revision_id: i32,
        base_version: i64,
    ) -> Result<SavedVersion, StoreError>;
}
