//! Post-processing of the HTML the server renders.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

/// The largest page this rewrites; larger bodies pass through untouched.
const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// Makes Leptos's output valid HTML without changing the DOM browsers build:
/// - Leptos marks hydration boundaries with `<!>`, an empty comment that
///   parsers accept but validators report as a "bogus comment"; `<!---->` is
///   the same empty comment node, written validly.
/// - Leptos appends the scripts that carry resolved resources after
///   `</html>`, where parsers move them to the end of `<body>` anyway; they are
///   written there.
pub async fn valid_comment_markers(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
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
    let html = scripts_into_body(&html.replace("<!>", "<!---->"));
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

#[cfg(test)]
mod tests {
    use super::scripts_into_body;

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
