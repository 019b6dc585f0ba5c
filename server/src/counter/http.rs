//! The counter's HTTP side: counting server-rendered pages, the beacon that
//! the browser sends after a client-side navigation, and the live stream.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Extension, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use tokio::sync::watch;

use super::{Counter, PageHit};
use crate::changes::PublicChanges;
use crate::limits::{ClientIp, LiveStreams};

/// The live stream's event with the newest articles.
pub const FRESH_EVENT: &str = app::api::counter::FRESH_EVENT;

/// Where the browser reports a page it opened by client-side navigation.
pub const BEACON_PATH: &str = app::api::counter::BEACON_PATH;
/// Where the widget listens for live numbers.
pub const STREAM_PATH: &str = app::api::counter::STREAM_PATH;

/// What the live stream listens to.
#[derive(Clone)]
struct Live {
    counter: Arc<Counter>,
    changes: Arc<PublicChanges>,
    streams: Arc<LiveStreams>,
}

pub fn routes<S: Clone + Send + Sync + 'static>(
    counter: Arc<Counter>,
    changes: Arc<PublicChanges>,
    streams: Arc<LiveStreams>,
) -> Router<S> {
    Router::new()
        .route(BEACON_PATH, post(beacon))
        .with_state(counter.clone())
        .merge(
            Router::new()
                .route(STREAM_PATH, get(live))
                .with_state(Live {
                    counter,
                    changes,
                    streams,
                }),
        )
}

fn peer(request_extensions: &axum::http::Extensions) -> Option<std::net::IpAddr> {
    request_extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
}

