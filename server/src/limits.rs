//! What one client, and all of them together, may ask of the portal:
//! request rates per client address (search, the counter beacon, login,
//! question submission and tracking), request body sizes and time limits per
//! group of routes, and a cap on live streams per client address and in
//! total. Every refusal is a clear answer (429 or 503 with `Retry-After`, 413),
//! never a crash.
//!
//! The client's address is the one the counter uses (the peer, or behind a
//! proxy of `CCHC_TRUSTED_PROXIES` the forwarded one): [`client_address`]
//! resolves it once per request for the rate limits, the live-stream cap and
//! the audit log.
//!
//! Rates and stream counts are kept per app server: with several servers
//! behind one proxy a client may reach each server's limit, which still
//! bounds it (the limits protect each server's capacity).

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock as _, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::counter::visitor::VisitorPolicy;

/// Requests refused by a rate limit, by `bucket`.
pub const RATE_LIMITED: &str = "cchc_rate_limited_total";
/// Live streams refused by the cap, by `scope` (`client`, `total`).
pub const LIVE_REFUSED: &str = "cchc_live_streams_refused_total";

/// The largest request body of the small forms (login, password, rating).
pub const FORM_BODY_BYTES: usize = 16 * 1024;
/// The largest question submission (the form's fields, URL-encoded).
pub const QUESTION_BODY_BYTES: usize = 64 * 1024;
/// The largest counter beacon (a page's path).
pub const BEACON_BODY_BYTES: usize = 4 * 1024;
/// The largest body of any other request (server functions: an article's
/// HTML with its revision note; photos and files go through the uploads).
/// Axum's own default for the bodies server functions read is the same.
pub const DEFAULT_BODY_BYTES: usize = 2 * 1024 * 1024;
/// How many pages one server renders at once (pages answered from the page
/// cache do not count); more wait their turn, within [`REQUEST_TIMEOUT`].
/// On 2 cores 64 renders at once are no faster than 8, but each holds its
/// page's data and HTML: under the page benchmark's rendered load (64
/// connections) the server's peak RSS was 80-90 MB (issue 9: <= 64 MB).
pub const RENDERS_AT_ONCE: usize = 8;
/// How long a request (other than an upload) may take until its response
/// starts; then 503 with `Retry-After`.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How long an upload may take (a 20 MB file over a slow mobile link).
pub const UPLOAD_TIMEOUT: Duration = Duration::from_secs(600);

/// The client's address, resolved once per request by [`client_address`];
/// `None` when the peer is unknown (requests made in-process by tests).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClientIp(pub Option<IpAddr>);

tokio::task_local! {
    /// The address of the request being served, for the audit log.
    static REQUEST_CLIENT: Option<IpAddr>;
}

/// The client address of the request this task is serving, if any: the
/// audit log's `ip` for events recorded by server functions.
pub fn current_client_ip() -> Option<IpAddr> {
    REQUEST_CLIENT.try_with(|ip| *ip).ok().flatten()
}

/// Resolves the client's address (see [`VisitorPolicy::client_ip`]), stores
/// it in the request's extensions as [`ClientIp`] and serves the request
/// with it as [`current_client_ip`].
pub async fn client_address(
    State(policy): State<Arc<VisitorPolicy>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|axum::extract::ConnectInfo(addr)| addr.ip());
    let ip = policy
        .client_ip(peer, request.headers())
        .map(|ip| ip.to_canonical());
    request.extensions_mut().insert(ClientIp(ip));
    REQUEST_CLIENT.scope(ip, next.run(request)).await
}

/// The rate-limited kinds of request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bucket {
    /// `GET /tim-kiem`, the search server function, `/api/v1/articles?q=`.
    Search,
    /// `POST /api/luot-truy-cap`.
    Beacon,
    /// `POST /dang-nhap` (failed sign-ins are also throttled in the database).
    Login,
    /// `POST /hoi-dap/gui` (also limited per address in the database).
    Question,
    /// `GET /hoi-dap/tra-cuu?ma=…`: guessing tracking codes.
    Tracking,
}

