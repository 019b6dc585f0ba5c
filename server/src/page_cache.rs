//! A cache of rendered public pages and feeds, kept exact by invalidation.
//!
//! Readers' pages are the same for everyone, so the server renders each one
//! once and then serves the stored bytes, already compressed with brotli and
//! gzip, with an `ETag` for conditional GETs (304). The visitor counter sits
//! outside this cache, so a page served from it is counted like any other.
//!
//! Freshness:
//! - any change to what readers see (an article published, unpublished or
//!   edited while published; site settings) drops every stored page before
//!   the change is acknowledged on this server, and within milliseconds on
//!   the other servers of one PostgreSQL database (`LISTEN`/`NOTIFY`, see
//!   [`crate::changes`]); while that channel is down nothing is served from
//!   the cache;
//! - a stored page is also re-rendered after `ttl` (`CCHC_PAGE_CACHE_SECONDS`,
//!   default 10 s) so that the counter figures and the most-read list in it
//!   stay recent for readers without JavaScript; with JavaScript the counter
//!   island replaces the figures at once from the live stream.
//!
//! Only anonymous requests use it (an editor's session cookie bypasses it),
//! and only `200` HTML, RSS and XML responses without `Set-Cookie` are
//! stored.

use std::hash::Hash;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// The most bytes the cache holds (all encodings of all pages together).
pub const DEFAULT_CAPACITY_BYTES: u64 = 24 * 1024 * 1024;
/// A page larger than this is served but not stored.
const MAX_STORED_PAGE: usize = 2 * 1024 * 1024;
/// Brotli quality for stored pages: the densest, 11 (each page is
/// compressed once per `ttl` at most, off the async threads).
const BROTLI_QUALITY: u32 = 11;
/// The largest brotli window, as log2 of bytes (the format allows 10–24).
const BROTLI_MAX_WINDOW: u32 = 22;

/// The smallest brotli window (log2 of bytes) that holds `len` bytes. At
/// quality 11 the encoder's match finder takes about 8 bytes per window
/// byte, so a 22-bit window cost 35 MB of memory for each 60 KB page
/// compressed (issue 9: the server's peak RSS); a window that holds the
/// whole page compresses it exactly as densely.
fn brotli_window(len: usize) -> u32 {
    // Brotli's window holds 2^lgwin − 16 bytes.
    (10..BROTLI_MAX_WINDOW)
        .find(|&lgwin| (1usize << lgwin) - 16 >= len)
        .unwrap_or(BROTLI_MAX_WINDOW)
}

/// One stored response in every encoding the cache serves.
struct CachedPage {
    content_type: HeaderValue,
    /// Headers of the rendered response worth repeating (`Speculation-Rules`,
    /// `X-Robots-Tag`, `Link`, and `Content-Security-Policy`, whose nonce is
    /// the one in the stored HTML).
    extra: Vec<(header::HeaderName, HeaderValue)>,
    identity: Bytes,
    brotli: Bytes,
    gzip: Bytes,
    /// A weak validator: the same for every encoding of the same bytes.
    etag: HeaderValue,
    last_modified: HeaderValue,
    stored_at: Instant,
    generation: u64,
    /// Set by the one request that renders this page again once it is
    /// older than `ttl`.
    refreshing: AtomicBool,
}

impl CachedPage {
    fn weight(&self) -> u64 {
        (self.identity.len() + self.brotli.len() + self.gzip.len() + 512) as u64
    }
}

#[derive(Clone)]
struct ByBytes;

/// The right to fill a missing page while other requests for it wait.
type PageGuard<'a> = quick_cache::sync::PlaceholderGuard<
    'a,
    String,
    Arc<CachedPage>,
    ByBytes,
    quick_cache::DefaultHashBuilder,
    quick_cache::sync::DefaultLifecycle<String, Arc<CachedPage>>,
>;

impl quick_cache::Weighter<String, Arc<CachedPage>> for ByBytes {
    fn weight(&self, _key: &String, page: &Arc<CachedPage>) -> u64 {
        page.weight()
    }
}

