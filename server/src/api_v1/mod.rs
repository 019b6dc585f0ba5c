//! The open content API under `/api/v1`: what readers see on the portal,
//! as JSON for other sites and apps (issue 11, item 4).
//!
//! - Read only: `GET` and `HEAD` on every resource, `OPTIONS` for CORS
//!   preflights (answered by [`tower_http::cors`]); anything else is 405.
//! - Only public content: published articles whose publish time has come
//!   (the readers' filter, [`crate::articles::read::visible`]), categories,
//!   published documents (through [`DocumentLibrary`], which filters them),
//!   published answers to citizens' questions (without who asked), and
//!   the visitor counter's figures. No account, draft, schedule, author
//!   account or editor's note is ever read here.
//! - Stable English snake_case field names, RFC 3339 times in Vietnam time
//!   (`+07:00`), absolute URLs built from `CCHC_PUBLIC_URL`.
//! - Cache validators: a weak `ETag` of the body, `304 Not Modified` for a
//!   matching `If-None-Match`, `Cache-Control: public, max-age=60`.
//! - Errors as `{"error": "<Vietnamese message>"}`: 400 for a malformed
//!   parameter, 404 for an unknown slug or address, 503 when storage fails.
//! - The OpenAPI 3.1 document, generated from these handlers by `utoipa`,
//!   is served at `/api/v1/openapi.json` ([`openapi`]).
//!
//! The page cache and the visitor counter work from allow-lists of page
//! paths, so API calls are neither cached there nor counted.

pub mod articles;
pub mod documents;
pub mod openapi;
pub mod questions;
pub mod stats;

use std::sync::Arc;
use std::time::Duration;

use app::ssr::{AppState, ArticleReader, DocumentLibrary, QuestionDesk, StatsSource, StoreError};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use sea_orm::DatabaseConnection;
use serde::Serialize;
use time::OffsetDateTime;
use tower_http::cors::{Any, CorsLayer};
use utoipa::ToSchema;

/// Where the API lives.
pub const PREFIX: &str = "/api/v1";
/// Where its OpenAPI document is served.
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";
/// The most items one page of a list may hold.
pub const MAX_PER_PAGE: u64 = 100;
/// Items per page when `per_page` is not given.
pub const DEFAULT_PER_PAGE: u64 = 20;
/// The highest page number accepted.
pub const MAX_PAGE: u64 = app::model::MAX_PAGE;
/// How long clients and proxies may reuse a response without asking again.
const CACHE_CONTROL: &str = "public, max-age=60";

/// What the API's handlers read. Built once by [`crate::build_with_clock`].
#[derive(Clone)]
pub struct ApiState {
    db: DatabaseConnection,
    /// `CCHC_PUBLIC_URL`, no trailing slash.
    public_url: String,
    articles: Arc<dyn ArticleReader>,
    documents: Arc<dyn DocumentLibrary>,
    questions: Arc<dyn QuestionDesk>,
    stats: Arc<dyn StatsSource>,
    /// The OpenAPI document, serialised once.
    openapi: Bytes,
}

impl ApiState {
    /// The API over the portal's stores (`state`) and its database.
    pub fn new(db: DatabaseConnection, state: &AppState) -> Self {
        let public_url = state.public_url.trim_end_matches('/').to_owned();
        Self {
            db,
            openapi: openapi::document_json(&public_url).into(),
            public_url,
            articles: state.articles.clone(),
            documents: state.documents.clone(),
            questions: state.questions.clone(),
            stats: state.stats.clone(),
        }
    }

    /// The absolute address of a path on the portal (`/tin-tuc/x` →
    /// `https://…/tin-tuc/x`); addresses that are already absolute, or
    /// protocol-relative, are returned as they are.
    fn absolute(&self, path: &str) -> String {
        absolute(&self.public_url, path)
    }
}

/// `path` on `base` when it is a root-relative path, else `path` itself.
fn absolute(base: &str, path: &str) -> String {
    if path.starts_with('/') && !path.starts_with("//") {
        format!("{base}{path}")
    } else {
        path.to_owned()
    }
}