impl Bucket {
    pub const ALL: [Bucket; 5] = [
        Bucket::Search,
        Bucket::Beacon,
        Bucket::Login,
        Bucket::Question,
        Bucket::Tracking,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::Search => "search",
            Bucket::Beacon => "beacon",
            Bucket::Login => "login",
            Bucket::Question => "question",
            Bucket::Tracking => "tracking",
        }
    }

    /// The allowance per client address: a burst, refilled one request at a
    /// time. Generous enough for an office of readers behind one address.
    pub fn quota(self) -> Quota {
        let (burst, every) = match self {
            Bucket::Search => (30, Duration::from_millis(500)),
            Bucket::Beacon => (60, Duration::from_millis(250)),
            Bucket::Login => (10, Duration::from_secs(6)),
            Bucket::Question => (5, Duration::from_secs(30)),
            Bucket::Tracking => (10, Duration::from_secs(6)),
        };
        Quota::with_period(every)
            .expect("a non-zero period")
            .allow_burst(NonZeroU32::new(burst).expect("a non-zero burst"))
    }

    /// The bucket a request falls in, if any.
    pub fn of(method: &Method, path: &str, query: Option<&str>) -> Option<Bucket> {
        use leptos::server_fn::ServerFn;
        let has = |name: &str| {
            query.is_some_and(|q| {
                q.split('&')
                    .any(|pair| pair.split('=').next() == Some(name))
            })
        };
        match (method, path) {
            (&Method::POST, p) if p == crate::counter::http::BEACON_PATH => Some(Bucket::Beacon),
            (&Method::POST, p) if p == crate::accounts::http::LOGIN_PATH => Some(Bucket::Login),
            (&Method::POST, p) if p == app::api::questions::SUBMIT_PATH => Some(Bucket::Question),
            (&Method::GET | &Method::HEAD, "/tim-kiem") => Some(Bucket::Search),
            (&Method::GET | &Method::HEAD, "/api/v1/articles") if has("q") => Some(Bucket::Search),
            (&Method::GET | &Method::HEAD, "/hoi-dap/tra-cuu") if has("ma") => {
                Some(Bucket::Tracking)
            }
            (_, p) if p.starts_with(app::api::search::SearchArticles::PATH) => Some(Bucket::Search),
            _ => None,
        }
    }
}

type KeyedLimiter = RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, DefaultClock>;

/// The rate limiters, one per [`Bucket`], keyed by client address.
pub struct RateLimits {
    limiters: Vec<(Bucket, KeyedLimiter)>,
    enabled: bool,
}

impl RateLimits {
    /// `enabled: false` (`CCHC_RATE_LIMITS=off`) lets everything through:
    /// for load tests from one machine without a proxy in front.
    pub fn new(enabled: bool) -> Arc<Self> {
        Arc::new(Self {
            limiters: Bucket::ALL
                .iter()
                .map(|bucket| (*bucket, RateLimiter::keyed(bucket.quota())))
                .collect(),
            enabled,
        })
    }

    /// `Ok` when the request may go on, or how long the client should wait.
    pub fn check(&self, bucket: Bucket, client: IpAddr) -> Result<(), Duration> {
        if !self.enabled {
            return Ok(());
        }
        let Some((_, limiter)) = self.limiters.iter().find(|(b, _)| *b == bucket) else {
            return Ok(());
        };
        limiter
            .check_key(&client)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// Forgets the clients whose allowance is full again, every minute, so
    /// that memory follows the clients of the last minutes, not of all time.
    pub fn spawn_cleanup(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let limits = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(60));
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                every.tick().await;
                let Some(limits) = limits.upgrade() else {
                    return;
                };
                for (_, limiter) in &limits.limiters {
                    limiter.retain_recent();
                    limiter.shrink_to_fit();
                }
            }
        })
    }
}