/// The cache. Cheap to share (`Arc`); see the module documentation.
pub struct PageCache {
    pages: quick_cache::sync::Cache<String, Arc<CachedPage>, ByBytes>,
    /// Bumped by every invalidation; a page stored under an older generation
    /// is never served.
    generation: AtomicU64,
    /// False while a change made on another server might go unnoticed.
    usable: AtomicBool,
    ttl: Duration,
    /// When public content last changed here (for `Last-Modified`).
    changed_at: std::sync::Mutex<SystemTime>,
}

impl PageCache {
    /// A cache that keeps pages for `ttl` (zero turns it off) in at most
    /// `capacity_bytes`.
    pub fn new(ttl: Duration, capacity_bytes: u64) -> Self {
        Self {
            pages: quick_cache::sync::Cache::with_weighter(4_096, capacity_bytes, ByBytes),
            generation: AtomicU64::new(0),
            usable: AtomicBool::new(true),
            ttl,
            changed_at: std::sync::Mutex::new(SystemTime::now()),
        }
    }

    /// Whether a change made anywhere is known here at once (false while
    /// the notification connection is down). Other per-generation caches
    /// (list counts) use this, whether or not pages are stored.
    pub fn trusted(&self) -> bool {
        self.usable.load(Ordering::Acquire)
    }

    /// Whether the cache serves anything at all.
    pub fn enabled(&self) -> bool {
        !self.ttl.is_zero() && self.usable.load(Ordering::Acquire)
    }

    /// Drops every stored page: public content has changed.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        if let Ok(mut changed_at) = self.changed_at.lock() {
            *changed_at = SystemTime::now();
        }
        self.pages.clear();
    }

    /// Stops (`false`) or resumes (`true`) serving from the cache; either
    /// way what is stored is dropped.
    pub fn set_usable(&self, usable: bool) {
        self.invalidate();
        self.usable.store(usable, Ordering::Release);
    }

    /// The current generation: changes whenever public content changes.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Whether `page` was stored since the last change to public content.
    fn is_current(&self, page: &CachedPage) -> bool {
        page.generation == self.generation()
    }

    /// Whether `page` is younger than the time to live.
    fn is_young(&self, page: &CachedPage) -> bool {
        page.stored_at.elapsed() < self.ttl
    }

    fn fresh(&self, key: &str) -> Option<Arc<CachedPage>> {
        let page = self.pages.get(key)?;
        (self.is_current(&page) && self.is_young(&page)).then_some(page)
    }
}

/// The paths whose responses are the same for every anonymous reader:
/// pages (`/`, `/tim-kiem`, `/tin-tuc/{slug}`, `/chuyen-muc/{slug}`,
/// `/van-ban`, `/van-ban/{slug}`) and feeds (`/rss.xml`,
/// `/chuyen-muc/{slug}/rss.xml`, `/van-ban/rss.xml`, `/sitemap.xml`).
pub fn is_cacheable_path(path: &str) -> bool {
    crate::counter::http::is_page_path(path)
        || matches!(path, "/rss.xml" | "/sitemap.xml" | "/van-ban/rss.xml")
        || path
            .strip_prefix("/chuyen-muc/")
            .and_then(|rest| rest.strip_suffix("/rss.xml"))
            .is_some_and(|slug| {
                !slug.is_empty() && slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
}

fn has_session_cookie(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|cookies| {
            cookies
                .split(';')
                .any(|c| c.trim_start().split('=').next() == Some(crate::SESSION_COOKIE))
        })
}

/// The content codings a client accepts, best first: brotli, gzip, none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Coding {
    Brotli,
    Gzip,
    Identity,
}

impl Coding {
    /// From `Accept-Encoding` (a coding with `q=0` is refused).
    fn preferred(headers: &HeaderMap) -> Self {
        let mut brotli = false;
        let mut gzip = false;
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            let Ok(value) = value.to_str() else { continue };
            for item in value.split(',') {
                let mut parts = item.split(';');
                let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
                let refused = parts.any(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                if refused {
                    continue;
                }
                match name.as_str() {
                    "br" => brotli = true,
                    "gzip" => gzip = true,
                    _ => {}
                }
            }
        }
        if brotli {
            Coding::Brotli
        } else if gzip {
            Coding::Gzip
        } else {
            Coding::Identity
        }
    }
}

