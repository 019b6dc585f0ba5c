//! The editors' side over HTTP, on SQLite and PostgreSQL: signing in and
//! out, throttling, CSRF, sessions that end, and the role matrix of every
//! state-changing server function.

mod common;

use std::sync::{Arc, Mutex};

use app::model::accounts::Role;
use app::model::editorial::{ArticleStatus, Transition};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::TestDb;
use http_body_util::BodyExt;
use sea_orm::DatabaseConnection;
use server::accounts::users;
use server::articles::write::{Actor, ArticleDraft, SaveKind, create_article, transition_article};
use tower::ServiceExt;

const PASSWORD: &str = "mật khẩu thử nghiệm";

/// Builds one portal at a time: building a router while another test
/// renders a page would stall that render (see `http.rs`).
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

struct Site {
    router: axum::Router,
    conn: DatabaseConnection,
    /// Kept alive for the test's length (its counter's flusher).
    _portal: server::Portal,
}

impl Site {
    async fn new(db: &TestDb) -> Self {
        let mut config = server::Config::for_database(&db.url).unwrap();
        config.counter_flush_interval = std::time::Duration::from_secs(3600);
        // A stand-in for what Trunk builds.
        let editor = std::env::temp_dir().join(format!("cchc-editor-{}", std::process::id()));
        std::fs::create_dir_all(editor.join("snippets")).unwrap();
        std::fs::write(
            editor.join("index.html"),
            "<!DOCTYPE html><title>Quản trị</title>",
        )
        .unwrap();
        std::fs::write(editor.join("editor-0123abcd.js"), "export {}").unwrap();
        config.editor_dir = editor;
        let portal = server::build(&config).await.expect("build the portal");
        let conn = db.connect().await;
        Self {
            router: portal.router.clone(),
            conn,
            _portal: portal,
        }
    }

    async fn user(&self, name: &str, role: Role) -> i32 {
        users::create_user(&self.conn, name, name, PASSWORD, role)
            .await
            .unwrap()
    }

    async fn send(&self, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, String::from_utf8_lossy(&body).into_owned())
    }

    /// `POST /dang-nhap`; the session cookie when it signed in.
    async fn login(&self, name: &str, password: &str) -> (String, Option<String>) {
        let body = format!(
            "ten_dang_nhap={}&mat_khau={}",
            app::url::encode_component(name),
            app::url::encode_component(password)
        );
        let (status, headers, _) = self
            .send(
                Request::post("/dang-nhap")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header("sec-fetch-site", "same-origin")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let location = headers[header::LOCATION].to_str().unwrap().to_owned();
        let cookie = headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("cchc_phien="))
            .map(|v| v.to_owned());
        (location, cookie)
    }

    /// Calls an editors' server function as `cookie`'s user (or nobody).
    async fn call(
        &self,
        endpoint: &str,
        json: serde_json::Value,
        cookie: Option<&str>,
    ) -> (StatusCode, String) {
        let mut request = Request::post(format!("{}/{endpoint}", app::api::editorial::PREFIX))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie_pair(cookie));
        }
        let (status, _, body) = self
            .send(request.body(Body::from(json.to_string())).unwrap())
            .await;
        (status, body)
    }

    async fn draft_by(&self, author: i32, status: ArticleStatus) -> (i32, i64) {
        let actor = Actor::User {
            id: author,
            role: Role::Author,
        };
        let saved = create_article(
            &self.conn,
            actor,
            ArticleDraft {
                title: "Bài thử quyền".to_owned(),
                excerpt: String::new(),
                body_html: "<p>Nội dung</p>".to_owned(),
                author: "Tác giả".to_owned(),
                category_id: 1,
                ..ArticleDraft::default()
            },
            ArticleStatus::Draft,
            None,
            SaveKind::Save,
            time::OffsetDateTime::now_utc(),
        )
        .await
        .unwrap();
        let system = Actor::System;
        let now = time::OffsetDateTime::now_utc();
        let mut version = saved.version;
        let steps: &[Transition] = match status {
            ArticleStatus::Draft => &[],
            ArticleStatus::Review => &[Transition::Submit],
            ArticleStatus::Published => &[Transition::Submit, Transition::Publish],
            ArticleStatus::Returned => &[Transition::Submit, Transition::Return],
            ArticleStatus::Unpublished => &[Transition::Publish, Transition::Unpublish],
        };
        for step in steps {
            version = transition_article(&self.conn, system, saved.id, *step, "lý do", now)
                .await
                .unwrap()
                .version;
        }
        (saved.id, version)
    }
}

