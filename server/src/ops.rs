//! Operations: health checks (`/healthz`, `/readyz`), Prometheus metrics
//! (`/metrics`, only for the addresses of `CCHC_METRICS_ALLOW`), and the
//! request id every response carries in `x-request-id` and every request's
//! log span records.

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use migration::MigratorTrait;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use crate::counter::Counter;
use crate::counter::visitor::{IpNet, VisitorPolicy};

/// The process is alive: 200 `ok`, without touching the database.
pub const HEALTH_PATH: &str = "/healthz";
/// The portal can serve: the database answers and every migration is applied.
pub const READY_PATH: &str = "/readyz";
/// Prometheus's text format, for the addresses of `CCHC_METRICS_ALLOW`.
pub const METRICS_PATH: &str = "/metrics";
/// The request id's header, on requests (kept when a proxy set a sane one) and responses.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Requests by route template (`MatchedPath`, or `unmatched`) and status class.
pub const HTTP_REQUESTS: &str = "cchc_http_requests_total";
/// Time until the response's head, by route template.
pub const HTTP_DURATION: &str = "cchc_http_request_duration_seconds";
/// Live streams (`/api/luot-truy-cap/truc-tiep`) open now.
pub const LIVE_STREAMS: &str = "cchc_live_streams_open";
/// Page views counted in memory, not yet written to the database.
pub const COUNTER_PENDING: &str = "cchc_counter_pending_page_views";
/// Seconds since the counter's last successful flush.
pub const COUNTER_FLUSH_LAG: &str = "cchc_counter_flush_lag_seconds";
/// The database pool's connections, by `state` (`in_use`, `idle`).
pub const DB_CONNECTIONS: &str = "cchc_db_pool_connections";

/// How long `/readyz` waits for the database before answering 503.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

const LATENCY_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// The process's metrics recorder, installed globally on first use (the
/// `metrics` macros record into it); `/metrics` renders its handle.
pub fn metrics_handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new();
        let builder = match builder
            .set_buckets_for_metric(Matcher::Full(HTTP_DURATION.into()), &LATENCY_BUCKETS)
        {
            Ok(builder) => builder,
            // Only for an empty bucket list: a summary then.
            Err(_) => PrometheusBuilder::new(),
        };
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder is installed; /metrics stays empty");
        }
        handle
    })
}

/// What the operations endpoints look at.
#[derive(Clone)]
pub struct Ops {
    db: DatabaseConnection,
    counter: Arc<Counter>,
    policy: Arc<VisitorPolicy>,
    allow: Arc<[IpNet]>,
}

impl Ops {
    pub fn new(
        db: DatabaseConnection,
        counter: Arc<Counter>,
        trusted_proxies: Vec<IpNet>,
        metrics_allow: Vec<IpNet>,
    ) -> Self {
        metrics_handle();
        Self {
            db,
            counter,
            policy: Arc::new(VisitorPolicy::new(trusted_proxies)),
            allow: metrics_allow.into(),
        }
    }

    /// Whether the request may read `/metrics`: its client (the peer, or
    /// behind a trusted proxy the forwarded address) is in the allow-list. A
    /// request relayed by a proxy that is not trusted is refused, so that
    /// nginx on an allowed address (loopback) does not open it to everyone.
    fn allows(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> bool {
        let Some(peer) = peer.map(|ip| ip.to_canonical()) else {
            return false;
        };
        let relayed =
            headers.contains_key("x-forwarded-for") || headers.contains_key(header::FORWARDED);
        if relayed && !self.policy.is_trusted(peer) {
            return false;
        }
        let client = self
            .policy
            .client_ip(Some(peer), headers)
            .unwrap_or(peer)
            .to_canonical();
        self.allow.iter().any(|net| net.contains(client))
    }

    /// The gauges read at scrape time: the counter's backlog, the database pool.
    fn sample(&self) {
        metrics::gauge!(LIVE_STREAMS).increment(0.0);
        metrics::gauge!(COUNTER_PENDING).set(self.counter.pending_page_views() as f64);
        metrics::gauge!(COUNTER_FLUSH_LAG).set(self.counter.since_last_flush().as_secs_f64());
        let (size, idle) = match self.db.get_database_backend() {
            DbBackend::Sqlite => {
                let pool = self.db.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle())
            }
            DbBackend::Postgres => {
                let pool = self.db.get_postgres_connection_pool();
                (pool.size(), pool.num_idle())
            }
            _ => return,
        };
        let idle = u32::try_from(idle).unwrap_or(u32::MAX);
        metrics::gauge!(DB_CONNECTIONS, "state" => "idle").set(f64::from(idle));
        metrics::gauge!(DB_CONNECTIONS, "state" => "in_use")
            .set(f64::from(size.saturating_sub(idle)));
    }
}

pub fn routes<S: Clone + Send + Sync + 'static>(ops: Ops) -> Router<S> {
    Router::new()
        .route(HEALTH_PATH, get(healthz))
        .route(READY_PATH, get(readyz))
        .route(METRICS_PATH, get(metrics_page))
        .with_state(ops)
}

