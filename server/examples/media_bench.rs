//! Media benchmark: the time to upload and resize a 12-megapixel JPEG
//! (4000 × 3000, quality 90) through the portal's real upload route, and the
//! bytes each variant takes against the original. Run it with
//! `bash bench/media.sh` (a release build).
//!
//! Arguments: `[RUNS] [PHOTO]` (default 5 runs). With `PHOTO`, a real photo
//! is cropped and scaled to 4000 × 3000; without, a synthetic gradient with
//! noise stands in (it compresses far better than a photo).

use std::io::Cursor;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

fn photo(from: Option<&str>) -> Vec<u8> {
    if let Some(path) = from {
        let real = image::open(path).expect("read the photo");
        let cropped = real.resize_to_fill(4000, 3000, image::imageops::FilterType::CatmullRom);
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(Cursor::new(&mut bytes), 90)
            .encode_image(&cropped.to_rgb8())
            .expect("encode the photo");
        return bytes;
    }
    let mut seed: u32 = 0x2024_1201;
    let image = image::ImageBuffer::from_fn(4000, 3000, |x, y| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let noise = (seed >> 24) as i32 / 10 - 12;
        let channel = |base: u32| (base as i32 + noise).clamp(0, 255) as u8;
        image::Rgb([
            channel(x * 255 / 4000),
            channel(y * 255 / 3000),
            channel(((x + y) / 28) % 256),
        ])
    });
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(Cursor::new(&mut bytes), 90)
        .encode_image(&image)
        .expect("encode the photo");
    bytes
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().map(|a| a.parse().expect("RUNS")).unwrap_or(5);
    let source = args.next();
    let scratch = std::env::temp_dir().join(format!("cchc-media-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch folder");
    let mut config =
        server::Config::for_database(&format!("sqlite://{}/bench.db?mode=rwc", scratch.display()))
            .expect("config");
    config.media_dir = scratch.join("media");
    config.media_max_bytes = 64 * 1024 * 1024;
    let portal = server::build(&config).await.expect("build the portal");
    let conn = server::db::connect(&config.database_url)
        .await
        .expect("connect");
    let password = "mật khẩu đo hiệu năng";
    server::accounts::users::create_user(
        &conn,
        "do-hieu-nang",
        "Đo",
        password,
        app::model::accounts::Role::Author,
    )
    .await
    .expect("an account");
    let login = portal
        .router
        .clone()
        .oneshot(
            Request::post("/dang-nhap")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "ten_dang_nhap=do-hieu-nang&mat_khau={}",
                    app::url::encode_component(password)
                )))
                .expect("a request"),
        )
        .await
        .expect("login");
    let cookie = login
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("cchc_phien="))
        .and_then(|v| v.split(';').next())
        .expect("signed in")
        .to_owned();

    let original = photo(source.as_deref());
    println!(
        "original: 4000 x 3000 JPEG q90 from {}, {} bytes",
        source.as_deref().unwrap_or("a synthetic gradient"),
        original.len()
    );
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        let response = portal
            .router
            .clone()
            .oneshot(
                Request::post(app::api::media::UPLOAD_PATH)
                    .header(header::COOKIE, &cookie)
                    .header(app::api::media::FILE_NAME_HEADER, "anh-12mp.jpg")
                    .body(Body::from(original.clone()))
                    .expect("a request"),
            )
            .await
            .expect("upload");
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        times.push(started.elapsed());
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        last = Some(serde_json::from_slice::<app::model::media::MediaItem>(&body).expect("json"));
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "upload and resize, {runs} runs: min {:.0} ms, median {:.0} ms, max {:.0} ms",
        ms(times[0]),
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1])
    );
    let item = last.expect("one run");
    for width in &item.widths {
        for extension in ["webp", "jpg"] {
            let path = config
                .media_dir
                .join(&item.token)
                .join(format!("{width}.{extension}"));
            let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            println!(
                "{width:>5} px {extension:<4} {bytes:>9} bytes ({:.1}% of the original)",
                bytes as f64 * 100.0 / original.len() as f64
            );
        }
    }
    portal.shutdown().await.ok();
    let _ = std::fs::remove_dir_all(&scratch);
}
