//! `/api/v1/articles`, `/api/v1/articles/{slug}` and `/api/v1/categories`.
//!
//! Articles are those readers see: status published and publish time come
//! ([`visible`]). An article's `updated_at` is when it last changed for
//! readers: the later of its last save or status change and its
//! publication time (an article published by the scheduler, or whose
//! publish time comes, is new to clients even if nobody saved it since).

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, DbBackend, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::{IntoParams, ToSchema};

use super::{
    Answer, ApiError, ApiState, ErrorBody, Paging, absolute, bad_query, json, page_count, rfc3339,
};
use crate::articles::read::{summary, visible};
use crate::db::entities::{article, category};

/// When an article last changed for readers (see the module documentation),
/// in PostgreSQL, whose timestamps compare as moments.
const CHANGED_AT_POSTGRES: &str = "CASE WHEN \"article\".\"published_at\" > \"article\".\"updated_at\" \
     THEN \"article\".\"published_at\" ELSE \"article\".\"updated_at\" END";
/// The same in SQLite, as a Julian day number (millisecond precision):
/// SQLite keeps timestamps as text, and as text `…:03Z` sorts after
/// `…:03.5Z`, so two moments of the same second would compare wrongly.
const CHANGED_AT_SQLITE: &str =
    "MAX(julianday(\"article\".\"published_at\"), julianday(\"article\".\"updated_at\"))";

/// A news category ("chuyên mục").
#[derive(Debug, Serialize, ToSchema)]
pub struct Category {
    /// Stable identifier, used in the category's address.
    #[schema(example = "tin-tuc-su-kien")]
    pub slug: String,
    #[schema(example = "Tin tức - Sự kiện")]
    pub name: String,
    /// The category's page on the portal.
    #[schema(format = "uri")]
    pub url: String,
}

/// A picture of an article.
#[derive(Debug, Serialize, ToSchema)]
pub struct Image {
    /// Absolute address of the picture.
    #[schema(format = "uri")]
    pub url: String,
    /// Its text alternative (may be empty for a decorative picture).
    pub alt: String,
    /// Intrinsic size in CSS pixels, when known.
    #[schema(required = true, minimum = 1)]
    pub width: Option<u32>,
    #[schema(required = true, minimum = 1)]
    pub height: Option<u32>,
}

/// An article as lists show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleSummary {
    /// Stable identifier, used in the article's addresses.
    pub slug: String,
    pub title: String,
    /// The lead paragraph, plain text.
    pub excerpt: String,
    /// When it was first published (RFC 3339, Vietnam time).
    #[schema(format = DateTime)]
    pub published_at: String,
    /// When it last changed for readers: the later of its last save and its
    /// publication (RFC 3339, Vietnam time). What `updated_since` compares.
    #[schema(format = DateTime)]
    pub updated_at: String,
    pub category: Category,
    /// Its cover picture, or the first picture of its body.
    #[schema(required = true)]
    pub image: Option<Image>,
    /// The article's page on the portal.
    #[schema(format = "uri")]
    pub url: String,
    /// The article in this API.
    #[schema(format = "uri")]
    pub api_url: String,
}

/// A published article in full.
#[derive(Debug, Serialize, ToSchema)]
pub struct Article {
    pub slug: String,
    pub title: String,
    /// The lead paragraph, plain text.
    pub excerpt: String,
    /// The body as sanitised HTML (paragraphs, headings, lists, tables,
    /// figures with captions), addresses of the portal's own pictures and
    /// links made absolute.
    pub body_html: String,
    /// The byline as printed under the article.
    pub author: String,
    /// A short description (the editor's, or else the lead).
    pub description: String,
    pub tags: Vec<String>,
    #[schema(format = DateTime)]
    pub published_at: String,
    /// When it last changed for readers: the later of its last save and its
    /// publication (RFC 3339, Vietnam time).
    #[schema(format = DateTime)]
    pub updated_at: String,
    pub category: Category,
    #[schema(required = true)]
    pub image: Option<Image>,
    #[schema(format = "uri")]
    pub url: String,
    #[schema(format = "uri")]
    pub api_url: String,
}