/// Whole seconds to wait, at least one (`Retry-After` has no fractions).
fn retry_after_secs(wait: Duration) -> u64 {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    seconds.max(1)
}

/// A polite refusal: `status`, `Retry-After` and a plain-text Vietnamese message.
fn refusal(status: StatusCode, retry_after: u64, message: String) -> Response {
    (
        status,
        [
            (header::RETRY_AFTER, HeaderValue::from(retry_after)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        message,
    )
        .into_response()
}

/// Refuses a request over its bucket's rate with 429 and `Retry-After`.
/// Requests without a known client address (in-process tests) are not limited.
pub async fn rate_limit(
    State(limits): State<Arc<RateLimits>>,
    request: Request,
    next: Next,
) -> Response {
    let bucket = Bucket::of(
        request.method(),
        request.uri().path(),
        request.uri().query(),
    );
    let client = request
        .extensions()
        .get::<ClientIp>()
        .and_then(|ClientIp(ip)| *ip);
    if let (Some(bucket), Some(client)) = (bucket, client)
        && let Err(wait) = limits.check(bucket, client)
    {
        metrics::counter!(RATE_LIMITED, "bucket" => bucket.as_str()).increment(1);
        let seconds = retry_after_secs(wait);
        return refusal(
            StatusCode::TOO_MANY_REQUESTS,
            seconds,
            format!("Bạn gửi yêu cầu quá nhanh. Vui lòng thử lại sau {seconds} giây."),
        );
    }
    next.run(request).await
}

/// Rewrites the bare 413 of a body limit (tower-http's or an extractor's)
/// into a polite message; answers that already explain themselves (JSON of
/// the uploads, HTML) pass unchanged.
pub async fn explain_too_large(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return response;
    }
    let explained = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/html"));
    if explained {
        return response;
    }
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        "Nội dung gửi lên quá lớn. Vui lòng rút gọn rồi gửi lại.",
    )
        .into_response()
}

/// The cap on live streams: per client address and in total.
pub struct LiveStreams {
    max_total: usize,
    max_per_client: usize,
    open: Mutex<(usize, HashMap<IpAddr, usize>)>,
}

/// No place for another live stream: 503 with `Retry-After: 30`.
#[derive(Debug)]
pub struct StreamsFull;

impl IntoResponse for StreamsFull {
    fn into_response(self) -> Response {
        refusal(
            StatusCode::SERVICE_UNAVAILABLE,
            30,
            "Máy chủ đang có quá nhiều kết nối trực tiếp. Số liệu truy cập sẽ cập nhật khi bạn tải lại trang."
                .to_owned(),
        )
    }
}

/// One open live stream; gives its place back when dropped.
pub struct LiveSlot {
    streams: Arc<LiveStreams>,
    client: Option<IpAddr>,
    _gauge: crate::ops::LiveStreamGuard,
}

