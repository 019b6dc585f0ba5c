//! Property tests of every parser of outside input (issue 12): search
//! queries, slugs and page paths, page numbers, the counter's beacon,
//! uploaded files' bytes and names, and the article-body sanitiser. Each
//! property holds for any input, not just the examples in the unit tests.
//!
//! Each property runs 256 random cases (those that drive the portal's
//! router in-process, 64), so the file stays fast in the ordinary test
//! command. `PROPTEST_CASES` sets the number for a long run (the in-process
//! ones run a tenth of it):
//!
//! ```text
//! PROPTEST_CASES=100000 cargo test -p server --test properties --release
//! ```
//!
//! Failing cases are not written to `proptest-regressions/`: proptest prints
//! the smallest failing input, and it becomes a regression test here.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use tower::ServiceExt;
use unicode_normalization::UnicodeNormalization;

use server::api_v1::{MAX_PAGE, MAX_PER_PAGE, Paging};
use server::articles::sanitize::sanitize;
use server::counter::http::is_page_path;
use server::documents::files;
use server::search::{fold_chars, snippet, tokens};
use server::slug::slugify;

use common::run;

/// `cases` random cases, or what `PROPTEST_CASES` says divided by `divisor`;
/// no failure files.
fn config(cases: u32, divisor: u32) -> ProptestConfig {
    let from_env = ProptestConfig::default();
    ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            (from_env.cases / divisor).max(1)
        } else {
            cases
        },
        failure_persistence: None,
        ..from_env
    }
}

/// Text of any Unicode characters, up to `max` of them.
fn any_text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>(), 0..max).prop_map(String::from_iter)
}

// ---------------------------------------------------------------------------
// The portal, in-process (the beacon, the API's paging, server functions).

/// One portal for the whole file, on an empty SQLite database: building a
/// router renders the app once with resource loading switched off
/// process-wide, so one per process, as in `http.rs`.
async fn portal() -> &'static server::Portal {
    static PORTAL: tokio::sync::OnceCell<server::Portal> = tokio::sync::OnceCell::const_new();
    PORTAL
        .get_or_init(|| async {
            let url = common::process_sqlite_url("properties.db");
            let mut config = server::Config::for_database(&url).expect("a configuration");
            config.seed_demo = false;
            server::build(&config).await.expect("build the portal")
        })
        .await
}

