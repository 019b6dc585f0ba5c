//! Serves the editors' app (built by Trunk into `CCHC_EDITOR_DIR`) at
//! `/quan-tri/`: its hashed files for a year, `immutable`; its `index.html`
//! for every app address (`/quan-tri/bai-viet/12`), never cached, and only
//! to signed-in users (others are sent to the login form, so the app works
//! from a bookmark without JavaScript knowing anything); a missing file is a
//! real 404.
//!
//! Its `index.html` has its own Content Security Policy: Trunk writes an
//! inline module script that loads the WebAssembly, which is allowed by its
//! SHA-256 hash (computed when the file is served), plus `'self'` files and
//! `'wasm-unsafe-eval'`. Styles allow `'unsafe-inline'` there: the rich-text
//! editor sets `style` attributes from JavaScript.

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
                (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
                (
                    header::CONTENT_SECURITY_POLICY,
                    app_policy(&String::from_utf8_lossy(&html)),
                ),
                (header::CACHE_CONTROL, "no-cache".to_owned()),
                (
                    header::HeaderName::from_static("x-robots-tag"),
                    "noindex, nofollow".to_owned(),
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

/// The `'sha256-…'` sources of the inline scripts (`<script>` without
/// `src`) of `html`, in order.
fn inline_script_hashes(html: &str) -> Vec<String> {
    use base64::Engine as _;
    use sha2::Digest as _;
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<script") {
        let after = &rest[at + "<script".len()..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let attributes = &after[..tag_end];
        let content_and_rest = &after[tag_end + 1..];
        let Some(close) = content_and_rest.find("</script") else {
            break;
        };
        if !attributes.contains("src=") {
            let digest = sha2::Sha256::digest(&content_and_rest.as_bytes()[..close]);
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &content_and_rest[close..];
    }
    hashes
}

/// The editors' app's policy for this `index.html`.
fn app_policy(html: &str) -> String {
    let hashes: String = inline_script_hashes(html)
        .iter()
        .map(|hash| format!(" {hash}"))
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'"
    )
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
    use super::{app_policy, inline_script_hashes, is_file};

    #[test]
    fn inline_scripts_are_hashed() {
        // `printf 'a()' | openssl dgst -sha256 -binary | base64`
        let html = r#"<script type="module">a()</script><script src="/x.js"></script>"#;
        assert_eq!(
            inline_script_hashes(html),
            vec!["'sha256-qVpDBgj7bpq5hMAcGp3AOc79J3Y1Z4HvySTwKrWDoy4='".to_owned()]
        );
        let policy = app_policy(html);
        assert!(policy.contains(
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-qVpDBgj7bpq5hMAcGp3AOc79J3Y1Z4HvySTwKrWDoy4=';"
        ));
        assert!(policy.ends_with("frame-ancestors 'none'"));
    }

    #[test]
    fn app_addresses_are_not_files() {
        assert!(is_file("editor-abc.js"));
        assert!(is_file("snippets/editor-1/js/dist/tiptap.js"));
        assert!(!is_file("bai-viet/12"));
        assert!(!is_file("bai-viet/moi"));
    }
}
