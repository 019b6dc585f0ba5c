//! The page cache: stored pages are served compressed with validators, still
//! count as page views, and are never stale after a change to public
//! content, on this server or on another server of one PostgreSQL database.

mod common;

use std::io::Read;
use std::time::{Duration, Instant};

use app::model::accounts::{CurrentUser, Role};
use app::model::editorial::{ArticleDraft, ArticleStatus, Transition};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::TestDb;
use common::hits::{BROWSER, Client};
use common::process::ServerProcess;
use http_body_util::BodyExt;
use server::articles::write::{Actor, SaveKind, create_article};
use tower::ServiceExt;

/// One test at a time: see [`common::run_alone`].
fn run(test: impl std::future::Future<Output = ()>) {
    common::run_alone(test);
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn get(router: &axum::Router, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::get(path).header(header::USER_AGENT, BROWSER);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    Reply {
        status: parts.status,
        headers: parts.headers,
        body: body.collect().await.unwrap().to_bytes().to_vec(),
    }
}

fn draft(title: &str) -> ArticleDraft {
    ArticleDraft {
        title: title.to_owned(),
        excerpt: "Tóm tắt bài thử bộ nhớ đệm.".to_owned(),
        body_html: "<p>Nội dung bài thử.</p>".to_owned(),
        author: "Phóng viên".to_owned(),
        category_id: 1,
        ..ArticleDraft::default()
    }
}

async fn cached_pages_are_exact(db: &TestDb) {
    let mut config = server::Config::for_database(&db.url).unwrap();
    config.counter_flush_interval = Duration::from_secs(3600);
    config.page_cache_ttl = Duration::from_secs(600);
    let portal = server::build(&config).await.expect("build the portal");
    let router = portal.router.clone();

    // Rendered once, then served from memory: same bytes, same validator.
    let first = get(&router, "/", &[("accept-encoding", "gzip, br")]).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header("x-cache"), Some("miss"));
    assert_eq!(first.header("content-encoding"), Some("br"));
    assert_eq!(first.header("cache-control"), Some("no-cache"));
    assert_eq!(first.header("vary"), Some("Accept-Encoding"));
    assert!(first.header("last-modified").is_some());
    assert!(first.header("speculation-rules").is_some());
    let etag = first.header("etag").expect("an ETag").to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    let second = get(&router, "/", &[("accept-encoding", "br")]).await;
    assert_eq!(second.header("x-cache"), Some("hit"));
    assert_eq!(second.header("etag"), Some(etag.as_str()));
    assert_eq!(second.body, first.body);
    let plain = get(&router, "/", &[]).await;
    assert_eq!(plain.header("x-cache"), Some("hit"));
    assert!(plain.header("content-encoding").is_none());
    let mut decoded = Vec::new();
    brotli::Decompressor::new(&second.body[..], 4096)
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, plain.body);
    let gzip = get(&router, "/", &[("accept-encoding", "gzip")]).await;
    assert_eq!(gzip.header("content-encoding"), Some("gzip"));
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&gzip.body[..])
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, plain.body);

    // A conditional GET is answered 304, and it is still a page view.
    let revalidated = get(&router, "/", &[("if-none-match", &etag)]).await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);
    assert!(revalidated.body.is_empty());
    assert_eq!(revalidated.header("etag"), Some(etag.as_str()));
    let changed = get(&router, "/", &[("if-none-match", "W/\"something-else\"")]).await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_eq!(portal.counter.pending_page_views(), 6);

    // Errors are not stored; editors (a session cookie) never get stored pages.
    for _ in 0..2 {
        let missing = get(&router, "/tin-tuc/khong-co-bai-nay", &[]).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(missing.header("x-cache").is_none());
    }
    let editor = get(&router, "/", &[("cookie", "cchc_phien=abc")]).await;
    assert_eq!(editor.status, StatusCode::OK);
    assert!(editor.header("x-cache").is_none());
    assert!(editor.header("etag").is_none());

    // Publishing, editing and unpublishing show on the very next request.
    let conn = db.connect().await;
    let id = server::accounts::users::create_user(
        &conn,
        "bientap",
        "Biên tập",
        "mật khẩu thử nghiệm",
        Role::Editor,
    )
    .await
    .unwrap();
    let editor = CurrentUser {
        id,
        username: "bientap".to_owned(),
        display_name: "Biên tập".to_owned(),
        role: Role::Editor,
    };
    let editorial = &portal.state.editorial;
    let title = "Bài mới về bộ nhớ đệm của cổng thông tin";
    let saved = editorial.create_draft(&editor, draft(title)).await.unwrap();
    let page = get(&router, "/", &[]).await;
    assert_eq!(
        page.header("x-cache"),
        Some("hit"),
        "a draft changes nothing"
    );
    assert!(!page.text().contains(title));
    let mut fresh = portal.changes.subscribe();
    fresh.mark_unchanged();
    let published = editorial
        .transition(&editor, saved.id, Transition::Publish, String::new())
        .await
        .unwrap();
    assert!(fresh.has_changed().unwrap(), "live streams hear of it");
    assert!(fresh.borrow_and_update().contains(title));
    let page = get(&router, "/", &[]).await;
    assert_eq!(page.header("x-cache"), Some("miss"));
    assert!(page.text().contains(title));
    let article_path = format!("/tin-tuc/{}", published.slug);
    let article = get(&router, &article_path, &[]).await;
    assert_eq!(article.status, StatusCode::OK);
    let article = get(&router, &article_path, &[]).await;
    assert_eq!(article.header("x-cache"), Some("hit"));
    let renamed = "Bài mới về bộ nhớ đệm, đã sửa tiêu đề";
    let edited = editorial
        .save(&editor, saved.id, published.version, draft(renamed), false)
        .await
        .unwrap();
    let article = get(&router, &article_path, &[]).await;
    assert!(article.text().contains(renamed), "an edit shows at once");
    let feed = get(&router, "/rss.xml", &[]).await;
    assert!(feed.text().contains(renamed));
    editorial
        .transition(&editor, saved.id, Transition::Unpublish, String::new())
        .await
        .unwrap();
    let _ = edited;
    assert_eq!(
        get(&router, &article_path, &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!get(&router, "/", &[]).await.text().contains(renamed));
    assert!(!get(&router, "/rss.xml", &[]).await.text().contains(renamed));

    conn.close().await.unwrap();
    portal.shutdown().await.unwrap();
}

