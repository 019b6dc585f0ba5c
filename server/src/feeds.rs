//! Discovery: RSS 2.0 for the site and each category, `sitemap.xml`,
//! `robots.txt`. Written by hand with strict XML escaping: the formats are
//! small and fixed.

use std::fmt::Write;
use std::sync::Arc;

use app::model::{ArticleSummary, Category};
use app::ssr::{ArticleReader, SiteSettings};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use time::format_description::well_known::{Rfc2822, Rfc3339};

/// How many articles a feed carries.
const FEED_ITEMS: u64 = 30;

#[derive(Clone)]
pub struct FeedState {
    pub articles: Arc<dyn ArticleReader>,
    pub settings: Arc<dyn SiteSettings>,
    /// The public origin, without a trailing slash: `https://cchc.cantho.gov.vn`.
    pub public_url: String,
}

pub fn routes<S: Clone + Send + Sync + 'static>(state: FeedState) -> Router<S> {
    Router::new()
        .route("/rss.xml", get(site_feed))
        .route("/chuyen-muc/{slug}/rss.xml", get(category_feed))
        .route("/sitemap.xml", get(sitemap))
        .route("/robots.txt", get(robots))
        .with_state(state)
}

/// Escapes text for XML content and attribute values (see [`app::escape_markup`]).
pub use app::escape_markup as xml_escape;

fn xml_response(content_type: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}

fn unavailable(err: app::ssr::StoreError) -> Response {
    tracing::error!(%err, "cannot build a feed");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "Hệ thống đang bận, xin vui lòng thử lại sau.",
    )
        .into_response()
}

/// An RSS 2.0 document. `site` names the channel: "Tin mới nhất – Cải cách
/// hành chính thành phố Cần Thơ".
pub fn rss(
    public_url: &str,
    site: &app::site::SiteIdentity,
    title: &str,
    self_path: &str,
    page_path: &str,
    items: &[ArticleSummary],
) -> String {
    let mut xml = String::new();
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n\
         <title>{title}</title>\n<link>{base}{page}</link>\n\
         <description>{description}</description>\n<language>vi</language>\n\
         <atom:link href=\"{base}{self_path}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        title = xml_escape(&format!("{title} – {}", site.name)),
        base = xml_escape(public_url),
        page = xml_escape(page_path),
        self_path = xml_escape(self_path),
        description = xml_escape(&format!("{title} – {} {}", site.tagline, site.name)),
    );
    if let Some(newest) = items.first()
        && let Ok(date) = newest.published_at.format(&Rfc2822)
    {
        let _ = writeln!(xml, "<lastBuildDate>{date}</lastBuildDate>");
    }
    for item in items {
        let link = format!("{public_url}{}", item.path());
        let _ = write!(
            xml,
            "<item>\n<title>{title}</title>\n<link>{link}</link>\n\
             <guid isPermaLink=\"true\">{link}</guid>\n<pubDate>{date}</pubDate>\n\
             <category>{category}</category>\n<description>{excerpt}</description>\n</item>\n",
            title = xml_escape(&item.title),
            link = xml_escape(&link),
            date = item.published_at.format(&Rfc2822).unwrap_or_default(),
            category = xml_escape(&item.category.name),
            excerpt = xml_escape(&item.excerpt),
        );
    }
    xml.push_str("</channel>\n</rss>\n");
    xml
}

/// The RSS 2.0 feed of the newest published documents (`/van-ban/rss.xml`):
/// each item's title is its form and number, its description the summary.
pub fn documents_rss(
    public_url: &str,
    site: &app::site::SiteIdentity,
    rows: &[crate::db::entities::document::Model],
) -> String {
    let mut xml = String::new();
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n\
         <title>{title}</title>\n<link>{base}/van-ban</link>\n\
         <description>{title}</description>\n<language>vi</language>\n\
         <atom:link href=\"{base}/van-ban/rss.xml\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        title = xml_escape(&format!("Văn bản mới – {}", site.name)),
        base = xml_escape(public_url),
    );
    for row in rows {
        let link = format!(
            "{public_url}{}",
            app::model::documents::document_path(&row.slug)
        );
        // The issue date at 00:00 Vietnam time.
        let date = time::Date::parse(
            &row.issued_on,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .ok()
        .map(|d| d.midnight().assume_offset(app::vn_time::VIETNAM))
        .and_then(|at| at.format(&Rfc2822).ok())
        .unwrap_or_default();
        let _ = write!(
            xml,
            "<item>\n<title>{title}</title>\n<link>{link}</link>\n\
             <guid isPermaLink=\"true\">{link}</guid>\n<pubDate>{date}</pubDate>\n\
             <category>{form}</category>\n<description>{summary}</description>\n</item>\n",
            title = xml_escape(&format!("{} {}", row.form, row.number)),
            link = xml_escape(&link),
            form = xml_escape(&row.form),
            summary = xml_escape(&format!("{} ({})", row.summary, row.issuer)),
        );
    }
    xml.push_str("</channel>\n</rss>\n");
    xml
}

