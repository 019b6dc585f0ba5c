//! Serves the editors' app (built by Trunk into `CCHC_EDITOR_DIR`) at
//! `/quan-tri/`: its hashed files for a year, `immutable`; its `index.html`
//! for every app address (`/quan-tri/bai-viet/12`), never cached, and only
//! to signed-in users (others are sent to the login form, so the app works
//! from a bookmark without JavaScript knowing anything); a missing file is a
//! real 404.

use std::path::PathBuf;

use app::ssr::SignedIn;
use axum::Extension;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use tower::ServiceExt;
use tower_http::services::ServeFile;

/// Where the app answers.
pub const BASE: &str = "/quan-tri";

#[derive(Clone)]
struct Dir(PathBuf);

pub fn routes<S: Clone + Send + Sync + 'static>(dir: PathBuf) -> Router<S> {
    Router::new()
        .route(BASE, get(|| async { Redirect::permanent("/quan-tri/") }))
        .route("/quan-tri/", get(index))
        .route("/quan-tri/{*rest}", get(file_or_index))
        .with_state(Dir(dir))
}

/// Whether an app address names a file (its last segment has a dot).
fn is_file(rest: &str) -> bool {
    rest.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

async fn index(State(Dir(dir)): State<Dir>, signed_in: Option<Extension<SignedIn>>) -> Response {
    if signed_in.is_none() {
        return Redirect::to("/dang-nhap").into_response();
    }
    match tokio::fs::read(dir.join("index.html")).await {
        Ok(html) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
                (
                    header::HeaderName::from_static("x-robots-tag"),
                    "noindex, nofollow",
                ),
            ],
            html,
        )
            .into_response(),
        Err(err) => {
            tracing::error!(%err, dir = %dir.display(), "the editors' app is not built");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "Ứng dụng quản trị chưa sẵn sàng. Xin vui lòng báo quản trị hệ thống.",
            )
                .into_response()
        }
    }
}

async fn file_or_index(
    state: State<Dir>,
    signed_in: Option<Extension<SignedIn>>,
    Path(rest): Path<String>,
    request: Request,
) -> Response {
    if !is_file(&rest) {
        return index(state, signed_in).await;
    }
    let State(Dir(dir)) = state;
    // Path traversal is impossible: ServeFile is given a path built from
    // normal segments only.
    if rest
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return StatusCode::NOT_FOUND.into_response();
    }
    let path = dir.join(&rest);
    let mut response = match ServeFile::new(&path)
        .oneshot(request.map(|_| Body::empty()))
        .await
    {
        Ok(response) => response.into_response(),
        Err(err) => match err {},
    };
    if response.status() == StatusCode::OK {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::is_file;

    #[test]
    fn app_addresses_are_not_files() {
        assert!(is_file("editor-abc.js"));
        assert!(is_file("snippets/editor-1/js/dist/tiptap.js"));
        assert!(!is_file("bai-viet/12"));
        assert!(!is_file("bai-viet/moi"));
    }
}
