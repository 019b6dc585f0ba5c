//! The visitor counter: its numbers. Page loads are counted by the server
//! when it renders them; the browser reports only pages it had prerendered
//! or prefetched, once they are shown (`components::reading::HEAD_SCRIPT`).

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{ArticleSummary, VisitorStats};

/// `POST` the path of a page that was prerendered or prefetched, once shown.
pub const BEACON_PATH: &str = "/api/luot-truy-cap";
/// Server-sent events with the live numbers (event `stats`) and the newest
/// published articles (event [`FRESH_EVENT`]).
pub const STREAM_PATH: &str = "/api/luot-truy-cap/truc-tiep";
/// The live stream's event carrying the newest articles, a JSON array of
/// [`crate::model::FreshArticle`].
pub const FRESH_EVENT: &str = "tin-moi";

#[server]
pub async fn load_visitor_stats() -> Result<VisitorStats, AppError> {
    Ok(crate::ssr::app_state()?.stats.visitor_stats().await?)
}

/// "Tin đọc nhiều": the most viewed articles of the last 30 days.
#[server]
pub async fn most_read_articles() -> Result<Vec<ArticleSummary>, AppError> {
    Ok(crate::ssr::app_state()?.articles.most_read(30, 5).await?)
}