#[test]
fn sqlite_cached_pages_are_exact() {
    run(async {
        let db = TestDb::sqlite();
        cached_pages_are_exact(&db).await;
        db.drop_db().await;
    });
}

#[test]
fn postgres_cached_pages_are_exact() {
    run(async {
        let db = TestDb::postgres().await;
        cached_pages_are_exact(&db).await;
        db.drop_db().await;
    });
}

/// A page older than its time to live is rendered again by one request;
/// others get the stored copy meanwhile, then the new one.
#[test]
fn old_pages_are_rendered_again() {
    run(async {
        let db = TestDb::sqlite();
        let mut config = server::Config::for_database(&db.url).unwrap();
        config.counter_flush_interval = Duration::from_secs(3600);
        config.page_cache_ttl = Duration::from_millis(300);
        let portal = server::build(&config).await.expect("build the portal");
        let router = portal.router.clone();
        assert_eq!(get(&router, "/", &[]).await.header("x-cache"), Some("miss"));
        assert_eq!(get(&router, "/", &[]).await.header("x-cache"), Some("hit"));
        tokio::time::sleep(Duration::from_millis(400)).await;
        let (a, b) = tokio::join!(get(&router, "/", &[]), get(&router, "/", &[]));
        let mut seen = [a.header("x-cache"), b.header("x-cache")];
        seen.sort();
        // One of the two renders; the other is either served the old copy
        // or waits for nothing: never two renders.
        assert_eq!(seen, [Some("hit"), Some("miss")]);
        assert_eq!(get(&router, "/", &[]).await.header("x-cache"), Some("hit"));
        portal.shutdown().await.unwrap();
        db.drop_db().await;
    });
}

/// GETs `path` from `addr` until its body contains `text`; how long it took.
async fn wait_for(addr: std::net::SocketAddr, path: &str, text: &str) -> Option<Duration> {
    let start = Instant::now();
    let mut client = Client::new(addr);
    while start.elapsed() < Duration::from_secs(5) {
        let reply = client.get(path, &[("User-Agent", BROWSER)]).await.unwrap();
        if reply.text().contains(text) {
            return Some(start.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    None
}

/// Publishes an article as a third party (neither server knows of it but
/// through PostgreSQL's notification).
async fn publish_elsewhere(conn: &sea_orm::DatabaseConnection, title: &str) {
    let now = time::OffsetDateTime::now_utc();
    create_article(
        conn,
        Actor::System,
        draft(title),
        ArticleStatus::Published,
        Some(now),
        SaveKind::Seed,
        now,
    )
    .await
    .unwrap();
}

/// Two server processes on one PostgreSQL database, each with stored pages
/// (kept for ten minutes): a publication anywhere reaches both at once, and
/// a server that lost its notification connection serves nothing stale.
#[test]
fn two_servers_never_serve_a_page_older_than_a_publication() {
    run(async {
        let db = TestDb::postgres().await;
        let env = [
            ("CCHC_SEED_DEMO", "true"),
            ("CCHC_PAGE_CACHE_SECONDS", "600"),
        ];
        let first = ServerProcess::start_with(&db.url, &env).await;
        let second = ServerProcess::start_with(&db.url, &env).await;
        for server in [&first, &second] {
            server.wait_until_stored().await;
        }
        let conn = db.connect().await;
        let title = "Tin đăng từ máy chủ khác";
        publish_elsewhere(&conn, title).await;
        for server in [&first, &second] {
            let took = wait_for(server.addr, "/", title).await;
            assert!(took.is_some(), "{} still serves the old page", server.addr);
            eprintln!("{}: new page after {:?}", server.addr, took.unwrap());
        }

        // Cut every server's notification connection, publish while they
        // reconnect: no server may keep serving what it stored before.
        let mut client = Client::new(second.addr);
        client.get("/", &[("User-Agent", BROWSER)]).await.unwrap();
        use sea_orm::ConnectionTrait;
        conn.execute_unprepared(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND query ILIKE 'listen%'",
        )
        .await
        .unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        let title = "Tin đăng khi máy chủ mất kết nối thông báo";
        publish_elsewhere(&conn, title).await;
        for server in [&first, &second] {
            let reply = Client::new(server.addr)
                .get("/", &[("User-Agent", BROWSER)])
                .await
                .unwrap();
            assert!(
                reply.text().contains(title),
                "{} served a page stored before it lost its notifications",
                server.addr
            );
        }
        conn.close().await.unwrap();
        first.terminate().await;
        second.terminate().await;
        db.drop_db().await;
    });
}
