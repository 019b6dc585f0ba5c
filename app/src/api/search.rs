//! Full-text search.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{Paged, SearchHit};

/// Searches count matches up to this many; a total above it means "more than".
pub const SEARCH_COUNT_CAP: u64 = 1000;

/// The longest query that is searched; anything past it is ignored.
pub const MAX_QUERY_CHARS: usize = 200;

/// Published articles matching every word of `q`, insensitive to case and
/// Vietnamese diacritics. Empty or wordless queries find nothing.
#[server]
pub async fn search_articles(q: String, page: u64) -> Result<Paged<SearchHit>, AppError> {
    let query: String = q.chars().take(MAX_QUERY_CHARS).collect();
    Ok(crate::ssr::app_state()?
        .search
        .search(
            &query,
            crate::model::clamp_page(page),
            crate::api::articles::FEED_PAGE_SIZE,
        )
        .await?)
}
