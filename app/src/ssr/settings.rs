//! Site settings.

use async_trait::async_trait;

use super::StoreError;
use crate::model::accounts::CurrentUser;
use crate::site::SiteIdentity;

#[async_trait]
pub trait SiteSettings: Send + Sync + 'static {
    /// The office's identity for the banner, header and footer.
    async fn site_identity(&self) -> Result<SiteIdentity, StoreError>;

    /// Checks and stores a new identity (admins; the server function checks
    /// the role), then every public page shows it at once, on every server.
    /// [`StoreError::Invalid`] names each field to fix; nothing is stored then.
    async fn save_identity(
        &self,
        by: &CurrentUser,
        identity: SiteIdentity,
    ) -> Result<SiteIdentity, StoreError>;

    /// Orders the main menu's categories as `ids` lists them (every
    /// category exactly once).
    async fn reorder_menu(&self, by: &CurrentUser, ids: Vec<i32>) -> Result<(), StoreError>;
}
