//! The open content API (`/api/v1`) over HTTP, on both databases:
//! - every response the tests receive, whatever the endpoint and status,
//!   validates against the schema the served OpenAPI 3.1 document gives for
//!   that path and status (`$ref`s resolved into its components; objects
//!   held to their declared properties);
//! - nothing unpublished or personal leaks: drafts, articles in review,
//!   scheduled or withdrawn articles, an unpublished document and its file,
//!   an account, a citizen's name, e-mail, phone and tracking code are
//!   absent from every response of every endpoint, and no e-mail address or
//!   phone number appears that the public content did not already show;
//! - validators (`ETag`, 304), CORS and preflights, `updated_since`,
//!   pagination bounds and JSON errors (400, 404, 405).

mod common;

use std::collections::BTreeSet;

use app::model::accounts::Role;
use app::model::questions::QuestionSubmission;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use common::TestDb;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tower::ServiceExt;

/// Every private marker contains this, so one search finds any of them.
const MARK: &str = "zqx";
/// The public address the test portal runs with (`Config::for_database`).
const PUBLIC_URL: &str = "http://127.0.0.1:3000";

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    bytes: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|err| panic!("not JSON ({err}): {}", self.text()))
    }

    fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

/// The served OpenAPI document, and checks of responses against it.
struct Spec {
    doc: Value,
    /// The component schemas, each object held to its declared properties,
    /// as `$defs` of the schemas validated.
    defs: Value,
}

impl Spec {
    fn new(doc: Value) -> Self {
        let openapi = doc["openapi"].as_str().unwrap_or_default();
        assert!(openapi.starts_with("3.1."), "openapi: {openapi}");
        assert_eq!(doc["servers"][0]["url"], PUBLIC_URL);
        assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
        let mut operations = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            let id = item["get"]["operationId"].as_str().unwrap_or_default();
            assert!(
                operations.insert(id.to_owned()),
                "{path}: operationId {id:?} twice"
            );
            assert!(
                item["get"]["responses"]["200"].is_object(),
                "{path}: no 200"
            );
        }
        let mut defs = doc["components"]["schemas"].clone();
        assert!(defs.is_object(), "no component schemas");
        // Every declared field is always present: clients can rely on it.
        for (name, schema) in defs.as_object().unwrap() {
            if let Some(properties) = schema["properties"].as_object() {
                let required: BTreeSet<&str> = schema["required"]
                    .as_array()
                    .map(|r| r.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                for property in properties.keys() {
                    assert!(
                        required.contains(property.as_str()),
                        "{name}.{property} is not required"
                    );
                }
            }
        }
        close_objects(&mut defs);
        Self { doc, defs }
    }

    /// The schema for a response of `template` with `status`, if declared.
    fn response(&self, template: &str, status: StatusCode) -> Option<&Value> {
        let operation = &self.doc["paths"][template]["get"];
        assert!(operation.is_object(), "{template} is not documented");
        let response = &operation["responses"][status.as_str()];
        response.is_object().then_some(response)
    }

    /// Checks a real response of `template` against the document.
    fn check(&self, template: &str, path: &str, reply: &Reply) {
        let Some(declared) = self.response(template, reply.status) else {
            panic!(
                "{path}: status {} is not documented for {template}: {}",
                reply.status,
                reply.text()
            );
        };
        let content = &declared["content"];
        if reply.status == StatusCode::NOT_MODIFIED || reply.bytes.is_empty() {
            assert!(
                reply.bytes.is_empty(),
                "{path}: a body with {}",
                reply.status
            );
            return;
        }
        let schema = &content["application/json"]["schema"];
        assert!(
            schema.is_object(),
            "{path}: no JSON schema for {}",
            reply.status
        );
        assert!(
            reply
                .header(header::CONTENT_TYPE)
                .starts_with("application/json"),
            "{path}: {}",
            reply.header(header::CONTENT_TYPE)
        );
        let mut root = schema.clone();
        root["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
        root["$defs"] = self.defs.clone();
        let root: Value = serde_json::from_str(
            &root
                .to_string()
                .replace("#/components/schemas/", "#/$defs/"),
        )
        .unwrap();
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&root)
            .unwrap_or_else(|err| panic!("{template}: the schema does not compile: {err}"));
        let instance = reply.json();
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{path} ({}) does not match the OpenAPI document:\n{}\n{}",
            reply.status,
            errors.join("\n"),
            reply.text()
        );
    }
}

