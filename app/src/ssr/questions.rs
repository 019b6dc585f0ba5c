//! Citizens' questions and article ratings, for server functions (the role
//! is checked before the editors' methods are called).

use async_trait::async_trait;

use super::StoreError;
use crate::model::Paged;
use crate::model::accounts::CurrentUser;
use crate::model::questions::{
    AnswerInput, EditorQuestion, PublicQuestion, QuestionStatus, QuestionTracking, RatingCounts,
};

#[async_trait]
pub trait QuestionDesk: Send + Sync + 'static {
    /// Published questions matching every word of `q` (question, answer or
    /// title, insensitive to diacritics) and `topic` (empty for all),
    /// newest answer first. `page` is 1-based.
    async fn published(
        &self,
        q: &str,
        topic: &str,
        page: u64,
        per_page: u64,
    ) -> Result<Paged<PublicQuestion>, StoreError>;

    /// The status of the question with this tracking code (any spelling
    /// [`crate::model::questions::normalize_code`] reads), or `None`.
    async fn track(&self, code: &str) -> Result<Option<QuestionTracking>, StoreError>;

    /// A token for the public form: the time it was shown, signed, so the
    /// server can tell a person from a script that posts at once.
    fn form_token(&self) -> String;

    /// Questions for editors, newest first, optionally of one status and
    /// matching `q` (code, name, contact or text); at most 500.
    async fn list_for_editors(
        &self,
        status: Option<QuestionStatus>,
        q: String,
    ) -> Result<Vec<EditorQuestion>, StoreError>;

    async fn get(&self, id: i32) -> Result<EditorQuestion, StoreError>;

    /// The people a question can be assigned to: `(id, display name)` of
    /// active editors and admins.
    async fn assignees(&self) -> Result<Vec<(i32, String)>, StoreError>;

    /// Assigns the question (or takes it back with `None`); a received
    /// question becomes "in progress".
    async fn assign(
        &self,
        by: &CurrentUser,
        id: i32,
        to: Option<i32>,
    ) -> Result<EditorQuestion, StoreError>;

    /// Saves the answer, status and publication. Publishing needs an
    /// answer, a title and the citizen's consent.
    async fn answer(
        &self,
        by: &CurrentUser,
        input: AnswerInput,
    ) -> Result<EditorQuestion, StoreError>;

    /// Removes a question (spam, or at the citizen's request).
    async fn delete(&self, by: &CurrentUser, id: i32) -> Result<(), StoreError>;

    /// How readers rated the article with this slug.
    async fn ratings(&self, slug: &str) -> Result<RatingCounts, StoreError>;
}
