//! The media library, for server functions (the role is checked before).

use async_trait::async_trait;

use super::StoreError;
use crate::model::accounts::CurrentUser;
use crate::model::media::MediaItem;

#[async_trait]
pub trait MediaLibrary: Send + Sync + 'static {
    /// Photos whose file name, text alternative or caption contains every
    /// word of `query` (insensitive to case and diacritics), newest first.
    async fn list(&self, query: String) -> Result<Vec<MediaItem>, StoreError>;

    /// Sets the text alternative and caption.
    async fn describe(
        &self,
        by: &CurrentUser,
        id: i32,
        alt: String,
        caption: String,
    ) -> Result<MediaItem, StoreError>;

    /// Deletes the photo and its files; [`StoreError::Invalid`] naming the
    /// articles that still show it.
    async fn delete(&self, by: &CurrentUser, id: i32) -> Result<(), StoreError>;
}
