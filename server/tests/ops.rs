//! Operations endpoints over HTTP, on both databases: `/healthz` is alive
//! without the database, `/readyz` answers 200 when the database answers and
//! every migration is applied and 503 with a reason when a migration is
//! missing (and, on PostgreSQL, when the database is gone); `/metrics` only
//! for allowed peer addresses (never through an untrusted proxy), with the
//! request counter by route and the live streams' gauge; every response has
//! an `x-request-id`; none of these requests counts as a visit.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use common::TestDb;
use http_body_util::BodyExt;
use sea_orm::ConnectionTrait;
use tower::ServiceExt;

const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    text: String,
}

impl Reply {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

async fn send(
    router: &axum::Router,
    path: &str,
    peer: Option<&str>,
    extra: &[(&str, &str)],
) -> Reply {
    let mut request = Request::get(path).header(header::USER_AGENT, BROWSER);
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    let mut request = request.body(Body::empty()).unwrap();
    if let Some(peer) = peer {
        let addr: SocketAddr = peer.parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(addr));
    }
    let response = router.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    Reply {
        status: parts.status,
        headers: parts.headers,
        text: String::from_utf8_lossy(&body.collect().await.unwrap().to_bytes()).into_owned(),
    }
}

/// The value of the metric line that starts with `series` (name and labels).
fn metric(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|line| {
        line.strip_prefix(series)?
            .strip_prefix(' ')?
            .trim()
            .parse()
            .ok()
    })
}

