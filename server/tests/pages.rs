//! The fixed pages over HTTP, on both databases: "Giới thiệu" and the
//! English page are there from the start with their content; the document
//! language is the page's, written once on `<html>`; only admins change
//! them, every mistake is named, scripts never survive, and a change shows
//! at once even though the page cache keeps pages for a minute.

mod common;

use app::model::accounts::Role;
use app::model::pages::Page;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::TestDb;
use http_body_util::BodyExt;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tower::ServiceExt;

struct Site {
    router: axum::Router,
    db_url: String,
    portal: server::Portal,
    /// The media and documents folders this portal made.
    dirs: [std::path::PathBuf; 2],
}

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

    /// The `<html …>` start tag.
    fn html_tag(&self) -> &str {
        let start = self.text.find("<html").expect("an <html> element");
        let end = start + self.text[start..].find('>').expect("its end");
        &self.text[start..=end]
    }
}

impl Site {
    async fn new(db: &TestDb) -> Self {
        let mut config = server::Config::for_database(&db.url).unwrap();
        config.counter_flush_interval = std::time::Duration::from_secs(3600);
        // Pages are kept a minute: a change must drop them, not wait.
        config.page_cache_ttl = std::time::Duration::from_secs(60);
        let portal = server::build(&config).await.expect("build the portal");
        Self {
            router: portal.router.clone(),
            db_url: db.url.clone(),
            portal,
            dirs: [config.media_dir.clone(), config.documents_dir.clone()],
        }
    }