async fn send(request: Request<Body>) -> (StatusCode, String) {
    let response = portal()
        .await
        .router
        .clone()
        .oneshot(request)
        .await
        .expect("the router answers");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

// ---------------------------------------------------------------------------
// 1. Search queries.

/// A Vietnamese letter: its base (with the vowel's own marks: ă, â, ê, ô,
/// ơ, ư, đ) and the letter it folds to.
const LETTERS: &[(&str, char)] = &[
    ("a", 'a'),
    ("ă", 'a'),
    ("â", 'a'),
    ("e", 'e'),
    ("ê", 'e'),
    ("i", 'i'),
    ("o", 'o'),
    ("ô", 'o'),
    ("ơ", 'o'),
    ("u", 'u'),
    ("ư", 'u'),
    ("y", 'y'),
    ("d", 'd'),
    ("đ", 'd'),
    ("c", 'c'),
    ("h", 'h'),
    ("n", 'n'),
    ("t", 't'),
];
/// No tone, and the five tone marks (huyền, sắc, ngã, hỏi, nặng) as combining characters.
const TONES: &[&str] = &["", "\u{300}", "\u{301}", "\u{303}", "\u{309}", "\u{323}"];

/// Vietnamese-looking words with tones (decomposed, any case) and the
/// words an ASCII keyboard would type for them.
fn vietnamese_words() -> impl Strategy<Value = (String, String)> {
    let letter = (0..LETTERS.len(), 0..TONES.len(), any::<bool>());
    let word = proptest::collection::vec(letter, 1..8);
    proptest::collection::vec(word, 1..6).prop_map(|words| {
        let mut accented = Vec::new();
        let mut plain = Vec::new();
        for word in words {
            let mut a = String::new();
            let mut p = String::new();
            for (letter, tone, upper) in word {
                let (base, ascii) = LETTERS[letter];
                // Tones sit on vowels only.
                let tone = if "aeiouy".contains(ascii) {
                    TONES[tone]
                } else {
                    ""
                };
                let written = format!("{base}{tone}");
                a.push_str(&if upper {
                    written.to_uppercase()
                } else {
                    written
                });
                p.push(ascii);
            }
            accented.push(a);
            plain.push(p);
        }
        (accented.join(" "), plain.join(" "))
    })
}

proptest! {
    #![proptest_config(config(256, 1))]

    #[test]
    fn query_words_are_bounded_folded_and_distinct(query in any_text(600)) {
        let words = tokens(&query);
        prop_assert!(words.len() <= 12, "{words:?}");
        for (i, word) in words.iter().enumerate() {
            prop_assert!(!word.is_empty());
            prop_assert!(word.chars().count() <= 40, "{word}");
            // Words, never syntax: no quote, operator or space reaches FTS5
            // or `to_tsquery`.
            prop_assert!(word.chars().all(char::is_alphanumeric), "{word:?}");
            prop_assert!(!words[..i].contains(word), "{words:?}");
        }
        // Searching again with the words found finds the same words.
        prop_assert_eq!(tokens(&words.join(" ")), words);
    }

    #[test]
    fn query_words_ignore_diacritics_case_and_normal_form((accented, plain) in vietnamese_words()) {
        let composed: String = accented.nfc().collect();
        let expected: Vec<String> = {
            let mut seen = Vec::new();
            for word in plain.split(' ') {
                if !seen.iter().any(|w| w == word) {
                    seen.push(word.to_owned());
                }
            }
            seen
        };
        prop_assert_eq!(tokens(&plain), expected.clone());
        prop_assert_eq!(tokens(&composed), expected.clone(), "{}", composed);
        prop_assert_eq!(tokens(&accented), expected, "{:?}", accented);
    }

    #[test]
    fn folding_keeps_positions_and_snippets_quote_the_text(
        text in any_text(400),
        query in any_text(40),
        width in 0usize..300,
    ) {
        let text: String = text.nfc().collect();
        prop_assert_eq!(fold_chars(&text).len(), text.chars().count());
        let words = tokens(&query);
        let parts = snippet(&text, &words, width);
        let mut body: Vec<&str> = parts.iter().map(|p| p.text.as_str()).collect();
        if body.first() == Some(&"… ") {
            body.remove(0);
        }
        if body.last() == Some(&" …") {
            body.pop();
        }
        let quoted = body.concat();
        prop_assert!(text.contains(&quoted), "{quoted:?} not in {text:?}");
        for part in parts.iter().filter(|p| p.highlight) {
            let folded: String = fold_chars(&part.text).into_iter().collect();
            prop_assert!(words.contains(&folded), "{folded:?} not in {words:?}");
        }
    }
}

// ---------------------------------------------------------------------------
// 2. Slugs and the paths the counter takes.

const PAGE_PREFIXES: &[&str] = &["/tin-tuc/", "/chuyen-muc/", "/van-ban/"];
const FIXED_PAGES: &[&str] = &[
    "/",
    "/tim-kiem",
    "/van-ban",
    "/hoi-dap",
    "/gioi-thieu",
    "/en",
];

proptest! {
    #![proptest_config(config(256, 1))]

    #[test]
    fn slugs_are_lowercase_ascii_words_joined_by_single_hyphens(title in any_text(200)) {
        let slug = slugify(&title);
        prop_assert!(
            slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{slug:?}"
        );
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-'), "{slug:?}");
        prop_assert!(!slug.contains("--"), "{slug:?}");
        prop_assert_eq!(slugify(&slug), slug.clone());
        let decomposed: String = title.nfd().collect();
        prop_assert_eq!(slugify(&decomposed), slug.clone());
        // A non-empty slug names a page the counter counts.
        if !slug.is_empty() {
            prop_assert!(is_page_path(&format!("/tin-tuc/{slug}")), "{slug:?}");
        }
    }

    #[test]
    fn slugs_of_vietnamese_titles_are_what_an_ascii_keyboard_types((accented, plain) in vietnamese_words()) {
        prop_assert_eq!(slugify(&accented), plain.replace(' ', "-"));
    }

    #[test]
    fn counted_paths_are_only_the_public_pages(path in prop_oneof![
        any_text(60),
        "/(tin-tuc|chuyen-muc|van-ban|hoi-dap|tim-kiem|quan-tri)/?[a-zA-Z0-9./?#%_ -]{0,30}",
    ]) {
        let expected = FIXED_PAGES.contains(&path.as_str())
            || PAGE_PREFIXES.iter().any(|prefix| {
                path.strip_prefix(prefix).is_some_and(|slug| {
                    !slug.is_empty() && slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                })
            });
        prop_assert_eq!(is_page_path(&path), expected, "{:?}", path);
        if is_page_path(&path) {
            // Nothing that could reach another resource: no dots, queries,
            // escapes or spaces.
            prop_assert!(!path.contains(['.', '?', '#', '%', ' ', '\\']), "{path:?}");
        }
    }
}

// ---------------------------------------------------------------------------
// 3. Page numbers.

proptest! {
    #![proptest_config(config(256, 1))]

    #[test]
    fn citizens_page_numbers_are_always_a_page(raw in prop_oneof![
        any_text(30),
        "[ +-]?[0-9]{0,25} ?",
    ]) {
        let page = app::model::parse_page(Some(&raw));
        prop_assert!((1..=app::model::MAX_PAGE).contains(&page), "{raw:?} → {page}");
        if let Ok(n) = raw.trim().parse::<u64>()
            && (1..=app::model::MAX_PAGE).contains(&n)
        {
            prop_assert_eq!(page, n);
        }
        if !raw.trim().trim_start_matches('+').bytes().all(|b| b.is_ascii_digit()) {
            prop_assert_eq!(page, 1, "{:?}", raw);
        }
    }

    #[test]
    fn server_function_page_numbers_give_a_safe_offset(page in any::<u64>(), per_page in 1u64..=1000) {
        let page = app::model::clamp_page(page);
        prop_assert!((1..=app::model::MAX_PAGE).contains(&page));
        prop_assert!((page - 1).checked_mul(per_page).is_some_and(|o| o <= i64::MAX as u64));
    }

    #[test]
    fn api_paging_is_in_range_or_a_400(
        page in prop_oneof![any_text(12).prop_map(Some), "[ +-]?[0-9]{0,22}".prop_map(Some), Just(None)],
        per_page in prop_oneof![any_text(6).prop_map(Some), "[ +-]?[0-9]{0,4}".prop_map(Some), Just(None)],
    ) {
        match Paging::parse(page.as_deref(), per_page.as_deref()) {
            Ok(paging) => {
                prop_assert!((1..=MAX_PAGE).contains(&paging.page), "{paging:?}");
                prop_assert!((1..=MAX_PER_PAGE).contains(&paging.per_page), "{paging:?}");
                prop_assert!(paging.offset() <= i64::MAX as u64);
                for (raw, value) in [(&page, paging.page), (&per_page, paging.per_page)] {
                    if let Some(n) = raw.as_deref().and_then(|r| r.trim().parse::<u64>().ok()) {
                        prop_assert_eq!(n, value);
                    }
                }
            }
            Err(err) => {
                prop_assert_eq!(err.status(), StatusCode::BAD_REQUEST);
                prop_assert!(err.message().contains("page"), "{}", err.message());
            }
        }
    }
}

proptest! {
    #![proptest_config(config(64, 10))]

    #[test]
    fn the_api_answers_any_paging_with_a_page_or_a_400(
        page in "[0-9a-z%+.-]{0,24}",
        per_page in "[0-9a-z%+.-]{0,6}",
    ) {
        let uri = format!("/api/v1/articles?page={page}&per_page={per_page}");
        let (status, body) = run(send(Request::get(&uri).body(Body::empty()).unwrap()));
        prop_assert!(matches!(status, StatusCode::OK | StatusCode::BAD_REQUEST), "{uri}: {status} {body}");
        let json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        if status == StatusCode::OK {
            let page = json["page"].as_u64().unwrap_or_default();
            prop_assert!((1..=MAX_PAGE).contains(&page), "{uri}: {body}");
        } else {
            prop_assert!(json["error"].is_string(), "{uri}: {body}");
        }
    }
}

/// Found by thinking about these properties: a server function's page
/// number is a `u64` from the client, and an offset above `i64::MAX` made
/// the SQLite driver panic (`sea-query-sqlx` converts with `unwrap`).
#[test]
fn a_huge_page_number_sent_to_a_server_function_is_the_last_page() {
    use leptos::server_fn::ServerFn;
    let huge = u64::MAX;
    for (path, form) in [
        (
            app::api::articles::LatestArticles::PATH,
            format!("page={huge}"),
        ),
        (
            app::api::search::SearchArticles::PATH,
            format!("q=can+tho&page={huge}"),
        ),
    ] {
        let (status, body) = run(send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form))
                .unwrap(),
        ));
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }
}

