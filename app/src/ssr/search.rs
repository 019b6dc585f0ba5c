//! Full-text search over published articles.

use async_trait::async_trait;

use super::StoreError;
use crate::model::{Paged, SearchHit};

#[async_trait]
pub trait ArticleSearch: Send + Sync + 'static {
    /// Published articles matching every word of `query`, best first,
    /// ignoring case and diacritics (NFC and NFD alike). A query without
    /// words finds nothing; `page` is 1-based.
    async fn search(
        &self,
        query: &str,
        page: u64,
        per_page: u64,
    ) -> Result<Paged<SearchHit>, StoreError>;
}
