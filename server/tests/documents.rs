//! The legal-documents library over HTTP, on both databases: editors (not
//! authors) enter a document, every mistake is named; files are accepted by
//! their bytes (a renamed program, an SVG or a bare ZIP are refused and
//! leave nothing on disk); nothing is public before it is published (page,
//! list, feed, file); published, it is found by its number in several
//! spellings and its file downloads with its Vietnamese name, ranges and
//! all; deleting it removes its files.

mod common;

use app::model::accounts::Role;
use app::model::documents::Document;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::TestDb;
use http_body_util::BodyExt;
use tower::ServiceExt;

struct Site {
    router: axum::Router,
    dir: std::path::PathBuf,
    db_url: String,
    portal: server::Portal,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    bytes: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

impl Site {
    async fn new(db: &TestDb) -> Self {
        let mut config = server::Config::for_database(&db.url).unwrap();
        config.counter_flush_interval = std::time::Duration::from_secs(3600);
        let dir = config.documents_dir.clone();
        let portal = server::build(&config).await.expect("build the portal");
        Self {
            router: portal.router.clone(),
            dir,
            db_url: db.url.clone(),
            portal,
        }
    }

    async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        Reply {
            status: parts.status,
            headers: parts.headers,
            bytes: body.collect().await.unwrap().to_bytes().to_vec(),
        }
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut request = Request::get(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// Signs `name` in (creating the account); the session cookie pair.
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

    async fn upload(&self, cookie: &str, document: i32, name: &str, bytes: Vec<u8>) -> Reply {
        self.send(
            Request::post(format!(
                "{}?van-ban={document}",
                app::api::documents::UPLOAD_PATH
            ))
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .header("sec-fetch-site", "same-origin")
            .header(header::COOKIE, cookie)
            .header(
                app::api::media::FILE_NAME_HEADER,
                app::url::encode_component(name),
            )
            .body(Body::from(bytes))
            .unwrap(),
        )
        .await
    }

    /// The files in the documents folder, hidden ones too.
    fn on_disk(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

fn plan(number: &str) -> serde_json::Value {
    serde_json::json!({ "input": {
        "id": null,
        "number": number,
        "form": "Kế hoạch",
        "issuer": "Ủy ban nhân dân quận Ninh Kiều",
        "signer": "Chủ tịch Ủy ban nhân dân quận",
        "field": "Cải cách hành chính",
        "summary": "Kế hoạch kiểm tra công tác cải cách hành chính năm 2026 tại các phường",
        "issued_on": "2026-01-20",
        "effective_on": "2026-01-20",
        "expires_on": "",
        "replaced_by": "",
    }})
}

async fn library(db: &TestDb) {
    let site = Site::new(db).await;
    let author = site.sign_in("tacgia", Role::Author).await;
    let editor = site.sign_in("bientap", Role::Editor).await;
    let demo_files = site.on_disk();
    assert_eq!(
        demo_files.len(),
        7,
        "the demo documents' files: {demo_files:?}"
    );

    // The demo library: found by its number however it is typed.
    for spelling in [
        "1234",
        "qd-ubnd+1234",
        "Q%C4%90+1234",
        "1234%2FQ%C4%90-UBND",
    ] {
        let page = site.get(&format!("/van-ban?q={spelling}"), None).await;
        assert_eq!(page.status, StatusCode::OK, "{spelling}");
        let html = page.text();
        assert!(html.contains("Tìm thấy 1 văn bản."), "{spelling}");
        assert!(html.contains(">Quyết định 1234/QĐ-UBND<"), "{spelling}");
    }

    // By number means by the number's value, then its letters.
    let sorted = site.get("/van-ban?sap-xep=so-ky-hieu", None).await.text();
    let at = |number: &str| {
        sorted
            .find(&format!(" {number}<"))
            .unwrap_or_else(|| panic!("{number} is listed"))
    };
    let order = [
        "05/CT-UBND",
        "78/TB-SNV",
        "210/KH-UBND",
        "289/KH-UBND",
        "456/SNV-CCHC",
        "1234/QĐ-UBND",
    ];
    for pair in order.windows(2) {
        assert!(at(pair[0]) < at(pair[1]), "{} before {}", pair[0], pair[1]);
    }
    // "5/CT-UBND" finds 05/CT-UBND.
    assert!(
        site.get("/van-ban?q=5%2FCT-UBND", None)
            .await
            .text()
            .contains(" 05/CT-UBND<")
    );

    // Authors do not manage documents; editors' mistakes are each named.
    let reply = site.call(&author, "luu-van-ban", plan("15/KH-UBND")).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let mut wrong = plan("");
    wrong["input"]["issued_on"] = "20/01/2026".into();
    wrong["input"]["form"] = "Sắc lệnh".into();
    let reply = site.call(&editor, "luu-van-ban", wrong).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = reply.text();
    for field in ["\"number\"", "\"form\"", "\"issued_on\""] {
        assert!(text.contains(field), "{field} not named in {text}");
    }

    let reply = site.call(&editor, "luu-van-ban", plan("15/KH-UBND")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let document: Document = serde_json::from_slice(&reply.bytes).unwrap();
    assert_eq!(document.slug, "15-kh-ubnd-2026");
    assert!(!document.published && document.files.is_empty());
    // The same document twice is a mistake.
    let reply = site.call(&editor, "luu-van-ban", plan("15/KH-UBND")).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("Đã có văn bản số 15/KH-UBND"));

    // Unpublished: no page, not listed, not in the feed.
    let path = document.path();
    assert_eq!(site.get(&path, None).await.status, StatusCode::NOT_FOUND);
    assert!(
        !site
            .get("/van-ban?q=15", None)
            .await
            .text()
            .contains("15/KH-UBND")
    );
    assert!(
        !site
            .get("/van-ban/rss.xml", None)
            .await
            .text()
            .contains("15/KH-UBND")
    );
    // Publishing needs a file.
    let publish = serde_json::json!({ "id": document.id, "published": true });
    let reply = site.call(&editor, "cong-bo-van-ban", publish.clone()).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("ít nhất một tệp"));

    // Files are judged by their bytes; refusals leave nothing behind.
    for (name, bytes) in [
        (
            "ke-hoach.pdf",
            b"\x7fELF\x02\x01\x01\0\0\0\0\0 a renamed program".to_vec(),
        ),
        (
            "ke-hoach.pdf",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec(),
        ),
        (
            "ke-hoach.docx",
            b"PK\x03\x04\x14\0\0\0\0\0 a bare zip".to_vec(),
        ),
    ] {
        let reply = site.upload(&editor, document.id, name, bytes).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            reply.text().contains("không phải là PDF"),
            "{}",
            reply.text()
        );
    }
    assert_eq!(site.on_disk(), demo_files);
    let pdf = server::documents::files::demo_pdf(&["Ke hoach 15/KH-UBND".to_owned()]);
    let reply = site
        .upload(&author, document.id, "Kế hoạch 15.pdf", pdf.clone())
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = site
        .upload(&editor, 999_999, "Kế hoạch 15.pdf", pdf.clone())
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = site
        .upload(&editor, document.id, "Kế hoạch số 15.PDF", pdf.clone())
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let document: Document = serde_json::from_slice(&reply.bytes).unwrap();
    let file = document.files[0].clone();
    assert_eq!(file.file_name, "Kế hoạch số 15.PDF");
    assert_eq!(file.kind, "pdf");
    assert_eq!(site.on_disk().len(), demo_files.len() + 1);

    // Before publication the file is the editors' only.
    assert_eq!(
        site.get(&file.href(), None).await.status,
        StatusCode::NOT_FOUND
    );
    let private = site.get(&file.href(), Some(&editor)).await;
    assert_eq!(private.status, StatusCode::OK);
    assert_eq!(private.header(header::CACHE_CONTROL), "private, no-store");

    let reply = site.call(&editor, "cong-bo-van-ban", publish).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let page = site.get(&path, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text()
            .contains("Kế hoạch kiểm tra công tác cải cách hành chính")
    );
    assert!(
        site.get("/van-ban?q=kh+15", None)
            .await
            .text()
            .contains(">Kế hoạch 15/KH-UBND<")
    );
    assert!(
        site.get("/van-ban/rss.xml", None)
            .await
            .text()
            .contains("<title>Kế hoạch 15/KH-UBND</title>")
    );

    let download = site.get(&file.href(), None).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.bytes, pdf);
    assert_eq!(download.header(header::CONTENT_TYPE), "application/pdf");
    assert_eq!(download.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(
        download.header(header::CONTENT_DISPOSITION),
        "attachment; filename=\"Ke hoach so 15.PDF\"; \
         filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20s%E1%BB%91%2015.PDF"
    );
    // A resumed download gets the rest.
    let rest = site
        .send(
            Request::get(file.href())
                .header(header::RANGE, "bytes=9-")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(rest.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(rest.bytes, pdf[9..]);

    // The only file of a published document stays until another replaces it.
    let reply = site
        .call(
            &editor,
            "xoa-tep-van-ban",
            serde_json::json!({ "file_id": file.id }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Deleting the document removes its file from the disk.
    let reply = site
        .call(
            &author,
            "xoa-van-ban",
            serde_json::json!({ "id": document.id }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = site
        .call(
            &editor,
            "xoa-van-ban",
            serde_json::json!({ "id": document.id }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(site.on_disk(), demo_files);
    assert_eq!(site.get(&path, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        site.get(&file.href(), Some(&editor)).await.status,
        StatusCode::NOT_FOUND
    );

    site.portal.shutdown().await.unwrap();
    let _ = std::fs::remove_dir_all(&site.dir);
}

#[test]
fn sqlite_library() {
    common::run_alone(async {
        let db = TestDb::sqlite();
        library(&db).await;
        db.drop_db().await;
    });
}

#[test]
fn postgres_library() {
    common::run_alone(async {
        let db = TestDb::postgres().await;
        library(&db).await;
        db.drop_db().await;
    });
}