/// One page of articles.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleList {
    pub items: Vec<ArticleSummary>,
    /// The page returned, 1-based.
    #[schema(minimum = 1)]
    pub page: u64,
    #[schema(minimum = 1, maximum = 100)]
    pub per_page: u64,
    /// How many articles the whole list has.
    pub total: u64,
    /// How many pages the whole list fills (at least 1).
    #[schema(minimum = 1)]
    pub total_pages: u64,
}

/// Every category, in the portal's menu order.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryList {
    pub items: Vec<Category>,
}

/// The parameters of `/api/v1/articles`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArticleListParams {
    /// The page to return, 1-based (default 1).
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000000)]
    page: Option<String>,
    /// Articles per page (default 20, at most 100).
    #[param(value_type = Option<u64>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
    /// Only articles whose `updated_at` is at or after this moment (RFC 3339,
    /// e.g. `2026-12-01T08:00:00+07:00`; in a query string the `+` must be
    /// written `%2B`, though a `+` decoded as a space is accepted). The list
    /// is then sorted by `updated_at`, oldest first, so that a client can
    /// page forward from its last synchronisation; without it, newest
    /// publication first.
    #[param(value_type = Option<String>, format = DateTime)]
    updated_since: Option<String>,
}

/// Reads `updated_since`: RFC 3339, with a `+` that a query string turned
/// into a space put back.
fn parse_since(raw: &str) -> Result<OffsetDateTime, ApiError> {
    let value = raw.trim();
    let value = match value.rfind(' ') {
        // `2026-12-01T08:00:00 07:00`: the offset's `+` came as a space.
        Some(at) if at > 10 => format!("{}+{}", &value[..at], &value[at + 1..]),
        _ => value.to_owned(),
    };
    OffsetDateTime::parse(&value, &Rfc3339)
        .map(|at| at.to_offset(time::UtcOffset::UTC))
        .map_err(|_| {
            ApiError::bad_request(
                "Tham số updated_since phải là thời điểm theo RFC 3339, ví dụ 2026-12-01T08:00:00+07:00.",
            )
        })
}

/// The article's change time (see the module documentation).
fn changed_at(model: &article::Model) -> OffsetDateTime {
    match model.published_at {
        Some(published) if published > model.updated_at => published,
        _ => model.updated_at,
    }
}

impl ApiState {
    fn category(&self, category: &app::model::Category) -> Category {
        Category {
            slug: category.slug.clone(),
            name: category.name.clone(),
            url: self.absolute(&category.path()),
        }
    }

    fn image(&self, image: app::model::Image) -> Image {
        Image {
            url: self.absolute(&image.src),
            alt: image.alt,
            width: image.width,
            height: image.height,
        }
    }

    fn article_api_url(&self, slug: &str) -> String {
        format!("{}/api/v1/articles/{slug}", self.public_url)
    }
}

