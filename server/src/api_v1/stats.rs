//! `/api/v1/stats`: the visitor counter's figures ("Lượt truy cập").

use axum::extract::State;
use axum::http::HeaderMap;
use serde::Serialize;
use utoipa::ToSchema;

use super::{Answer, ApiState, ErrorBody, json};

/// The visitor counter, as the portal's footer shows it. A visit counts
/// each visitor once per Vietnam day.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitorStats {
    /// Distinct visitors of the last five minutes.
    pub online: u64,
    /// Visits today (Vietnam time).
    pub today: u64,
    pub yesterday: u64,
    /// Visits this week (from Monday).
    pub this_week: u64,
    /// Visits this calendar month.
    pub this_month: u64,
    /// Every visit ever, including those carried over from the old portal.
    pub total: u64,
}

/// The visitor counter's figures.
#[utoipa::path(
    get,
    path = "/api/v1/stats",
    operation_id = "get_stats",
    tag = "statistics",
    responses(
        (status = 200, description = "The counter's figures.", body = VisitorStats,
            headers(
                ("ETag" = String, description = "Weak validator of the body."),
                ("Cache-Control" = String, description = "`public, max-age=60`."),
            )),
        (status = 304, description = "Not modified: `If-None-Match` matched the current `ETag`."),
        (status = 503, description = "The database is unavailable.", body = ErrorBody),
    )
)]
pub async fn stats(State(api): State<ApiState>, headers: HeaderMap) -> Answer {
    let stats = api.stats.visitor_stats().await?;
    json(
        &headers,
        &VisitorStats {
            online: stats.online,
            today: stats.today,
            yesterday: stats.yesterday,
            this_week: stats.this_week,
            this_month: stats.this_month,
            total: stats.total,
        },
    )
}
