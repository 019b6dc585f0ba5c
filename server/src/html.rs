//! Post-processing of the HTML the server renders.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest page this rewrites; larger bodies pass through untouched.
const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// Where the Speculation Rules of every page are served from.
pub const SPECULATION_RULES_PATH: &str = "/speculation-rules.json";

/// Moving between pages is an ordinary page load; Chromium-based browsers
/// prerender a page when the reader hovers or starts to tap its link, so the
/// load is instant. Only public pages: never the API, feeds, files or the
/// editors' area. Such a prerender is counted once the reader opens it
/// (`app::components::reading::HEAD_SCRIPT`).
pub const SPECULATION_RULES: &str = r#"{"prerender":[{"where":{"and":[{"or":[{"href_matches":"/*"},{"href_matches":"/*\\?*"}]},{"not":{"href_matches":"/api/*"}},{"not":{"href_matches":"/pkg/*"}},{"not":{"href_matches":"/quan-tri/*"}},{"not":{"href_matches":"/dang-nhap"}},{"not":{"href_matches":"/*.*"}}]},"eagerness":"moderate"}]}"#;

/// `GET /speculation-rules.json`.
pub async fn speculation_rules() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/speculationrules+json"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        SPECULATION_RULES,
    )
        .into_response()
}

/// Whether a response is an HTML page.
pub fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// Finishes every HTML page:
/// - points the browser at the Speculation Rules (`Speculation-Rules` header);
/// - Leptos marks hydration boundaries with `<!>`, an empty comment that
///   parsers accept but validators report as a "bogus comment"; `<!---->` is
///   the same empty comment node, written validly;
/// - Leptos appends the scripts that carry resolved resources after
///   `</html>`, where parsers move them to the end of `<body>` anyway; they are
///   written there;
/// - Leptos's `HydrationScripts` writes the CSP nonce as the value of its
///   resource hints' `crossorigin`, which is invalid; it becomes `""`.
pub async fn finish_html(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if !is_html(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    parts.headers.insert(
        header::HeaderName::from_static("speculation-rules"),
        header::HeaderValue::from_static("\"/speculation-rules.json\""),
    );
    let bytes = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::error!(%err, "cannot read a rendered page");
            parts.status = axum::http::StatusCode::INTERNAL_SERVER_ERROR;
            return Response::from_parts(parts, Body::from("Lỗi máy chủ."));
        }
    };
    let Ok(html) = std::str::from_utf8(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let html = valid_crossorigin(&scripts_into_body(&html.replace("<!>", "<!---->")));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(html))
}

/// Moves the scripts after `</html>` to just before `</body>`. Comments right
/// after `</html>` stay where they are: there they belong to the document,
/// not to the body.
fn scripts_into_body(html: &str) -> String {
    let Some(end) = html.rfind("</html>") else {
        return html.to_owned();
    };
    let tail = &html[end + "</html>".len()..];
    let Some(scripts_at) = tail.find("<script") else {
        return html.to_owned();
    };
    let Some(body_end) = html[..end].rfind("</body>") else {
        return html.to_owned();
    };
    let (comments, scripts) = tail.split_at(scripts_at);
    let mut out = String::with_capacity(html.len());
    out.push_str(&html[..body_end]);
    out.push_str(scripts);
    out.push_str(&html[body_end..end]);
    out.push_str("</html>");
    out.push_str(comments);
    out
}

/// Rewrites `crossorigin` values other than `""`, `anonymous` and
/// `use-credentials` (HTML's only keywords) as `""`, which means anonymous.
fn valid_crossorigin(html: &str) -> String {
    const ATTRIBUTE: &str = " crossorigin=\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(ATTRIBUTE) {
        let value_start = at + ATTRIBUTE.len();
        let Some(value_len) = rest[value_start..].find('"') else {
            break;
        };
        let value = &rest[value_start..value_start + value_len];
        out.push_str(&rest[..value_start]);
        if matches!(value, "" | "anonymous" | "use-credentials") {
            out.push_str(value);
        }
        out.push('"');
        rest = &rest[value_start + value_len + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{SPECULATION_RULES, scripts_into_body, valid_crossorigin};

    #[test]
    fn speculation_rules_are_json() {
        let rules: serde_json::Value = serde_json::from_str(SPECULATION_RULES).unwrap();
        assert_eq!(rules["prerender"][0]["eagerness"], "moderate");
    }

    #[test]
    fn crossorigin_keeps_only_valid_keywords() {
        assert_eq!(
            valid_crossorigin(
                r#"<link rel="preload" crossorigin="Zm9vYmFy"><link crossorigin=""><script crossorigin="use-credentials">"#
            ),
            r#"<link rel="preload" crossorigin=""><link crossorigin=""><script crossorigin="use-credentials">"#
        );
        assert_eq!(valid_crossorigin("no attributes"), "no attributes");
        assert_eq!(
            valid_crossorigin(r#"<a crossorigin="x"#),
            r#"<a crossorigin="x"#
        );
    }

    #[test]
    fn moves_trailing_scripts_into_the_body() {
        assert_eq!(
            scripts_into_body(
                "<html><body><p>x</p></body></html><!----><script>a()</script><script>b()</script>"
            ),
            "<html><body><p>x</p><script>a()</script><script>b()</script></body></html><!---->"
        );
        let plain = "<html><body></body></html>";
        assert_eq!(scripts_into_body(plain), plain);
    }
}