/// Published articles, newest first; with `updated_since`, those changed
/// since then, oldest change first.
#[utoipa::path(
    get,
    path = "/api/v1/articles",
    operation_id = "list_articles",
    tag = "articles",
    params(ArticleListParams),
    responses(
        (status = 200, description = "One page of published articles.", body = ArticleList,
            headers(
                ("ETag" = String, description = "Weak validator of the body."),
                ("Cache-Control" = String, description = "`public, max-age=60`."),
            )),
        (status = 304, description = "Not modified: `If-None-Match` matched the current `ETag`."),
        (status = 400, description = "A malformed `page`, `per_page` or `updated_since`.", body = ErrorBody),
        (status = 503, description = "The database is unavailable.", body = ErrorBody),
    )
)]
pub async fn list(
    State(api): State<ApiState>,
    headers: HeaderMap,
    query: Result<Query<ArticleListParams>, QueryRejection>,
) -> Answer {
    let Query(params) = query.map_err(bad_query)?;
    let paging = Paging::parse(params.page.as_deref(), params.per_page.as_deref())?;
    let since = params
        .updated_since
        .as_deref()
        .filter(|v| !v.trim().is_empty())
        .map(parse_since)
        .transpose()?;
    let sqlite = api.db.get_database_backend() == DbBackend::Sqlite;
    let mut select = visible(OffsetDateTime::now_utc());
    if let Some(since) = since {
        select = if sqlite {
            select.filter(Expr::cust_with_values(
                format!("{CHANGED_AT_SQLITE} >= julianday(?)"),
                [since],
            ))
        } else {
            select.filter(
                Condition::any()
                    .add(article::Column::UpdatedAt.gte(since))
                    .add(article::Column::PublishedAt.gte(since)),
            )
        };
    }
    let total = select.clone().count(&api.db).await?;
    let select = select.find_also_related(category::Entity);
    let select = if since.is_some() {
        let changed_at = if sqlite {
            CHANGED_AT_SQLITE
        } else {
            CHANGED_AT_POSTGRES
        };
        select
            .order_by(Expr::cust(changed_at), Order::Asc)
            .order_by_asc(article::Column::Id)
    } else {
        select
            .order_by_desc(article::Column::PublishedAt)
            .order_by_desc(article::Column::Id)
    };
    let rows = select
        .offset(paging.offset())
        .limit(paging.per_page)
        .all(&api.db)
        .await?;
    let items = rows
        .into_iter()
        .filter_map(|(model, category)| {
            let updated_at = changed_at(&model);
            let item = summary(model, category?);
            Some(ArticleSummary {
                url: api.absolute(&item.path()),
                api_url: api.article_api_url(&item.slug),
                category: api.category(&item.category),
                image: item.image.map(|image| api.image(image)),
                published_at: rfc3339(item.published_at),
                updated_at: rfc3339(updated_at),
                slug: item.slug,
                title: item.title,
                excerpt: item.excerpt,
            })
        })
        .collect();
    json(
        &headers,
        &ArticleList {
            items,
            page: paging.page,
            per_page: paging.per_page,
            total,
            total_pages: page_count(total, paging.per_page),
        },
    )
}

/// A published article by its slug.
#[utoipa::path(
    get,
    path = "/api/v1/articles/{slug}",
    operation_id = "get_article",
    tag = "articles",
    params(("slug" = String, Path, description = "The article's slug, as in its `url`.")),
    responses(
        (status = 200, description = "The article.", body = Article,
            headers(
                ("ETag" = String, description = "Weak validator of the body."),
                ("Cache-Control" = String, description = "`public, max-age=60`."),
            )),
        (status = 304, description = "Not modified: `If-None-Match` matched the current `ETag`."),
        (status = 404, description = "No published article has this slug.", body = ErrorBody),
        (status = 503, description = "The database is unavailable.", body = ErrorBody),
    )
)]
pub async fn detail(
    State(api): State<ApiState>,
    headers: HeaderMap,
    slug: Result<Path<String>, PathRejection>,
) -> Answer {
    // A slug that is not even UTF-8 names nothing.
    let slug = slug.map(|Path(slug)| slug).unwrap_or_default();
    let not_found = || {
        ApiError::not_found("Không tìm thấy bài viết này. Có thể bài đã được gỡ hoặc đổi địa chỉ.")
    };
    let Some(model) = visible(OffsetDateTime::now_utc())
        .filter(article::Column::Slug.eq(&slug))
        .one(&api.db)
        .await?
    else {
        return Err(not_found());
    };
    // The reader's own rendering (sanitised, responsive pictures), as on the page.
    let Some(found) = api.articles.article_by_slug(&slug).await? else {
        return Err(not_found());
    };
    json(
        &headers,
        &Article {
            body_html: absolute_links(&found.body_html, &api.public_url),
            url: found.canonical_url,
            api_url: api.article_api_url(&found.slug),
            category: api.category(&found.category),
            image: found.image.map(|image| api.image(image)),
            published_at: rfc3339(found.published_at),
            updated_at: rfc3339(changed_at(&model)),
            slug: found.slug,
            title: found.title,
            excerpt: found.excerpt,
            author: found.author,
            description: found.description,
            tags: found.tags,
        },
    )
}