// ---------------------------------------------------------------------------
// 4. The counter's beacon.

/// What the beacon answers `body` with (its documented rules): 204 for any
/// path, counted or not; 400 for what is not a path at all.
fn beacon_answer(body: &[u8]) -> StatusCode {
    match std::str::from_utf8(body).map(str::trim) {
        Ok(path) if path.starts_with('/') && path.len() <= 2048 => StatusCode::NO_CONTENT,
        _ => StatusCode::BAD_REQUEST,
    }
}

fn beacon_bodies() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..200),
        any_text(100).prop_map(String::into_bytes),
        "[ \t\n]{0,2}/(tin-tuc|chuyen-muc|van-ban)/[a-z0-9-]{1,40}[ \n]{0,2}"
            .prop_map(String::into_bytes),
        (2040usize..2060, any::<bool>()).prop_map(|(len, slash)| {
            let mut body = if slash { b"/".to_vec() } else { Vec::new() };
            body.resize(len, b'a');
            body
        }),
        proptest::collection::vec(any::<u8>(), 0..100).prop_map(|tail| {
            let mut body = b"/tin-tuc/".to_vec();
            body.extend(tail);
            body
        }),
    ]
}

proptest! {
    #![proptest_config(config(64, 10))]

    #[test]
    fn the_beacon_answers_any_body_with_204_or_400(body in beacon_bodies()) {
        let expected = beacon_answer(&body);
        let (status, text) = run(send(
            Request::post(app::api::counter::BEACON_PATH)
                .header(header::CONTENT_TYPE, "text/plain;charset=UTF-8")
                .body(Body::from(body.clone()))
                .unwrap(),
        ));
        prop_assert_eq!(status, expected, "{:?}: {}", String::from_utf8_lossy(&body), text);
    }
}

