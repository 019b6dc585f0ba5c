//! The router that `main` serves, driven in-process.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::run;
use http_body_util::BodyExt;
use tower::ServiceExt;

const REFERENCE_TITLE: &str = "Cần Thơ tổ chức Hội nghị tổng kết Chương trình hành động nâng cao chỉ số Hiệu quả quản trị và Hành chính công giai đoạn 2015-2017";
const REFERENCE_PATH: &str = "/tin-tuc/can-tho-to-chuc-hoi-nghi-tong-ket-chuong-trinh-hanh-dong-nang-cao-chi-so-hieu-qua-quan-tri-va-hanh-chinh-cong-giai-doan-2015-2017";

// One runtime and one portal for every test in this file. Building a router
// makes Leptos render the app once with resource loading switched off
// process-wide, which would stall a page rendering at the same moment in a
// parallel test; the real server builds its router once, before serving.

fn portal_db_url() -> String {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("http-tests.db");
    format!("sqlite://{}?mode=rwc", path.display())
}

async fn portal() -> &'static server::Portal {
    static PORTAL: tokio::sync::OnceCell<server::Portal> = tokio::sync::OnceCell::const_new();
    PORTAL
        .get_or_init(|| async {
            let url = common::process_sqlite_url("http-tests.db");
            let config = server::Config::for_database(&url).unwrap();
            assert_eq!(url, portal_db_url());
            server::build(&config).await.expect("build the portal")
        })
        .await
}

/// The response to `GET path` with `headers`, read whole.
async fn fetch(path: &str, headers: &[(&str, &str)]) -> (axum::http::response::Parts, Vec<u8>) {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = portal()
        .await
        .router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap());
    let response = tokio::time::timeout(std::time::Duration::from_secs(20), response)
        .await
        .unwrap_or_else(|_| panic!("GET {path} did not answer within 20 s"))
        .unwrap();
    let (parts, body) = response.into_parts();
    (parts, body.collect().await.unwrap().to_bytes().to_vec())
}

async fn get(path: &str) -> (StatusCode, String) {
    let request = portal()
        .await
        .router
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).unwrap());
    let response = tokio::time::timeout(std::time::Duration::from_secs(20), request)
        .await
        .unwrap_or_else(|_| panic!("GET {path} did not answer within 20 s"))
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let html = String::from_utf8(bytes.to_vec()).expect("UTF-8 HTML");
    // Leptos marks hydration boundaries with empty comments; the text
    // assertions below are about what a reader sees.
    (status, html.replace("<!---->", "").replace("<!>", ""))
}

fn title_of(html: &str) -> &str {
    let start = html.find("<title>").expect("a <title>") + "<title>".len();
    let end = start + html[start..].find("</title>").expect("</title>");
    &html[start..end]
}

#[test]
fn home_lists_the_latest_articles_with_the_reference_article() {
    run(async {
        let (status, html) = get("/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("<html lang=\"vi\""), "{html}");
        assert!(title_of(&html).starts_with("Trang chủ"));
        assert!(html.contains("<meta name=\"description\""));
        assert!(html.contains(REFERENCE_TITLE));
        assert!(html.contains(&format!("href=\"{REFERENCE_PATH}\"")));
        assert!(html.contains("16:33 - 01/12/2017"));
        // Newest first: the article of 20/12/2017 comes before the one of 01/12/2017.
        let newer = html
            .find("Kế hoạch tuyên truyền cải cách hành chính")
            .unwrap();
        assert!(newer < html.find(REFERENCE_TITLE).unwrap());
    });
}

#[test]
fn article_page_shows_time_captions_and_byline_in_the_server_html() {
    run(async {
        let (status, html) = get(REFERENCE_PATH).await;
        assert_eq!(status, StatusCode::OK);
        assert!(title_of(&html).starts_with(REFERENCE_TITLE));
        assert!(html.contains("<meta name=\"description\" content=\"Ngày 28 tháng 11 năm 2017"));
        assert!(
            html.contains("<time datetime=\"2017-12-01T16:33:00+07:00\">16:33 - 01/12/2017</time>")
        );
        assert!(html.contains("<figcaption>Toàn cảnh hội nghị</figcaption>"));
        assert!(html.contains("<figcaption>Phó Chủ tịch Ủy ban nhân dân thành phố Lê Văn Tâm phát biểu chỉ đạo</figcaption>"));
        assert!(html.contains("class=\"article-author\">Việt Uyên<"));
    });
}

