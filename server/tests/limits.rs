//! Limits over HTTP (SQLite; the limits keep nothing in the database):
//! rate limits per client address with `Retry-After`, behind a trusted proxy
//! the forwarded address; body limits per route (413, politely); the cap on
//! live streams (503); pages beyond the renders allowed at once wait their
//! turn; the counter's allowance, so that 10,000 beacons add
//! what one reader could; and the audit log's address of a server function
//! call made through a trusted proxy.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use common::TestDb;
use http_body_util::BodyExt;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::counter::clock::{Clock, ManualClock};
use server::counter::store::totals;
use server::counter::{VIEW_BURST, VIEW_REFILL};
use time::macros::datetime;
use tower::ServiceExt;

const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
const PROXY: &str = "127.0.0.1:40000";

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    text: String,
    /// A live stream's body, open until the reply is dropped.
    _stream: Option<Body>,
}

/// A portal behind the proxy 127.0.0.1, with a clock the test sets.
struct Site {
    db: TestDb,
    portal: server::Portal,
    clock: Arc<ManualClock>,
}

impl Site {
    async fn new(edit: impl FnOnce(&mut server::Config)) -> Self {
        let db = TestDb::sqlite();
        let mut config = server::Config::for_database(&db.url).unwrap();
        config.seed_demo = false;
        config.counter_flush_interval = std::time::Duration::from_secs(3600);
        config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
        edit(&mut config);
        let clock = Arc::new(ManualClock::new(datetime!(2026-12-01 03:00:00 UTC)));
        let portal = server::build_with_clock(&config, clock.clone() as Arc<dyn Clock>)
            .await
            .expect("build the portal");
        Self { db, portal, clock }
    }

    /// Sends `method path` with `body` from `client` (relayed by the trusted
    /// proxy as `X-Forwarded-For`) or, with `None`, from an unknown peer.
    async fn send(
        &self,
        method: Method,
        path: &str,
        client: Option<&str>,
        extra: &[(&str, &str)],
        body: impl Into<Body>,
    ) -> Reply {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("sec-fetch-site", "same-origin");
        if !extra
            .iter()
            .any(|(name, _)| *name == header::USER_AGENT.as_str())
        {
            request = request.header(header::USER_AGENT, BROWSER);
        }
        if let Some(client) = client {
            request = request.header("x-forwarded-for", client);
        }
        for (name, value) in extra {
            request = request.header(*name, *value);
        }
        let mut request = request.body(body.into()).unwrap();
        if client.is_some() {
            let proxy: SocketAddr = PROXY.parse().unwrap();
            request.extensions_mut().insert(ConnectInfo(proxy));
        }
        let response = self.portal.router.clone().oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let streaming = parts
            .headers
            .get(header::CONTENT_TYPE)
            .map(|v| v.as_bytes())
            == Some(b"text/event-stream");
        let (text, stream) = if streaming {
            (String::new(), Some(body))
        } else {
            let bytes = body.collect().await.unwrap().to_bytes();
            (String::from_utf8_lossy(&bytes).into_owned(), None)
        };
        Reply {
            status: parts.status,
            headers: parts.headers,
            text,
            _stream: stream,
        }
    }

    async fn finish(self) {
        self.portal.shutdown().await.unwrap();
        self.db.drop_db().await;
    }
}

fn retry_after(reply: &Reply) -> u64 {
    reply.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

async fn search_and_login_are_rate_limited_per_client_with_retry_after() {
    let site = Site::new(|_| {}).await;
    let search = |client: &'static str| {
        site.send(
            Method::GET,
            "/tim-kiem?q=can+tho",
            Some(client),
            &[],
            Body::empty(),
        )
    };
    // A reader may search 30 times in a row…
    for n in 0..30 {
        let reply = search("203.0.113.5").await;
        assert_eq!(reply.status, StatusCode::OK, "search {n}");
    }
    // …then waits about half a second for each further one.
    let refused = search("203.0.113.5").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry_after(&refused), 1);
    assert!(
        refused.text.contains("Bạn gửi yêu cầu quá nhanh"),
        "{}",
        refused.text
    );
    // The security headers are there as on every answer.
    assert_eq!(refused.headers["x-content-type-options"], "nosniff");
    // Another reader behind the same proxy is not held back: the forwarded
    // address is the client, not the proxy.
    let other = search("203.0.113.6").await;
    assert_eq!(other.status, StatusCode::OK);
    // Articles are not rate limited.
    let home = site
        .send(Method::GET, "/", Some("203.0.113.5"), &[], Body::empty())
        .await;
    assert_eq!(home.status, StatusCode::OK);

    // Ten sign-in attempts, then a wait of about six seconds.
    let form = [(
        header::CONTENT_TYPE.as_str(),
        "application/x-www-form-urlencoded",
    )];
    let sign_in = || {
        site.send(
            Method::POST,
            "/dang-nhap",
            Some("198.51.100.9"),
            &form,
            "ten_dang_nhap=a&mat_khau=b",
        )
    };
    for _ in 0..10 {
        let reply = sign_in().await;
        assert_ne!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    }
    let refused = sign_in().await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!((5..=6).contains(&retry_after(&refused)));
    site.finish().await;
}

