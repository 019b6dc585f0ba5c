//! Backup and restore, on both databases: a portal with demo content,
//! accounts, an edited article and its revisions, a changed setting, an
//! uploaded photo, documents' files, an answered question and counted hits
//! is backed up while hits and saves keep arriving; the archive restores
//! into an empty database and empty folders with every row and file as it
//! was, and the restored portal serves the article, finds it and serves the
//! photo. A second backup, taken at rest, restores identical to the source;
//! the SQLite one also restores into PostgreSQL.

mod common;

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use app::model::accounts::Role;
use app::model::editorial::ArticleStatus;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{TestDb, run_alone};
use http_body_util::BodyExt;
use sea_orm::{EntityTrait, QueryOrder};
use server::articles::write::{Actor, ArticleDraft, SaveKind, create_article, update_article};
use server::backup::{BackupError, TableRows};
use tower::ServiceExt;

use common::PASSWORD;
const TITLE: &str = "Sao lưu và phục hồi cổng thông tin điện tử";

async fn send(router: &axum::Router, request: Request<Body>) -> (StatusCode, Vec<u8>) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, bytes.to_vec())
}

async fn get(router: &axum::Router, path: &str) -> (StatusCode, Vec<u8>) {
    send(router, Request::get(path).body(Body::empty()).unwrap()).await
}

async fn hit(router: &axum::Router, path: &str, agent: &str) {
    let (status, _) = send(
        router,
        Request::post("/api/luot-truy-cap")
            .header(header::USER_AGENT, agent)
            .header(header::CONTENT_TYPE, "text/plain;charset=UTF-8")
            .body(Body::from(path.to_owned()))
            .unwrap(),
    )
    .await;
    assert!(status.is_success(), "hit {path}: {status}");
}

async fn sign_in(router: &axum::Router, url: &str, name: &str, role: Role) -> (i32, String) {
    common::sign_in(router, url, name, name, role).await
}

async fn call(
    router: &axum::Router,
    cookie: &str,
    endpoint: &str,
    json: serde_json::Value,
) -> (StatusCode, String) {
    let (status, bytes) = send(
        router,
        Request::post(format!("/api/quan-tri/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header("sec-fetch-site", "same-origin")
            .header(header::COOKIE, cookie)
            .body(Body::from(json.to_string()))
            .unwrap(),
    )
    .await;
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

fn draft(body: &str) -> ArticleDraft {
    ArticleDraft {
        title: TITLE.to_owned(),
        excerpt: "Tóm tắt.".to_owned(),
        body_html: format!("<p>{body}</p>"),
        author: "Phóng viên".to_owned(),
        category_id: 1,
        ..ArticleDraft::default()
    }
}

/// Every file under `dir` with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if !name.starts_with('.') {
                    out.insert(
                        path.strip_prefix(root).unwrap().to_owned(),
                        std::fs::read(&path).unwrap(),
                    );
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn assert_same_rows(left: &[TableRows], right: &[TableRows], what: &str) {
    let names = |t: &[TableRows]| t.iter().map(|t| t.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(left), names(right), "{what}: the tables");
    for (l, r) in left.iter().zip(right) {
        assert_eq!(l.columns, r.columns, "{what}: the columns of {}", l.name);
        assert_eq!(l.rows.len(), r.rows.len(), "{what}: the rows of {}", l.name);
        for (a, b) in l.rows.iter().zip(&r.rows) {
            assert_eq!(a, b, "{what}: a row of {}", l.name);
        }
    }
}

fn rows_of<'a>(tables: &'a [TableRows], name: &str) -> &'a TableRows {
    tables
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no table {name}"))
}

/// The rows an archive holds, as `table_rows` lists them.
fn archive_rows(archive: &Path, manifest: &server::backup::Manifest) -> Vec<TableRows> {
    let file = std::fs::File::open(archive).unwrap();
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut members = BTreeMap::new();
    for entry in tar.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        let mut text = String::new();
        if path.starts_with("db/") {
            std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
            members.insert(path, text);
        }
    }
    manifest
        .tables
        .iter()
        .map(|t| TableRows {
            name: t.name.clone(),
            columns: t.columns.clone(),
            rows: members[&format!("db/{}.jsonl", t.name)]
                .lines()
                .map(|line| serde_json::from_str(line).unwrap())
                .collect(),
        })
        .collect()
}