/// Whether `If-None-Match` matches `etag` (weak comparison, RFC 9110 §13.1.2).
pub(crate) fn matches_etag(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let strip = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let ours = strip(etag.to_str().unwrap_or(""));
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == "*" || strip(tag) == ours)
}

/// Whether `If-Modified-Since` is at or after `last_modified`; only asked
/// when there is no `If-None-Match` (RFC 9110 §13.1.3).
fn not_modified_since(headers: &HeaderMap, last_modified: &HeaderValue) -> bool {
    if headers.contains_key(header::IF_NONE_MATCH) {
        return false;
    }
    let since = headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok());
    let modified = last_modified
        .to_str()
        .ok()
        .and_then(|v| httpdate::parse_http_date(v).ok());
    matches!((since, modified), (Some(since), Some(modified)) if modified <= since)
}

/// `X-Cache`: whether a response came from the cache (`hit`) or was just
/// rendered and stored (`miss`). For operators and tests.
pub const X_CACHE: &str = "x-cache";

/// The request headers that choose the answer, kept while the request
/// itself goes on to be rendered.
fn negotiation_headers(headers: &HeaderMap) -> HeaderMap {
    let mut kept = HeaderMap::new();
    for name in [
        header::ACCEPT_ENCODING,
        header::IF_NONE_MATCH,
        header::IF_MODIFIED_SINCE,
    ] {
        for value in headers.get_all(&name) {
            kept.append(name.clone(), value.clone());
        }
    }
    kept
}

fn respond(page: &CachedPage, request_headers: &HeaderMap, head: bool, hit: bool) -> Response {
    let mut builder = Response::builder()
        .header(X_CACHE, if hit { "hit" } else { "miss" })
        .header(header::CONTENT_TYPE, page.content_type.clone())
        .header(header::ETAG, page.etag.clone())
        .header(header::LAST_MODIFIED, page.last_modified.clone())
        .header(header::CACHE_CONTROL, "no-cache")
        .header(header::VARY, "Accept-Encoding");
    for (name, value) in &page.extra {
        builder = builder.header(name, value.clone());
    }
    if matches_etag(request_headers, &page.etag)
        || not_modified_since(request_headers, &page.last_modified)
    {
        return builder
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .unwrap_or_default();
    }
    let (body, coding) = match Coding::preferred(request_headers) {
        Coding::Brotli => (page.brotli.clone(), Some("br")),
        Coding::Gzip => (page.gzip.clone(), Some("gzip")),
        Coding::Identity => (page.identity.clone(), None),
    };
    if let Some(coding) = coding {
        builder = builder.header(header::CONTENT_ENCODING, coding);
    }
    builder = builder.header(header::CONTENT_LENGTH, body.len());
    let body = if head {
        Body::empty()
    } else {
        Body::from(body)
    };
    builder
        .status(StatusCode::OK)
        .body(body)
        .unwrap_or_default()
}

fn compress(bytes: &[u8]) -> std::io::Result<(Bytes, Bytes)> {
    let mut brotli = Vec::with_capacity(bytes.len() / 4);
    {
        let mut writer = brotli::CompressorWriter::new(
            &mut brotli,
            4096,
            BROTLI_QUALITY,
            brotli_window(bytes.len()),
        );
        writer.write_all(bytes)?;
        writer.flush()?;
    }
    let mut gzip = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::default(),
    );
    gzip.write_all(bytes)?;
    Ok((Bytes::from(brotli), Bytes::from(gzip.finish()?)))
}

pub(crate) fn etag_of(bytes: &[u8]) -> HeaderValue {
    let mut hasher = siphasher::sip128::SipHasher13::new();
    bytes.hash(&mut hasher);
    let hash = siphasher::sip128::Hasher128::finish128(&hasher).as_u128();
    HeaderValue::from_str(&format!("W/\"{hash:032x}\""))
        .unwrap_or(HeaderValue::from_static("W/\"0\""))
}

/// Whether a rendered response may be stored: 200, a page or feed type, no
/// cookie being set, not marked private.
fn storable(response: &Response) -> bool {
    let headers = response.headers();
    let typed = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.starts_with("text/html")
                || v.starts_with("application/rss+xml")
                || v.starts_with("application/xml")
                || v.starts_with("text/xml")
        });
    let private = headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("private") || v.contains("no-store"));
    response.status() == StatusCode::OK
        && typed
        && !private
        && !headers.contains_key(header::SET_COOKIE)
        && !headers.contains_key(header::CONTENT_ENCODING)
}

