//! Security headers on every kind of response, and the pages' Content
//! Security Policy: its nonce is the one on every inline script of the
//! page, fresh for each render, and the same in the header and the HTML of
//! a page served from the page cache.

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::TestDb;
use common::hits::BROWSER;
use http_body_util::BodyExt;
use tower::ServiceExt;

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn csp(&self) -> &str {
        self.header("content-security-policy")
            .expect("a Content-Security-Policy header")
    }
}

async fn get(router: &axum::Router, path: &str) -> Reply {
    let request = Request::get(path)
        .header(header::USER_AGENT, BROWSER)
        .body(Body::empty())
        .unwrap();
    let response = tokio::time::timeout(Duration::from_secs(20), router.clone().oneshot(request))
        .await
        .unwrap_or_else(|_| panic!("GET {path} did not answer within 20 s"))
        .unwrap();
    let (parts, body) = response.into_parts();
    Reply {
        status: parts.status,
        headers: parts.headers,
        body: String::from_utf8_lossy(&body.collect().await.unwrap().to_bytes()).into_owned(),
    }
}

async fn portal(db: &TestDb, public_url: &str, cache: Duration) -> server::Portal {
    let mut config = server::Config::for_database(&db.url).unwrap();
    config.counter_flush_interval = Duration::from_secs(3600);
    config.public_url = public_url.to_owned();
    config.page_cache_ttl = cache;
    // A site root with one static file, wherever the tests run from.
    let site_root = std::env::temp_dir().join(format!(
        "cchc-security-site-{}-{}",
        std::process::id(),
        db.url.len()
            + std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos() as usize
    ));
    std::fs::create_dir_all(&site_root).unwrap();
    std::fs::write(
        site_root.join("favicon.svg"),
        r#"<svg xmlns="http://www.w3.org/2000/svg"/>"#,
    )
    .unwrap();
    config.leptos_options.site_root = site_root.display().to_string().into();
    server::build(&config).await.expect("build the portal")
}

/// The nonce the policy allows scripts with.
fn header_nonce(csp: &str) -> String {
    let at = csp.find("'nonce-").expect("a nonce in the policy") + "'nonce-".len();
    let len = csp[at..].find('\'').expect("a closed nonce");
    csp[at..at + len].to_owned()
}

/// The `nonce` of every `<script` of `html`, `None` for a script without.
fn script_nonces(html: &str) -> Vec<(Option<String>, String)> {
    html.match_indices("<script")
        .map(|(at, _)| {
            let tag = &html[at..at + html[at..].find('>').expect("a closed tag")];
            let nonce = tag.find(" nonce=\"").map(|n| {
                let value = &tag[n + " nonce=\"".len()..];
                value[..value.find('"').expect("a closed value")].to_owned()
            });
            (nonce, tag.to_owned())
        })
        .collect()
}

/// Every script that runs (not JSON-LD data) carries the header's nonce;
/// returns how many do.
fn assert_scripts_carry(html: &str, nonce: &str) -> usize {
    let mut inline = 0;
    for (script_nonce, tag) in script_nonces(html) {
        if tag.contains("application/ld+json") || tag.contains(" src=") {
            continue;
        }
        assert_eq!(
            script_nonce.as_deref(),
            Some(nonce),
            "{tag} does not carry the policy's nonce"
        );
        inline += 1;
    }
    inline
}

fn assert_common_headers(reply: &Reply, what: &str) {
    assert_eq!(
        reply.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        reply.header("referrer-policy"),
        Some("strict-origin-when-cross-origin"),
        "{what}"
    );
    let permissions = reply.header("permissions-policy").unwrap_or("");
    for feature in ["camera=()", "microphone=()", "geolocation=()"] {
        assert!(permissions.contains(feature), "{what}: {permissions}");
    }
    assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{what}");
    assert!(
        reply.csp().contains("frame-ancestors 'none'"),
        "{what}: {}",
        reply.csp()
    );
}

#[test]
fn every_response_has_the_security_headers() {
    common::run_alone(async {
        let db = TestDb::sqlite();
        let portal = portal(&db, "http://127.0.0.1:3000", Duration::ZERO).await;
        let router = portal.router.clone();

        let page = get(&router, "/").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_common_headers(&page, "a page");
        assert!(!page.csp().contains("unsafe-inline"), "{}", page.csp());

        let missing = get(&router, "/khong-co-trang-nay").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_common_headers(&missing, "a 404");
        let nonce = header_nonce(missing.csp());
        assert!(assert_scripts_carry(&missing.body, &nonce) >= 1);

        let asset = get(&router, "/favicon.svg").await;
        assert_eq!(asset.status, StatusCode::OK);
        assert_common_headers(&asset, "an asset");

        let rules = get(&router, "/speculation-rules.json").await;
        assert_common_headers(&rules, "the speculation rules");

        let api = get(&router, "/api/v1/articles").await;
        assert_eq!(api.status, StatusCode::OK);
        assert_common_headers(&api, "an API response");

        // Without an https public address there is no HSTS.
        for reply in [&page, &missing, &asset, &api] {
            assert!(reply.header("strict-transport-security").is_none());
        }
        portal.shutdown().await.unwrap();
        db.drop_db().await;
    });
}

#[test]
fn hsts_only_with_an_https_public_address() {
    common::run_alone(async {
        let db = TestDb::sqlite();
        let portal = portal(&db, "https://cchc.example.vn", Duration::ZERO).await;
        let router = portal.router.clone();
        for path in ["/", "/khong-co-trang-nay", "/api/v1/articles"] {
            let reply = get(&router, path).await;
            assert_eq!(
                reply.header("strict-transport-security"),
                Some("max-age=31536000; includeSubDomains"),
                "{path}"
            );
        }
        portal.shutdown().await.unwrap();
        db.drop_db().await;
    });
}

#[test]
fn every_render_has_its_own_nonce_on_every_script() {
    common::run_alone(async {
        let db = TestDb::sqlite();
        let portal = portal(&db, "http://127.0.0.1:3000", Duration::ZERO).await;
        let router = portal.router.clone();
        let first = get(&router, "/").await;
        let second = get(&router, "/").await;
        let (a, b) = (header_nonce(first.csp()), header_nonce(second.csp()));
        assert_ne!(a, b, "two renders share a nonce");
        // The shell's script and Leptos's hydration script at least.
        assert!(assert_scripts_carry(&first.body, &a) >= 2, "{}", first.body);
        assert!(assert_scripts_carry(&second.body, &b) >= 2);
        assert!(!first.body.contains(&b) && !second.body.contains(&a));
        portal.shutdown().await.unwrap();
        db.drop_db().await;
    });
}

#[test]
fn a_cached_page_is_served_with_the_nonce_of_its_html() {
    common::run_alone(async {
        let db = TestDb::sqlite();
        let portal = portal(&db, "http://127.0.0.1:3000", Duration::from_secs(600)).await;
        let router = portal.router.clone();
        let stored = get(&router, "/").await;
        assert_eq!(stored.header("x-cache"), Some("miss"));
        let served = get(&router, "/").await;
        assert_eq!(served.header("x-cache"), Some("hit"));
        let nonce = header_nonce(served.csp());
        assert_eq!(served.csp(), stored.csp());
        assert!(assert_scripts_carry(&served.body, &nonce) >= 2);
        assert_common_headers(&served, "a cached page");
        portal.shutdown().await.unwrap();
        db.drop_db().await;
    });
}
