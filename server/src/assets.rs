//! The citizens' built assets under `/pkg` (CSS, JS, WASM from cargo-leptos).
//!
//! With `hash-files` (the workspace's cargo-leptos setting) every name
//! carries a hash of its content, so a file may be kept for a year without
//! asking again (`immutable`); a release build made with `-P` also has
//! brotli and gzip copies, served as they are instead of being compressed
//! again for every request. Without hashes (a build without `hash.txt`
//! beside the binary), browsers revalidate every time.

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use leptos::prelude::LeptosOptions;
use tower_http::services::ServeDir;

/// `Cache-Control` of hashed asset files.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The `/pkg` service for the site `options` describe.
pub fn pkg_service(options: &LeptosOptions) -> Router {
    let dir = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let cache_control = HeaderValue::from_static(if options.hash_files {
        IMMUTABLE
    } else {
        "no-cache"
    });
    Router::new()
        .fallback_service(ServeDir::new(dir).precompressed_br().precompressed_gzip())
        .layer(axum::middleware::map_response(
            move |mut response: Response| {
                let cache_control = cache_control.clone();
                async move {
                    if response.status() == StatusCode::OK {
                        response
                            .headers_mut()
                            .insert(header::CACHE_CONTROL, cache_control);
                    }
                    response
                }
            },
        ))
}