/// The middleware: serves a fresh stored page, or renders, stores and
/// serves it. Everything else passes through untouched.
pub async fn serve(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let eligible = (method == Method::GET || method == Method::HEAD)
        && cache.enabled()
        && is_cacheable_path(request.uri().path())
        && !has_session_cookie(request.headers());
    if !eligible {
        return next.run(request).await;
    }
    let key = request
        .uri()
        .path_and_query()
        .map(|pq| pq.as_str().to_owned())
        .unwrap_or_default();
    if method == Method::HEAD {
        return match cache.fresh(&key) {
            Some(page) => respond(&page, request.headers(), true, true),
            None => next.run(request).await,
        };
    }
    // One render per page at a time: while a page is being rendered, other
    // requests for it wait for that render instead of starting their own;
    // a page only older than `ttl` is served as it is while one request
    // renders it again.
    let mut refreshing: Option<Arc<CachedPage>> = None;
    let guard = loop {
        match cache.pages.get_value_or_guard_async(&key).await {
            Ok(page) if !cache.is_current(&page) => {
                cache
                    .pages
                    .remove_if(&key, |stored| Arc::ptr_eq(stored, &page));
            }
            Ok(page) if cache.is_young(&page) => {
                return respond(&page, request.headers(), false, true);
            }
            Ok(page) => {
                if page.refreshing.swap(true, Ordering::AcqRel) {
                    return respond(&page, request.headers(), false, true);
                }
                refreshing = Some(page);
                break None;
            }
            Err(guard) => break Some(guard),
        }
    };
    let response = render_and_store(&cache, key, guard, request, next).await;
    // Stored anew, or not storable this time: either way a later request
    // may render the old copy again.
    if let Some(old) = refreshing {
        old.refreshing.store(false, Ordering::Release);
    }
    response
}