    async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.unwrap().to_bytes();
        Reply {
            status: parts.status,
            headers: parts.headers,
            // Without the markers Leptos leaves between text nodes.
            text: String::from_utf8_lossy(&bytes).replace("<!---->", ""),
        }
    }

    async fn get(&self, path: &str) -> Reply {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// Signs `name` in (creating the account); the session cookie pair.
    async fn sign_in(&self, name: &str, role: Role) -> String {
        common::sign_in(&self.router, &self.db_url, name, name, role)
            .await
            .1
    }

    async fn call(&self, cookie: Option<&str>, endpoint: &str, json: serde_json::Value) -> Reply {
        let mut request = Request::post(format!("/api/quan-tri/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(json.to_string())).unwrap())
            .await
    }
}

fn save(slug: &str, version: i64, title: &str, body: &str) -> serde_json::Value {
    serde_json::json!({ "input": {
        "slug": slug,
        "base_version": version,
        "title": title,
        "body_html": body,
    }})
}

async fn fixed_pages(db: &TestDb) {
    let site = Site::new(db).await;

    // Both pages exist from the start, with the office's details.
    let about = site.get("/gioi-thieu").await;
    assert_eq!(about.status, StatusCode::OK);
    assert_eq!(about.html_tag(), "<html lang=\"vi\">");
    for expected in [
        "<h1 class=\"section-title page-title\">Giới thiệu</h1>",
        "<h2>Chức năng</h2>",
        "<h2>Sơ đồ tổ chức</h2>",
        "<strong>Phòng Cải cách Hành chính</strong>",
        "href=\"mailto:caicachhanhchinh@cantho.gov.vn\"",
        "href=\"tel:+842923730759\"",
        "<li aria-current=\"page\">Giới thiệu</li>",
        // The menu marks it, and it names its English counterpart.
        "<a href=\"/gioi-thieu\" aria-current=\"page\">Giới thiệu</a>",
        "<link href=\"http://127.0.0.1:3000/en\" hreflang=\"en\" rel=\"alternate\">",
        "<link href=\"http://127.0.0.1:3000/gioi-thieu\" rel=\"canonical\">",
    ] {
        assert!(
            about.text.contains(expected),
            "/gioi-thieu lacks {expected}"
        );
    }

    let english = site.get("/en").await;
    assert_eq!(english.status, StatusCode::OK);
    // One `lang`, the page's, on the one <html>.
    assert_eq!(english.text.matches("<html").count(), 1);
    assert_eq!(english.html_tag(), "<html lang=\"en\">");
    for expected in [
        "<h1 class=\"section-title page-title\">Administrative Reform of Can Tho City</h1>",
        "<h2>Functions</h2>",
        "<h2>Contacts</h2>",
        "+84 292 3820715",
        "51 Ly Tu Trong Street",
        // The Vietnamese frame says it is Vietnamese; the way back is there.
        "<header lang=\"vi\" class=\"site-header\">",
        "<footer lang=\"vi\" class=\"site-footer\">",
        "<a href=\"/gioi-thieu\" lang=\"vi\" hreflang=\"vi\" class=\"language-link\">Tiếng Việt</a>",
        "Skip to main content",
        "aria-label=\"You are here\"",
        "<link href=\"http://127.0.0.1:3000/gioi-thieu\" hreflang=\"vi\" rel=\"alternate\">",
        "<link href=\"http://127.0.0.1:3000/en\" rel=\"canonical\">",
        "<meta name=\"description\" content=\"This is the website of the administrative reform",
    ] {
        assert!(english.text.contains(expected), "/en lacks {expected}");
    }

    // Every other page is Vietnamese and offers the English page.
    for path in ["/", "/trang-khong-co"] {
        let page = site.get(path).await;
        assert_eq!(page.html_tag(), "<html lang=\"vi\">", "{path}");
        assert!(
            page.text.contains(
                "<a href=\"/en\" lang=\"en\" hreflang=\"en\" class=\"language-link\">English</a>"
            ),
            "{path}"
        );
        assert!(
            page.text.contains("<header class=\"site-header\">"),
            "{path}"
        );
    }

    // Only admins read the editors' list or save.
    let author = site.sign_in("tacgia", Role::Author).await;
    let editor = site.sign_in("bientap", Role::Editor).await;
    let admin = site.sign_in("quantri", Role::Admin).await;
    let list = site
        .call(Some(&admin), "trang", serde_json::json!({}))
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    let pages: Vec<Page> = serde_json::from_str(&list.text).unwrap();
    let slugs: Vec<&str> = pages.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(slugs, ["gioi-thieu", "en"]);
    let version = pages[0].version;
    let change = save(
        "gioi-thieu",
        version,
        "Giới thiệu chung",
        "<p>Sở Nội vụ thành phố Cần Thơ, <strong>thường trực</strong> cải cách hành chính.</p>\
         <script>alert(\"xss\")</script><p><img src=\"x\" onerror=\"alert(2)\" alt=\"\"></p>",
    );
    for (cookie, status) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(author.as_str()), StatusCode::FORBIDDEN),
        (Some(editor.as_str()), StatusCode::FORBIDDEN),
    ] {
        assert_eq!(
            site.call(cookie, "luu-trang", change.clone()).await.status,
            status
        );
        assert_eq!(
            site.call(cookie, "trang", serde_json::json!({}))
                .await
                .status,
            status
        );
    }

    // Mistakes are named by field and change nothing.
    let reply = site
        .call(
            Some(&admin),
            "luu-trang",
            save("gioi-thieu", version, "  ", "<p>Có chữ.</p>"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text.contains("\"field\":\"title\""), "{}", reply.text);
    assert!(
        reply.text.contains("Xin vui lòng nhập tiêu đề trang."),
        "{}",
        reply.text
    );
    let reply = site
        .call(
            Some(&admin),
            "luu-trang",
            save("gioi-thieu", version, "Giới thiệu", "<p> </p>"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.text.contains("\"field\":\"body_html\""),
        "{}",
        reply.text
    );
    let reply = site
        .call(
            Some(&admin),
            "luu-trang",
            save("lien-he", 1, "Liên hệ", "<p>x</p>"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);

    // The stored page is served from the cache until it changes…
    assert_eq!(site.get("/gioi-thieu").await.header("x-cache"), "hit");
    let reply = site.call(Some(&admin), "luu-trang", change.clone()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let saved: Page = serde_json::from_str(&reply.text).unwrap();
    assert_eq!(saved.version, version + 1);
    assert_eq!(saved.updated_by.as_deref(), Some("quantri"));
    assert!(!saved.body_html.contains("<script") && !saved.body_html.contains("onerror"));
    // …and readers get the new text with the very next request.
    let about = site.get("/gioi-thieu").await;
    assert_eq!(about.status, StatusCode::OK);
    assert!(about.text.contains("Giới thiệu chung</h1>"));
    assert!(
        about
            .text
            .contains("<strong>thường trực</strong> cải cách hành chính.")
    );
    assert!(!about.text.contains("alert(") && !about.text.contains("onerror"));
    assert!(about.text.contains("<meta name=\"description\" content=\"Sở Nội vụ thành phố Cần Thơ, thường trực cải cách hành chính.\""));

    // A save based on the old version is refused: someone saved since.
    let reply = site.call(Some(&admin), "luu-trang", change).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.text.contains("\"field\":\"version\""),
        "{}",
        reply.text
    );
    assert!(
        reply.text.contains("quantri vừa lưu trang này"),
        "{}",
        reply.text
    );

    // The change is in the audit log.
    let conn = server::db::connect(&site.db_url).await.unwrap();
    let lines = server::db::entities::audit_event::Entity::find()
        .filter(server::db::entities::audit_event::Column::Action.eq("page_changed"))
        .all(&conn)
        .await
        .unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].target, "Trang /gioi-thieu");
    assert_eq!(lines[0].detail, "Đã đổi: tiêu đề, nội dung");
    // A restart seeds nothing over an edited page.
    server::db::prepare(&conn, false).await.unwrap();
    let stored = server::db::entities::page::Entity::find()
        .filter(server::db::entities::page::Column::Slug.eq("gioi-thieu"))
        .one(&conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.title, "Giới thiệu chung");
    conn.close().await.unwrap();

    site.portal.shutdown().await.unwrap();
    for dir in site.dirs {
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn sqlite_fixed_pages() {
    common::run_alone(async {
        let db = TestDb::sqlite();
        fixed_pages(&db).await;
        db.drop_db().await;
    });
}

#[test]
fn postgres_fixed_pages() {
    common::run_alone(async {
        let db = TestDb::postgres().await;
        fixed_pages(&db).await;
        db.drop_db().await;
    });
}
