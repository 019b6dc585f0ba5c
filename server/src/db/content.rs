//! Published content, read through SeaORM.

use app::model::{Article, ArticleSummary, Category, Paged, SearchHit};
use app::ssr::{ContentStore, StoreError};
use async_trait::async_trait;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, Statement,
};
use time::OffsetDateTime;

use super::entities::{article, category};

/// The SeaORM implementation of [`ContentStore`].
#[derive(Clone)]
pub struct SeaContentStore {
    db: DatabaseConnection,
    /// The public origin, for absolute article addresses.
    public_url: String,
}

impl SeaContentStore {
    pub fn new(db: DatabaseConnection, public_url: impl Into<String>) -> Self {
        Self {
            db,
            public_url: public_url.into(),
        }
    }

    async fn page_of(
        &self,
        query: Select<article::Entity>,
        page: u64,
        per_page: u64,
    ) -> Result<Paged<ArticleSummary>, StoreError> {
        let page = page.max(1);
        let total = query.clone().count(&self.db).await.map_err(store_error)?;
        let rows = query
            .find_also_related(category::Entity)
            .order_by_desc(article::Column::PublishedAt)
            .order_by_desc(article::Column::Id)
            .offset((page - 1).saturating_mul(per_page))
            .limit(per_page)
            .all(&self.db)
            .await
            .map_err(store_error)?;
        let items = rows
            .into_iter()
            .filter_map(|(article, category)| Some(summary(article, category?)))
            .collect();
        Ok(Paged {
            items,
            page,
            per_page,
            total,
        })
    }
}

/// The HTML that article bodies may contain: an allow-list, applied on the
/// way out so that nothing in the database reaches a reader unsanitised.
fn sanitize(html: &str) -> String {
    static POLICY: std::sync::LazyLock<ammonia::Builder<'static>> =
        std::sync::LazyLock::new(|| {
            let mut builder = ammonia::Builder::default();
            builder
                .add_tags(["figure", "figcaption"])
                .add_tag_attributes("img", ["width", "height", "loading"])
                .add_tag_attributes("td", ["colspan", "rowspan"])
                .add_tag_attributes("th", ["colspan", "rowspan", "scope"])
                .link_rel(Some("noopener"));
            builder
        });
    POLICY.clean(html).to_string()
}

fn store_error(err: sea_orm::DbErr) -> StoreError {
    StoreError(err.to_string())
}

/// Articles a reader may see now: published, with a publish time that has come.
fn visible(now: OffsetDateTime) -> Select<article::Entity> {
    article::Entity::find()
        .filter(article::Column::Status.eq(article::STATUS_PUBLISHED))
        .filter(article::Column::PublishedAt.lte(now))
}