/// Every category, in menu order.
#[utoipa::path(
    get,
    path = "/api/v1/categories",
    operation_id = "list_categories",
    tag = "articles",
    responses(
        (status = 200, description = "The categories.", body = CategoryList,
            headers(
                ("ETag" = String, description = "Weak validator of the body."),
                ("Cache-Control" = String, description = "`public, max-age=60`."),
            )),
        (status = 304, description = "Not modified: `If-None-Match` matched the current `ETag`."),
        (status = 503, description = "The database is unavailable.", body = ErrorBody),
    )
)]
pub async fn categories(State(api): State<ApiState>, headers: HeaderMap) -> Answer {
    let items = api
        .articles
        .categories()
        .await?
        .iter()
        .map(|category| api.category(category))
        .collect();
    json(&headers, &CategoryList { items })
}

/// `html` with the root-relative addresses of `src`, `href` and `srcset`
/// attributes (the portal's own pictures and links) made absolute on `base`.
fn absolute_links(html: &str, base: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some((at, name)) = ["src=\"", "href=\"", "srcset=\""]
        .iter()
        .filter_map(|name| {
            // An attribute: preceded by a space inside a tag.
            rest.find(&format!(" {name}")).map(|at| (at + 1, *name))
        })
        .min_by_key(|(at, _)| *at)
    {
        let value_start = at + name.len();
        out.push_str(&rest[..value_start]);
        rest = &rest[value_start..];
        let end = rest.find('"').unwrap_or(rest.len());
        let value = &rest[..end];
        if name == "srcset=\"" {
            let candidates: Vec<String> = value
                .split(',')
                .map(|candidate| {
                    let candidate = candidate.trim();
                    match candidate.split_once(char::is_whitespace) {
                        Some((url, size)) => format!("{} {}", absolute(base, url), size.trim()),
                        None => absolute(base, candidate),
                    }
                })
                .collect();
            out.push_str(&candidates.join(", "));
        } else {
            out.push_str(&absolute(base, value));
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_pictures_become_absolute() {
        let html = "<p><a href=\"/tin-tuc/a\">a</a> <a href=\"https://b.vn/\">b</a></p>\
            <figure><img src=\"/media/x-480.webp\" srcset=\"/media/x-480.webp 480w, /media/x-960.webp 960w\" alt=\"src=&quot;/\"></figure>\
            <img src=\"//cdn.example/x.png\">";
        assert_eq!(
            absolute_links(html, "https://cchc.vn"),
            "<p><a href=\"https://cchc.vn/tin-tuc/a\">a</a> <a href=\"https://b.vn/\">b</a></p>\
            <figure><img src=\"https://cchc.vn/media/x-480.webp\" srcset=\"https://cchc.vn/media/x-480.webp 480w, https://cchc.vn/media/x-960.webp 960w\" alt=\"src=&quot;/\"></figure>\
            <img src=\"//cdn.example/x.png\">"
        );
        assert_eq!(absolute_links("<p>x</p>", "https://a"), "<p>x</p>");
    }

    #[test]
    fn updated_since_is_rfc3339_with_a_forgiven_plus() {
        let expected = time::macros::datetime!(2026-12-01 01:00:00 UTC);
        for raw in [
            "2026-12-01T08:00:00+07:00",
            "2026-12-01T08:00:00 07:00",
            "2026-12-01T01:00:00Z",
            " 2026-12-01T01:00:00.000Z ",
        ] {
            assert_eq!(parse_since(raw).unwrap(), expected, "{raw}");
        }
        for raw in [
            "2026-12-01",
            "hôm qua",
            "2026-13-01T00:00:00Z",
            "1733000000",
        ] {
            assert!(parse_since(raw).is_err(), "{raw}");
        }
    }
}