#[test]
fn unknown_article_is_a_404_with_a_helpful_page() {
    run(async {
        let (status, html) = get("/tin-tuc/bai-viet-khong-ton-tai").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(title_of(&html).starts_with("Không tìm thấy trang"));
        assert!(html.contains("Về trang chủ"));
    });
}

#[test]
fn unknown_path_is_a_404_with_a_helpful_page() {
    run(async {
        for path in [
            "/khong-co-trang-nay",
            "/tin-tuc/a/b",
            "/%E1%BA%A1?x=%3Cscript%3E",
        ] {
            let (status, html) = get(path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert!(html.contains("Không tìm thấy trang"), "{path}");
        }
    });
}

const CATEGORY_PATH: &str = "/chuyen-muc/tin-tuc-su-kien";

#[test]
fn category_pages_list_their_articles_with_pagination_edges() {
    run(async {
        let (status, html) = get(CATEGORY_PATH).await;
        assert_eq!(status, StatusCode::OK);
        assert!(title_of(&html).starts_with("Tin tức - Sự kiện"));
        assert!(html.contains(REFERENCE_TITLE));
        // Only this category's articles.
        assert!(
            !html.contains("Thành phố Cần Thơ ban hành Quy chế thực hiện cơ chế một cửa</a></h3>")
        );
        for odd in [
            "?trang=0",
            "?trang=abc",
            "?trang=-1",
            "?trang=",
            "?trang=99999999999999999999",
        ] {
            let (status, page) = get(&format!("{CATEGORY_PATH}{odd}")).await;
            assert_eq!(status, StatusCode::OK, "{odd}");
            assert!(
                page.contains(REFERENCE_TITLE),
                "{odd} is not the first page"
            );
        }
        let (status, beyond) = get(&format!("{CATEGORY_PATH}?trang=50")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(beyond.contains("Trang 50 không có bài viết nào."));
        let (status, _) = get("/chuyen-muc/khong-co-chuyen-muc-nay").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    });
}

#[test]
fn home_paginates_with_plain_links() {
    run(async {
        let (_, first) = get("/").await;
        assert!(first.contains("href=\"/?trang=2\""), "no link to page 2");
        let (status, second) = get("/?trang=2").await;
        assert_eq!(status, StatusCode::OK);
        assert!(second.contains("aria-current=\"page\" class=\"page current\">2</span>"));
        // The oldest demo article is on page 2, not on page 1.
        let oldest = "Tập huấn nghiệp vụ kiểm soát thủ tục hành chính cho cán bộ cấp xã";
        assert!(second.contains(oldest));
        assert!(!first.contains(&format!(">{oldest}</a></h3>")));
    });
}

#[test]
fn article_page_has_breadcrumbs_related_articles_and_structured_data() {
    run(async {
        let (_, html) = get(REFERENCE_PATH).await;
        assert!(html.contains("class=\"breadcrumbs\"><ol><li><a href=\"/\">Trang chủ</a>"));
        assert!(html.contains(&format!("href=\"{CATEGORY_PATH}\"")));
        assert!(html.contains(&format!(
            "<link href=\"http://127.0.0.1:3000{REFERENCE_PATH}\" rel=\"canonical\">"
        )));
        assert!(html.contains(&format!(
            "<meta property=\"og:title\" content=\"{REFERENCE_TITLE}\""
        )));
        let start = html
            .find("<script type=\"application/ld+json\">")
            .expect("JSON-LD")
            + 35;
        let end = start + html[start..].find("</script>").unwrap();
        let ld: serde_json::Value = serde_json::from_str(&html[start..end]).expect("valid JSON-LD");
        assert_eq!(ld["@type"], "NewsArticle");
        assert_eq!(ld["headline"], REFERENCE_TITLE);
        assert_eq!(ld["datePublished"], "2017-12-01T16:33:00+07:00");
        assert_eq!(ld["author"]["name"], "Việt Uyên");
        let related = &html[html.find("Tin liên quan").expect("related articles")..];
        let related = &related[..related.find("</section>").expect("the end of the block")];
        assert!(related.contains("Sở Nội vụ triển khai kế hoạch cải cách hành chính năm 2018"));
        assert!(
            !related.contains(&format!("href=\"{REFERENCE_PATH}\"")),
            "related lists itself"
        );
    });
}

#[test]
fn feeds_parse_with_a_feed_reader_and_the_sitemap_is_xml() {
    run(async {
        for path in ["/rss.xml", "/chuyen-muc/tin-tuc-su-kien/rss.xml"] {
            let (status, xml) = get(path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{path} is not XML: {e}"));
            let feed = feed_rs::parser::parse(xml.as_bytes()).expect("a feed reader parses it");
            assert!(!feed.entries.is_empty(), "{path} has no items");
            let reference = feed.entries.iter().find(|e| {
                e.title
                    .as_ref()
                    .is_some_and(|t| t.content == REFERENCE_TITLE)
            });
            let reference =
                reference.unwrap_or_else(|| panic!("{path} lacks the reference article"));
            assert_eq!(
                reference.links[0].href,
                format!("http://127.0.0.1:3000{REFERENCE_PATH}")
            );
            assert_eq!(
                reference.published.unwrap().to_rfc3339(),
                "2017-12-01T09:33:00+00:00"
            );
        }
        let (status, _) = get("/chuyen-muc/khong-co/rss.xml").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, sitemap) = get("/sitemap.xml").await;
        assert_eq!(status, StatusCode::OK);
        let doc = roxmltree::Document::parse(&sitemap).expect("the sitemap is XML");
        let locs: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("loc"))
            .filter_map(|n| n.text())
            .collect();
        assert!(locs.contains(&"http://127.0.0.1:3000/"));
        assert!(locs.contains(&format!("http://127.0.0.1:3000{REFERENCE_PATH}").as_str()));
        assert!(locs.contains(&"http://127.0.0.1:3000/chuyen-muc/tin-tuc-su-kien"));
        let (status, robots) = get("/robots.txt").await;
        assert_eq!(status, StatusCode::OK);
        assert!(robots.contains("Sitemap: http://127.0.0.1:3000/sitemap.xml"));
    });
}

/// The titles of the results on a search page.
fn result_titles(html: &str) -> Vec<String> {
    html.split("<h2 class=\"feed-title\"><a href=\"")
        .skip(1)
        .filter_map(|rest| {
            let start = rest.find('>')? + 1;
            let end = rest.find("</a>")?;
            Some(rest[start..end].to_owned())
        })
        .collect()
}

#[test]
fn search_ignores_case_and_diacritics() {
    run(async {
        let (status, plain) = get("/tim-kiem?q=can+tho").await;
        assert_eq!(status, StatusCode::OK);
        let found = result_titles(&plain);
        assert!(found.contains(&REFERENCE_TITLE.to_owned()), "{found:?}");
        for variant in ["C%E1%BA%A6N+TH%C6%A0", "C%E1%BA%A7n+Th%C6%A1"] {
            let (_, html) = get(&format!("/tim-kiem?q={variant}")).await;
            assert_eq!(result_titles(&html), found, "{variant}");
        }
        // Folded words match whole words of accented text, highlighted.
        let (_, html) = get("/tim-kiem?q=hanh+chinh+cong").await;
        let titles = result_titles(&html);
        assert!(titles.contains(&REFERENCE_TITLE.to_owned()), "{titles:?}");
        assert!(
            html.contains("<mark>chính</mark> <mark>công</mark>"),
            "no highlighted passage"
        );
        // Every word must match.
        let (_, html) = get("/tim-kiem?q=papi+khongcotu").await;
        assert!(result_titles(&html).is_empty());
        assert!(html.contains("Không tìm thấy bài viết nào"));
    });
}

#[test]
fn absurd_search_queries_get_a_friendly_page() {
    run(async {
        let long = "c%E1%BA%A3i+".repeat(2_000);
        let queries = [
            String::new(),
            "%20%20".to_owned(),
            "%21%21%21%3F%3F%3F...---".to_owned(),
            "%22hanh%22+AND+(chinh*)+OR+NEAR%2F3+-x".to_owned(),
            "%27%3B+DROP+TABLE+article%3B+--".to_owned(),
            "%3Cscript%3Ealert(1)%3C%2Fscript%3E".to_owned(),
            "%3C%2Ftitle%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E".to_owned(),
            long,
        ];
        for q in queries {
            let (status, html) = get(&format!("/tim-kiem?q={q}&trang=abc")).await;
            assert_eq!(status, StatusCode::OK, "{q:.40}");
            assert!(!html.contains("<script>alert(1)"), "{q:.40}");
            assert_eq!(html.matches("</title>").count(), 1, "{q:.40}");
            assert!(html.contains("<h1 class=\"section-title page-title\">Tìm kiếm</h1>"));
        }
        let (_, empty) = get("/tim-kiem").await;
        assert!(empty.contains("Nhập từ khóa"));
    });
}

#[test]
fn hydration_markers_are_valid_comments() {
    run(async {
        let response = portal()
            .await
            .router
            .clone()
            .oneshot(Request::get(REFERENCE_PATH).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let html = String::from_utf8(bytes.to_vec()).unwrap();
        assert!(!html.contains("<!>"), "a bogus comment is left");
        assert!(html.contains("<!---->"), "the hydration markers are gone");
    });
}

#[test]
fn resource_scripts_are_inside_the_body() {
    run(async {
        let (_, html) = get("/").await;
        let end = html.find("</html>").expect("</html>");
        assert!(!html[end..].contains("<script"), "a script after </html>");
        assert!(html[..end].contains("__RESOLVED_RESOURCES"));
    });
}

#[test]
fn every_page_shows_the_banner_contacts_and_the_identity_decree_15_asks_for() {
    run(async {
        for path in ["/", REFERENCE_PATH, "/khong-co-trang-nay"] {
            let (_, html) = get(path).await;
            assert!(
                html.contains(
                    "alt=\"Trang thông tin điện tử Cải cách hành chính thành phố Cần Thơ\""
                ),
                "{path}: banner"
            );
            assert!(
                html.contains("<a href=\"tel:0931015119\">0931.015.119</a>"),
                "{path}: hotline"
            );
            for field in [
                "Đơn vị quản lý: Cải cách hành chính TPCT",
                "Chịu trách nhiệm nội dung: ",
                "Trụ sở: 51 Lý Tự Trọng, phường An Phú, quận Ninh Kiều, thành phố Cần Thơ",
                "mailto:sonoivu@cantho.gov.vn",
                "(0710) 3820715",
                "Ghi rõ nguồn:",
            ] {
                assert!(html.contains(field), "{path}: {field}");
            }
        }
    });
}

/// Full page loads count when a person's browser gets a page; HEAD requests,
/// prefetches, bots, error pages and files do not. (The other tests here send
/// no User-Agent, which counts as a bot, so this test sees only its own hits.)
#[test]
fn server_rendered_pages_count_once_for_people_only() {
    run(async {
        const PERSON: &str = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36";
        let portal = portal().await;
        let send = |method: &str, path: &str, headers: &[(&str, &str)]| {
            let mut request = Request::builder().method(method).uri(path);
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            let router = portal.router.clone();
            let request = request.body(Body::empty()).unwrap();
            async move {
                let response = router.oneshot(request).await.unwrap();
                let status = response.status();
                response.into_body().collect().await.unwrap();
                status
            }
        };
        portal.counter.flush().await.unwrap();
        let before = portal.counter.pending_page_views();
        assert_eq!(before, 0);
        assert_eq!(
            send("GET", REFERENCE_PATH, &[("user-agent", PERSON)]).await,
            StatusCode::OK
        );
        assert_eq!(portal.counter.pending_page_views(), 1, "a page view");
        for (method, path, headers) in [
            ("HEAD", "/", vec![("user-agent", PERSON)]),
            (
                "GET",
                "/",
                vec![("user-agent", PERSON), ("sec-purpose", "prefetch")],
            ),
            (
                "GET",
                "/",
                vec![("user-agent", "Mozilla/5.0 (compatible; Googlebot/2.1)")],
            ),
            (
                "GET",
                "/tin-tuc/khong-co-bai-nay",
                vec![("user-agent", PERSON)],
            ),
            ("GET", "/favicon.svg", vec![("user-agent", PERSON)]),
            ("GET", "/rss.xml", vec![("user-agent", PERSON)]),
        ] {
            send(method, path, &headers).await;
            assert_eq!(
                portal.counter.pending_page_views(),
                1,
                "{method} {path} {headers:?} counted"
            );
        }
    });
}

/// The `content` of `<meta property|name="key" content="…">`, if present.
fn meta<'a>(html: &'a str, key: &str) -> Option<&'a str> {
    let at = html
        .find(&format!("property=\"{key}\""))
        .or_else(|| html.find(&format!("name=\"{key}\"")))?;
    let tag_start = html[..at].rfind('<')?;
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>')?];
    let start = tag.find("content=\"")? + 9;
    Some(&tag[start..start + tag[start..].find('"')?])
}