/// A public page a reader can be counted on: an allow-list, so that the
/// editors' area, the login page, previews, the API, feeds and files never
/// count. `/`, `/tim-kiem`, `/tin-tuc/{slug}`, `/chuyen-muc/{slug}`, `/van-ban`, `/van-ban/{slug}`,
/// `/gioi-thieu`, `/en`, `/hoi-dap` (not the question form nor tracking:
/// those are one person's, never cached).
pub fn is_page_path(path: &str) -> bool {
    let slug_ok = |slug: &str| {
        !slug.is_empty() && slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    match path {
        "/" | "/tim-kiem" | "/van-ban" | "/hoi-dap" | "/gioi-thieu" | "/en" => true,
        _ => ["/tin-tuc/", "/chuyen-muc/", "/van-ban/"]
            .iter()
            .any(|prefix| path.strip_prefix(prefix).is_some_and(slug_ok)),
    }
}

/// Counts a full page load once its HTML has been served: GET only (HEAD is
/// not a view), status 200, or 304 when the browser revalidated the copy it
/// shows (the page cache's `ETag`), HTML. Error pages do not count.
pub async fn count_server_rendered_pages(
    State(counter): State<Arc<Counter>>,
    request: Request,
    next: Next,
) -> Response {
    // The article a reader just rated comes back with `?danh-gia=cam-on`:
    // the same view, not another one.
    let candidate = request.method() == Method::GET
        && is_page_path(request.uri().path())
        && !request
            .uri()
            .query()
            .is_some_and(|q| q.contains("danh-gia="));
    let context = candidate.then(|| {
        (
            request.uri().path().to_owned(),
            request.headers().clone(),
            peer(request.extensions()),
        )
    });
    let response = next.run(request).await;
    if let Some((path, headers, peer)) = context
        && matches!(response.status(), StatusCode::OK | StatusCode::NOT_MODIFIED)
        && crate::html::is_html(&response)
    {
        let hit = PageHit {
            peer,
            headers: &headers,
            path: &path,
        };
        if let Err(err) = counter.record(hit).await {
            tracing::warn!(%err, "cannot count a page view");
        }
    }
    response
}

/// `POST /api/luot-truy-cap` with the page's path as plain text (what
/// `navigator.sendBeacon` sends). Answers 204 whether or not the hit counts
/// (a prerendered page that is not counted, such as the question form, sends
/// one too); 400 only for what is not a path at all.
async fn beacon(
    State(counter): State<Arc<Counter>>,
    headers: HeaderMap,
    request_extensions: axum::http::Extensions,
    body: Bytes,
) -> Response {
    let Ok(path) = std::str::from_utf8(&body) else {
        return (StatusCode::BAD_REQUEST, "Đường dẫn không hợp lệ.").into_response();
    };
    let path = path.trim();
    if path.len() > 2048 || !path.starts_with('/') {
        return (StatusCode::BAD_REQUEST, "Đường dẫn không hợp lệ.").into_response();
    }
    if !is_page_path(path) {
        return StatusCode::NO_CONTENT.into_response();
    }
    let hit = PageHit {
        peer: peer(&request_extensions),
        headers: &headers,
        path,
    };
    match counter.record(hit).await {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => {
            tracing::warn!(%err, "cannot count a page view");
            (StatusCode::SERVICE_UNAVAILABLE, "Hệ thống đang bận.").into_response()
        }
    }
}

fn stats_event(receiver: &mut watch::Receiver<app::model::VisitorStats>) -> Event {
    let stats = *receiver.borrow_and_update();
    Event::default()
        .event("stats")
        .json_data(stats)
        .unwrap_or_else(|_| Event::default().comment("unserialisable"))
}

fn fresh_event(receiver: &mut watch::Receiver<Arc<str>>) -> Event {
    let json = receiver.borrow_and_update().clone();
    Event::default().event(FRESH_EVENT).data(&*json)
}

/// Server-sent events: `stats` (the counter's numbers, a `VisitorStats`)
/// now and each time they change, and `tin-moi` (the newest published
/// articles, a `FreshArticle` array) now and each time one is published on
/// any server. Proxies must pass each event on at once:
/// `X-Accel-Buffering: no` (nginx), `Cache-Control: no-cache`, and the
/// compression layer skips `text/event-stream` (tested). Beyond the cap on
/// open streams (per client address and in total, [`LiveStreams`]) the
/// answer is 503 with `Retry-After`.
async fn live(State(live): State<Live>, client: Option<Extension<ClientIp>>) -> Response {
    let client = client.and_then(|Extension(ClientIp(ip))| ip);
    // Dropped with the stream when the reader goes away.
    let open = match live.streams.try_open(client) {
        Ok(slot) => slot,
        Err(full) => return full.into_response(),
    };
    // At most one flush interval old; loaded now if older.
    if let Err(err) = live.counter.stats().await {
        tracing::warn!(%err, "cannot load the visitor statistics");
    }
    let start = (
        live.counter.subscribe(),
        live.changes.subscribe(),
        0u8,
        open,
    );
    let stream = futures::stream::unfold(start, |(mut stats, mut fresh, step, open)| async move {
        let event = match step {
            0 => stats_event(&mut stats),
            1 => fresh_event(&mut fresh),
            _ => tokio::select! {
                changed = stats.changed() => {
                    changed.ok()?;
                    stats_event(&mut stats)
                }
                changed = fresh.changed() => {
                    changed.ok()?;
                    fresh_event(&mut fresh)
                }
            },
        };
        Some((
            Ok::<Event, Infallible>(event),
            (stats, fresh, step.saturating_add(1).min(2), open),
        ))
    });
    (
        [
            (header::CACHE_CONTROL, "no-cache"),
            (header::HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(20))),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::is_page_path;

    #[test]
    fn pages_are_not_assets_or_api_calls() {
        for page in [
            "/",
            "/tim-kiem",
            "/tin-tuc/can-tho",
            "/chuyen-muc/tin-tuc-su-kien",
            "/van-ban",
            "/van-ban/1234-qd-ubnd-2026",
            "/hoi-dap",
        ] {
            assert!(is_page_path(page), "{page}");
        }
        for other in [
            "/api/luot-truy-cap",
            "/pkg/cchc-portal.wasm",
            "/demo/hoi-nghi.svg",
            "/favicon.ico",
            "tin-tuc",
            "/tin-tuc/",
            "/chuyen-muc/tin-tuc-su-kien/rss.xml",
            "/quan-tri/",
            "/quan-tri/bai-viet/12",
            "/dang-nhap",
            "/xem-truoc/12",
            "/rss.xml",
            "/speculation-rules.json",
            "/trang-khong-co",
            "/van-ban/rss.xml",
            "/van-ban/tep/3/ke-hoach.pdf",
            "/hoi-dap/gui",
            "/hoi-dap/tra-cuu",
        ] {
            assert!(!is_page_path(other), "{other}");
        }
    }
}