/// `name=value` of a `Set-Cookie` header.
fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or_default().to_owned()
}

fn run(test: impl std::future::Future<Output = ()>) {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(test);
}

/// Login, its cookie, wrong passwords, throttling, logout, password change
/// and deactivation ending sessions, CSRF.
async fn signing_in_and_out(db: &TestDb) {
    let site = Site::new(db).await;
    let id = site.user("bientap", Role::Editor).await;
    // The form renders for everyone and is not indexed.
    let (status, _, html) = site
        .send(Request::get("/dang-nhap").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("autocomplete=\"current-password\""));
    assert!(html.contains("name=\"robots\" content=\"noindex\""));

    let (location, cookie) = site.login("bientap", "sai mật khẩu").await;
    assert!(location.starts_with("/dang-nhap?loi=sai"), "{location}");
    assert!(cookie.is_none());
    let (location, cookie) = site.login("  BienTap ", PASSWORD).await;
    assert_eq!(location, "/quan-tri/");
    let cookie = cookie.expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
    }
    assert!(!cookie.contains("Secure"), "Secure over http: {cookie}");
    let (status, body) = site
        .call("toi-la-ai", serde_json::json!({}), Some(&cookie))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("\"username\":\"bientap\""), "{body}");
    let (_, body) = site.call("toi-la-ai", serde_json::json!({}), None).await;
    assert_eq!(body, "null");

    // A cross-site form cannot use the session.
    let (status, _, _) = site
        .send(
            Request::post(format!("{}/tao-bai", app::api::editorial::PREFIX))
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, cookie_pair(&cookie))
                .header("sec-fetch-site", "cross-site")
                .body(Body::from(r#"{"draft":{"title":"x","excerpt":"","body_html":"","author":"","category_id":1,"slug":""}}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = site
        .send(
            Request::post("/dang-nhap")
                .header(header::ORIGIN, "https://evil.example")
                .header(header::HOST, "127.0.0.1:3000")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("ten_dang_nhap=bientap&mat_khau=x"))
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A password change ends the user's other sessions.
    let (_, second) = site.login("bientap", PASSWORD).await;
    let second = second.unwrap();
    users::set_password(&site.conn, id, "một mật khẩu mới hơn", None)
        .await
        .unwrap();
    for old in [&cookie, &second] {
        let (_, body) = site
            .call("toi-la-ai", serde_json::json!({}), Some(old))
            .await;
        assert_eq!(body, "null", "a session survived the password change");
    }
    let (_, third) = site.login("bientap", "một mật khẩu mới hơn").await;
    let third = third.expect("signed in with the new password");
    // Changing one's own password keeps this session and ends the others.
    let (_, fourth) = site.login("bientap", "một mật khẩu mới hơn").await;
    let fourth = fourth.unwrap();
    let change =
        |current: &str| serde_json::json!({ "current": current, "new": "mật khẩu thứ ba đây" });
    let (status, body) = site
        .call("doi-mat-khau", change("sai rồi"), Some(&third))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("Mật khẩu hiện tại không đúng."), "{body}");
    let (status, _) = site
        .call("doi-mat-khau", change("một mật khẩu mới hơn"), Some(&third))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, body) = site
        .call("toi-la-ai", serde_json::json!({}), Some(&third))
        .await;
    assert!(
        body.contains("bientap"),
        "the session that changed it ended"
    );
    let (_, body) = site
        .call("toi-la-ai", serde_json::json!({}), Some(&fourth))
        .await;
    assert_eq!(body, "null", "another session survived");

    // A deactivated account's open session is refused at its next request.
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
    let account = server::db::entities::app_user::Entity::find_by_id(id)
        .one(&site.conn)
        .await
        .unwrap()
        .unwrap();
    let mut active: server::db::entities::app_user::ActiveModel = account.into();
    active.active = Set(false);
    active.update(&site.conn).await.unwrap();
    let (status, _) = site
        .call("danh-sach", serde_json::json!({"filter": {"status": null, "category_id": null, "created_by": null, "query": ""}}), Some(&third))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Logging out ends the session.
    site.user("tacgia", Role::Author).await;
    let (_, cookie) = site.login("tacgia", PASSWORD).await;
    let cookie = cookie.unwrap();
    let (status, headers, _) = site
        .send(
            Request::post("/dang-xuat")
                .header(header::COOKIE, cookie_pair(&cookie))
                .header("sec-fetch-site", "same-origin")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        headers[header::LOCATION]
            .to_str()
            .unwrap()
            .contains("da-dang-xuat")
    );
    let (_, body) = site
        .call("toi-la-ai", serde_json::json!({}), Some(&cookie))
        .await;
    assert_eq!(body, "null");

    // Five failures lock the account for a while, even for the right password.
    for _ in 0..5 {
        site.login("tacgia", "không đúng").await;
    }
    let (location, cookie) = site.login("tacgia", PASSWORD).await;
    assert!(location.contains("loi=nhieu"), "{location}");
    assert!(cookie.is_none());
    let (_, _, page) = site
        .send(Request::get(location).body(Body::empty()).unwrap())
        .await;
    assert!(
        page.contains("Bạn đã đăng nhập sai quá nhiều lần"),
        "no message"
    );
}