/// The office's identity; the built-in one if it cannot be read.
async fn identity(state: &FeedState) -> app::site::SiteIdentity {
    state.settings.site_identity().await.unwrap_or_else(|err| {
        tracing::error!(%err, "cannot read the site identity");
        app::site::SiteIdentity::default()
    })
}

async fn site_feed(State(state): State<FeedState>) -> Response {
    let site = identity(&state).await;
    match state.articles.latest_articles(1, FEED_ITEMS).await {
        Ok(page) => xml_response(
            "application/rss+xml; charset=utf-8",
            rss(
                &state.public_url,
                &site,
                "Tin mới nhất",
                "/rss.xml",
                "/",
                &page.items,
            ),
        ),
        Err(err) => unavailable(err),
    }
}

async fn category_feed(State(state): State<FeedState>, Path(slug): Path<String>) -> Response {
    let category = match state.articles.category_by_slug(&slug).await {
        Ok(Some(category)) => category,
        Ok(None) => return (StatusCode::NOT_FOUND, "Không có chuyên mục này.").into_response(),
        Err(err) => return unavailable(err),
    };
    let site = identity(&state).await;
    match state.articles.category_articles(&slug, 1, FEED_ITEMS).await {
        Ok(page) => xml_response(
            "application/rss+xml; charset=utf-8",
            rss(
                &state.public_url,
                &site,
                &category.name,
                &format!("/chuyen-muc/{slug}/rss.xml"),
                &category_path(&category),
                &page.items,
            ),
        ),
        Err(err) => unavailable(err),
    }
}

fn category_path(category: &Category) -> String {
    app::model::category_path(&category.slug)
}

async fn sitemap(State(state): State<FeedState>) -> Response {
    let base = xml_escape(&state.public_url);
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let _ = writeln!(
        xml,
        "<url><loc>{base}/</loc><changefreq>hourly</changefreq></url>\n\
         <url><loc>{base}/van-ban</loc><changefreq>daily</changefreq></url>"
    );
    // The fixed pages, each a translation of the other.
    let _ = writeln!(
        xml,
        "<url><loc>{base}/gioi-thieu</loc><changefreq>monthly</changefreq></url>\n\
         <url><loc>{base}/en</loc><changefreq>monthly</changefreq></url>"
    );
    match state.articles.categories().await {
        Ok(categories) => {
            for category in categories {
                let _ = writeln!(
                    xml,
                    "<url><loc>{base}{}</loc><changefreq>daily</changefreq></url>",
                    xml_escape(&category_path(&category))
                );
            }
        }
        Err(err) => return unavailable(err),
    }
    // A sitemap holds at most 50,000 addresses.
    match state.articles.latest_articles(1, 49_000).await {
        Ok(page) => {
            for item in page.items {
                let _ = writeln!(
                    xml,
                    "<url><loc>{base}{}</loc><lastmod>{}</lastmod></url>",
                    xml_escape(&item.path()),
                    item.published_at.format(&Rfc3339).unwrap_or_default()
                );
            }
        }
        Err(err) => return unavailable(err),
    }
    xml.push_str("</urlset>\n");
    xml_response("application/xml; charset=utf-8", xml)
}

async fn robots(State(state): State<FeedState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "User-agent: *\nAllow: /\nDisallow: /api/\n\nSitemap: {}/sitemap.xml\n",
            state.public_url
        ),
    )
        .into_response()
}
