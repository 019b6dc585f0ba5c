//! Reading articles.

use leptos::prelude::*;

use crate::model::{Article, ArticleSummary, Category, Paged};

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

/// The address of the category a published article belongs to, for the
/// menu's `aria-current`; `None` when there is no such article.
#[server]
pub async fn article_section(slug: String) -> Result<Option<String>, ServerFnError> {
    Ok(article_by_slug(slug)
        .await?
        .map(|article| article.category.path()))
}

/// The categories for the main menu.
#[server]
pub async fn list_categories() -> Result<Vec<Category>, ServerFnError> {
    use crate::ssr::{app_state, public_error};
    app_state()?
        .content
        .categories()
        .await
        .map_err(public_error)
}

/// A category and one page of its articles; `None` when there is no such category.
#[server]
pub async fn category_page(
    slug: String,
    page: u64,
) -> Result<Option<(Category, Paged<ArticleSummary>)>, ServerFnError> {
    use crate::ssr::{app_state, public_error};
    if slug.len() > 200 {
        return Ok(None);
    }
    let content = app_state()?.content;
    let Some(category) = content
        .category_by_slug(&slug)
        .await
        .map_err(public_error)?
    else {
        return Ok(None);
    };
    let articles = content
        .category_articles(&slug, page.max(1), FEED_PAGE_SIZE)
        .await
        .map_err(public_error)?;
    Ok(Some((category, articles)))
}

/// Up to five other articles of the article's category, newest first.
#[server]
pub async fn related_articles(slug: String) -> Result<Vec<ArticleSummary>, ServerFnError> {
    use crate::ssr::{app_state, public_error};
    app_state()?
        .content
        .related_articles(&slug, 5)
        .await
        .map_err(public_error)
}

/// The three latest articles of every category, for the home page's blocks.
#[server]
pub async fn category_blocks() -> Result<Vec<(Category, Vec<ArticleSummary>)>, ServerFnError> {
    use crate::ssr::{app_state, public_error};
    let content = app_state()?.content;
    let mut blocks = Vec::new();
    for category in content.categories().await.map_err(public_error)? {
        let page = content
            .category_articles(&category.slug, 1, 3)
            .await
            .map_err(public_error)?;
        if !page.items.is_empty() {
            blocks.push((category, page.items));
        }
    }
    Ok(blocks)
}
