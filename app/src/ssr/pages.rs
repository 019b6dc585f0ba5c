//! The fixed pages (`/gioi-thieu`, `/en`), for server functions (the role
//! is checked before [`Pages::save`] is called).

use async_trait::async_trait;

use super::StoreError;
use crate::model::accounts::CurrentUser;
use crate::model::pages::{Page, PageInput};

#[async_trait]
pub trait Pages: Send + Sync + 'static {
    /// A fixed page by its slug, or `None`.
    async fn by_slug(&self, slug: &str) -> Result<Option<Page>, StoreError>;

    /// Every fixed page, in the editors' order.
    async fn all(&self) -> Result<Vec<Page>, StoreError>;

    /// Checks and stores a new title and body (sanitised), then every
    /// server shows it at once. [`StoreError::Invalid`] names each field to
    /// fix (`title`, `body_html`, or `version` when someone saved since the
    /// edit began); nothing is stored then.
    async fn save(&self, by: &CurrentUser, input: PageInput) -> Result<Page, StoreError>;
}