fn config(url: &str) -> server::Config {
    let mut config = server::Config::for_database(url).unwrap();
    // Only the test flushes the counter.
    config.counter_flush_interval = std::time::Duration::from_secs(3600);
    config
}

/// Restores `archive` into `target` and its own fresh folders.
async fn restore_into(target: &TestDb, archive: &Path) -> (server::Config, Vec<TableRows>) {
    let config = config(&target.url);
    let conn = target.connect().await;
    server::backup::restore(&conn, &config.media_dir, &config.documents_dir, archive)
        .await
        .expect("restore");
    let rows = server::backup::table_rows(&conn).await.unwrap();
    // A second restore is refused: the database is no longer empty.
    let again = server::backup::restore(
        &conn,
        &std::env::temp_dir().join("cchc-none-1"),
        &std::env::temp_dir().join("cchc-none-2"),
        archive,
    )
    .await;
    assert!(matches!(again, Err(BackupError::Refused(_))), "{again:?}");
    conn.close().await.unwrap();
    (config, rows)
}

async fn round_trip(source: &TestDb, postgres_target: Option<&TestDb>) {
    let target = if source.url.starts_with("sqlite") {
        (TestDb::sqlite(), TestDb::sqlite())
    } else {
        (TestDb::postgres().await, TestDb::postgres().await)
    };
    let config = config(&source.url);
    let portal = server::build(&config).await.expect("build the portal");
    let router = portal.router.clone();
    let conn = source.connect().await;

    // Accounts, an article edited twice (revisions), a changed setting.
    let (editor_id, editor) = sign_in(&router, &source.url, "bientap", Role::Editor).await;
    sign_in(&router, &source.url, "tacgia", Role::Author).await;
    let actor = Actor::User {
        id: editor_id,
        role: Role::Editor,
    };
    let now = time::OffsetDateTime::now_utc();
    let saved = create_article(
        &conn,
        actor,
        draft("Bản đầu tiên về sao lưu dữ liệu."),
        ArticleStatus::Published,
        Some(now),
        SaveKind::Save,
        now,
    )
    .await
    .unwrap();
    let saved = update_article(
        &conn,
        actor,
        saved.id,
        saved.version,
        draft("Bản sửa: sao lưu dữ liệu hằng ngày."),
        SaveKind::Save,
        now,
    )
    .await
    .unwrap();
    let mut identity = server::settings::identity(&conn).await.unwrap();
    identity.tagline = "Khẩu hiệu đã sửa trước khi sao lưu".to_owned();
    server::settings::save_identity(&conn, &identity)
        .await
        .unwrap();

    // A photo.
    let mut png = Vec::new();
    image::ImageBuffer::from_pixel(64, 48, image::Rgb([0u8, 128, 255]))
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let (status, _) = send(
        &router,
        Request::post(app::api::media::UPLOAD_PATH)
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .header("sec-fetch-site", "same-origin")
            .header(header::COOKIE, &editor)
            .header(
                app::api::media::FILE_NAME_HEADER,
                app::url::encode_component("ảnh.png"),
            )
            .body(Body::from(png))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let photos = files(&config.media_dir);
    assert!(!photos.is_empty(), "the photo's files");
    assert!(
        !files(&config.documents_dir).is_empty(),
        "the demo documents' files"
    );

    // A question, answered.
    let store = server::questions::QuestionStore::new(conn.clone(), portal.changes.clone())
        .await
        .unwrap();
    store
        .submit(
            &app::model::questions::QuestionSubmission {
                name: "Nguyễn Văn A".to_owned(),
                contact: "0901234567".to_owned(),
                topic: "Thủ tục hành chính".to_owned(),
                question: "Xin hỏi thủ tục cấp bản sao giấy khai sinh cần những gì?".to_owned(),
                consent: true,
            },
            &store.token_at(now - time::Duration::seconds(60)),
            "",
            None,
            now,
        )
        .await
        .unwrap();
    let asked = server::db::entities::question::Entity::find()
        .order_by_desc(server::db::entities::question::Column::Id)
        .one(&conn)
        .await
        .unwrap()
        .unwrap();
    let (status, body) = call(
        &router,
        &editor,
        "tra-loi-cau-hoi",
        serde_json::json!({ "input": {
            "id": asked.id, "status": "Answered", "title": "Cấp bản sao giấy khai sinh",
            "public_question": "", "answer": "Mang theo giấy tờ tùy thân.", "published": true,
        }}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Counted hits.
    let page = format!("/tin-tuc/{}", saved.slug);
    for agent in [
        "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
        "Mozilla/5.0 Chrome/140.0",
    ] {
        hit(&router, &page, agent).await;
        hit(&router, "/", agent).await;
    }
    portal.counter.flush().await.unwrap();

    // The backup, while hits and saves keep arriving.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load = tokio::spawn({
        let (router, conn, stop, page) = (router.clone(), conn.clone(), stop.clone(), page.clone());
        let counter = portal.counter.clone();
        async move {
            let mut version = saved.version;
            let mut round = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                round += 1;
                hit(&router, &page, &format!("Mozilla/5.0 Firefox/{round}.0")).await;
                let again = update_article(
                    &conn,
                    actor,
                    saved.id,
                    version,
                    draft(&format!("Bản sửa lần {round} trong khi sao lưu.")),
                    SaveKind::Save,
                    time::OffsetDateTime::now_utc(),
                )
                .await
                .unwrap();
                version = again.version;
                counter.flush().await.unwrap();
            }
            round
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let dir = std::env::temp_dir().join(format!("cchc-backup-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let busy = dir.join(format!("busy-{}.tar.gz", rand_suffix()));
    let started = std::time::Instant::now();
    let manifest = server::backup::backup(&conn, &config.media_dir, &config.documents_dir, &busy)
        .await
        .expect("backup under load");
    eprintln!(
        "backup of {} rows in {} tables and {} files under load: {:?}, {} bytes",
        manifest.tables.iter().map(|t| t.rows).sum::<u64>(),
        manifest.tables.len(),
        manifest.files.len(),
        started.elapsed(),
        std::fs::metadata(&busy).unwrap().len()
    );
    // It holds password hashes and citizens' contacts: its owner's only.
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&busy).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "archive mode {mode:o}");
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let rounds = load.await.unwrap();
    assert!(rounds > 1, "the load ran: {rounds} rounds");
    assert!(manifest.tables.iter().all(|t| t.name != "user_session"));

    // Restored from the busy backup: exactly the archive's rows, which are
    // consistent (the article's version has its revision) and hold what
    // was written before it.
    let (restored, rows) = restore_into(&target.0, &busy).await;
    assert_same_rows(&archive_rows(&busy, &manifest), &rows, "busy backup");
    for table in [
        "app_user",
        "article_revision",
        "site_setting",
        "media",
        "document_file",
        "question",
        "daily_stats",
        "article_daily_views",
    ] {
        assert!(!rows_of(&rows, table).rows.is_empty(), "{table} is empty");
    }
    assert_eq!(files(&restored.media_dir), photos);
    assert_eq!(files(&restored.documents_dir), files(&config.documents_dir));

    // The restored portal serves the article, finds it and serves the photo.
    {
        let portal = server::build(&restored).await.expect("the restored portal");
        let (status, html) = get(&portal.router, &page).await;
        assert_eq!(status, StatusCode::OK);
        assert!(String::from_utf8_lossy(&html).contains(TITLE));
        let (status, html) = get(&portal.router, "/tim-kiem?q=sao+luu+phuc+hoi").await;
        assert_eq!(status, StatusCode::OK);
        assert!(String::from_utf8_lossy(&html).contains(TITLE), "search");
        let (photo, bytes) = photos.iter().next().unwrap();
        let (status, served) = get(&portal.router, &format!("/media/{}", photo.display())).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(&served, bytes);
        // New rows get new ids (PostgreSQL's sequences were moved on).
        let conn = target.0.connect().await;
        server::accounts::users::create_user(&conn, "moi", "Mới", PASSWORD, Role::Author)
            .await
            .expect("a new account after the restore");
        conn.close().await.unwrap();
        portal.shutdown().await.unwrap();
    }

    // At rest, a backup restores identical to the source.
    let quiet = dir.join(format!("quiet-{}.tar.gz", rand_suffix()));
    let started = std::time::Instant::now();
    // Through the command line's code (`server backup FILE`).
    let message = server::cli::run(
        server::cli::parse(&["backup".to_owned(), quiet.display().to_string()]).unwrap(),
        &config,
    )
    .await
    .expect("backup at rest");
    assert!(message.contains("backed up into"), "{message}");
    eprintln!("backup at rest: {:?} ({message})", started.elapsed());
    let source_rows = server::backup::table_rows(&conn).await.unwrap();

    // A damaged archive is refused before anything is written.
    let damaged = dir.join(format!("damaged-{}.tar.gz", rand_suffix()));
    tamper(&quiet, &damaged);
    let empty = TestDb::sqlite();
    let conn_empty = empty.connect().await;
    let refused = server::backup::restore(
        &conn_empty,
        &dir.join("damaged-media"),
        &dir.join("damaged-documents"),
        &damaged,
    )
    .await;
    match refused {
        Err(BackupError::Refused(message)) => assert!(message.contains("damaged"), "{message}"),
        other => panic!("restored a damaged archive: {other:?}"),
    }
    assert!(!dir.join("damaged-media").exists());
    assert!(
        server::backup::table_rows(&conn_empty)
            .await
            .unwrap()
            .is_empty(),
        "nothing written"
    );
    conn_empty.close().await.unwrap();
    empty.drop_db().await;
    let _ = std::fs::remove_file(&damaged);
    let (restored, rows) = restore_into(&target.1, &quiet).await;
    assert_same_rows(&source_rows, &rows, "quiet backup");
    assert_eq!(files(&restored.media_dir), files(&config.media_dir));
    assert_eq!(files(&restored.documents_dir), files(&config.documents_dir));

    // SQLite to PostgreSQL: every row comes across.
    if let Some(pg) = postgres_target {
        let (_, rows) = restore_into(pg, &quiet).await;
        for (l, r) in source_rows.iter().zip(&rows) {
            assert_eq!(l.name, r.name);
            assert_eq!(l.rows.len(), r.rows.len(), "{} in PostgreSQL", l.name);
        }
        let titles = |t: &[TableRows]| {
            let article = rows_of(t, "article");
            let i = article
                .columns
                .iter()
                .position(|c| c.name == "title")
                .unwrap();
            article
                .rows
                .iter()
                .map(|r| r[i].clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(titles(&source_rows), titles(&rows));
    }

    conn.close().await.unwrap();
    portal.shutdown().await.unwrap();
    let _ = std::fs::remove_file(&busy);
    let _ = std::fs::remove_file(&quiet);
    let _ = std::fs::remove_dir(&dir);
    target.0.drop_db().await;
    target.1.drop_db().await;
}

/// Copies `archive` to `out` with one byte of the article table changed.
fn tamper(archive: &Path, out: &Path) {
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(
        std::fs::File::open(archive).unwrap(),
    ));
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        std::fs::File::create(out).unwrap(),
        flate2::Compression::fast(),
    ));
    for entry in tar.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().into_owned();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        if path == Path::new("db/article.jsonl") {
            let at = bytes.iter().position(|b| *b == b'a').unwrap();
            bytes[at] = b'b';
        }
        let mut header = entry.header().clone();
        builder
            .append_data(&mut header, &path, bytes.as_slice())
            .unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap();
}

fn rand_suffix() -> usize {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

#[test]
fn sqlite_round_trip() {
    run_alone(async {
        let db = TestDb::sqlite();
        let pg = TestDb::postgres().await;
        round_trip(&db, Some(&pg)).await;
        pg.drop_db().await;
        db.drop_db().await;
    });
}

#[test]
fn postgres_round_trip() {
    run_alone(async {
        let db = TestDb::postgres().await;
        round_trip(&db, None).await;
        db.drop_db().await;
    });
}
