//! The fixed pages (`/gioi-thieu`, `/en`): read by everyone, changed by
//! admins.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::model::accounts::Role;
use crate::model::pages::{Page, PageInput};

/// A fixed page by slug; `None` when there is no such page.
#[server]
pub async fn page_by_slug(slug: String) -> Result<Option<Page>, AppError> {
    if slug.len() > crate::api::articles::MAX_SLUG_LEN {
        return Ok(None);
    }
    Ok(crate::ssr::app_state()?.pages.by_slug(&slug).await?)
}

/// Every fixed page, for the admins' list.
#[server(prefix = "/api/quan-tri", endpoint = "trang", input = Json)]
pub async fn editor_pages() -> Result<Vec<Page>, AppError> {
    crate::ssr::answer(
        async move {
            crate::ssr::require_role(Role::Admin).await?;
            Ok(crate::ssr::app_state()?.pages.all().await?)
        }
        .await,
    )
}

/// Stores a fixed page's title and body (admins); readers see it at once.
#[server(prefix = "/api/quan-tri", endpoint = "luu-trang", input = Json)]
pub async fn save_page(input: PageInput) -> Result<Page, AppError> {
    crate::ssr::answer(
        async move {
            let admin = crate::ssr::require_role(Role::Admin).await?;
            Ok(crate::ssr::app_state()?.pages.save(&admin, input).await?)
        }
        .await,
    )
}
