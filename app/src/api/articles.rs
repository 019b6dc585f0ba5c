//! Reading articles.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{Article, ArticleSummary, Category, Paged};

/// How many articles a feed page shows.
pub const FEED_PAGE_SIZE: u64 = 10;

/// The longest slug that can name an article (slugs are short ASCII).
pub const MAX_SLUG_LEN: usize = 300;

/// The latest published articles, newest first. Pages past the end come back empty.
#[server]
pub async fn latest_articles(page: u64) -> Result<Paged<ArticleSummary>, AppError> {
    let state = crate::ssr::app_state()?;
    Ok(state
        .articles
        .latest_articles(crate::model::clamp_page(page), FEED_PAGE_SIZE)
        .await?)
}

/// A published article by slug; `None` when there is no such article.
#[server]
pub async fn article_by_slug(slug: String) -> Result<Option<Article>, AppError> {
    if slug.len() > MAX_SLUG_LEN {
        return Ok(None);
    }
    let state = crate::ssr::app_state()?;
    Ok(state.articles.article_by_slug(&slug).await?)
}

/// The address of the category a published article belongs to, for the
/// menu's `aria-current`; `None` when there is no such article.
#[server]
pub async fn article_section(slug: String) -> Result<Option<String>, AppError> {
    Ok(article_by_slug(slug)
        .await?
        .map(|article| article.category.path()))
}

/// The home page's lead: the newest featured article, if an editor marked one.
#[server]
pub async fn featured_article() -> Result<Option<ArticleSummary>, AppError> {
    Ok(crate::ssr::app_state()?.articles.featured_article().await?)
}

/// The header's latest headlines (articles marked for them), five at most.
#[server]
pub async fn headline_articles() -> Result<Vec<ArticleSummary>, AppError> {
    Ok(crate::ssr::app_state()?
        .articles
        .headlines(crate::components::reading::HEADLINE_COUNT)
        .await?)
}

/// The categories for the main menu.
#[server]
pub async fn list_categories() -> Result<Vec<Category>, AppError> {
    Ok(crate::ssr::app_state()?.articles.categories().await?)
}

/// A category and one page of its articles; `None` when there is no such category.
#[server]
pub async fn category_page(
    slug: String,
    page: u64,
) -> Result<Option<(Category, Paged<ArticleSummary>)>, AppError> {
    if slug.len() > MAX_SLUG_LEN {
        return Ok(None);
    }
    let articles = crate::ssr::app_state()?.articles.clone();
    let Some(category) = articles.category_by_slug(&slug).await? else {
        return Ok(None);
    };
    let page = articles
        .category_articles(&slug, crate::model::clamp_page(page), FEED_PAGE_SIZE)
        .await?;
    Ok(Some((category, page)))
}

/// Up to five other articles of the article's category, newest first.
#[server]
pub async fn related_articles(slug: String) -> Result<Vec<ArticleSummary>, AppError> {
    Ok(crate::ssr::app_state()?
        .articles
        .related_articles(&slug, 5)
        .await?)
}

/// The three latest articles of every category, for the home page's blocks.
#[server]
pub async fn category_blocks() -> Result<Vec<(Category, Vec<ArticleSummary>)>, AppError> {
    Ok(crate::ssr::app_state()?.articles.category_heads(3).await?)
}