/// Every state-changing server function, for nobody, an author (the
/// article's and another), an editor and an admin: allowed or refused on
/// the server, with the right status.
async fn the_role_matrix(db: &TestDb) {
    let site = Site::new(db).await;
    let author = site.user("tacgia", Role::Author).await;
    site.user("tacgiakhac", Role::Author).await;
    site.user("bientap", Role::Editor).await;
    site.user("quantri", Role::Admin).await;
    let mut cookies = vec![("nobody", None)];
    for name in ["tacgia", "tacgiakhac", "bientap", "quantri"] {
        let (_, cookie) = site.login(name, PASSWORD).await;
        cookies.push((name, Some(cookie.expect(name))));
    }
    let draft = serde_json::json!({
        "title": "Sửa thử", "excerpt": "", "body_html": "<p>x</p>",
        "author": "A", "category_id": 1, "slug": ""
    });
    type Case = (&'static str, ArticleStatus, [StatusCode; 5]);
    const OK: StatusCode = StatusCode::OK;
    const NO: StatusCode = StatusCode::FORBIDDEN;
    const ANON: StatusCode = StatusCode::UNAUTHORIZED;
    // Expected status for: nobody, the article's author, another author, an editor, an admin.
    let cases: Vec<Case> = vec![
        ("tao-bai", ArticleStatus::Draft, [ANON, OK, OK, OK, OK]),
        ("luu-bai", ArticleStatus::Draft, [ANON, OK, NO, OK, OK]),
        (
            "luu-bai/review",
            ArticleStatus::Review,
            [ANON, NO, NO, OK, OK],
        ),
        ("submit", ArticleStatus::Draft, [ANON, OK, NO, OK, OK]),
        ("publish", ArticleStatus::Review, [ANON, NO, NO, OK, OK]),
        ("return", ArticleStatus::Review, [ANON, NO, NO, OK, OK]),
        (
            "unpublish",
            ArticleStatus::Published,
            [ANON, NO, NO, OK, OK],
        ),
        ("khoi-phuc", ArticleStatus::Draft, [ANON, OK, NO, OK, OK]),
        ("bai-viet", ArticleStatus::Draft, [ANON, OK, NO, OK, OK]),
        ("xoa-ban-nhap", ArticleStatus::Draft, [ANON, OK, NO, OK, OK]),
        ("dang-sua", ArticleStatus::Draft, [ANON, OK, NO, OK, OK]),
        (
            "xoa-ban-nhap/published",
            ArticleStatus::Published,
            [
                ANON,
                NO,
                NO,
                StatusCode::UNPROCESSABLE_ENTITY,
                StatusCode::UNPROCESSABLE_ENTITY,
            ],
        ),
        ("phien-ban", ArticleStatus::Draft, [ANON, OK, NO, OK, OK]),
    ];
    let results = Arc::new(Mutex::new(Vec::new()));
    for (case, status, expected) in cases {
        for ((who, cookie), expected) in cookies.iter().zip(expected) {
            let (id, version) = site.draft_by(author, status).await;
            let (endpoint, body) = match case {
                "tao-bai" => ("tao-bai", serde_json::json!({ "draft": draft })),
                "luu-bai" | "luu-bai/review" => (
                    "luu-bai",
                    serde_json::json!({ "id": id, "base_version": version, "draft": draft, "autosave": false }),
                ),
                "submit" | "publish" | "return" | "unpublish" => {
                    let step = match case {
                        "submit" => "Submit",
                        "publish" => "Publish",
                        "return" => "Return",
                        _ => "Unpublish",
                    };
                    (
                        "chuyen-trang-thai",
                        serde_json::json!({ "id": id, "step": step, "comment": "Cần sửa" }),
                    )
                }
                "khoi-phuc" => {
                    let revision: i32 = {
                        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
                        server::db::entities::article_revision::Entity::find()
                            .filter(
                                server::db::entities::article_revision::Column::ArticleId.eq(id),
                            )
                            .one(&site.conn)
                            .await
                            .unwrap()
                            .unwrap()
                            .id
                    };
                    (
                        "khoi-phuc",
                        serde_json::json!({ "id": id, "revision_id": revision, "base_version": version }),
                    )
                }
                "bai-viet" => ("bai-viet", serde_json::json!({ "id": id })),
                "dang-sua" => ("dang-sua", serde_json::json!({ "id": id })),
                "xoa-ban-nhap" | "xoa-ban-nhap/published" => {
                    ("xoa-ban-nhap", serde_json::json!({ "id": id }))
                }
                _ => ("phien-ban", serde_json::json!({ "id": id })),
            };
            let (status, answer) = site.call(endpoint, body, cookie.as_deref()).await;
            results
                .lock()
                .unwrap()
                .push((case, *who, status, expected, answer));
        }
    }
    assert_eq!(results.lock().unwrap().len(), 65);
    let wrong: Vec<String> = results
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, _, status, expected, _)| status != expected)
        .map(|(case, who, status, expected, answer)| {
            format!("{case} as {who}: {status}, expected {expected} ({answer:.120})")
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A stale save is a 409 with both versions named; nothing is overwritten.
async fn conflicts_over_http(db: &TestDb) {
    let site = Site::new(db).await;
    let author = site.user("tacgia", Role::Author).await;
    site.user("bientap", Role::Editor).await;
    let (_, mine) = site.login("tacgia", PASSWORD).await;
    let (_, theirs) = site.login("bientap", PASSWORD).await;
    let (id, version) = site.draft_by(author, ArticleStatus::Draft).await;
    let save = |text: &str, base: i64| {
        serde_json::json!({ "id": id, "base_version": base, "autosave": false, "draft": {
            "title": "Xung đột", "excerpt": "", "body_html": format!("<p>{text}</p>"),
            "author": "A", "category_id": 1, "slug": ""
        }})
    };
    let (status, _) = site
        .call("luu-bai", save("của biên tập", version), theirs.as_deref())
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = site
        .call("luu-bai", save("của tác giả", version), mine.as_deref())
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("Conflict"), "{body}");
    let (_, current) = site
        .call("bai-viet", serde_json::json!({ "id": id }), mine.as_deref())
        .await;
    assert!(current.contains("của biên tập"), "{current}");
    // The soft lock: each sees that the other has the article open.
    let open = serde_json::json!({ "id": id });
    let (_, first) = site.call("dang-sua", open.clone(), mine.as_deref()).await;
    assert_eq!(first, "[]");
    let (_, second) = site.call("dang-sua", open.clone(), theirs.as_deref()).await;
    assert_eq!(second, r#"["tacgia"]"#);
    let (_, again) = site.call("dang-sua", open.clone(), mine.as_deref()).await;
    assert_eq!(again, r#"["bientap"]"#);
    let (status, _) = site.call("dang-sua", open, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// The preview renders a draft with the readers' article page, for its
/// author and the editors only, and is never indexed.
async fn previews_are_private(db: &TestDb) {
    let site = Site::new(db).await;
    let author = site.user("tacgia", Role::Author).await;
    site.user("tacgiakhac", Role::Author).await;
    site.user("bientap", Role::Editor).await;
    let (id, _) = site.draft_by(author, ArticleStatus::Draft).await;
    let path = format!("/xem-truoc/{id}");
    let get = |cookie: Option<String>| {
        let mut request = Request::get(path.clone());
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie_pair(&cookie));
        }
        request.body(Body::empty()).unwrap()
    };
    for (who, expected) in [
        ("tacgia", StatusCode::OK),
        ("bientap", StatusCode::OK),
        ("tacgiakhac", StatusCode::NOT_FOUND),
    ] {
        let (_, cookie) = site.login(who, PASSWORD).await;
        let (status, headers, html) = site.send(get(cookie)).await;
        assert_eq!(status, expected, "{who}");
        assert_eq!(headers["x-robots-tag"], "noindex, nofollow", "{who}");
        if expected == StatusCode::OK {
            assert!(html.contains("Bài thử quyền"), "{who}");
            assert!(html.contains("class=\"article-body\""), "{who}");
            assert!(html.contains("Bản xem trước"), "{who}");
        }
    }
    let (status, _, html) = site.send(get(None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(!html.contains("Bài thử quyền"));
}

/// The editors' app is served to signed-in users: its index for every app
/// address (never cached), its hashed files for a year, real 404s.
async fn the_editors_app_is_served(db: &TestDb) {
    let site = Site::new(db).await;
    site.user("tacgia", Role::Author).await;
    let (_, cookie) = site.login("tacgia", PASSWORD).await;
    let get = |path: &str, cookie: Option<&str>| {
        let mut request = Request::get(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie_pair(cookie));
        }
        request.body(Body::empty()).unwrap()
    };
    let (status, headers, _) = site.send(get("/quan-tri/", None)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/dang-nhap");
    for path in [
        "/quan-tri/",
        "/quan-tri/bai-viet/12",
        "/quan-tri/bai-viet/moi",
    ] {
        let (status, headers, body) = site.send(get(path, cookie.as_deref())).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(headers[header::CACHE_CONTROL], "no-cache", "{path}");
        assert!(body.contains("Quản trị"), "{path}");
    }
    let (status, headers, body) = site
        .send(get("/quan-tri/editor-0123abcd.js", cookie.as_deref()))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "export {}");
    assert!(
        headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    for missing in [
        "/quan-tri/editor-missing.js",
        "/quan-tri/../Cargo.toml",
        "/quan-tri/%2e%2e/Cargo.toml",
    ] {
        let (status, _, _) = site.send(get(missing, cookie.as_deref())).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
    }
}

macro_rules! on_both {
    ($($name:ident),*) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    super::run(async {
                        let db = super::TestDb::sqlite();
                        super::$name(&db).await;
                        db.drop_db().await;
                    });
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $name() {
                    super::run(async {
                        let db = super::TestDb::postgres().await;
                        super::$name(&db).await;
                        db.drop_db().await;
                    });
                }
            )*
        }
    };
}

on_both!(
    signing_in_and_out,
    the_role_matrix,
    conflicts_over_http,
    previews_are_private,
    the_editors_app_is_served
);
