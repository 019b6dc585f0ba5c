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
use server::articles::write::{
    Actor, ArticleDraft, SaveKind, create_article, schedule_publication, transition_article,
};
use tower::ServiceExt;

const PASSWORD: &str = "mật khẩu thử nghiệm";

struct Site {
    router: axum::Router,
    conn: DatabaseConnection,
    /// Kept alive for the test's length (its counter's flusher).
    _portal: server::Portal,
}

impl Site {
    async fn new(db: &TestDb) -> Self {
        Self::with_page_cache(db, std::time::Duration::ZERO).await
    }

    /// A portal that keeps rendered pages for `ttl` (zero: not at all).
    async fn with_page_cache(db: &TestDb, ttl: std::time::Duration) -> Self {
        let mut config = server::Config::for_database(&db.url).unwrap();
        config.page_cache_ttl = ttl;
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

    /// The categories' ids in menu order.
    async fn category_ids(&self) -> Vec<i32> {
        use sea_orm::{EntityTrait, QueryOrder};
        server::db::entities::category::Entity::find()
            .order_by_asc(server::db::entities::category::Column::Position)
            .order_by_asc(server::db::entities::category::Column::Id)
            .all(&self.conn)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect()
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
            ArticleStatus::Scheduled => &[Transition::Submit],
        };
        for step in steps {
            version = transition_article(&self.conn, system, saved.id, *step, "lý do", now)
                .await
                .unwrap()
                .version;
        }
        if status == ArticleStatus::Scheduled {
            let tomorrow = now + time::Duration::days(1);
            version = schedule_publication(&self.conn, system, saved.id, tomorrow, now)
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
    common::run_alone(test);
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
    let other = site.user("tacgiakhac", Role::Author).await;
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
    // Allowed, but there is no such photo.
    const GONE: StatusCode = StatusCode::NOT_FOUND;
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
        ("len-lich", ArticleStatus::Review, [ANON, NO, NO, OK, OK]),
        ("lich-go", ArticleStatus::Published, [ANON, NO, NO, OK, OK]),
        (
            "unschedule",
            ArticleStatus::Scheduled,
            [ANON, NO, NO, OK, OK],
        ),
        ("nguoi-dung", ArticleStatus::Draft, [ANON, NO, NO, NO, OK]),
        (
            "moi-nguoi-dung",
            ArticleStatus::Draft,
            [ANON, NO, NO, NO, OK],
        ),
        ("doi-vai-tro", ArticleStatus::Draft, [ANON, NO, NO, NO, OK]),
        (
            "khoa-mo-tai-khoan",
            ArticleStatus::Draft,
            [ANON, NO, NO, NO, OK],
        ),
        (
            "cap-lai-mat-khau",
            ArticleStatus::Draft,
            [ANON, NO, NO, NO, OK],
        ),
        ("nhat-ky", ArticleStatus::Draft, [ANON, NO, NO, NO, OK]),
        ("luu-cau-hinh", ArticleStatus::Draft, [ANON, NO, NO, NO, OK]),
        ("thu-tu-menu", ArticleStatus::Draft, [ANON, NO, NO, NO, OK]),
        ("thu-vien-anh", ArticleStatus::Draft, [ANON, OK, OK, OK, OK]),
        (
            "mo-ta-anh",
            ArticleStatus::Draft,
            [ANON, GONE, GONE, GONE, GONE],
        ),
        ("xoa-anh", ArticleStatus::Draft, [ANON, NO, NO, GONE, GONE]),
        // Legal documents (editors and admins); "GONE": allowed, no such one.
        ("van-ban", ArticleStatus::Draft, [ANON, NO, NO, OK, OK]),
        (
            "mo-van-ban",
            ArticleStatus::Draft,
            [ANON, NO, NO, GONE, GONE],
        ),
        (
            "luu-van-ban",
            ArticleStatus::Draft,
            [ANON, NO, NO, GONE, GONE],
        ),
        (
            "cong-bo-van-ban",
            ArticleStatus::Draft,
            [ANON, NO, NO, GONE, GONE],
        ),
        (
            "xoa-van-ban",
            ArticleStatus::Draft,
            [ANON, NO, NO, GONE, GONE],
        ),
        (
            "xoa-tep-van-ban",
            ArticleStatus::Draft,
            [ANON, NO, NO, GONE, GONE],
        ),
        // Citizens' questions (editors and admins); ratings (authors and up).
        ("hoi-dap", ArticleStatus::Draft, [ANON, NO, NO, OK, OK]),
        (
            "mo-cau-hoi",
            ArticleStatus::Draft,
            [ANON, NO, NO, GONE, GONE],
        ),
        (
            "nguoi-tra-loi",
            ArticleStatus::Draft,
            [ANON, NO, NO, OK, OK],
        ),
        (
            "giao-cau-hoi",
            ArticleStatus::Draft,
            [ANON, NO, NO, GONE, GONE],
        ),
        (
            "tra-loi-cau-hoi",
            ArticleStatus::Draft,
            [ANON, NO, NO, GONE, GONE],
        ),
        (
            "xoa-cau-hoi",
            ArticleStatus::Draft,
            [ANON, NO, NO, GONE, GONE],
        ),
        (
            "danh-gia-bai",
            ArticleStatus::Draft,
            [ANON, GONE, GONE, GONE, GONE],
        ),
        // The fixed pages (admins).
        ("trang", ArticleStatus::Draft, [ANON, NO, NO, NO, OK]),
        ("luu-trang", ArticleStatus::Draft, [ANON, NO, NO, NO, GONE]),
    ];
    let category_ids = site.category_ids().await;
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
                "submit" | "publish" | "return" | "unpublish" | "unschedule" => {
                    let step = match case {
                        "submit" => "Submit",
                        "publish" => "Publish",
                        "return" => "Return",
                        "unschedule" => "Unschedule",
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
                "nguoi-dung" => ("nguoi-dung", serde_json::json!({})),
                "moi-nguoi-dung" => (
                    "moi-nguoi-dung",
                    serde_json::json!({ "user": { "username": "nguoimoi", "display_name": "Người mới", "role": "Author" } }),
                ),
                "doi-vai-tro" => (
                    "doi-vai-tro",
                    serde_json::json!({ "id": other, "role": "Author" }),
                ),
                "khoa-mo-tai-khoan" => (
                    "khoa-mo-tai-khoan",
                    serde_json::json!({ "id": other, "active": true }),
                ),
                "cap-lai-mat-khau" => ("cap-lai-mat-khau", serde_json::json!({ "id": other })),
                "nhat-ky" => ("nhat-ky", serde_json::json!({ "before": null })),
                "luu-cau-hinh" => (
                    "luu-cau-hinh",
                    serde_json::json!({ "identity": app::site::SiteIdentity::default() }),
                ),
                "thu-tu-menu" => ("thu-tu-menu", serde_json::json!({ "ids": category_ids })),
                "thu-vien-anh" => ("thu-vien-anh", serde_json::json!({ "query": "" })),
                "mo-ta-anh" => (
                    "mo-ta-anh",
                    serde_json::json!({ "id": 999_999, "alt": "Ảnh", "caption": "" }),
                ),
                "xoa-anh" => ("xoa-anh", serde_json::json!({ "id": 999_999 })),
                "van-ban" => ("van-ban", serde_json::json!({ "query": "" })),
                "mo-van-ban" | "xoa-van-ban" | "mo-cau-hoi" | "xoa-cau-hoi" => {
                    (case, serde_json::json!({ "id": 999_999 }))
                }
                "luu-van-ban" => (
                    "luu-van-ban",
                    serde_json::json!({ "input": {
                        "id": 999_999, "number": "99/KH-UBND", "form": "Kế hoạch",
                        "issuer": "Ủy ban nhân dân", "signer": "", "field": "",
                        "summary": "Kế hoạch thử", "issued_on": "2026-01-02",
                        "effective_on": "", "expires_on": "", "replaced_by": "",
                    }}),
                ),
                "cong-bo-van-ban" => (
                    "cong-bo-van-ban",
                    serde_json::json!({ "id": 999_999, "published": true }),
                ),
                "xoa-tep-van-ban" => ("xoa-tep-van-ban", serde_json::json!({ "file_id": 999_999 })),
                "hoi-dap" => (
                    "hoi-dap",
                    serde_json::json!({ "status": null, "query": "" }),
                ),
                "nguoi-tra-loi" | "trang" => (case, serde_json::json!({})),
                "giao-cau-hoi" => (
                    "giao-cau-hoi",
                    serde_json::json!({ "id": 999_999, "to": null }),
                ),
                "tra-loi-cau-hoi" => (
                    "tra-loi-cau-hoi",
                    serde_json::json!({ "input": {
                        "id": 999_999, "status": "Received", "title": "",
                        "public_question": "", "answer": "", "published": false,
                    }}),
                ),
                "danh-gia-bai" => (
                    "danh-gia-bai",
                    serde_json::json!({ "slug": "khong-co-bai-nay" }),
                ),
                "luu-trang" => (
                    "luu-trang",
                    serde_json::json!({ "input": {
                        "slug": "khong-co-trang-nay", "base_version": 1,
                        "title": "Trang thử", "body_html": "<p>x</p>",
                    }}),
                ),
                "len-lich" => {
                    let at = time::OffsetDateTime::now_utc() + time::Duration::hours(2);
                    let at = at
                        .format(&time::format_description::well_known::Rfc3339)
                        .unwrap();
                    (
                        "len-lich",
                        serde_json::json!({ "id": id, "publish_at": at }),
                    )
                }
                "lich-go" => {
                    let at = time::OffsetDateTime::now_utc() + time::Duration::hours(2);
                    let at = at
                        .format(&time::format_description::well_known::Rfc3339)
                        .unwrap();
                    (
                        "lich-go",
                        serde_json::json!({ "id": id, "unpublish_at": at }),
                    )
                }
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
    assert_eq!(results.lock().unwrap().len(), 42 * 5);
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

/// Admins invite (a one-time link sets the password), change roles,
/// deactivate (the open session is refused at its next request) and reset
/// passwords; the last admin stays; the audit log records each step.
async fn managing_users(db: &TestDb) {
    let site = Site::new(db).await;
    site.user("quantri", Role::Admin).await;
    let (_, admin) = site.login("quantri", PASSWORD).await;
    let admin = admin.unwrap();
    let site_ref = &site;
    let call = move |endpoint: &'static str, body: serde_json::Value, cookie: String| async move {
        site_ref.call(endpoint, body, Some(&cookie)).await
    };

    // Invite: a link, shown once; its page names the account.
    let (status, answer) = call(
        "moi-nguoi-dung",
        serde_json::json!({ "user": { "username": "BTV.Moi", "display_name": "Trần Thị Mới", "role": "Editor" } }),
        admin.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let link: serde_json::Value = serde_json::from_str(&answer).unwrap();
    let url = link["url"].as_str().unwrap().to_owned();
    let path = url
        .split_once("/dat-mat-khau")
        .map(|(_, rest)| format!("/dat-mat-khau{rest}"))
        .unwrap();
    let token = path.split_once("ma=").unwrap().1.to_owned();
    let (status, _, page) = site
        .send(Request::get(path.as_str()).body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Trần Thị Mới (btv.moi)"), "{page:.400}");
    // Not signed in before a password is set, whatever is typed.
    let (location, cookie) = site.login("btv.moi", "").await;
    assert!(location.contains("loi=sai") && cookie.is_none());
    let (status, answer) = call(
        "moi-nguoi-dung",
        serde_json::json!({ "user": { "username": "btv.moi", "display_name": "Trùng", "role": "Author" } }),
        admin.clone(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a taken name: {answer}"
    );

    let set = |password: &str, again: &str| {
        let body = format!(
            "ma={token}&mat_khau={}&nhap_lai={}",
            app::url::encode_component(password),
            app::url::encode_component(again)
        );
        Request::post("/dat-mat-khau")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap()
    };
    let (_, headers, _) = site.send(set("ngắn", "ngắn")).await;
    assert!(
        headers[header::LOCATION]
            .to_str()
            .unwrap()
            .contains("loi=ngan")
    );
    let (_, headers, _) = site.send(set("một mật khẩu dài", "khác hẳn đi")).await;
    assert!(
        headers[header::LOCATION]
            .to_str()
            .unwrap()
            .contains("loi=khac")
    );
    let (status, headers, _) = site.send(set("một mật khẩu dài", "một mật khẩu dài")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        headers[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/dang-nhap?da-dat-mat-khau=1&ten=btv.moi")
    );
    // Spent: a second use is refused and the page says so.
    let (_, headers, _) = site
        .send(set("mật khẩu khác nữa", "mật khẩu khác nữa"))
        .await;
    assert!(
        headers[header::LOCATION]
            .to_str()
            .unwrap()
            .contains("loi=het-han")
    );
    let (_, _, page) = site
        .send(Request::get(path.as_str()).body(Body::empty()).unwrap())
        .await;
    assert!(page.contains("không còn dùng được"));
    let (_, cookie) = site.login("btv.moi", "mật khẩu khác nữa").await;
    assert!(cookie.is_none());
    let (location, editor) = site.login("btv.moi", "một mật khẩu dài").await;
    assert_eq!(location, "/quan-tri/");
    let editor = editor.unwrap();

    let users: Vec<app::model::accounts::UserSummary> = serde_json::from_str(
        &call("nguoi-dung", serde_json::json!({}), admin.clone())
            .await
            .1,
    )
    .unwrap();
    let admin_id = users.iter().find(|u| u.username == "quantri").unwrap().id;
    let editor_id = users.iter().find(|u| u.username == "btv.moi").unwrap().id;
    assert_eq!(users[0].username, "quantri", "admins first");

    // The last admin can be neither demoted nor deactivated (not even by
    // oneself); promoting another admin first makes it possible.
    let (status, _) = call(
        "doi-vai-tro",
        serde_json::json!({ "id": admin_id, "role": "Editor" }),
        admin.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = call(
        "khoa-mo-tai-khoan",
        serde_json::json!({ "id": admin_id, "active": false }),
        admin.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Deactivation ends the editor's open session at its next request.
    let (status, _) = call("bai-viet", serde_json::json!({ "id": 1 }), editor.clone()).await;
    assert_eq!(status, StatusCode::OK);
    let (status, answer) = call(
        "khoa-mo-tai-khoan",
        serde_json::json!({ "id": editor_id, "active": false }),
        admin.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (status, _) = call("bai-viet", serde_json::json!({ "id": 1 }), editor.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // With the right password they learn the account is locked; with a wrong one, nothing.
    let (location, cookie) = site.login("btv.moi", "một mật khẩu dài").await;
    assert!(
        location.contains("loi=khoa") && cookie.is_none(),
        "{location}"
    );
    let (location, _) = site.login("btv.moi", "không phải mật khẩu").await;
    assert!(location.contains("loi=sai"), "{location}");
    let (status, _) = call(
        "cap-lai-mat-khau",
        serde_json::json!({ "id": editor_id }),
        admin.clone(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no link for a locked account"
    );
    let (status, _) = call(
        "khoa-mo-tai-khoan",
        serde_json::json!({ "id": editor_id, "active": true }),
        admin.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(
        "doi-vai-tro",
        serde_json::json!({ "id": editor_id, "role": "Admin" }),
        admin.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(
        "doi-vai-tro",
        serde_json::json!({ "id": admin_id, "role": "Editor" }),
        admin.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "another admin exists now");
    // The old admin is an editor from their next request.
    let (status, _) = call(
        "nhat-ky",
        serde_json::json!({ "before": null }),
        admin.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (_, new_admin) = site.login("btv.moi", "một mật khẩu dài").await;
    let (status, answer) = call(
        "nhat-ky",
        serde_json::json!({ "before": null }),
        new_admin.unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let log: Vec<app::model::accounts::AuditEntry> = serde_json::from_str(&answer).unwrap();
    let actions: Vec<&str> = log.iter().rev().map(|l| l.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "login",
            "user_invited",
            "login_failed",
            "password_set",
            "login_failed",
            "login",
            "user_deactivated",
            "login_failed",
            "login_failed",
            "user_activated",
            "role_changed",
            "role_changed",
            "login",
        ]
    );
    let failed = log
        .iter()
        .find(|l| l.action.as_str() == "login_failed")
        .unwrap();
    assert_eq!(failed.target, "btv.moi");
    assert!(
        log.iter().all(|l| !l.detail.contains("mật khẩu dài")),
        "no password in the log"
    );
}

/// Site settings (admins) show on the public pages at once, through the
/// page cache; a mistake is refused by field and changes nothing.
async fn site_settings_show_at_once(db: &TestDb) {
    let site = Site::with_page_cache(db, std::time::Duration::from_secs(600)).await;
    site.user("quantri", Role::Admin).await;
    let (_, admin) = site.login("quantri", PASSWORD).await;
    let admin = admin.unwrap();
    let home = || async {
        let (status, headers, body) = site
            .send(Request::get("/").body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::OK);
        let cached = headers.get("x-cache").and_then(|v| v.to_str().ok()) == Some("hit");
        (cached, body)
    };
    home().await;
    let (cached, body) = home().await;
    assert!(cached, "the home page is stored");
    assert!(body.contains("51 Lý Tự Trọng"));

    let mut identity = app::site::SiteIdentity {
        address: "99 Đường Thử Nghiệm, Ninh Kiều".into(),
        banner_alt: "Banner thử nghiệm của cơ quan".into(),
        monitoring_script: "https://giamsat.example.vn/ma-theo-doi.js".into(),
        ..app::site::SiteIdentity::default()
    };
    identity.linked_sites.push(app::site::SiteLink {
        name: "Sở Nội vụ thành phố".into(),
        url: "https://sonoivu.cantho.gov.vn/".into(),
    });
    let (status, answer) = site
        .call(
            "luu-cau-hinh",
            serde_json::json!({ "identity": identity }),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (cached, body) = home().await;
    assert!(!cached, "the stored page gave way");
    for shown in [
        "99 Đường Thử Nghiệm, Ninh Kiều",
        "alt=\"Banner thử nghiệm của cơ quan\"",
        "<script async src=\"https://giamsat.example.vn/ma-theo-doi.js\"></script>",
        "href=\"https://sonoivu.cantho.gov.vn/\"",
    ] {
        assert!(body.contains(shown), "{shown} missing from the home page");
    }
    assert!(!body.contains("51 Lý Tự Trọng"));

    // A mistake: refused by field, nothing stored.
    let mut bad = identity.clone();
    bad.address = "Địa chỉ không được lưu".into();
    bad.email = "không phải email".into();
    bad.monitoring_script = "javascript:alert(1)".into();
    let (status, answer) = site
        .call(
            "luu-cau-hinh",
            serde_json::json!({ "identity": bad }),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer.contains("email") && answer.contains("monitoring_script"),
        "{answer}"
    );
    let (_, body) = home().await;
    assert!(body.contains("99 Đường Thử Nghiệm") && !body.contains("không được lưu"));

    // The menu follows the order saved.
    let mut ids = site.category_ids().await;
    ids.reverse();
    let (status, _) = site
        .call(
            "thu-tu-menu",
            serde_json::json!({ "ids": ids }),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(site.category_ids().await, ids);
    let (_, body) = home().await;
    let nav_start = body.find("main-nav").unwrap();
    let nav = &body[nav_start..nav_start + body[nav_start..].find("</nav>").unwrap()];
    let names: Vec<String> = {
        use sea_orm::EntityTrait;
        let all = server::db::entities::category::Entity::find()
            .all(&site.conn)
            .await
            .unwrap();
        ids.iter()
            .map(|id| all.iter().find(|c| c.id == *id).unwrap().name.clone())
            .collect()
    };
    let at: Vec<usize> = names
        .iter()
        .map(|name| nav.find(&format!(">{name}<")).expect("in the menu"))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "menu order {names:?}");
    ids.pop();
    let (status, _) = site
        .call(
            "thu-tu-menu",
            serde_json::json!({ "ids": ids }),
            Some(&admin),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a category left out"
    );
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
    the_editors_app_is_served,
    managing_users,
    site_settings_show_at_once
);
