//! Reading articles.

use leptos::prelude::*;

use crate::model::{Article, ArticleSummary, Paged};

/// How many articles a feed page shows.
pub const FEED_PAGE_SIZE: u64 = 10;

/// The latest published articles, newest first. Pages past the end come back empty.
#[server]
pub async fn latest_articles(page: u64) -> Result<Paged<ArticleSummary>, ServerFnError> {
    use crate::ssr::{app_state, public_error};
    let state = app_state()?;
    state
        .content
        .latest_articles(page.max(1), FEED_PAGE_SIZE)
        .await
        .map_err(public_error)
}

/// A published article by slug; `None` when there is no such article.
#[server]
pub async fn article_by_slug(slug: String) -> Result<Option<Article>, ServerFnError> {
    use crate::ssr::{app_state, public_error};
    // Slugs are short ASCII; anything else cannot name an article.
    if slug.len() > 300 {
        return Ok(None);
    }
    let state = app_state()?;
    state
        .content
        .article_by_slug(&slug)
        .await
        .map_err(public_error)
}