/// The value of `name="…"` in an HTML tag, entity-escaped as the sanitiser writes it.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = start + tag[start..].find('"')?;
    Some(
        tag[start..end]
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// The first image of an article body.
fn first_image(body_html: &str) -> Option<app::model::Image> {
    let start = body_html.find("<img ")?;
    let tag = &body_html[start..start + body_html[start..].find('>')?];
    let src = attribute(tag, "src")?;
    // Only images served by the portal itself, never an injected address.
    if !src.starts_with('/') || src.starts_with("//") {
        return None;
    }
    let size = |name| attribute(tag, name).and_then(|v| v.trim().parse::<u32>().ok());
    Some(app::model::Image {
        src,
        alt: attribute(tag, "alt").unwrap_or_default(),
        width: size("width"),
        height: size("height"),
    })
}

fn summary(model: article::Model, category: category::Model) -> ArticleSummary {
    ArticleSummary {
        image: first_image(&model.body_html),
        published_at: model.published_at.unwrap_or(model.created_at),
        slug: model.slug,
        title: model.title,
        excerpt: model.excerpt,
        category: category.into(),
    }
}

#[async_trait]
impl ContentStore for SeaContentStore {
    async fn latest_articles(
        &self,
        page: u64,
        per_page: u64,
    ) -> Result<Paged<ArticleSummary>, StoreError> {
        self.page_of(visible(OffsetDateTime::now_utc()), page, per_page)
            .await
    }

    async fn categories(&self) -> Result<Vec<Category>, StoreError> {
        Ok(category::Entity::find()
            .order_by_asc(category::Column::Position)
            .order_by_asc(category::Column::Id)
            .all(&self.db)
            .await
            .map_err(store_error)?
            .into_iter()
            .map(Category::from)
            .collect())
    }

    async fn category_by_slug(&self, slug: &str) -> Result<Option<Category>, StoreError> {
        Ok(category::Entity::find()
            .filter(category::Column::Slug.eq(slug))
            .one(&self.db)
            .await
            .map_err(store_error)?
            .map(Category::from))
    }

    async fn category_articles(
        &self,
        slug: &str,
        page: u64,
        per_page: u64,
    ) -> Result<Paged<ArticleSummary>, StoreError> {
        let Some(category) = category::Entity::find()
            .filter(category::Column::Slug.eq(slug))
            .one(&self.db)
            .await
            .map_err(store_error)?
        else {
            return Ok(Paged {
                items: Vec::new(),
                page: page.max(1),
                per_page,
                total: 0,
            });
        };
        let query =
            visible(OffsetDateTime::now_utc()).filter(article::Column::CategoryId.eq(category.id));
        self.page_of(query, page, per_page).await
    }

    async fn related_articles(
        &self,
        slug: &str,
        limit: u64,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        let now = OffsetDateTime::now_utc();
        let Some(current) = visible(now)
            .filter(article::Column::Slug.eq(slug))
            .one(&self.db)
            .await
            .map_err(store_error)?
        else {
            return Ok(Vec::new());
        };
        let query = visible(now)
            .filter(article::Column::CategoryId.eq(current.category_id))
            .filter(article::Column::Id.ne(current.id));
        Ok(self.page_of(query, 1, limit).await?.items)
    }

    async fn article_by_slug(&self, slug: &str) -> Result<Option<Article>, StoreError> {
        let found = visible(OffsetDateTime::now_utc())
            .filter(article::Column::Slug.eq(slug))
            .find_also_related(category::Entity)
            .one(&self.db)
            .await
            .map_err(store_error)?;
        Ok(found.and_then(|(model, category)| {
            let body_html = sanitize(&model.body_html);
            // Link previews need an absolute address.
            let image = first_image(&body_html).map(|image| app::model::Image {
                src: format!("{}{}", self.public_url, image.src),
                ..image
            });
            Some(Article {
                canonical_url: format!(
                    "{}{}",
                    self.public_url,
                    app::model::article_path(&model.slug)
                ),
                image,
                published_at: model.published_at.unwrap_or(model.created_at),
                slug: model.slug,
                title: model.title,
                excerpt: model.excerpt,
                body_html,
                author: model.author,
                category: category?.into(),
            })
        }))
    }

    async fn search(
        &self,
        query: &str,
        page: u64,
        per_page: u64,
    ) -> Result<Paged<SearchHit>, StoreError> {
        // Counting stops past SEARCH_COUNT_CAP: "more than 1,000" is all a
        // reader needs, and counting 90,000 matches costs as much as ranking.
        debug_assert_eq!(app::api::search::SEARCH_COUNT_CAP, 1000);
        let page = page
            .max(1)
            .min(app::api::search::SEARCH_COUNT_CAP.div_ceil(per_page.max(1)));
        let tokens = crate::search::tokens(query);
        if tokens.is_empty() {
            return Ok(Paged {
                items: Vec::new(),
                page,
                per_page,
                total: 0,
            });
        }
        let now = OffsetDateTime::now_utc();
        let backend = self.db.get_database_backend();
        let offset = (page - 1).saturating_mul(per_page);
        let (count_sql, rank_sql, expression) = match backend {
            DatabaseBackend::Postgres => (
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM article a \
                 WHERE a.search_vector @@ to_tsquery('simple', $1) \
                 AND a.status = $2 AND a.published_at <= $3 LIMIT 1001) AS capped",
                "SELECT a.id AS id FROM article a, to_tsquery('simple', $1) q \
                 WHERE a.search_vector @@ q AND a.status = $2 AND a.published_at <= $3 \
                 ORDER BY ts_rank(a.search_vector, q) DESC, a.published_at DESC, a.id DESC \
                 LIMIT $4 OFFSET $5",
                tokens.join(" & "),
            ),
            _ => (
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM article_fts CROSS JOIN article a \
                 ON a.id = article_fts.rowid WHERE article_fts MATCH ? AND a.status = ? \
                 AND a.published_at <= ? LIMIT 1001)",
                "SELECT a.id AS id FROM article_fts CROSS JOIN article a ON a.id = article_fts.rowid \
                 WHERE article_fts MATCH ? AND a.status = ? AND a.published_at <= ? \
                 ORDER BY bm25(article_fts, 5.0, 1.0), a.published_at DESC, a.id DESC LIMIT ? OFFSET ?",
                // CROSS JOIN keeps the full-text index as the outer loop; a
                // plain JOIN lets SQLite probe the index once per article.
                // Each word quoted: FTS5 sees terms, never operators.
                tokens
                    .iter()
                    .map(|t| format!("\"{t}\""))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        };
        let filter: Vec<sea_orm::Value> = vec![
            expression.into(),
            article::STATUS_PUBLISHED.into(),
            now.into(),
        ];
        let total = self
            .db
            .query_one_raw(Statement::from_sql_and_values(
                backend,
                count_sql,
                filter.clone(),
            ))
            .await
            .map_err(store_error)?
            .map(|row| row.try_get::<i64>("", "n"))
            .transpose()
            .map_err(store_error)?
            .unwrap_or(0)
            .max(0) as u64;
        let mut values = filter;
        values.push((per_page as i64).into());
        values.push((offset as i64).into());
        let ids: Vec<i32> = self
            .db
            .query_all_raw(Statement::from_sql_and_values(backend, rank_sql, values))
            .await
            .map_err(store_error)?
            .into_iter()
            .map(|row| row.try_get::<i32>("", "id"))
            .collect::<Result<_, _>>()
            .map_err(store_error)?;
        let rows = article::Entity::find()
            .filter(article::Column::Id.is_in(ids.clone()))
            .find_also_related(category::Entity)
            .all(&self.db)
            .await
            .map_err(store_error)?;
        let mut by_id: std::collections::HashMap<i32, (article::Model, category::Model)> = rows
            .into_iter()
            .filter_map(|(article, category)| Some((article.id, (article, category?))))
            .collect();
        let items = ids
            .into_iter()
            .filter_map(|id| by_id.remove(&id))
            .map(|(article, category)| {
                let text = crate::search::html_to_text(&sanitize(&article.body_html));
                SearchHit {
                    snippet: crate::search::snippet(&text, &tokens, 240),
                    article: summary(article, category),
                }
            })
            .collect();
        Ok(Paged {
            items,
            page,
            per_page,
            total,
        })
    }

    async fn site_identity(&self) -> Result<app::site::SiteIdentity, StoreError> {
        super::settings::identity(&self.db)
            .await
            .map_err(store_error)
    }

    async fn most_read(&self, days: u32, limit: u64) -> Result<Vec<ArticleSummary>, StoreError> {
        let now = OffsetDateTime::now_utc();
        let from = crate::counter::calendar::vn_day(now)
            - time::Duration::days(i64::from(days.max(1)) - 1);
        // Ask for a few more than needed: some may have been unpublished since.
        let ranked = crate::counter::store::most_viewed_article_ids(&self.db, from, limit * 2)
            .await
            .map_err(store_error)?;
        if ranked.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i32> = ranked.iter().map(|(id, _)| *id).collect();
        let rows = visible(now)
            .filter(article::Column::Id.is_in(ids))
            .find_also_related(category::Entity)
            .all(&self.db)
            .await
            .map_err(store_error)?;
        let mut by_id: std::collections::HashMap<i32, ArticleSummary> = rows
            .into_iter()
            .filter_map(|(article, category)| Some((article.id, summary(article, category?))))
            .collect();
        Ok(ranked
            .into_iter()
            .filter_map(|(id, _)| by_id.remove(&id))
            .take(limit as usize)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::first_image;

    #[test]
    fn finds_the_first_local_image() {
        let image = first_image("<p>x</p><figure><img src=\"/demo/a.svg\" alt=\"Toàn &amp; cảnh\" width=\"800\" height=\"450\"></figure><img src=\"/b.svg\">").unwrap();
        assert_eq!(
            (image.src.as_str(), image.alt.as_str()),
            ("/demo/a.svg", "Toàn & cảnh")
        );
        assert_eq!((image.width, image.height), (Some(800), Some(450)));
        let unsized_image = first_image("<img src=\"/c.svg\" alt=\"\" width=\"wide\">").unwrap();
        assert_eq!((unsized_image.width, unsized_image.height), (None, None));
        assert!(first_image("<img src=\"https://elsewhere.example/x.png\">").is_none());
        assert!(first_image("<p>no image</p>").is_none());
    }
}
