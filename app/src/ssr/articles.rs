//! Reading published articles.

use async_trait::async_trait;

use super::StoreError;
use crate::model::{Article, ArticleSummary, Category, Paged};

/// What readers see: published articles whose publish time has come.
#[async_trait]
pub trait ArticleReader: Send + Sync + 'static {
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

    /// The newest published article an editor marked as featured, if any.
    async fn featured_article(&self) -> Result<Option<ArticleSummary>, StoreError>;

    /// Every category that has published articles, in menu order, with its
    /// `per_category` newest (the home page's blocks).
    async fn category_heads(
        &self,
        per_category: u64,
    ) -> Result<Vec<(Category, Vec<ArticleSummary>)>, StoreError>;

    /// The newest published articles marked for the header's headlines.
    async fn headlines(&self, limit: u64) -> Result<Vec<ArticleSummary>, StoreError>;

    /// The most viewed published articles of the last `days` days (Vietnam
    /// days, from the visitor counter's per-article views).
    async fn most_read(&self, days: u32, limit: u64) -> Result<Vec<ArticleSummary>, StoreError>;
}
