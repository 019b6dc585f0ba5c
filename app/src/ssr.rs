//! Server-only glue: the state every request handler and server function
//! shares, and the storage interfaces the server crate implements.

use std::sync::Arc;

use async_trait::async_trait;
use axum::extract::FromRef;
use leptos::prelude::*;

use crate::model::{Article, ArticleSummary, Category, Paged, SearchHit, VisitorStats};

/// A storage failure. The detail goes to the log; readers get a polite message.
#[derive(Debug, thiserror::Error)]
#[error("storage error: {0}")]
pub struct StoreError(pub String);

/// Reading published content.
#[async_trait]
pub trait ContentStore: Send + Sync + 'static {
    /// Published articles, newest first. `page` is 1-based.
    async fn latest_articles(
        &self,
        page: u64,
        per_page: u64,
    ) -> Result<Paged<ArticleSummary>, StoreError>;

    /// A published article by its slug, or `None`.
    async fn article_by_slug(&self, slug: &str) -> Result<Option<Article>, StoreError>;

    /// Every category, in menu order.
    async fn categories(&self) -> Result<Vec<Category>, StoreError>;

    async fn category_by_slug(&self, slug: &str) -> Result<Option<Category>, StoreError>;

    /// A category's published articles, newest first. `page` is 1-based.
    async fn category_articles(
        &self,
        slug: &str,
        page: u64,
        per_page: u64,
    ) -> Result<Paged<ArticleSummary>, StoreError>;

    /// Other published articles of the same category, newest first.
    async fn related_articles(
        &self,
        slug: &str,
        limit: u64,
    ) -> Result<Vec<ArticleSummary>, StoreError>;

    /// Published articles matching every word of `query`, best first,
    /// ignoring case and diacritics. A query without words finds nothing.
    async fn search(
        &self,
        query: &str,
        page: u64,
        per_page: u64,
    ) -> Result<Paged<SearchHit>, StoreError>;

    /// The office's identity for the banner, header and footer.
    async fn site_identity(&self) -> Result<crate::site::SiteIdentity, StoreError>;

    /// The most viewed published articles of the last `days` days.
    async fn most_read(&self, days: u32, limit: u64) -> Result<Vec<ArticleSummary>, StoreError>;
}

/// The visitor counter's numbers.
#[async_trait]
pub trait StatsSource: Send + Sync + 'static {
    async fn visitor_stats(&self) -> Result<VisitorStats, StoreError>;
}

/// Everything a request needs, handed to server functions as context by
/// `leptos_routes_with_context`.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub content: Arc<dyn ContentStore>,
    pub stats: Arc<dyn StatsSource>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The application state inside a server function or a server render.
pub fn app_state() -> Result<AppState, ServerFnError> {
    use_context::<AppState>()
        .ok_or_else(|| ServerFnError::ServerError("application state is missing".into()))
}

/// Logs a storage failure and turns it into the message a reader sees.
pub fn public_error(err: StoreError) -> ServerFnError {
    tracing::error!(%err, "storage request failed");
    ServerFnError::ServerError("Hệ thống đang bận, xin vui lòng thử lại sau ít phút.".into())
}

/// Marks the response being rendered as "404 Not Found".
pub fn set_not_found() {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
}
