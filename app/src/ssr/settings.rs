//! Site settings.

use async_trait::async_trait;

use super::StoreError;
use crate::site::SiteIdentity;

#[async_trait]
pub trait SiteSettings: Send + Sync + 'static {
    /// The office's identity for the banner, header and footer.
    async fn site_identity(&self) -> Result<SiteIdentity, StoreError>;
}