/// Renders the page, stores it (under `guard`, or over an old copy) when it
/// may be stored, and answers with it.
async fn render_and_store(
    cache: &PageCache,
    key: String,
    guard: Option<PageGuard<'_>>,
    request: Request,
    next: Next,
) -> Response {
    let request_headers = negotiation_headers(request.headers());
    let generation = cache.generation();
    let response = next.run(request).await;
    if !storable(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let identity = match axum::body::to_bytes(body, 4 * MAX_STORED_PAGE).await {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::error!(%err, "cannot read a rendered page");
            return Response::builder()
                .status(StatusCode::INTERNAL_SERVER_ERROR)
                .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
                .body(Body::from("Lỗi máy chủ."))
                .unwrap_or_default();
        }
    };
    let compressed = {
        let identity = identity.clone();
        tokio::task::spawn_blocking(move || compress(&identity)).await
    };
    let Ok(Ok((brotli, gzip))) = compressed else {
        tracing::warn!("cannot compress a page for the cache");
        return Response::from_parts(parts, Body::from(identity));
    };
    let keep = [
        header::HeaderName::from_static("speculation-rules"),
        header::HeaderName::from_static("x-robots-tag"),
        header::LINK,
        header::CONTENT_LANGUAGE,
        // Names the nonce written in the stored HTML (`crate::security`).
        header::CONTENT_SECURITY_POLICY,
    ];
    let extra = keep
        .into_iter()
        .flat_map(|name| {
            parts
                .headers
                .get_all(&name)
                .iter()
                .map(|value| (name.clone(), value.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    let last_modified = cache
        .changed_at
        .lock()
        .map(|at| *at)
        .unwrap_or_else(|_| SystemTime::now());
    let page = Arc::new(CachedPage {
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .cloned()
            .unwrap_or(HeaderValue::from_static("text/html; charset=utf-8")),
        extra,
        etag: etag_of(&identity),
        last_modified: HeaderValue::from_str(&httpdate::fmt_http_date(last_modified))
            .unwrap_or(HeaderValue::from_static("Thu, 01 Jan 1970 00:00:00 GMT")),
        identity,
        brotli,
        gzip,
        stored_at: Instant::now(),
        generation,
        refreshing: AtomicBool::new(false),
    });
    if page.identity.len() > MAX_STORED_PAGE {
        // Served, not stored; a later request renders it again.
    } else if let Some(guard) = guard {
        let _ = guard.insert(page.clone());
    } else {
        cache.pages.insert(key, page.clone());
    }
    respond(&page, &request_headers, false, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn cacheable_paths_are_public_pages_and_feeds_only() {
        for path in [
            "/",
            "/tim-kiem",
            "/tin-tuc/a-b-1",
            "/chuyen-muc/tin-tuc",
            "/rss.xml",
            "/chuyen-muc/tin-tuc/rss.xml",
            "/sitemap.xml",
        ] {
            assert!(is_cacheable_path(path), "{path}");
        }
        for path in [
            "/dang-nhap",
            "/quan-tri/",
            "/xem-truoc/3",
            "/api/quan-tri/tao-bai",
            "/pkg/cchc-portal.wasm",
            "/chuyen-muc//rss.xml",
            "/chuyen-muc/a/b/rss.xml",
            "/robots.txt",
        ] {
            assert!(!is_cacheable_path(path), "{path}");
        }
    }

    #[test]
    fn codings_follow_accept_encoding() {
        use header::ACCEPT_ENCODING as AE;
        assert_eq!(
            Coding::preferred(&headers(&[(AE, "gzip, deflate, br, zstd")])),
            Coding::Brotli
        );
        assert_eq!(Coding::preferred(&headers(&[(AE, "gzip")])), Coding::Gzip);
        assert_eq!(
            Coding::preferred(&headers(&[(AE, "br;q=0, gzip;q=0.5")])),
            Coding::Gzip
        );
        assert_eq!(
            Coding::preferred(&headers(&[(AE, "identity")])),
            Coding::Identity
        );
        assert_eq!(Coding::preferred(&HeaderMap::new()), Coding::Identity);
    }

    #[test]
    fn etags_compare_weakly_and_in_lists() {
        let etag = etag_of(b"<p>xin chao</p>");
        let tag = etag.to_str().unwrap().to_owned();
        let bare = tag.trim_start_matches("W/").to_owned();
        assert!(matches_etag(
            &headers(&[(header::IF_NONE_MATCH, &tag)]),
            &etag
        ));
        assert!(matches_etag(
            &headers(&[(header::IF_NONE_MATCH, &bare)]),
            &etag
        ));
        assert!(matches_etag(
            &headers(&[(header::IF_NONE_MATCH, &format!("\"other\", {tag}"))]),
            &etag
        ));
        assert!(!matches_etag(
            &headers(&[(header::IF_NONE_MATCH, "W/\"other\"")]),
            &etag
        ));
        assert_ne!(etag, etag_of("<p>xin chào</p>".as_bytes()));
    }

    #[test]
    fn stored_encodings_decode_to_the_page() {
        use std::io::Read;
        let page = "<p>Cần Thơ</p>".repeat(500);
        let (brotli, gzip) = compress(page.as_bytes()).unwrap();
        let mut decoded = String::new();
        brotli::Decompressor::new(&brotli[..], 4096)
            .read_to_string(&mut decoded)
            .unwrap();
        assert_eq!(decoded, page);
        let mut decoded = String::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_string(&mut decoded)
            .unwrap();
        assert_eq!(decoded, page);
        assert!(brotli.len() < page.len() / 10);
    }

    #[test]
    fn brotli_windows_hold_the_whole_page() {
        assert_eq!(brotli_window(0), 10);
        assert_eq!(brotli_window(1008), 10);
        assert_eq!(brotli_window(1009), 11);
        assert_eq!(brotli_window(60_000), 16);
        assert_eq!(brotli_window(MAX_STORED_PAGE), BROTLI_MAX_WINDOW);
        for len in [1, 5_000, 70_000, 300_000] {
            let window = brotli_window(len);
            assert!((1usize << window) - 16 >= len || window == BROTLI_MAX_WINDOW);
            assert!(window == 10 || (1usize << (window - 1)) - 16 < len, "{len}");
        }
    }
}