// ---------------------------------------------------------------------------
// 5. Uploaded files: types from the bytes, names.

const PDF: &[u8] = b"%PDF";
const ZIP: &[u8] = b"PK\x03\x04";
const OLE2: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

fn with_prefix(prefix: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..600)
        .prop_map(move |tail| [prefix, &tail[..]].concat())
}

/// A small photo of random pixels in `format`.
fn photo(width: u32, height: u32, seed: u8, format: image::ImageFormat) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([seed ^ x as u8, seed.wrapping_mul(y as u8), (x + y) as u8])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut bytes, format)
        .expect("encode a photo");
    bytes.into_inner()
}

fn photo_formats() -> impl Strategy<Value = image::ImageFormat> {
    prop_oneof![
        Just(image::ImageFormat::Png),
        Just(image::ImageFormat::Jpeg),
        Just(image::ImageFormat::Gif),
    ]
}

/// No folder, no control or bidirectional-text character, never `.` or `..`.
fn assert_harmless_name(name: &str) -> Result<(), TestCaseError> {
    prop_assert!(!name.is_empty());
    prop_assert!(!name.contains(['/', '\\', '\0']), "{name:?}");
    prop_assert!(!name.chars().any(char::is_control), "{name:?}");
    prop_assert!(
        !name
            .chars()
            .any(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')),
        "{name:?}"
    );
    prop_assert!(!name.chars().all(|c| c == '.'), "{name:?}");
    prop_assert_eq!(name.trim(), name);
    Ok(())
}

fn file_names() -> impl Strategy<Value = String> {
    prop_oneof![
        any_text(300),
        "[./\\\\ a%2EeE\u{0}\u{1}\u{202E}]{0,12}(\\.(pdf|PDF|docx|xls|jpg))?",
        any_text(40).prop_map(|name| app::url::encode_component(&name)),
        // Long names, cut near a space.
        "[a ]{140,210}(\\.pdf)?",
    ]
}

proptest! {
    #![proptest_config(config(256, 1))]

    #[test]
    fn document_types_come_from_their_magic_bytes(bytes in prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..600),
        with_prefix(PDF),
        with_prefix(ZIP),
        with_prefix(OLE2),
    ]) {
        let kind = files::kind_of(&bytes);
        let magic = match kind {
            None => None,
            Some("pdf") => Some(PDF),
            Some("docx" | "xlsx" | "odt") => Some(ZIP),
            Some("doc" | "xls") => Some(OLE2),
            Some(other) => return Err(TestCaseError::fail(format!("unexpected kind {other}"))),
        };
        if let Some(magic) = magic {
            prop_assert!(bytes.starts_with(magic), "{kind:?}");
            prop_assert_ne!(files::content_type(kind.unwrap_or_default()), "application/octet-stream");
        }
        if bytes.starts_with(PDF) {
            prop_assert_eq!(kind, Some("pdf"));
        }
    }

    #[test]
    fn uploaded_names_stay_in_their_folder(raw in file_names(), kind in prop_oneof![
        Just("pdf"), Just("docx"), Just("xls"), Just("odt"),
    ]) {
        let document = files::clean_file_name(&raw, kind);
        assert_harmless_name(&document)?;
        let extension = document.rsplit_once('.').map(|(_, ext)| ext).unwrap_or_default();
        prop_assert!(extension.eq_ignore_ascii_case(kind), "{document:?}");
        prop_assert!(document.chars().count() <= 150 + 1 + kind.len(), "{document:?}");
        // What a browser sends for the kept name (`encodeURIComponent`) is kept as it is.
        let sent = app::url::encode_component(&document);
        prop_assert_eq!(files::clean_file_name(&sent, kind), document.clone());
        let header = files::content_disposition(&document);
        prop_assert!(axum::http::HeaderValue::from_str(&header).is_ok(), "{header:?}");

        let photo = server::media::clean_file_name(&raw);
        assert_harmless_name(&photo)?;
        prop_assert!(photo.chars().count() <= 200);
        let sent = app::url::encode_component(&photo);
        prop_assert_eq!(server::media::clean_file_name(&sent), photo);
    }
}