/// Forbids properties a schema does not declare, in every object schema.
fn close_objects(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            for value in map.values_mut() {
                close_objects(value);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}

struct Site {
    router: axum::Router,
    db_url: String,
    portal: server::Portal,
    spec: Spec,
    dirs: [std::path::PathBuf; 2],
}

impl Site {
    async fn new(db: &TestDb) -> Self {
        let mut config = server::Config::for_database(&db.url).unwrap();
        config.counter_flush_interval = std::time::Duration::from_secs(3600);
        assert_eq!(config.public_url, PUBLIC_URL);
        let dirs = [config.documents_dir.clone(), config.media_dir.clone()];
        let portal = server::build(&config).await.expect("build the portal");
        let router = portal.router.clone();
        let reply = send(&router, empty(Request::get("/api/v1/openapi.json"))).await;
        assert_eq!(reply.status, StatusCode::OK);
        let spec = Spec::new(reply.json());
        let site = Self {
            router,
            db_url: db.url.clone(),
            portal,
            spec,
            dirs,
        };
        // The document describes itself too.
        site.spec
            .check("/api/v1/openapi.json", "/api/v1/openapi.json", &reply);
        site
    }

    async fn finish(self) {
        self.portal.shutdown().await.unwrap();
        for dir in &self.dirs {
            let _ = std::fs::remove_dir_all(dir);
        }
    }

    async fn send(&self, request: Request<Body>) -> Reply {
        send(&self.router, request).await
    }

    /// `GET path` on the API, checked against the document's `template`.
    async fn api(&self, template: &str, path: &str) -> Reply {
        self.api_with(template, path, empty(Request::get(path)))
            .await
    }

    /// A request of the API, checked against the document's `template`.
    async fn api_with(&self, template: &str, path: &str, request: Request<Body>) -> Reply {
        let reply = self.send(request).await;
        self.spec.check(template, path, &reply);
        reply
    }

    /// Signs `username` in (creating the account); the session cookie pair.
    async fn sign_in(&self, username: &str, display_name: &str, role: Role) -> String {
        common::sign_in(&self.router, &self.db_url, username, display_name, role)
            .await
            .1
    }

    /// An editors' server function; panics unless it answers 200.
    async fn call(&self, cookie: &str, endpoint: &str, body: Value) -> Value {
        let reply = self
            .send(
                Request::post(format!("/api/quan-tri/{endpoint}"))
                    .header(header::CONTENT_TYPE, "application/json")
                    .header("sec-fetch-site", "same-origin")
                    .header(header::COOKIE, cookie)
                    .body(Body::from(body.to_string()))
                    .unwrap(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{endpoint}: {}", reply.text());
        reply.json()
    }

    /// A new article by `cookie`'s editor; its id and slug.
    async fn article(
        &self,
        cookie: &str,
        title: &str,
        body_html: &str,
        seo: &str,
    ) -> (i32, String) {
        let saved = self
            .call(
                cookie,
                "tao-bai",
                json!({ "draft": {
                    "title": title,
                    "excerpt": format!("Tóm tắt của bài {title}."),
                    "body_html": body_html,
                    "author": "Phóng viên",
                    "category_id": 1,
                    "seo_description": seo,
                    "tags": ["cải cách"],
                }}),
            )
            .await;
        (
            saved["id"].as_i64().unwrap() as i32,
            saved["slug"].as_str().unwrap().to_owned(),
        )
    }

    async fn step(&self, cookie: &str, id: i32, step: &str) {
        self.call(
            cookie,
            "chuyen-trang-thai",
            json!({ "id": id, "step": step, "comment": "" }),
        )
        .await;
    }

    /// Every page of a list (`path` ends with `per_page=…`), each page
    /// checked; the replies and the items.
    async fn all_pages(&self, template: &str, path: &str) -> (Vec<(String, Reply)>, Vec<Value>) {
        let mut replies = Vec::new();
        let mut items = Vec::new();
        let mut page = 1;
        loop {
            let url = format!("{path}&page={page}");
            let reply = self.api(template, &url).await;
            assert_eq!(reply.status, StatusCode::OK, "{url}: {}", reply.text());
            let body = reply.json();
            items.extend(body["items"].as_array().unwrap().iter().cloned());
            let pages = body["total_pages"].as_u64().unwrap();
            replies.push((url, reply));
            if page >= pages {
                break;
            }
            page += 1;
        }
        (replies, items)
    }

    /// Every API response a client can get without knowing private slugs:
    /// every page of every list, every listed item's detail, the
    /// categories, the counter, the document itself, and searches.
    async fn crawl(&self, searches: &[&str]) -> Vec<(String, Reply)> {
        let mut all = Vec::new();
        for (template, detail, path) in [
            (
                "/api/v1/articles",
                Some("/api/v1/articles/{slug}"),
                "/api/v1/articles?per_page=100".to_owned(),
            ),
            (
                "/api/v1/articles",
                Some("/api/v1/articles/{slug}"),
                "/api/v1/articles?per_page=100&updated_since=2000-01-01T00:00:00Z".to_owned(),
            ),
            (
                "/api/v1/documents",
                Some("/api/v1/documents/{slug}"),
                "/api/v1/documents?per_page=100".to_owned(),
            ),
            (
                "/api/v1/questions",
                None,
                "/api/v1/questions?per_page=100".to_owned(),
            ),
        ] {
            let (replies, items) = self.all_pages(template, &path).await;
            all.extend(replies);
            if let Some(detail) = detail {
                for item in items {
                    let api_url = item["api_url"].as_str().unwrap();
                    let path = api_url.strip_prefix(PUBLIC_URL).unwrap().to_owned();
                    let reply = self.api(detail, &path).await;
                    assert_eq!(reply.status, StatusCode::OK, "{path}");
                    all.push((path, reply));
                }
            }
        }
        for word in searches {
            for (template, path) in [
                (
                    "/api/v1/documents",
                    format!("/api/v1/documents?per_page=100&q={word}"),
                ),
                (
                    "/api/v1/questions",
                    format!("/api/v1/questions?per_page=100&q={word}"),
                ),
            ] {
                let reply = self.api(template, &path).await;
                assert_eq!(reply.status, StatusCode::OK, "{path}");
                all.push((path, reply));
            }
        }
        for (template, path) in [
            ("/api/v1/categories", "/api/v1/categories"),
            ("/api/v1/stats", "/api/v1/stats"),
            ("/api/v1/openapi.json", "/api/v1/openapi.json"),
        ] {
            let reply = self.api(template, path).await;
            assert_eq!(reply.status, StatusCode::OK, "{path}");
            all.push((path.to_owned(), reply));
        }
        all
    }
}

/// A request without a body.
fn empty(request: axum::http::request::Builder) -> Request<Body> {
    request.body(Body::empty()).unwrap()
}

async fn send(router: &axum::Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    Reply {
        status: parts.status,
        headers: parts.headers,
        bytes: body.collect().await.unwrap().to_bytes().to_vec(),
    }
}

/// E-mail addresses in `text` (a plain scan: word characters around an `@`
/// with a dotted domain).
fn emails(text: &str) -> BTreeSet<String> {
    let local = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
    let domain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-');
    let mut found = BTreeSet::new();
    for (at, _) in text.match_indices('@') {
        let start = text[..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| local(*c))
            .last()
            .map(|(i, _)| i);
        let end = at + 1 + text[at + 1..].chars().take_while(|c| domain(*c)).count();
        if let Some(start) = start {
            let host = text[at + 1..end].trim_end_matches('.');
            if host.contains('.') {
                found.insert(format!("{}@{host}", &text[start..at]).to_lowercase());
            }
        }
    }
    found
}

/// Vietnamese phone numbers in `text`: 9 to 11 digits starting with `0` or
/// `+84`, in groups separated by single spaces, dots or dashes.
fn phones(text: &str) -> BTreeSet<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        // Not inside a number, a word or a time (`…:03.918639176`).
        let starts = (chars[i] == '0' || chars[i] == '+')
            && (i == 0
                || !(chars[i - 1].is_ascii_alphanumeric()
                    || matches!(chars[i - 1], ':' | '.' | '-' | '/' | ',')));
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i + usize::from(chars[i] == '+');
        let mut digits = String::new();
        while j < chars.len() {
            if chars[j].is_ascii_digit() {
                digits.push(chars[j]);
                j += 1;
            } else if matches!(chars[j], ' ' | '.' | '-')
                && j + 1 < chars.len()
                && chars[j + 1].is_ascii_digit()
                && chars[j - 1].is_ascii_digit()
            {
                j += 1;
            } else {
                break;
            }
        }
        let national = chars[i] == '0' || digits.starts_with("84");
        if national
            && (9..=11).contains(&digits.len())
            && !chars.get(j).is_some_and(char::is_ascii_alphanumeric)
        {
            found.insert(digits);
        }
        i = j.max(i + 1);
    }
    found
}

/// Every key of every object in `value`.
fn keys(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                out.insert(key.clone());
                keys(value, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

/// The e-mail addresses and phone numbers in every response.
fn contacts(replies: &[(String, Reply)]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (_, reply) in replies {
        let text = reply.text();
        found.extend(emails(&text));
        found.extend(phones(&text));
    }
    found
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap()
}

/// Drafts, articles in review, scheduled and withdrawn articles, an
/// unpublished document with its file, accounts and citizens' personal
/// data never reach any API response.
async fn nothing_private_leaks(db: &TestDb) {
    let site = Site::new(db).await;
    // What the public content shows before anything private exists.
    let before = site.crawl(&["1234"]).await;
    let public_contacts = contacts(&before);
    for (path, reply) in &before {
        assert!(!reply.text().to_lowercase().contains(MARK), "{path}");
    }

    let editor = site
        .sign_in("zqxbientap", "Biên tập viên Zqxten Bí Mật", Role::Editor)
        .await;
    // A draft with contact details in its body and description.
    let (_, draft_slug) = site
        .article(
            &editor,
            "Bản nháp zqxnhap chưa công bố",
            "<p>Nội dung nháp zqxthan. Liên hệ bimat.zqx@example.vn hoặc 0912 345 678.</p>",
            "Mô tả zqxmota, gọi 0912.345.678",
        )
        .await;
    let (review, review_slug) = site
        .article(
            &editor,
            "Bài chờ duyệt zqxduyet",
            "<p>Chờ duyệt zqxduyet.</p>",
            "",
        )
        .await;
    site.step(&editor, review, "Submit").await;
    let (scheduled, scheduled_slug) = site
        .article(
            &editor,
            "Bài hẹn giờ zqxhengio",
            "<p>Hẹn giờ zqxhengio.</p>",
            "",
        )
        .await;
    site.call(
        &editor,
        "len-lich",
        json!({ "id": scheduled, "publish_at": rfc3339(OffsetDateTime::now_utc() + time::Duration::days(2)) }),
    )
    .await;
    let (withdrawn, withdrawn_slug) = site
        .article(&editor, "Bài đã gỡ zqxdago", "<p>Đã gỡ zqxdago.</p>", "")
        .await;
    site.step(&editor, withdrawn, "Publish").await;
    site.step(&editor, withdrawn, "Unpublish").await;
    // Published, to show the crawl does see what is public.
    let (published, published_slug) = site
        .article(
            &editor,
            "Hội nghị triển khai cải cách hành chính năm mới",
            "<p>Xem <a href=\"/van-ban\">văn bản</a> liên quan.</p>",
            "",
        )
        .await;
    site.step(&editor, published, "Publish").await;

    // An unpublished document, with a file.
    let document = site
        .call(
            &editor,
            "luu-van-ban",
            json!({ "input": {
                "id": null,
                "number": "77/KH-ZQX",
                "form": "Kế hoạch",
                "issuer": "Ủy ban nhân dân phường zqxphuong",
                "signer": "Người ký zqxky",
                "field": "Cải cách hành chính",
                "summary": "Kế hoạch mật zqxvanban, liên hệ vanban.zqx@example.vn",
                "issued_on": "2026-01-20",
                "effective_on": "",
                "expires_on": "",
                "replaced_by": "",
            }}),
        )
        .await;
    let document_slug = document["slug"].as_str().unwrap().to_owned();
    let pdf = server::documents::files::demo_pdf(&["zqxtep".to_owned()]);
    let upload = site
        .send(
            Request::post(format!(
                "{}?van-ban={}",
                app::api::documents::UPLOAD_PATH,
                document["id"]
            ))
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .header("sec-fetch-site", "same-origin")
            .header(header::COOKIE, &editor)
            .header(
                app::api::media::FILE_NAME_HEADER,
                app::url::encode_component("Tệp zqxtep.pdf"),
            )
            .body(Body::from(pdf))
            .unwrap(),
        )
        .await;
    assert_eq!(upload.status, StatusCode::OK, "{}", upload.text());

    // Citizens' questions: one answered and published (its asker's name,
    // contact and own wording stay private), one left unanswered.
    let conn = server::db::connect(&site.db_url).await.unwrap();
    let desk = server::questions::QuestionStore::new(conn.clone(), site.portal.changes.clone())
        .await
        .unwrap();
    let now = OffsetDateTime::now_utc();
    let mut codes = Vec::new();
    for (name, contact, question) in [
        (
            "Nguyễn Zqxdan",
            "dan.zqx@example.vn",
            "Tôi muốn hỏi về thủ tục zqxhoi, nhà tôi ở hẻm 12.",
        ),
        (
            "Trần Zqxkin",
            "0987 654 321",
            "Câu hỏi chưa trả lời zqxchuatraloi về một cửa.",
        ),
    ] {
        let submission = QuestionSubmission {
            name: name.into(),
            contact: contact.into(),
            topic: "Thủ tục hành chính".into(),
            question: question.into(),
            consent: true,
        };
        let token = desk.token_at(now - time::Duration::seconds(30));
        match desk.submit(&submission, &token, "", None, now).await {
            Ok(code) => codes.push(code),
            Err(_) => panic!("the question from {name} was refused"),
        }
    }
    let asked_id = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        use server::db::entities::question;
        question::Entity::find()
            .filter(question::Column::Name.eq("Nguyễn Zqxdan"))
            .one(&conn)
            .await
            .unwrap()
            .expect("the question is stored")
            .id
    };
    site.call(
        &editor,
        "tra-loi-cau-hoi",
        json!({ "input": {
            "id": asked_id,
            "status": "Answered",
            "title": "Thủ tục cấp phép xây dựng",
            "public_question": "Người dân hỏi về thủ tục cấp phép xây dựng nhà ở.",
            "answer": "Hồ sơ nộp tại Bộ phận một cửa của phường.",
            "published": true,
        }}),
    )
    .await;
    conn.close().await.unwrap();

    let after = site
        .crawl(&["zqxvanban", "77", "zqxhoi", "zqxchuatraloi", "zqx"])
        .await;
    // What is public is there.
    let everything: String = after.iter().map(|(_, r)| r.text()).collect();
    assert!(everything.contains(&format!("/api/v1/articles/{published_slug}")));
    assert!(
        everything.contains(&format!("href=\\\"{PUBLIC_URL}/van-ban\\\"")),
        "links made absolute"
    );
    assert!(everything.contains("Thủ tục cấp phép xây dựng"));
    assert!(everything.contains("Người dân hỏi về thủ tục cấp phép xây dựng nhà ở."));

    // What is not, is not: no marker, contact, code, account or slug.
    let mut secrets: Vec<String> = vec![
        MARK.to_owned(),
        "bimat".into(),
        "hẻm 12".into(),
        "77/KH".into(),
        draft_slug.clone(),
        review_slug.clone(),
        scheduled_slug.clone(),
        withdrawn_slug.clone(),
        document_slug.clone(),
    ];
    secrets.extend(codes.iter().cloned());
    let mut seen_keys = BTreeSet::new();
    for (path, reply) in &after {
        let text = reply.text().to_lowercase();
        for secret in &secrets {
            assert!(
                !text.contains(&secret.to_lowercase()),
                "{path} shows {secret:?}: {}",
                reply.text()
            );
        }
        if !path.ends_with("openapi.json") {
            keys(&reply.json(), &mut seen_keys);
        }
    }
    for private_key in [
        "created_by",
        "contact",
        "email",
        "phone",
        "username",
        "display_name",
        "password",
        "consent",
        "assignee",
        "code",
        "source",
        "status",
        "version",
        "published",
        "token",
        "search_text",
        "publish_at",
        "unpublish_at",
    ] {
        assert!(!seen_keys.contains(private_key), "a {private_key:?} field");
    }
    let new_contacts: Vec<String> = contacts(&after)
        .difference(&public_contacts)
        .cloned()
        .collect();
    assert!(
        new_contacts.is_empty(),
        "contact details beyond the public content's: {new_contacts:?}"
    );

    // Asked for directly, private items are not found, and say nothing.
    for slug in [&draft_slug, &review_slug, &scheduled_slug, &withdrawn_slug] {
        let path = format!("/api/v1/articles/{slug}");
        let reply = site.api("/api/v1/articles/{slug}", &path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!reply.text().contains(MARK));
    }
    let path = format!("/api/v1/documents/{document_slug}");
    let reply = site.api("/api/v1/documents/{slug}", &path).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");

    site.finish().await;
}

/// Validators, CORS, `updated_since`, pagination and errors.
async fn reads_behave(db: &TestDb) {
    let site = Site::new(db).await;
    let list = "/api/v1/articles";

    // ETag and 304; HEAD answers the same headers without a body.
    let first = site.api(list, list).await;
    assert_eq!(first.status, StatusCode::OK);
    let etag = first.header(header::ETAG).to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert_eq!(first.header(header::CACHE_CONTROL), "public, max-age=60");
    let again = site
        .api_with(
            list,
            list,
            empty(Request::get(list).header(header::IF_NONE_MATCH, &etag)),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.bytes.is_empty());
    assert_eq!(again.header(header::ETAG), etag);
    let other = site
        .api_with(
            list,
            list,
            empty(Request::get(list).header(header::IF_NONE_MATCH, "W/\"khac\"")),
        )
        .await;
    assert_eq!(other.status, StatusCode::OK);
    let head = site.send(empty(Request::head(list))).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.bytes.is_empty());
    assert_eq!(head.header(header::ETAG), etag);

    // CORS for reads, from any origin; preflights answered.
    let cross = site
        .api_with(
            "/api/v1/stats",
            "/api/v1/stats",
            empty(
                Request::get("/api/v1/stats").header(header::ORIGIN, "https://baocantho.example"),
            ),
        )
        .await;
    assert_eq!(cross.status, StatusCode::OK);
    assert_eq!(cross.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    assert!(
        cross
            .header(header::ACCESS_CONTROL_EXPOSE_HEADERS)
            .to_lowercase()
            .contains("etag")
    );
    let preflight = site
        .send(empty(
            Request::builder()
                .method(Method::OPTIONS)
                .uri("/api/v1/documents?per_page=5")
                .header(header::ORIGIN, "https://baocantho.example")
                .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "if-none-match"),
        ))
        .await;
    assert!(preflight.status.is_success(), "{}", preflight.status);
    assert_eq!(preflight.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    let methods = preflight
        .header(header::ACCESS_CONTROL_ALLOW_METHODS)
        .to_owned();
    for method in ["GET", "HEAD", "OPTIONS"] {
        assert!(methods.contains(method), "{methods}");
    }
    assert!(
        preflight
            .header(header::ACCESS_CONTROL_ALLOW_HEADERS)
            .to_lowercase()
            .contains("if-none-match")
    );
    assert!(!methods.contains("POST"));
    // Writes are refused, as JSON.
    let write = site.send(empty(Request::post(list))).await;
    assert_eq!(write.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(
        write.json()["error"]
            .as_str()
            .unwrap()
            .contains("chỉ cho phép đọc")
    );

    // Not counted as page views, not kept by the page cache.
    for path in ["/api/v1/articles", "/api/v1/articles/x", "/api/v1/stats"] {
        assert!(!server::counter::http::is_page_path(path), "{path}");
        assert!(!server::page_cache::is_cacheable_path(path), "{path}");
    }

    // Pagination: bounds, totals, order.
    let all = site.api(list, "/api/v1/articles?per_page=100").await.json();
    let total = all["total"].as_u64().unwrap();
    assert!(total >= 3, "the demo articles");
    let dates: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["published_at"].as_str().unwrap())
        .collect();
    let parsed: Vec<OffsetDateTime> = dates
        .iter()
        .map(|d| OffsetDateTime::parse(d, &Rfc3339).unwrap())
        .collect();
    assert!(
        parsed.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {dates:?}"
    );
    assert!(dates.iter().all(|d| d.ends_with("+07:00")), "{dates:?}");
    let one = site
        .api(list, "/api/v1/articles?per_page=1&page=2")
        .await
        .json();
    assert_eq!(one["items"].as_array().unwrap().len(), 1);
    assert_eq!(one["items"][0], all["items"][1]);
    assert_eq!(one["total_pages"].as_u64().unwrap(), total);
    let beyond = site
        .api(
            list,
            &format!("/api/v1/articles?per_page=100&page={}", total + 5),
        )
        .await;
    assert_eq!(beyond.status, StatusCode::OK);
    assert!(beyond.json()["items"].as_array().unwrap().is_empty());
    for (template, path) in [
        (list, "/api/v1/articles?page=0"),
        (list, "/api/v1/articles?page=-1"),
        (list, "/api/v1/articles?page=abc"),
        (list, "/api/v1/articles?page=1000001"),
        (list, "/api/v1/articles?per_page=0"),
        (list, "/api/v1/articles?per_page=101"),
        (list, "/api/v1/articles?per_page=1&per_page=2"),
        (list, "/api/v1/articles?updated_since=h%C3%B4m-qua"),
        (list, "/api/v1/articles?updated_since=2026-12-01"),
        ("/api/v1/documents", "/api/v1/documents?per_page=500"),
        ("/api/v1/documents", "/api/v1/documents?year=hai-nghin"),
        ("/api/v1/documents", "/api/v1/documents?year=99999"),
        ("/api/v1/questions", "/api/v1/questions?page=x"),
    ] {
        let reply = site.api(template, path).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(!reply.json()["error"].as_str().unwrap().is_empty());
    }
    let long = format!("/api/v1/documents?q={}", "a".repeat(201));
    let reply = site.api("/api/v1/documents", &long).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    for (template, path) in [
        (
            "/api/v1/articles/{slug}",
            "/api/v1/articles/khong-co-bai-nay",
        ),
        (
            "/api/v1/documents/{slug}",
            "/api/v1/documents/khong-co-van-ban-nay",
        ),
        ("/api/v1/articles/{slug}", "/api/v1/articles/%FF%FE"),
        ("/api/v1/documents/{slug}", "/api/v1/documents/%C3"),
    ] {
        let reply = site.api(template, path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            reply.json()["error"]
                .as_str()
                .unwrap()
                .starts_with("Không tìm thấy")
        );
    }
    for path in ["/api/v1/khong-co", "/api/v1", "/api/v1/articles/a/b"] {
        let reply = site.send(empty(Request::get(path))).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            reply.json()["error"]
                .as_str()
                .unwrap()
                .contains("openapi.json")
        );
    }

    // updated_since: an article published now is in the changes since
    // just before, not in those since just after.
    let editor = site.sign_in("bientap", "Biên tập viên", Role::Editor).await;
    let before = OffsetDateTime::now_utc() - time::Duration::seconds(1);
    let (id, slug) = site
        .article(
            &editor,
            "Thông báo lịch tiếp công dân tháng mới",
            "<p>Lịch tiếp.</p>",
            "",
        )
        .await;
    site.step(&editor, id, "Publish").await;
    let after = OffsetDateTime::now_utc() + time::Duration::seconds(1);
    let changed = |at: OffsetDateTime, encode: bool| {
        let at = rfc3339(at.to_offset(app::vn_time::VIETNAM));
        let at = if encode { at.replace('+', "%2B") } else { at };
        format!("/api/v1/articles?per_page=100&updated_since={at}")
    };
    for encode in [true, false] {
        let since = site.api(list, &changed(before, encode)).await;
        assert_eq!(since.status, StatusCode::OK, "{}", since.text());
        let since = since.json();
        let slugs: Vec<&str> = since["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["slug"].as_str().unwrap())
            .collect();
        assert!(slugs.contains(&slug.as_str()), "{slugs:?}");
        assert_eq!(
            (since["total"].as_u64().unwrap() as usize).min(100),
            slugs.len()
        );
        let updated: Vec<OffsetDateTime> = since["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| OffsetDateTime::parse(i["updated_at"].as_str().unwrap(), &Rfc3339).unwrap())
            .collect();
        assert!(updated.iter().all(|at| *at >= before));
        assert!(
            updated.windows(2).all(|w| w[0] <= w[1]),
            "oldest change first: {updated:?}"
        );
    }
    let later = site.api(list, &changed(after, true)).await.json();
    assert!(
        !later["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["slug"] == slug.as_str()),
        "{later}"
    );
    // The detail agrees, and is the page's article.
    let detail = site
        .api(
            "/api/v1/articles/{slug}",
            &format!("/api/v1/articles/{slug}"),
        )
        .await
        .json();
    assert_eq!(detail["url"], format!("{PUBLIC_URL}/tin-tuc/{slug}"));
    assert_eq!(detail["title"], "Thông báo lịch tiếp công dân tháng mới");
    assert_eq!(detail["tags"], json!(["cải cách"]));
    assert!(
        detail["category"]["url"]
            .as_str()
            .unwrap()
            .starts_with(PUBLIC_URL)
    );

    // Documents: filters, and files as absolute download addresses.
    let found = site
        .api(
            "/api/v1/documents",
            "/api/v1/documents?q=Q%C4%90%201234&year=2026",
        )
        .await
        .json();
    assert!(found["total"].as_u64().unwrap() >= 1, "{found}");
    let api_url = found["items"][0]["api_url"].as_str().unwrap();
    let document = site
        .api(
            "/api/v1/documents/{slug}",
            api_url.strip_prefix(PUBLIC_URL).unwrap(),
        )
        .await
        .json();
    assert_eq!(document["number"], "1234/QĐ-UBND");
    let file_url = document["files"][0]["url"].as_str().unwrap();
    let file_path = file_url
        .strip_prefix(PUBLIC_URL)
        .expect("an absolute address");
    let download = site.send(empty(Request::get(file_path))).await;
    assert_eq!(download.status, StatusCode::OK, "{file_path}");
    assert_eq!(
        download.header(header::CONTENT_TYPE),
        document["files"][0]["content_type"]
    );
    let none = site
        .api("/api/v1/documents", "/api/v1/documents?year=1901")
        .await
        .json();
    assert_eq!(none["total"], 0);
    assert_eq!(none["total_pages"], 1);
    let form = site
        .api(
            "/api/v1/documents",
            "/api/v1/documents?per_page=100&form=Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh",
        )
        .await
        .json();
    assert!(
        form["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["form"] == "Quyết định"),
        "{form}"
    );

    site.finish().await;
}

#[test]
fn sqlite_nothing_private_leaks() {
    common::run_alone(async {
        let db = TestDb::sqlite();
        nothing_private_leaks(&db).await;
        db.drop_db().await;
    });
}

#[test]
fn postgres_nothing_private_leaks() {
    common::run_alone(async {
        let db = TestDb::postgres().await;
        nothing_private_leaks(&db).await;
        db.drop_db().await;
    });
}

#[test]
fn sqlite_reads_behave() {
    common::run_alone(async {
        let db = TestDb::sqlite();
        reads_behave(&db).await;
        db.drop_db().await;
    });
}

#[test]
fn postgres_reads_behave() {
    common::run_alone(async {
        let db = TestDb::postgres().await;
        reads_behave(&db).await;
        db.drop_db().await;
    });
}

#[test]
fn contact_scanners_find_what_they_should() {
    assert_eq!(
        emails("viết cho bimat.zqx@example.vn. hoặc a@b"),
        BTreeSet::from(["bimat.zqx@example.vn".to_owned()])
    );
    assert_eq!(
        phones(
            "gọi 0912 345 678, 0931.015.119 hoặc +84 912-345-678; không phải 2026-01-20, \
             12:31:03.446385544 hay 012"
        ),
        BTreeSet::from([
            "0912345678".to_owned(),
            "0931015119".to_owned(),
            "84912345678".to_owned()
        ])
    );
}