async fn operations(db: &TestDb) {
    let mut config = server::Config::for_database(&db.url).unwrap();
    config.counter_flush_interval = std::time::Duration::from_secs(3600);
    config.trusted_proxies = vec!["10.0.0.1".parse().unwrap()];
    let portal = server::build(&config).await.expect("build the portal");
    let router = portal.router.clone();
    let counter = portal.counter.clone();

    // Alive, ready, not cached by anyone.
    let health = send(&router, "/healthz", None, &[]).await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.text, "ok");
    assert_eq!(health.header("cache-control"), "no-store");
    let ready = send(&router, "/readyz", None, &[]).await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.text);
    assert_eq!(ready.header("cache-control"), "no-store");

    // Request ids: one for each response, a proxy's sane one kept.
    let first = health.header("x-request-id").to_owned();
    assert!(!first.is_empty());
    assert_ne!(first, ready.header("x-request-id"));
    let relayed = send(
        &router,
        "/healthz",
        None,
        &[("x-request-id", "nginx-4f1c2a")],
    )
    .await;
    assert_eq!(relayed.header("x-request-id"), "nginx-4f1c2a");
    let odd = send(&router, "/healthz", None, &[("x-request-id", "a\tb")]).await;
    assert_ne!(odd.header("x-request-id"), "a\tb");
    assert!(!odd.header("x-request-id").is_empty());

    // A page, counted: the control for what follows.
    let home = send(&router, "/", Some("198.51.100.7:5000"), &[]).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(!home.header("x-request-id").is_empty());
    assert_eq!(counter.pending_page_views(), 1);
    counter.flush().await.unwrap();
    let visits = counter.refresh_stats().await.unwrap();

    // /metrics: not without a peer, not from elsewhere, not through nginx
    // on loopback that is not trusted, nor for a client a trusted proxy names.
    assert_eq!(
        send(&router, "/metrics", None, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(&router, "/metrics", Some("198.51.100.7:5000"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(
            &router,
            "/metrics",
            Some("127.0.0.1:5000"),
            &[("x-forwarded-for", "203.0.113.9")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(
            &router,
            "/metrics",
            Some("10.0.0.1:5000"),
            &[("x-forwarded-for", "203.0.113.9")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    // A live stream open shows in the gauge, and leaves it when it closes.
    let stream = router
        .clone()
        .oneshot(
            Request::get("/api/luot-truy-cap/truc-tiep")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    let metrics = send(&router, "/metrics", Some("127.0.0.1:40000"), &[]).await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert_eq!(metrics.header("cache-control"), "no-store");
    assert!(metrics.header("content-type").starts_with("text/plain"));
    assert!(
        metrics
            .text
            .contains("# TYPE cchc_http_requests_total counter"),
        "{}",
        metrics.text
    );
    assert!(
        metric(
            &metrics.text,
            r#"cchc_http_requests_total{route="/",status="2xx"}"#
        )
        .is_some_and(|n| n >= 1.0),
        "{}",
        metrics.text
    );
    assert!(
        metric(
            &metrics.text,
            r#"cchc_http_requests_total{route="/metrics",status="4xx"}"#
        )
        .is_some_and(|n| n >= 4.0),
        "{}",
        metrics.text
    );
    assert!(
        metrics
            .text
            .contains("cchc_http_request_duration_seconds_bucket{route=\"/\",le=\"0.1\"}")
    );
    assert_eq!(
        metric(&metrics.text, "cchc_live_streams_open"),
        Some(1.0),
        "{}",
        metrics.text
    );
    assert_eq!(
        metric(&metrics.text, "cchc_counter_pending_page_views"),
        Some(0.0)
    );
    assert!(metric(&metrics.text, "cchc_counter_flush_lag_seconds").is_some());
    assert!(metric(&metrics.text, r#"cchc_db_pool_connections{state="idle"}"#).is_some());
    assert!(metric(&metrics.text, r#"cchc_db_pool_connections{state="in_use"}"#).is_some());
    drop(stream);
    // IPv6 loopback, and a trusted proxy relaying a loopback client.
    let metrics = send(&router, "/metrics", Some("[::1]:40000"), &[]).await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert_eq!(
        metric(&metrics.text, "cchc_live_streams_open"),
        Some(0.0),
        "{}",
        metrics.text
    );
    assert_eq!(
        send(
            &router,
            "/metrics",
            Some("10.0.0.1:5000"),
            &[("x-forwarded-for", "127.0.0.1")]
        )
        .await
        .status,
        StatusCode::OK
    );

    // None of that counted: no page view waiting, no new visit written.
    let stranger = Some("203.0.113.50:6000");
    for path in ["/healthz", "/readyz", "/metrics"] {
        send(&router, path, stranger, &[]).await;
    }
    assert_eq!(counter.pending_page_views(), 0);
    counter.flush().await.unwrap();
    assert_eq!(counter.refresh_stats().await.unwrap(), visits);

    // A migration this build knows that the database lacks: not ready.
    let other = db.connect().await;
    let last = migration_names().pop().unwrap();
    other
        .execute_unprepared(&format!(
            "DELETE FROM seaql_migrations WHERE version = '{last}'"
        ))
        .await
        .unwrap();
    let unready = send(&router, "/readyz", None, &[]).await;
    assert_eq!(unready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(unready.text.contains(&last), "{}", unready.text);
    assert_eq!(unready.header("cache-control"), "no-store");
    assert_eq!(
        send(&router, "/healthz", None, &[]).await.status,
        StatusCode::OK
    );
    other
        .execute_unprepared(&format!(
            "INSERT INTO seaql_migrations (version, applied_at) VALUES ('{last}', 0)"
        ))
        .await
        .unwrap();
    assert_eq!(
        send(&router, "/readyz", None, &[]).await.status,
        StatusCode::OK
    );
    other.close().await.ok();

    portal.shutdown().await.unwrap();
}

fn migration_names() -> Vec<String> {
    use migration::MigratorTrait;
    migration::Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect()
}

#[test]
fn sqlite_operations() {
    common::run_alone(async {
        let db = TestDb::sqlite();
        operations(&db).await;
        db.drop_db().await;
    });
}

#[test]
fn postgres_operations() {
    common::run_alone(async {
        let db = TestDb::postgres().await;
        operations(&db).await;
        db.drop_db().await;
    });
}

/// The database gone (dropped under the running portal): `/readyz` says so
/// within its time limit, `/healthz` still answers.
#[test]
fn postgres_unreachable_database_is_not_ready() {
    common::run_alone(async {
        let db = TestDb::postgres().await;
        let config = server::Config::for_database(&db.url).unwrap();
        let portal = server::build(&config).await.expect("build the portal");
        let router = portal.router.clone();
        assert_eq!(
            send(&router, "/readyz", None, &[]).await.status,
            StatusCode::OK
        );

        let (base, name) = db.url.rsplit_once('/').unwrap();
        let admin = sea_orm::Database::connect(format!("{base}/postgres"))
            .await
            .unwrap();
        admin
            .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .await
            .unwrap();
        admin.close().await.ok();

        let started = std::time::Instant::now();
        let unready = send(&router, "/readyz", None, &[]).await;
        assert_eq!(
            unready.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            unready.text
        );
        assert!(unready.text.contains("Cơ sở dữ liệu"), "{}", unready.text);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(
            send(&router, "/healthz", None, &[]).await.status,
            StatusCode::OK
        );

        // The last flush has nowhere to go; nothing was counted anyway.
        let _ = portal.shutdown().await;
        db.drop_db().await;
    });
}