proptest! {
    #![proptest_config(config(32, 10))]

    #[test]
    fn photos_are_refused_politely_or_made_into_variants(
        junk in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..300),
            with_prefix(b"\xFF\xD8\xFF"),
            with_prefix(b"\x89PNG\r\n\x1a\n"),
            with_prefix(b"GIF89a"),
            with_prefix(b"RIFF\x20\x00\x00\x00WEBPVP8 "),
        ],
    ) {
        // Random bytes behind a photo's magic are never a photo.
        prop_assert!(server::media::process::process(&junk).is_err());
    }

    #[test]
    fn whole_photos_are_taken_and_cut_ones_refused(
        width in 1u32..48,
        height in 1u32..48,
        seed in any::<u8>(),
        format in photo_formats(),
        cut in any::<proptest::sample::Index>(),
    ) {
        let bytes = photo(width, height, seed, format);
        let processed = server::media::process::process(&bytes)
            .map_err(|err| TestCaseError::fail(format!("{format:?} {width}×{height}: {err}")))?;
        prop_assert_eq!((processed.width, processed.height), (width, height));
        prop_assert!(processed.variants.iter().all(|v| v.width <= width && !v.bytes.is_empty()));
        // Cut inside the image data, not just in the end marker's checksum.
        let short = &bytes[..cut.index(bytes.len() - 12)];
        prop_assert!(server::media::process::process(short).is_err(), "{format:?} cut at {}", short.len());
    }
}

/// Found by `uploaded_names_stay_in_their_folder`: a photo sent as `..`
/// kept that name, and a right-to-left override hid a name's real end.
#[test]
fn dot_names_and_bidirectional_overrides_are_not_kept() {
    assert_eq!(server::media::clean_file_name(".."), "anh");
    assert_eq!(server::media::clean_file_name("%2E%2E"), "anh");
    assert_eq!(files::clean_file_name("..", "pdf"), "van-ban.pdf");
    assert_eq!(
        files::clean_file_name("ke-hoach\u{202E}fdp.docx", "docx"),
        "ke-hoachfdp.docx"
    );
}

// ---------------------------------------------------------------------------
// 6. The article-body sanitiser (what editors paste from Word).