/// A moment as the API writes it: RFC 3339, Vietnam time (`+07:00`).
fn rfc3339(at: OffsetDateTime) -> String {
    app::vn_time::iso_datetime(at)
}

/// The API's routes, with CORS for reads; merged into [`crate::router`].
pub fn routes<S: Clone + Send + Sync + 'static>(state: ApiState) -> Router<S> {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD, Method::OPTIONS])
        .allow_headers([header::IF_NONE_MATCH])
        .expose_headers([header::ETAG])
        .max_age(Duration::from_secs(24 * 60 * 60));
    Router::new()
        .route(
            "/api/v1/articles",
            get(articles::list).fallback(method_not_allowed),
        )
        .route(
            "/api/v1/articles/{slug}",
            get(articles::detail).fallback(method_not_allowed),
        )
        .route(
            "/api/v1/categories",
            get(articles::categories).fallback(method_not_allowed),
        )
        .route(
            "/api/v1/documents",
            get(documents::list).fallback(method_not_allowed),
        )
        .route(
            "/api/v1/documents/{slug}",
            get(documents::detail).fallback(method_not_allowed),
        )
        .route(
            "/api/v1/questions",
            get(questions::list).fallback(method_not_allowed),
        )
        .route(
            "/api/v1/stats",
            get(stats::stats).fallback(method_not_allowed),
        )
        .route(
            OPENAPI_PATH,
            get(openapi::serve).fallback(method_not_allowed),
        )
        .route("/api/v1", any(unknown_address))
        .route("/api/v1/", any(unknown_address))
        .route("/api/v1/{*rest}", any(unknown_address))
        .layer(cors)
        .with_state(state)
}

/// The body of every error: a message for people, in Vietnamese.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    /// What went wrong and what to do, in Vietnamese.
    #[schema(example = "Không tìm thấy bài viết này.")]
    pub error: String,
}

/// An error answer: its status and message.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    /// The status it is answered with.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// What the client is told.
    pub fn message(&self) -> &str {
        &self.message
    }

    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// A storage failure: logged, and answered 503 without its detail.
    fn storage(err: impl std::fmt::Display) -> Self {
        tracing::error!(%err, "an API request could not read the store");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Hệ thống đang bận, xin vui lòng thử lại sau ít phút.",
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        Self::storage(err)
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::storage(err)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&ErrorBody {
            error: self.message,
        })
        .unwrap_or_default();
        (
            self.status,
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "no-cache"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            body,
        )
            .into_response()
    }
}

/// A handler's result.
type Answer = Result<Response, ApiError>;

/// `value` as JSON with its validators: 200 with a weak `ETag`, or 304
/// without a body when the client's `If-None-Match` matches.
fn json<T: Serialize>(request: &HeaderMap, value: &T) -> Answer {
    let body = serde_json::to_vec(value).map_err(ApiError::storage)?;
    Ok(cached(request, "application/json", body.into()))
}

/// A body with the API's validators (see [`json`]).
fn cached(request: &HeaderMap, content_type: &'static str, body: Bytes) -> Response {
    let etag = crate::page_cache::etag_of(&body);
    let mut response = if crate::page_cache::matches_etag(request, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = Response::new(Body::from(body));
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        response
    };
    let headers = response.headers_mut();
    headers.insert(header::ETAG, etag);
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_CONTROL),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// 405 for anything but a read.
async fn method_not_allowed() -> Response {
    let mut response = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "API này chỉ cho phép đọc dữ liệu (GET, HEAD, OPTIONS).",
    )
    .into_response();
    response.headers_mut().insert(
        header::ALLOW,
        HeaderValue::from_static("GET, HEAD, OPTIONS"),
    );
    response
}

/// 404 for an address under `/api/v1` that is not a resource.
async fn unknown_address() -> ApiError {
    ApiError::not_found(format!(
        "Không có địa chỉ này trong API. Danh sách địa chỉ và tham số có tại {OPENAPI_PATH}."
    ))
}

