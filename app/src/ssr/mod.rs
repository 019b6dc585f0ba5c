//! Server-only glue: the state every request handler and server function
//! shares, and the storage interfaces the server crate implements, one
//! module per domain and direction.

pub mod accounts;
pub mod articles;
pub mod counter;
pub mod documents;
pub mod editorial;
pub mod media;
pub mod pages;
pub mod questions;
pub mod search;
pub mod settings;

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::*;

use crate::error::{AppError, FieldError};

pub use accounts::{
    Accounts, SessionsUnavailable, SignedIn, current_user, require_role, signed_in,
};
pub use articles::ArticleReader;
pub use counter::StatsSource;
pub use documents::DocumentLibrary;
pub use editorial::Editorial;
pub use media::MediaLibrary;
pub use pages::Pages;
pub use questions::QuestionDesk;
pub use search::ArticleSearch;
pub use settings::SiteSettings;

/// What a store can fail with. Server functions turn it into an
/// [`AppError`] with `?`; the detail of a storage failure is logged there.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("version conflict: the save expected {expected}, the stored version is {current}")]
    Conflict { expected: i64, current: i64 },
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("storage error: {0}")]
    Storage(String),
}

impl StoreError {
    /// A storage failure, from any error that can be displayed.
    pub fn storage(err: impl std::fmt::Display) -> Self {
        Self::Storage(err.to_string())
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Forbidden => AppError::Forbidden,
            StoreError::Conflict { expected, current } => AppError::Conflict { expected, current },
            StoreError::Invalid(fields) => AppError::Invalid { fields },
            StoreError::Storage(detail) => {
                tracing::error!(%detail, "storage request failed");
                AppError::Unavailable
            }
        }
    }
}

/// Everything a request needs, handed to server functions as context by
/// `leptos_routes_with_context`. One `Arc`: axum and every middleware layer
/// clone the state with the service stack on each request, so a clone must
/// cost a reference count, not a copy of the options' strings (issue 9's
/// profile of the cached article page).
#[derive(Clone)]
pub struct AppState(Arc<AppParts>);

/// What [`AppState`] holds (reached through `Deref`).
pub struct AppParts {
    pub leptos_options: LeptosOptions,
    pub articles: Arc<dyn ArticleReader>,
    pub search: Arc<dyn ArticleSearch>,
    pub settings: Arc<dyn SiteSettings>,
    pub stats: Arc<dyn StatsSource>,
    pub editorial: Arc<dyn Editorial>,
    pub accounts: Arc<dyn Accounts>,
    pub media: Arc<dyn MediaLibrary>,
    pub documents: Arc<dyn DocumentLibrary>,
    pub questions: Arc<dyn QuestionDesk>,
    pub pages: Arc<dyn Pages>,
    /// The address readers use (`CCHC_PUBLIC_URL`, no trailing slash), for
    /// absolute canonical links.
    pub public_url: String,
}

impl AppState {
    pub fn new(parts: AppParts) -> Self {
        Self(Arc::new(parts))
    }
}

impl std::ops::Deref for AppState {
    type Target = AppParts;

    fn deref(&self) -> &AppParts {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The application state inside a server function or a server render.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("the application state is missing from the context");
        AppError::Unavailable
    })
}

/// A server function's result, with the HTTP status of its error set on
/// the response (401, 403, 404, 409, 422, 429, 503: [`AppError::status`]).
pub fn answer<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result
        && let Ok(status) = http::StatusCode::from_u16(err.status())
    {
        set_status(status);
    }
    result
}

/// Marks the response being rendered as "404 Not Found".
pub fn set_not_found() {
    set_status(http::StatusCode::NOT_FOUND);
}

/// How long a client should wait before it asks again after a 503 (the
/// database is unreachable or busy): `Retry-After`, in seconds.
pub const RETRY_AFTER_SECS: u64 = 30;

/// Sets the status of the response being rendered (a page or a server
/// function's answer). A 503 also tells the client when to try again.
pub fn set_status(status: http::StatusCode) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
        if status == http::StatusCode::SERVICE_UNAVAILABLE {
            response.insert_header(
                http::header::RETRY_AFTER,
                http::HeaderValue::from(RETRY_AFTER_SECS),
            );
        }
    }
}