const FRAGMENTS: &[&str] = &[
    "<script>alert(1)</script>",
    "<script src=//x.vn/a.js>",
    "</script>",
    "<p class=MsoNormal style='mso-margin-top-alt:auto;margin:0cm'>",
    "<span style=\"mso-bidi-font-family:Arial;font-size:13pt\" lang=VI>",
    "<o:p></o:p>",
    "<o:p>",
    "<![if !supportLists]>",
    "<![endif]>",
    "<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->",
    "<style>p.MsoNormal{margin:0}</style>",
    "<a href=\"javascript:alert(1)\">",
    "<a href=\" JaVaScRiPt:alert(1)\">",
    "<a href=\"java&#x09;script:alert(1)\">",
    "<a href=\"&#106;avascript:alert(1)\">",
    "<a href=\"vbscript:msgbox(1)\">",
    "<a href=\"data:text/html,<script>alert(1)</script>\">",
    "<a href=\"https://cantho.gov.vn/a?b=1&c=2\" target=_blank>",
    "<a href=/tin-tuc/can-tho>",
    "</a>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"/a.jpg\" width=10 height=\"20\" loading=lazy alt=\"Cần Thơ\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert(1)\">",
    "<svg onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=//x.vn>",
    "<object data=x>",
    "<form action=javascript:alert(1)><button>",
    "<table><tr><td colspan=2 onclick=x>",
    "</td></tr></table>",
    "<th scope=col>",
    "<figure>",
    "<figcaption>",
    "</figure>",
    "<p>",
    "</p>",
    "<div onmouseover='x'>",
    "</div>",
    "<b>",
    "</i>",
    "<br>",
    "<template><script>x</script></template>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<textarea>",
    "<title>",
    "<xmp>",
    "<select><option>",
    "<![CDATA[x]]>",
    "<",
    ">",
    "\"",
    "'",
    "=",
    "&",
    "&lt;script&gt;",
    "&nbsp;",
    " onclick=alert(1) ",
    "Cần Thơ tổ chức hội nghị",
];

fn html_ish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => proptest::sample::select(FRAGMENTS).prop_map(str::to_owned),
        1 => "[a-zA-Z ờ<>/=\"'&;:-]{0,12}",
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

/// The start tags of sanitised HTML: its name and its attributes with
/// their values decoded. In the serialiser's output every `<` opens a tag
/// (text has `&lt;`) and attribute values are double-quoted.
fn start_tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let mut inside_quotes = false;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    inside_quotes = !inside_quotes;
                }
                c == '>' && !inside_quotes
            })
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = &rest[end.min(rest.len())..];
        if tag.starts_with('/') {
            continue;
        }
        let (name, mut attrs) = tag.split_once(' ').unwrap_or((tag, ""));
        let mut attributes = Vec::new();
        while let Some((attr, after)) = attrs.trim_start().split_once("=\"") {
            let (value, after) = after.split_once('"').unwrap_or((after, ""));
            let value = value
                .replace("&quot;", "\"")
                .replace("&nbsp;", "\u{a0}")
                .replace("&amp;", "&");
            attributes.push((attr.trim().to_ascii_lowercase(), value));
            attrs = after;
        }
        tags.push((name.to_ascii_lowercase(), attributes));
    }
    tags
}

/// The scheme a browser would see in a URL attribute: ASCII tabs and
/// newlines removed, leading control characters and spaces trimmed.
fn scheme_of(url: &str) -> Option<String> {
    let url: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let url = url.trim_start_matches(|c: char| c <= ' ');
    let (scheme, _) = url.split_once(':')?;
    let scheme_like = scheme
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (scheme_like && !scheme.contains('/')).then(|| scheme.to_ascii_lowercase())
}

proptest! {
    #![proptest_config(config(256, 1))]

    #[test]
    fn pasted_html_loses_scripts_handlers_styles_and_script_urls(html in html_ish()) {
        let clean = sanitize(&html);
        prop_assert!(!clean.to_ascii_lowercase().contains("<script"), "{clean}");
        for (name, attributes) in start_tags(&clean) {
            prop_assert!(
                !matches!(name.as_str(), "script" | "style" | "iframe" | "object" | "svg" | "math"
                    | "form" | "template" | "noscript" | "textarea" | "xmp" | "title" | "o:p"),
                "<{name}> in {clean}"
            );
            for (attribute, value) in attributes {
                prop_assert!(!attribute.starts_with("on"), "{attribute} in {clean}");
                prop_assert!(attribute != "style", "style in {clean}");
                if let Some(scheme) = scheme_of(&value) {
                    prop_assert!(
                        !matches!(scheme.as_str(), "javascript" | "vbscript" | "data"),
                        "{attribute}={value:?} in {clean}"
                    );
                }
            }
        }
        prop_assert_eq!(sanitize(&clean), clean.clone(), "from {:?}", html);
    }
}