async fn oversized_bodies_are_refused_politely_per_route() {
    let site = Site::new(|_| {}).await;
    let plain = [(header::CONTENT_TYPE.as_str(), "text/plain")];
    // A beacon is a path: 4 KiB at most.
    let path = format!("/tin-tuc/{}", "a".repeat(5000));
    let reply = site
        .send(
            Method::POST,
            "/api/luot-truy-cap",
            Some("203.0.113.5"),
            &plain,
            path,
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        reply.text.contains("Nội dung gửi lên quá lớn"),
        "{}",
        reply.text
    );
    // The login form: 16 KiB at most.
    let form = [(
        header::CONTENT_TYPE.as_str(),
        "application/x-www-form-urlencoded",
    )];
    let reply = site
        .send(
            Method::POST,
            "/dang-nhap",
            Some("203.0.113.5"),
            &form,
            format!("ten_dang_nhap=a&mat_khau={}", "x".repeat(20_000)),
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    // A question of ordinary length still goes through to its own checks.
    let reply = site
        .send(
            Method::POST,
            "/hoi-dap/gui",
            Some("203.0.113.5"),
            &form,
            format!("noi_dung={}", "x".repeat(20_000)),
        )
        .await;
    assert_ne!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    // A server function's body: 2 MiB at most.
    let length = (3 * 1024 * 1024).to_string();
    let json = [
        (header::CONTENT_TYPE.as_str(), "application/json"),
        (header::CONTENT_LENGTH.as_str(), length.as_str()),
    ];
    let reply = site
        .send(
            Method::POST,
            "/api/quan-tri/luu-trang",
            Some("203.0.113.5"),
            &json,
            vec![b' '; 3 * 1024 * 1024],
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    site.finish().await;
}

async fn live_streams_are_capped_per_client_and_in_total() {
    let site = Site::new(|config| {
        config.live_max_streams = 3;
        config.live_max_streams_per_client = 2;
    })
    .await;
    let stream = "/api/luot-truy-cap/truc-tiep";
    let open =
        |client: &'static str| site.send(Method::GET, stream, Some(client), &[], Body::empty());
    let first = open("203.0.113.1").await;
    assert_eq!(first.status, StatusCode::OK);
    let second = open("203.0.113.1").await;
    assert_eq!(second.status, StatusCode::OK);
    // The same client's third stream is refused…
    let refused = open("203.0.113.1").await;
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(retry_after(&refused), 30);
    assert!(
        refused.text.contains("quá nhiều kết nối"),
        "{}",
        refused.text
    );
    // …another client takes the last place, then the total is reached.
    let third = open("203.0.113.2").await;
    assert_eq!(third.status, StatusCode::OK);
    assert_eq!(
        open("203.0.113.3").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    // A reader who leaves gives the place back.
    drop(first);
    assert_eq!(open("203.0.113.3").await.status, StatusCode::OK);
    drop((second, third));
    site.finish().await;
}

async fn ten_thousand_beacons_add_what_one_reader_could() {
    let site = Site::new(|_| {}).await;
    let conn = site.db.connect().await;
    let plain = [(header::CONTENT_TYPE.as_str(), "text/plain")];
    // In-process requests have no peer address, so only the counter's own
    // allowance applies (the HTTP rate limit is per address).
    let mut acknowledged = 0;
    for _ in 0..10_000 {
        let reply = site
            .send(
                Method::POST,
                "/api/luot-truy-cap",
                None,
                &plain,
                "/tin-tuc/bai-viet",
            )
            .await;
        acknowledged += usize::from(reply.status == StatusCode::NO_CONTENT);
    }
    assert_eq!(acknowledged, 10_000, "every beacon is answered as usual");
    site.portal.counter.flush().await.unwrap();
    assert_eq!(totals(&conn).await.unwrap(), (1, i64::from(VIEW_BURST)));
    // A minute later the reader could have read 20 more pages, no more.
    site.clock.advance(time::Duration::seconds(60));
    for _ in 0..10_000 {
        site.send(
            Method::POST,
            "/api/luot-truy-cap",
            None,
            &plain,
            "/tin-tuc/bai-viet",
        )
        .await;
    }
    site.portal.counter.flush().await.unwrap();
    let refill = 60 / VIEW_REFILL.as_secs() as i64;
    assert_eq!(
        totals(&conn).await.unwrap(),
        (1, i64::from(VIEW_BURST) + refill)
    );
    // Another reader is counted as usual.
    let other = [
        (header::CONTENT_TYPE.as_str(), "text/plain"),
        (
            header::USER_AGENT.as_str(),
            "Mozilla/5.0 (Android 14) Firefox/132.0",
        ),
    ];
    site.send(Method::POST, "/api/luot-truy-cap", None, &other, "/")
        .await;
    site.portal.counter.flush().await.unwrap();
    assert_eq!(
        totals(&conn).await.unwrap(),
        (2, i64::from(VIEW_BURST) + refill + 1)
    );
    conn.close().await.unwrap();
    site.finish().await;
}

async fn the_audit_log_keeps_the_forwarded_address_of_a_server_function_call() {
    let site = Site::new(|_| {}).await;
    let (_, cookie) = common::sign_in(
        &site.portal.router,
        &site.db.url,
        "quantri",
        "Quản trị",
        app::model::accounts::Role::Admin,
    )
    .await;
    let conn = site.db.connect().await;
    let page = server::db::entities::page::Entity::find()
        .filter(server::db::entities::page::Column::Slug.eq("gioi-thieu"))
        .one(&conn)
        .await
        .unwrap()
        .expect("the about page is created with the database");
    let change = serde_json::json!({ "input": {
        "slug": "gioi-thieu",
        "base_version": page.version,
        "title": "Giới thiệu",
        "body_html": "<p>Nội dung mới.</p>",
    }});
    let reply = site
        .send(
            Method::POST,
            "/api/quan-tri/luu-trang",
            Some("203.0.113.77"),
            &[
                (header::CONTENT_TYPE.as_str(), "application/json"),
                (header::COOKIE.as_str(), cookie.as_str()),
            ],
            change.to_string(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let event = server::db::entities::audit_event::Entity::find()
        .filter(server::db::entities::audit_event::Column::Action.eq("page_changed"))
        .one(&conn)
        .await
        .unwrap()
        .expect("the change is in the audit log");
    // The reader's address, shortened as the log keeps it; not the proxy's.
    assert_eq!(event.ip.as_deref(), Some("203.0.113.0"));
    conn.close().await.unwrap();
    site.finish().await;
}

/// More pages asked for at once than the server renders at once
/// (`RENDERS_AT_ONCE`, with the page cache off): the rest wait their turn
/// and every reader still gets the whole page, none an error.
async fn renders_beyond_the_limit_wait_their_turn() {
    let site = Site::new(|config| config.seed_demo = true).await;
    let paths = ["/", "/tim-kiem?q=can+tho", "/van-ban", "/hoi-dap"];
    let mut renders = tokio::task::JoinSet::new();
    for n in 0..3 * server::limits::RENDERS_AT_ONCE {
        let router = site.portal.router.clone();
        let path = paths[n % paths.len()];
        renders.spawn(async move {
            let request = Request::builder()
                .uri(path)
                .header(header::USER_AGENT, BROWSER)
                .body(Body::empty())
                .unwrap();
            let response = router.oneshot(request).await.unwrap();
            let status = response.status();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            (path, status, String::from_utf8_lossy(&bytes).into_owned())
        });
    }
    let mut answered = 0;
    while let Some(reply) = renders.join_next().await {
        let (path, status, html) = reply.unwrap();
        assert_eq!(status, StatusCode::OK, "{path}");
        // Debug builds write hydration markers (`<!---->`) after it.
        assert!(html.contains("</body>"), "{path}: {html}");
        answered += 1;
    }
    assert_eq!(answered, 3 * server::limits::RENDERS_AT_ONCE);
    site.finish().await;
}

/// Each builds a portal and renders pages: one at a time (see `run_alone`).
mod sqlite {
    #[test]
    fn search_and_login_are_rate_limited_per_client_with_retry_after() {
        super::common::run_alone(
            super::search_and_login_are_rate_limited_per_client_with_retry_after(),
        );
    }
    #[test]
    fn oversized_bodies_are_refused_politely_per_route() {
        super::common::run_alone(super::oversized_bodies_are_refused_politely_per_route());
    }
    #[test]
    fn live_streams_are_capped_per_client_and_in_total() {
        super::common::run_alone(super::live_streams_are_capped_per_client_and_in_total());
    }
    #[test]
    fn renders_beyond_the_limit_wait_their_turn() {
        super::common::run_alone(super::renders_beyond_the_limit_wait_their_turn());
    }
    #[test]
    fn ten_thousand_beacons_add_what_one_reader_could() {
        super::common::run_alone(super::ten_thousand_beacons_add_what_one_reader_could());
    }
    #[test]
    fn the_audit_log_keeps_the_forwarded_address_of_a_server_function_call() {
        super::common::run_alone(
            super::the_audit_log_keeps_the_forwarded_address_of_a_server_function_call(),
        );
    }
}
