//! Citizens' questions over HTTP, on both databases: the form's guards (a
//! filled hidden field, a form sent at once, a forged token, the sixth
//! question in a minute) refuse with a clear message and keep what was
//! typed; a question gets a tracking code that shows its status without an
//! account; an editor assigns, answers and publishes it; the asker's name
//! and contact never reach a public page; publication needs consent; and
//! readers' ratings of an article are counted.

mod common;

use app::model::accounts::Role;
use app::model::questions::{EditorQuestion, QuestionStatus};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::TestDb;
use http_body_util::BodyExt;
use sea_orm::EntityTrait;
use tower::ServiceExt;

const NAME: &str = "Trần Thị Bình Minh";
const CONTACT: &str = "binhminh.rieng@example.vn";

struct Site {
    router: axum::Router,
    db_url: String,
    portal: server::Portal,
    store: server::questions::QuestionStore,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Site {
    async fn new(db: &TestDb) -> Self {
        let mut config = server::Config::for_database(&db.url).unwrap();
        config.counter_flush_interval = std::time::Duration::from_secs(3600);
        let portal = server::build(&config).await.expect("build the portal");
        let conn = server::db::connect(&db.url).await.unwrap();
        let store = server::questions::QuestionStore::new(conn, portal.changes.clone())
            .await
            .unwrap();
        Self {
            router: portal.router.clone(),
            db_url: db.url.clone(),
            portal,
            store,
        }
    }

    async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        Reply {
            status: parts.status,
            headers: parts.headers,
            body: String::from_utf8_lossy(&body.collect().await.unwrap().to_bytes()).into_owned(),
        }
    }

