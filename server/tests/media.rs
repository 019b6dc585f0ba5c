//! The media library over HTTP: what is refused (a renamed program, an SVG
//! with a script, a truncated JPEG, an oversized file, a 20,000 × 20,000
//! PNG bomb) leaves nothing on disk; what is taken is turned around by its
//! EXIF orientation, loses its metadata (GPS) in every variant, is found
//! without diacritics, needs its text before an article with it is
//! published, shows as a responsive `<picture>` on the public page, and
//! cannot be deleted while an article shows it.

mod common;

use std::io::Cursor;

use app::model::accounts::Role;
use app::model::media::MediaItem;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::TestDb;
use http_body_util::BodyExt;
use image::{ImageBuffer, ImageFormat, Rgb};
use tower::ServiceExt;

/// The limit these tests run with: 1 MiB.
const MAX_BYTES: usize = 1024 * 1024;

struct Site {
    router: axum::Router,
    media_dir: std::path::PathBuf,
    db_url: String,
    portal: server::Portal,
}

impl Site {
    async fn new(db: &TestDb) -> Self {
        let mut config = server::Config::for_database(&db.url).unwrap();
        config.counter_flush_interval = std::time::Duration::from_secs(3600);
        config.media_max_bytes = MAX_BYTES;
        let media_dir = config.media_dir.clone();
        let portal = server::build(&config).await.expect("build the portal");
        Self {
            router: portal.router.clone(),
            media_dir,
            db_url: db.url.clone(),
            portal,
        }
    }

    async fn send(&self, request: Request<Body>) -> (StatusCode, String) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    async fn bytes(&self, path: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let response = self
            .router
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let (parts, body) = response.into_parts();
        (
            parts.status,
            parts.headers,
            body.collect().await.unwrap().to_bytes().to_vec(),
        )
    }

    /// Signs `name` in (creating the account); the session cookie pair.
    async fn sign_in(&self, name: &str, role: Role) -> String {
        common::sign_in(&self.router, &self.db_url, name, name, role)
            .await
            .1
    }

    async fn upload(
        &self,
        cookie: Option<&str>,
        name: &str,
        bytes: Vec<u8>,
    ) -> (StatusCode, String) {
        let mut request = Request::post(app::api::media::UPLOAD_PATH)
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .header("sec-fetch-site", "same-origin")
            .header(
                app::api::media::FILE_NAME_HEADER,
                app::url::encode_component(name),
            );
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(bytes)).unwrap()).await
    }

    async fn call(
        &self,
        cookie: &str,
        endpoint: &str,
        json: serde_json::Value,
    ) -> (StatusCode, String) {
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

    /// Everything under the media directory (files and folders, hidden too).
    fn on_disk(&self) -> Vec<String> {
        let mut found = Vec::new();
        for entry in walk(&self.media_dir) {
            found.push(
                entry
                    .strip_prefix(&self.media_dir)
                    .unwrap()
                    .display()
                    .to_string(),
            );
        }
        found.sort();
        found
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            }
            out.push(path);
        }
    }
    out
}