impl LiveStreams {
    /// Defaults: `CCHC_LIVE_MAX_STREAMS` (2,000) and `CCHC_LIVE_MAX_STREAMS_PER_CLIENT` (20).
    pub fn new(max_total: usize, max_per_client: usize) -> Arc<Self> {
        Arc::new(Self {
            max_total,
            max_per_client,
            open: Mutex::default(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (usize, HashMap<IpAddr, usize>)> {
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Streams open now.
    pub fn open_count(&self) -> usize {
        self.lock().0
    }

    /// A place for one more stream, or the refusal (a 503 as a response).
    pub fn try_open(self: &Arc<Self>, client: Option<IpAddr>) -> Result<LiveSlot, StreamsFull> {
        let mut open = self.lock();
        let (total, per_client) = &mut *open;
        let scope = if *total >= self.max_total {
            Some("total")
        } else if let Some(ip) = client
            && per_client.get(&ip).copied().unwrap_or(0) >= self.max_per_client
        {
            Some("client")
        } else {
            None
        };
        if let Some(scope) = scope {
            metrics::counter!(LIVE_REFUSED, "scope" => scope).increment(1);
            return Err(StreamsFull);
        }
        *total += 1;
        if let Some(ip) = client {
            *per_client.entry(ip).or_default() += 1;
        }
        drop(open);
        Ok(LiveSlot {
            streams: self.clone(),
            client,
            _gauge: crate::ops::LiveStreamGuard::open(),
        })
    }
}

impl Drop for LiveSlot {
    fn drop(&mut self) {
        let mut open = self.streams.lock();
        let (total, per_client) = &mut *open;
        *total = total.saturating_sub(1);
        if let Some(ip) = self.client
            && let Some(count) = per_client.get_mut(&ip)
        {
            *count = count.saturating_sub(1);
            if *count == 0 {
                per_client.remove(&ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_found_by_method_path_and_query() {
        let beacon = crate::counter::http::BEACON_PATH;
        assert_eq!(
            Bucket::of(&Method::POST, beacon, None),
            Some(Bucket::Beacon)
        );
        assert_eq!(Bucket::of(&Method::GET, beacon, None), None);
        assert_eq!(
            Bucket::of(&Method::GET, "/tim-kiem", Some("q=can+tho")),
            Some(Bucket::Search)
        );
        assert_eq!(Bucket::of(&Method::GET, "/api/v1/articles", None), None);
        assert_eq!(
            Bucket::of(&Method::GET, "/api/v1/articles", Some("trang=2&q=x")),
            Some(Bucket::Search)
        );
        assert_eq!(Bucket::of(&Method::GET, "/hoi-dap/tra-cuu", None), None);
        assert_eq!(
            Bucket::of(&Method::GET, "/hoi-dap/tra-cuu", Some("ma=HD-1")),
            Some(Bucket::Tracking)
        );
        assert_eq!(
            Bucket::of(&Method::POST, "/dang-nhap", None),
            Some(Bucket::Login)
        );
        assert_eq!(
            Bucket::of(&Method::POST, "/hoi-dap/gui", None),
            Some(Bucket::Question)
        );
        assert_eq!(Bucket::of(&Method::GET, "/tin-tuc/x", None), None);
    }

    #[test]
    fn a_burst_is_allowed_then_refused_with_a_wait() {
        let limits = RateLimits::new(true);
        let client: IpAddr = "10.1.2.3".parse().unwrap();
        let other: IpAddr = "10.1.2.4".parse().unwrap();
        for _ in 0..10 {
            assert!(limits.check(Bucket::Login, client).is_ok());
        }
        let wait = limits.check(Bucket::Login, client).unwrap_err();
        assert!(wait > Duration::from_secs(4) && wait <= Duration::from_secs(6));
        assert_eq!(retry_after_secs(wait), 6);
        // Another client and another bucket are untouched.
        assert!(limits.check(Bucket::Login, other).is_ok());
        assert!(limits.check(Bucket::Search, client).is_ok());
        let off = RateLimits::new(false);
        for _ in 0..100 {
            assert!(off.check(Bucket::Login, client).is_ok());
        }
    }

    #[test]
    fn retry_after_is_whole_seconds_at_least_one() {
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::from_secs(2)), 2);
        assert_eq!(retry_after_secs(Duration::from_millis(2001)), 3);
    }

    #[tokio::test]
    async fn live_streams_are_capped_per_client_and_in_total() {
        let streams = LiveStreams::new(3, 2);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let first = streams.try_open(Some(a)).unwrap();
        let _second = streams.try_open(Some(a)).unwrap();
        let refused = streams.try_open(Some(a)).err().unwrap().into_response();
        assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(refused.headers()[header::RETRY_AFTER], "30");
        let _third = streams.try_open(Some(b)).unwrap();
        assert!(streams.try_open(Some(b)).is_err(), "the total is reached");
        assert!(streams.try_open(None).is_err());
        drop(first);
        assert_eq!(streams.open_count(), 2);
        assert!(
            streams.try_open(Some(a)).is_ok(),
            "a closed stream frees its place"
        );
    }
}