/// A page of a list as asked for: 1-based `page` (at most [`MAX_PAGE`]),
/// `per_page` items (at most [`MAX_PER_PAGE`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    pub page: u64,
    pub per_page: u64,
}

impl Paging {
    /// From the `page` and `per_page` query parameters as sent (missing or
    /// empty: the defaults; spaces around a number are ignored).
    ///
    /// # Errors
    /// A 400 [`ApiError`] naming the parameter and its range when a value is
    /// not a whole number within it.
    pub fn parse(page: Option<&str>, per_page: Option<&str>) -> Result<Self, ApiError> {
        let number = |raw: Option<&str>, default: u64, max: u64, name: &str| match raw
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            None => Ok(default),
            Some(value) => value
                .parse::<u64>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "Tham số {name} phải là số nguyên từ 1 đến {}.",
                        app::model::format_count(max)
                    ))
                }),
        };
        Ok(Self {
            page: number(page, 1, MAX_PAGE, "page")?,
            per_page: number(per_page, DEFAULT_PER_PAGE, MAX_PER_PAGE, "per_page")?,
        })
    }

    /// How many items come before this page.
    pub fn offset(self) -> u64 {
        (self.page - 1).saturating_mul(self.per_page)
    }
}

/// How many pages `total` items fill (at least one).
fn page_count(total: u64, per_page: u64) -> u64 {
    total.div_ceil(per_page.max(1)).max(1)
}

/// A query string the extractor could not read (bad percent-encoding, a
/// parameter given twice).
fn bad_query(rejection: axum::extract::rejection::QueryRejection) -> ApiError {
    tracing::debug!(%rejection, "an API query string was refused");
    ApiError::bad_request(
        "Tham số truy vấn không hợp lệ (mỗi tham số chỉ được ghi một lần, mã hóa URL đúng chuẩn).",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_has_defaults_and_bounds() {
        assert_eq!(
            Paging::parse(None, None).unwrap(),
            Paging {
                page: 1,
                per_page: 20
            }
        );
        assert_eq!(
            Paging::parse(Some(" 3 "), Some("")).unwrap(),
            Paging {
                page: 3,
                per_page: 20
            }
        );
        assert_eq!(Paging::parse(Some("2"), Some("100")).unwrap().offset(), 100);
        for (page, per_page) in [
            (Some("0"), None),
            (Some("-1"), None),
            (Some("abc"), None),
            (Some("1000001"), None),
            (None, Some("0")),
            (None, Some("101")),
            (None, Some("1.5")),
        ] {
            let err = Paging::parse(page, per_page).unwrap_err();
            assert_eq!(err.status, StatusCode::BAD_REQUEST, "{page:?} {per_page:?}");
        }
        assert!(
            Paging::parse(None, Some("500"))
                .unwrap_err()
                .message
                .contains("từ 1 đến 100")
        );
    }

    #[test]
    fn addresses_become_absolute_once() {
        assert_eq!(absolute("https://a.vn", "/x"), "https://a.vn/x");
        assert_eq!(absolute("https://a.vn", "https://b.vn/x"), "https://b.vn/x");
        assert_eq!(absolute("https://a.vn", "//b.vn/x"), "//b.vn/x");
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(41, 20), 3);
    }

    #[test]
    fn validators_answer_304_without_a_body() {
        let body = Bytes::from_static(b"{\"a\":1}");
        let first = cached(&HeaderMap::new(), "application/json", body.clone());
        assert_eq!(first.status(), StatusCode::OK);
        let etag = first.headers()[header::ETAG].clone();
        assert!(etag.to_str().unwrap().starts_with("W/\""));
        let mut request = HeaderMap::new();
        request.insert(header::IF_NONE_MATCH, etag.clone());
        let second = cached(&request, "application/json", body);
        assert_eq!(second.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(second.headers()[header::ETAG], etag);
        assert!(second.headers().get(header::CONTENT_TYPE).is_none());
    }
}