/// A JPEG `width` × `height` of a gradient, with an EXIF block that says
/// "rotate 90° clockwise to show" and carries a GPS position.
fn jpeg_with_gps(width: u32, height: u32) -> Vec<u8> {
    let photo = ImageBuffer::from_fn(width, height, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let mut plain = Vec::new();
    photo
        .write_to(&mut Cursor::new(&mut plain), ImageFormat::Jpeg)
        .unwrap();
    // TIFF, little-endian: IFD0 {Orientation = 6, GPS IFD pointer}, GPS IFD
    // {GPSLatitudeRef = "N", GPSLatitude = 10/1 2/1 0/1}.
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    let entry = |tag: u16, kind: u16, count: u32, value: u32| {
        let mut e = Vec::new();
        e.extend(tag.to_le_bytes());
        e.extend(kind.to_le_bytes());
        e.extend(count.to_le_bytes());
        e.extend(value.to_le_bytes());
        e
    };
    let gps_ifd = 8 + 2 + 2 * 12 + 4;
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(entry(0x0112, 3, 1, 6));
    tiff.extend(entry(0x8825, 4, 1, gps_ifd));
    tiff.extend(0u32.to_le_bytes());
    let rationals = gps_ifd + 2 + 2 * 12 + 4;
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(entry(0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0")));
    tiff.extend(entry(0x0002, 5, 3, rationals));
    tiff.extend(0u32.to_le_bytes());
    for (n, d) in [(10u32, 1u32), (2, 1), (0, 1)] {
        tiff.extend(n.to_le_bytes());
        tiff.extend(d.to_le_bytes());
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(&tiff);
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(&app1);
    out.extend(&plain[2..]);
    out
}

/// A PNG whose header says 20,000 × 20,000 pixels (a decompression bomb:
/// a few hundred bytes that would take 1.6 GB to decode).
fn png_bomb() -> Vec<u8> {
    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend(kind);
        out.extend(data);
        out.extend(crc.sum().to_be_bytes());
        out
    }
    let mut ihdr = Vec::new();
    ihdr.extend(20_000u32.to_be_bytes());
    ihdr.extend(20_000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    let mut zeros = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut zeros, &vec![0u8; 60_001 * 8]).unwrap();
    let idat = zeros.finish().unwrap();
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &ihdr));
    out.extend(chunk(b"IDAT", &idat));
    out.extend(chunk(b"IEND", &[]));
    out
}

async fn uploads(db: &TestDb) {
    let site = Site::new(db).await;
    let author = site.sign_in("tacgia", Role::Author).await;
    let editor = site.sign_in("bientap", Role::Editor).await;

    // Refused, each with its reason, and nothing left on disk.
    let photo = jpeg_with_gps(300, 200);
    let mut truncated = photo.clone();
    truncated.truncate(photo.len() / 2);
    let refusals: Vec<(&str, Vec<u8>, StatusCode, &str)> = vec![
        (
            "chuong-trinh.jpg",
            b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0 a renamed program".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "không phải là ảnh",
        ),
        (
            "setup.exe.png",
            b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "không phải là ảnh",
        ),
        (
            "logo.svg",
            br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "không phải là ảnh",
        ),
        (
            "dang-do.jpg",
            truncated,
            StatusCode::UNPROCESSABLE_ENTITY,
            "bị hỏng",
        ),
        (
            "qua-lon.jpg",
            vec![0xFF; MAX_BYTES + 1],
            StatusCode::PAYLOAD_TOO_LARGE,
            "Tệp lớn quá 1 MB",
        ),
        (
            "bom.png",
            png_bomb(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "20000 × 20000",
        ),
        (
            "trong.jpg",
            Vec::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Tệp trống",
        ),
    ];
    for (name, bytes, status, says) in refusals {
        let (got, answer) = site.upload(Some(&author), name, bytes).await;
        assert_eq!(got, status, "{name}: {answer}");
        assert!(answer.contains(says), "{name}: {answer}");
    }
    assert_eq!(site.on_disk(), Vec::<String>::new(), "nothing left on disk");
    let (status, _) = site.upload(None, "anh.jpg", photo.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Taken: turned upright, stripped, in every width it can have.
    let (status, answer) = site
        .upload(
            Some(&author),
            "Hội nghị tổng kết.jpg",
            jpeg_with_gps(1200, 700),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let item: MediaItem = serde_json::from_str(&answer).unwrap();
    assert_eq!(
        (item.width, item.height),
        (700, 1200),
        "EXIF orientation applied"
    );
    assert_eq!(item.widths, [480, 700]);
    assert_eq!(item.file_name, "Hội nghị tổng kết.jpg");
    for width in &item.widths {
        for extension in ["webp", "jpg"] {
            let (status, headers, bytes) = site.bytes(&item.url(*width, extension)).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(headers["x-content-type-options"], "nosniff");
            let expected = if extension == "jpg" {
                "image/jpeg"
            } else {
                "image/webp"
            };
            assert_eq!(headers[header::CONTENT_TYPE], expected);
            assert!(
                !bytes.windows(4).any(|w| w == b"Exif") && !bytes.windows(2).any(|w| w == b"N\0"),
                "{extension} {width}: metadata left"
            );
            let decoded = image::load_from_memory(&bytes).unwrap();
            assert_eq!(decoded.width(), *width);
        }
    }
    let files = site.on_disk();
    assert_eq!(files.len(), 5, "{files:?}");
    assert!(files.iter().all(|f| !f.contains(".tai-len-")));

    // Found without diacritics; its text is required and kept.
    let (_, found) = site
        .call(
            &author,
            "thu-vien-anh",
            serde_json::json!({ "query": "hoi nghi" }),
        )
        .await;
    let found: Vec<MediaItem> = serde_json::from_str(&found).unwrap();
    assert_eq!(found.iter().map(|m| m.id).collect::<Vec<_>>(), [item.id]);
    let (status, _) = site
        .call(
            &author,
            "mo-ta-anh",
            serde_json::json!({ "id": item.id, "alt": "  ", "caption": "" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = site
        .call(
            &author,
            "mo-ta-anh",
            serde_json::json!({ "id": item.id, "alt": "Toàn cảnh hội nghị", "caption": "Ảnh: Văn phòng" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // An article with it: publishing needs every picture's text.
    let src = item.url(item.default_width(), "jpg");
    let without_alt = format!(
        "<p>Mở đầu.</p><figure><img src=\"{src}\"><figcaption>Chú thích</figcaption></figure>"
    );
    let draft = |body: &str| {
        serde_json::json!({ "draft": {
            "title": "Bài có ảnh trong thư viện", "excerpt": "Tóm tắt.", "body_html": body,
            "author": "Phóng viên", "category_id": 1
        }})
    };
    let (status, saved) = site.call(&editor, "tao-bai", draft(&without_alt)).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let saved: serde_json::Value = serde_json::from_str(&saved).unwrap();
    let id = saved["id"].as_i64().unwrap();
    let publish = serde_json::json!({ "id": id, "step": "Publish", "comment": "" });
    let (status, answer) = site
        .call(&editor, "chuyen-trang-thai", publish.clone())
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.contains("chưa có mô tả"), "{answer}");
    let with_alt = without_alt.replace("<img ", "<img alt=\"Toàn cảnh hội nghị\" ");
    let (status, _) = site
        .call(
            &editor,
            "luu-bai",
            serde_json::json!({ "id": id, "base_version": saved["version"], "draft": draft(&with_alt)["draft"], "autosave": false }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, published) = site.call(&editor, "chuyen-trang-thai", publish).await;
    assert_eq!(status, StatusCode::OK, "{published}");
    let slug = serde_json::from_str::<serde_json::Value>(&published).unwrap()["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, page) = site
        .send(
            Request::get(app::model::article_path(&slug))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let expected = format!(
        "<picture><source type=\"image/webp\" srcset=\"{} 480w, {} 700w\"",
        item.url(480, "webp"),
        item.url(700, "webp")
    );
    assert!(
        page.contains(&expected),
        "no responsive picture in the page"
    );
    assert!(page.contains("alt=\"Toàn cảnh hội nghị\" width=\"700\" height=\"1200\""));

    // Not deleted while shown; another photo is, with its files.
    let (status, answer) = site
        .call(&editor, "xoa-anh", serde_json::json!({ "id": item.id }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.contains("Bài có ảnh trong thư viện"), "{answer}");
    let (_, other) = site
        .upload(Some(&author), "khac.png", {
            let mut png = Vec::new();
            ImageBuffer::from_pixel(64, 64, Rgb([0u8, 128, 255]))
                .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
                .unwrap();
            png
        })
        .await;
    let other: MediaItem = serde_json::from_str(&other).unwrap();
    assert_eq!(other.widths, [64]);
    let (status, _) = site
        .call(&author, "xoa-anh", serde_json::json!({ "id": other.id }))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "authors do not delete");
    let (status, _) = site
        .call(&editor, "xoa-anh", serde_json::json!({ "id": other.id }))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!site.media_dir.join(&other.token).exists());
    assert_eq!(site.on_disk().len(), 5);

    site.portal.shutdown().await.unwrap();
    let _ = std::fs::remove_dir_all(&site.media_dir);
}

#[test]
fn sqlite_uploads() {
    common::run_alone(async {
        let db = TestDb::sqlite();
        uploads(&db).await;
        db.drop_db().await;
    });
}

#[test]
fn postgres_uploads() {
    common::run_alone(async {
        let db = TestDb::postgres().await;
        uploads(&db).await;
        db.drop_db().await;
    });
}