    async fn get(&self, path: &str) -> Reply {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", app::url::encode_component(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// A form token as if the form had been shown `seconds_ago`.
    fn token(&self, seconds_ago: i64) -> String {
        self.store
            .token_at(time::OffsetDateTime::now_utc() - time::Duration::seconds(seconds_ago))
    }

    async fn ask(&self, token: &str, honeypot: &str, consent: bool, question: &str) -> Reply {
        let mut fields = vec![
            ("ho_ten", NAME),
            ("lien_he", CONTACT),
            ("chu_de", "Thủ tục hành chính"),
            ("noi_dung", question),
            ("trang_web", honeypot),
            ("ma_bieu_mau", token),
        ];
        if consent {
            fields.push(("dong_y", "1"));
        }
        self.post_form(app::api::questions::SUBMIT_PATH, &fields)
            .await
    }

    async fn sign_in(&self, name: &str, role: Role) -> String {
        common::sign_in(&self.router, &self.db_url, name, name, role)
            .await
            .1
    }

    async fn call(&self, cookie: &str, endpoint: &str, json: serde_json::Value) -> Reply {
        self.send(
            Request::post(format!("/api/quan-tri/{endpoint}"))
                .header(header::CONTENT_TYPE, "application/json")
                .header("sec-fetch-site", "same-origin")
                .header(header::COOKIE, cookie)
                .body(Body::from(json.to_string()))
                .unwrap(),
        )
        .await
    }
}

fn location(reply: &Reply) -> String {
    reply
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn desk(db: &TestDb) {
    let site = Site::new(db).await;
    let question = "Xin hỏi thủ tục cấp lại giấy khai sinh bản sao cần những giấy tờ gì?";

    // The form carries a signed time token.
    let form = site.get("/hoi-dap/gui").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"ma_bieu_mau\""));
    // Prerendered by the browser, it sends the counter's beacon when opened:
    // not a counted page, but no error either.
    for (body, status) in [
        ("/hoi-dap/gui", StatusCode::NO_CONTENT),
        ("/hoi-dap/tra-cuu", StatusCode::NO_CONTENT),
        ("not a path", StatusCode::BAD_REQUEST),
    ] {
        let beacon = site
            .send(
                Request::post(app::api::counter::BEACON_PATH)
                    .header(header::CONTENT_TYPE, "text/plain;charset=UTF-8")
                    .header("sec-fetch-site", "same-origin")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert_eq!(beacon.status, status, "{body}");
    }

    // Refusals keep what was typed and say what to do.
    let fast = site.ask(&site.token(0), "", true, question).await;
    assert_eq!(fast.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(fast.body.contains("quá nhanh"), "{}", fast.body);
    assert!(fast.body.contains(question) && fast.body.contains(NAME));
    let bot = site
        .ask(&site.token(30), "http://spam.example", true, question)
        .await;
    assert_eq!(bot.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bot.body.contains("phải để trống"));
    let forged = site.ask("1700000000.00ff", "", true, question).await;
    assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(forged.body.contains("không còn hợp lệ"));
    let short = site.ask(&site.token(30), "", true, "Hỏi?").await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("ít nhất 10 ký tự"));
    assert!(short.body.contains("aria-invalid=\"true\""));

    // Taken: a code, and its page says "received" without any personal data.
    let sent = site.ask(&site.token(30), "", true, question).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let to = location(&sent);
    assert!(to.starts_with("/hoi-dap/tra-cuu?ma=HD-"), "{to}");
    let code = app::url::decode_component(
        to.trim_start_matches("/hoi-dap/tra-cuu?ma=")
            .trim_end_matches("&moi=1"),
    )
    .unwrap();
    let tracking = site.get(&to).await;
    assert_eq!(tracking.status, StatusCode::OK);
    assert!(tracking.body.contains(&code));
    assert!(tracking.body.contains("Câu hỏi của bạn đã được gửi."));
    assert!(tracking.body.contains(QuestionStatus::Received.label()));
    assert!(!tracking.body.contains(NAME) && !tracking.body.contains(CONTACT));
    // Typed loosely, the code still works; one character off, nothing.
    let loose = code.to_lowercase().replace('-', " ");
    let found = site
        .get(&format!(
            "/hoi-dap/tra-cuu?ma={}",
            app::url::encode_component(&loose)
        ))
        .await;
    assert!(found.body.contains(QuestionStatus::Received.label()));
    let mut other = code.clone().into_bytes();
    let last = other.len() - 1;
    other[last] = if other[last] == b'2' { b'3' } else { b'2' };
    let missing = site
        .get(&format!(
            "/hoi-dap/tra-cuu?ma={}",
            String::from_utf8(other).unwrap()
        ))
        .await;
    assert!(missing.body.contains("Không tìm thấy câu hỏi"));

    // A second question, without consent to publication.
    let private = site
        .ask(
            &site.token(30),
            "",
            false,
            "Câu hỏi riêng về hồ sơ của gia đình tôi, xin đừng công bố.",
        )
        .await;
    assert_eq!(private.status, StatusCode::SEE_OTHER);

    // Editors handle them; authors do not see them.
    let author = site.sign_in("tacgia", Role::Author).await;
    let editor = site.sign_in("bientap", Role::Editor).await;
    let listing = serde_json::json!({ "status": null, "query": "" });
    assert_eq!(
        site.call(&author, "hoi-dap", listing.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    let reply = site.call(&editor, "hoi-dap", listing).await;
    assert_eq!(reply.status, StatusCode::OK);
    let all: Vec<EditorQuestion> = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(all.len(), 2);
    let asked = all.iter().find(|q| q.code == code).unwrap().clone();
    let withheld = all.iter().find(|q| q.code != code).unwrap().clone();
    assert_eq!(
        (asked.name.as_str(), asked.contact.as_str()),
        (NAME, CONTACT)
    );
    assert!(asked.consent && !withheld.consent);

    let people: Vec<(i32, String)> = serde_json::from_str(
        &site
            .call(&editor, "nguoi-tra-loi", serde_json::json!({}))
            .await
            .body,
    )
    .unwrap();
    let me = people.iter().find(|(_, n)| n == "bientap").unwrap().0;
    let reply = site
        .call(
            &editor,
            "giao-cau-hoi",
            serde_json::json!({ "id": asked.id, "to": me }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let taken: EditorQuestion = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(taken.status, QuestionStatus::InProgress);
    assert!(
        site.get(&to)
            .await
            .body
            .contains(QuestionStatus::InProgress.label())
    );

    let answer =
        "Người dân nộp tờ khai theo mẫu và xuất trình giấy tờ tùy thân tại bộ phận một cửa.";
    let mut input = serde_json::json!({ "input": {
        "id": asked.id, "status": "Answered", "title": "Cấp bản sao giấy khai sinh",
        "public_question": "", "answer": answer, "published": true,
    }});
    let reply = site.call(&editor, "tra-loi-cau-hoi", input.clone()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let public = site.get("/hoi-dap").await;
    assert!(public.body.contains("Cấp bản sao giấy khai sinh"));
    assert!(public.body.contains(answer));
    assert!(!public.body.contains(NAME) && !public.body.contains(CONTACT));
    let searched = site.get("/hoi-dap?q=ban+sao+khai+sinh").await;
    assert!(searched.body.contains("Tìm thấy 1 câu hỏi"));
    let tracked = site.get(&to).await.body;
    assert!(tracked.contains(QuestionStatus::Answered.label()) && tracked.contains(answer));

    // Without consent it is answered privately, never published.
    input["input"]["id"] = withheld.id.into();
    let reply = site.call(&editor, "tra-loi-cau-hoi", input).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("không đồng ý công bố"));

    // The sixth question in a minute from one network waits (three more
    // are taken; the two above and these make five).
    for n in 0..3 {
        let reply = site
            .ask(
                &site.token(30),
                "",
                false,
                &format!("Câu hỏi thử số {n} về dịch vụ công"),
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "question {n}");
    }
    let sixth = site
        .ask(&site.token(30), "", false, "Câu hỏi thứ sáu trong một phút")
        .await;
    assert_eq!(sixth.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        sixth
            .headers
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok()),
        Some("60")
    );
    assert!(sixth.body.contains("Câu hỏi thứ sáu trong một phút"));

    // Ratings: counted, nothing about the reader kept.
    let conn = server::db::connect(&site.db_url).await.unwrap();
    let slug = server::db::entities::article::Entity::find()
        .one(&conn)
        .await
        .unwrap()
        .unwrap()
        .slug;
    conn.close().await.unwrap();
    let rated = site
        .post_form("/danh-gia", &[("bai", &slug), ("huu_ich", "co")])
        .await;
    assert_eq!(rated.status, StatusCode::SEE_OTHER);
    assert_eq!(
        location(&rated),
        format!("/tin-tuc/{slug}?danh-gia=cam-on#danh-gia")
    );
    let thanked = site.get(&format!("/tin-tuc/{slug}?danh-gia=cam-on")).await;
    assert!(thanked.body.contains("Cảm ơn bạn đã góp ý."));
    site.post_form("/danh-gia", &[("bai", &slug), ("huu_ich", "khong")])
        .await;
    site.post_form("/danh-gia", &[("bai", &slug), ("huu_ich", "co")])
        .await;
    let counts = site
        .call(&author, "danh-gia-bai", serde_json::json!({ "slug": slug }))
        .await;
    assert_eq!(counts.body, r#"{"helpful":2,"not_helpful":1}"#);
    assert_eq!(
        site.post_form(
            "/danh-gia",
            &[("bai", "khong-co-bai-nay"), ("huu_ich", "co")]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        site.post_form("/danh-gia", &[("bai", &slug), ("huu_ich", "tuyet")])
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    site.portal.shutdown().await.unwrap();
}

#[test]
fn sqlite_desk() {
    common::run_alone(async {
        let db = TestDb::sqlite();
        desk(&db).await;
        db.drop_db().await;
    });
}

#[test]
fn postgres_desk() {
    common::run_alone(async {
        let db = TestDb::postgres().await;
        desk(&db).await;
        db.drop_db().await;
    });
}