fn canonical(html: &str) -> Option<&str> {
    let at = html.find("rel=\"canonical\"")?;
    let tag_start = html[..at].rfind('<')?;
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>')?];
    let start = tag.find("href=\"")? + 6;
    Some(&tag[start..start + tag[start..].find('"')?])
}

/// A page number past the end of any list is a 404 that search engines do
/// not index, with a link back to the first page of the same list; pages of
/// a list name themselves in their title and canonical address.
#[test]
fn pages_past_the_end_are_real_404s_that_lead_back_to_their_list() {
    run(async {
        for (path, first_page) in [
            ("/?trang=9999", "/"),
            (
                &format!("{CATEGORY_PATH}?trang=9999") as &str,
                CATEGORY_PATH,
            ),
            ("/tim-kiem?q=can+tho&trang=9999", "/tim-kiem?q=can%20tho"),
        ] {
            let (status, html) = get(path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert!(html.contains("không có bài viết nào."), "{path}");
            assert_eq!(meta(&html, "robots"), Some("noindex"), "{path}");
            assert!(
                html.contains(&format!("<a href=\"{first_page}\">Về trang đầu</a>")),
                "{path}: no link to {first_page}"
            );
        }
        let (status, second) = get("/?trang=2").await;
        assert_eq!(status, StatusCode::OK);
        assert!(title_of(&second).starts_with("Trang chủ – Trang 2 |"));
        // Absolute, as search engines require.
        assert_eq!(canonical(&second), Some("http://127.0.0.1:3000/?trang=2"));
        assert_eq!(meta(&second, "robots"), None);
        let (_, first) = get("/").await;
        assert_eq!(canonical(&first), Some("http://127.0.0.1:3000/"));
        let (_, category) = get(CATEGORY_PATH).await;
        assert_eq!(
            canonical(&category),
            Some(format!("http://127.0.0.1:3000{CATEGORY_PATH}").as_str())
        );
        let (_, search) = get("/tim-kiem?q=c%E1%BA%A3i+c%C3%A1ch").await;
        assert!(title_of(&search).starts_with("Tìm kiếm: cải cách |"));
        // With JavaScript off the box still shows what was searched.
        assert!(
            search.contains("value=\"cải cách\""),
            "the query is not in the box"
        );
    });
}

/// The newest article leads the home page and is not repeated below it.
#[test]
fn home_leads_with_the_newest_article_once() {
    run(async {
        let (_, html) = get("/").await;
        let featured = &html[html.find("class=\"featured\"").expect("a featured article")..];
        let featured = &featured[..featured.find("</article>").unwrap()];
        let lead_href = featured
            .split("href=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();
        let list = &html[html.find("class=\"feed\"").expect("the list")..];
        let list = &list[..list.find("</ul>").unwrap()];
        assert!(
            !list.contains(&format!("href=\"{lead_href}\"")),
            "the lead is repeated in the list"
        );
        // The lead is at least as new as everything below it.
        let times = |text: &str| -> Vec<String> {
            text.split("<time datetime=\"")
                .skip(1)
                .filter_map(|rest| rest.split('"').next().map(str::to_owned))
                .collect()
        };
        let lead_time = time::OffsetDateTime::parse(
            &times(featured)[0],
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        for listed in times(list) {
            let listed = time::OffsetDateTime::parse(
                &listed,
                &time::format_description::well_known::Rfc3339,
            )
            .unwrap();
            assert!(
                listed <= lead_time,
                "{listed} is newer than the lead {lead_time}"
            );
        }
    });
}

/// Shared links get a picture: `og:image` with its size and text.
#[test]
fn articles_with_a_picture_give_link_previews_one() {
    run(async {
        let (_, html) = get(REFERENCE_PATH).await;
        assert_eq!(
            meta(&html, "og:image"),
            Some("http://127.0.0.1:3000/demo/hoi-nghi-toan-canh.svg")
        );
        assert_eq!(meta(&html, "og:image:width"), Some("800"));
        assert_eq!(meta(&html, "og:image:height"), Some("450"));
        assert_eq!(meta(&html, "og:image:alt"), Some("Toàn cảnh hội nghị"));
        assert_eq!(meta(&html, "twitter:card"), Some("summary_large_image"));
    });
}

/// The live counter's stream reaches the reader through any proxy at once:
/// not buffered, not cached, not compressed, and its first event comes
/// without waiting for a change.
#[test]
fn the_live_stream_is_never_buffered_cached_or_compressed() {
    run(async {
        let request = Request::get(app::api::counter::STREAM_PATH)
            .header("accept-encoding", "br, gzip")
            .body(Body::empty())
            .unwrap();
        let response = portal()
            .await
            .router
            .clone()
            .oneshot(request)
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers();
        assert_eq!(headers["content-type"], "text/event-stream");
        assert_eq!(headers["cache-control"], "no-cache");
        assert_eq!(headers["x-accel-buffering"], "no");
        assert!(headers.get("content-encoding").is_none(), "compressed");
        let mut body = response.into_body();
        let first = tokio::time::timeout(std::time::Duration::from_secs(5), body.frame())
            .await
            .expect("a first event at once")
            .expect("a frame")
            .unwrap();
        let text = String::from_utf8(first.into_data().unwrap().to_vec()).unwrap();
        assert!(text.starts_with("event: stats\ndata: {"), "{text}");
    });
}

/// Pages carry the Speculation Rules that let the browser prerender the next
/// page (moving between pages is an ordinary load), and the HTML, not the
/// stream, is compressed.
#[test]
fn pages_point_to_their_speculation_rules() {
    run(async {
        let (parts, _) = fetch("/", &[("accept-encoding", "br")]).await;
        assert_eq!(
            parts.headers["speculation-rules"],
            "\"/speculation-rules.json\""
        );
        assert_eq!(parts.headers["content-encoding"], "br");
        let (parts, body) = fetch("/speculation-rules.json", &[]).await;
        assert_eq!(parts.status, StatusCode::OK);
        assert_eq!(
            parts.headers["content-type"],
            "application/speculationrules+json"
        );
        let rules: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(rules["prerender"].is_array());
        let (parts, _) = fetch("/rss.xml", &[]).await;
        assert!(parts.headers.get("speculation-rules").is_none());
    });
}

/// The office's name comes from the identity setting everywhere, never from
/// a copy in the code: change it and every place follows.
#[test]
fn the_office_name_comes_from_the_identity_setting() {
    run(async {
        let portal = portal().await;
        let db = server::db::connect(&portal_db_url()).await.unwrap();
        let original = portal.state.settings.site_identity().await.unwrap();
        let mut renamed = original.clone();
        renamed.name = "Văn phòng Thử nghiệm Đổi tên".into();
        server::settings::save_identity(&db, &renamed)
            .await
            .unwrap();
        let (_, article) = get(REFERENCE_PATH).await;
        let (_, category) = get(CATEGORY_PATH).await;
        let (_, feed) = get("/rss.xml").await;
        server::settings::save_identity(&db, &original)
            .await
            .unwrap();
        const RENAMED: &str = "Văn phòng Thử nghiệm Đổi tên";
        assert!(title_of(&category).ends_with(&format!("| {RENAMED}")));
        assert!(meta(&category, "description").unwrap().contains(RENAMED));
        let ld_start = article.find("application/ld+json\">").unwrap() + 21;
        let ld_end = ld_start + article[ld_start..].find("</script>").unwrap();
        let ld: serde_json::Value = serde_json::from_str(&article[ld_start..ld_end]).unwrap();
        assert_eq!(ld["publisher"]["name"], RENAMED);
        let channel = feed_rs::parser::parse(feed.as_bytes()).unwrap();
        assert!(channel.title.unwrap().content.ends_with(RENAMED));
        assert!(title_of(&article).ends_with("| Văn phòng Thử nghiệm Đổi tên"));
    });
}