fn no_store() -> [(HeaderName, &'static str); 1] {
    [(header::CACHE_CONTROL, "no-store")]
}

async fn healthz() -> Response {
    (no_store(), "ok").into_response()
}

async fn readyz(State(ops): State<Ops>) -> Response {
    let verdict = match tokio::time::timeout(READY_TIMEOUT, readiness(&ops.db)).await {
        Ok(verdict) => verdict,
        Err(_) => Err(NotReady::Database("no answer within 2 s".to_owned())),
    };
    match verdict {
        Ok(()) => (no_store(), "ok").into_response(),
        Err(not_ready) => {
            tracing::warn!(reason = %not_ready.detail(), "not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                no_store(),
                not_ready.message(),
            )
                .into_response()
        }
    }
}

/// Why `/readyz` answers 503.
#[derive(Debug)]
pub enum NotReady {
    /// The database did not answer; the error is logged, not shown.
    Database(String),
    /// Migrations this build knows that the database has not applied.
    Migrations(Vec<String>),
}

impl NotReady {
    /// The short reason in the response.
    fn message(&self) -> String {
        match self {
            NotReady::Database(_) => "Cơ sở dữ liệu không trả lời.".to_owned(),
            NotReady::Migrations(missing) => format!(
                "Cơ sở dữ liệu chưa được nâng cấp: thiếu {} migration ({}).",
                missing.len(),
                missing[0]
            ),
        }
    }

    fn detail(&self) -> String {
        match self {
            NotReady::Database(err) => format!("database: {err}"),
            NotReady::Migrations(missing) => format!("migrations not applied: {missing:?}"),
        }
    }
}

/// The migrations this build knows, by name.
fn known_migrations() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        migration::Migrator::migrations()
            .iter()
            .map(|m| m.name().to_owned())
            .collect()
    })
}

/// A trivial query, then this build's migrations against the applied ones
/// (read only: a newer build's extra migrations do not make this one unready,
/// so servers can be upgraded one at a time).
pub async fn readiness(db: &DatabaseConnection) -> Result<(), NotReady> {
    let backend = db.get_database_backend();
    db.query_one_raw(Statement::from_string(backend, "SELECT 1"))
        .await
        .map_err(|err| NotReady::Database(err.to_string()))?;
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT version FROM seaql_migrations",
        ))
        .await
        .map_err(|_| NotReady::Migrations(known_migrations().to_vec()))?;
    let applied: HashSet<String> = rows
        .iter()
        .filter_map(|row| row.try_get::<String>("", "version").ok())
        .collect();
    let missing: Vec<String> = known_migrations()
        .iter()
        .filter(|name| !applied.contains(*name))
        .cloned()
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(NotReady::Migrations(missing))
    }
}

async fn metrics_page(
    State(ops): State<Ops>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
) -> Response {
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    if !ops.allows(peer, &headers) {
        return (
            StatusCode::FORBIDDEN,
            no_store(),
            "Không có quyền truy cập.",
        )
            .into_response();
    }
    ops.sample();
    let handle = metrics_handle();
    handle.run_upkeep();
    (
        [
            (
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        handle.render(),
    )
        .into_response()
}

/// Counts a request and times it until its response's head, by route
/// template: a `Router::layer`, so that the route is matched.
pub async fn track(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let started = Instant::now();
    let response = next.run(request).await;
    let class = match response.status().as_u16() / 100 {
        1 => "1xx",
        2 => "2xx",
        3 => "3xx",
        4 => "4xx",
        _ => "5xx",
    };
    metrics::counter!(HTTP_REQUESTS, "route" => route.clone(), "status" => class).increment(1);
    metrics::histogram!(HTTP_DURATION, "route" => route).record(started.elapsed().as_secs_f64());
    response
}

/// A live stream open: the gauge goes down when the stream (holding this) drops.
pub struct LiveStreamGuard(());

impl LiveStreamGuard {
    pub fn open() -> Self {
        metrics::gauge!(LIVE_STREAMS).increment(1.0);
        Self(())
    }
}

impl Drop for LiveStreamGuard {
    fn drop(&mut self) {
        metrics::gauge!(LIVE_STREAMS).decrement(1.0);
    }
}

/// A request id a proxy may pass on (nginx's `$request_id`): short, plain.
fn is_sane_id(value: &HeaderValue) -> bool {
    let bytes = value.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 64
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// A new id: the process's start (hex seconds) and a sequence number, unique
/// per process without a random-number or UUID crate.
fn new_request_id() -> HeaderValue {
    static STARTED: OnceLock<u64> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let started = *STARTED.get_or_init(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default()
    });
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    HeaderValue::try_from(format!("{started:x}-{n:x}"))
        .unwrap_or_else(|_| HeaderValue::from_static("0"))
}

/// Gives the request an id (kept if a proxy set a sane one), for the log
/// span, and echoes it in the response. Outside the `TraceLayer`.
pub async fn request_id(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .filter(|value| is_sane_id(value))
        .cloned()
        .unwrap_or_else(new_request_id);
    request.headers_mut().insert(REQUEST_ID, id.clone());
    let mut response = next.run(request).await;
    response.headers_mut().insert(REQUEST_ID, id);
    response
}

/// The `TraceLayer`'s span: method, path (never the query string, which can
/// hold a password-reset token), request id. No headers (cookies), no address.
pub fn request_span(request: &axum::http::Request<Body>) -> tracing::Span {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %id,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_unique_and_proxy_ids_are_checked() {
        let (a, b) = (new_request_id(), new_request_id());
        assert_ne!(a, b);
        assert!(is_sane_id(&a));
        assert!(is_sane_id(&HeaderValue::from_static("4f1c2a9e0b")));
        assert!(!is_sane_id(&HeaderValue::from_static("a b")));
        assert!(!is_sane_id(&HeaderValue::from_static("")));
        assert!(!is_sane_id(
            &HeaderValue::from_str(&"x".repeat(65)).unwrap()
        ));
    }

    #[test]
    fn the_migrations_are_known_by_name() {
        let names = known_migrations();
        assert!(!names.is_empty());
        assert!(names.iter().all(|name| name.starts_with('m')));
    }
}
