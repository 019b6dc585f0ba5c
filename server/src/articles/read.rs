//! Reading published articles through SeaORM.

use app::model::{Article, ArticleSummary, Category, Paged};
use app::ssr::{ArticleReader, StoreError};
use async_trait::async_trait;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sea_orm::ConnectionTrait;
use time::OffsetDateTime;

use super::sanitize::sanitize;
use crate::db::entities::{article, category};
use crate::page_cache::PageCache;

/// The SeaORM implementation of [`ArticleReader`].
#[derive(Clone)]
pub struct ArticleStore {
    db: DatabaseConnection,
    /// The public origin, for absolute article addresses.
    public_url: String,
    /// List sizes (for pagination) by list, kept while public content has
    /// not changed: counting 100,000 articles on every page would cost more
    /// than the rest of the page.
    counts: Option<Arc<CountCache>>,
}

/// Counts of published articles per list, valid for one generation of the
/// page cache (which every public change bumps, on every server).
pub struct CountCache {
    changes: Arc<PageCache>,
    counts: Mutex<HashMap<String, (u64, u64)>>,
}

impl CountCache {
    pub fn new(changes: Arc<PageCache>) -> Arc<Self> {
        Arc::new(Self {
            changes,
            counts: Mutex::new(HashMap::new()),
        })
    }
}

impl ArticleStore {
    pub fn new(db: DatabaseConnection, public_url: impl Into<String>) -> Self {
        Self {
            db,
            public_url: public_url.into(),
            counts: None,
        }
    }

    /// Keeps list sizes until public content changes (see [`CountCache`]).
    pub fn with_count_cache(mut self, counts: Arc<CountCache>) -> Self {
        self.counts = Some(counts);
        self
    }

    /// How many articles `query` finds; `list` names the list for the cache.
    async fn count(&self, list: &str, query: Select<article::Entity>) -> Result<u64, StoreError> {
        // Read before counting: a change during the count makes the entry stale.
        let generation = self
            .counts
            .as_ref()
            .and_then(|c| c.changes.trusted().then(|| c.changes.generation()));
        if let (Some(cache), Some(generation)) = (&self.counts, generation)
            && let Some((at, count)) = cache.counts.lock().ok().and_then(|m| m.get(list).copied())
            && at == generation
        {
            return Ok(count);
        }
        let count = query.count(&self.db).await.map_err(store_error)?;
        if let (Some(cache), Some(generation)) = (&self.counts, generation)
            && let Ok(mut counts) = cache.counts.lock()
        {
            if counts.len() > 1_000 {
                counts.clear();
            }
            counts.insert(list.to_owned(), (generation, count));
        }
        Ok(count)
    }

    /// The first `limit` articles `query` finds, newest first, without
    /// counting them.
    async fn first_of(
        &self,
        query: Select<article::Entity>,
        limit: u64,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        Ok(query
            .find_also_related(category::Entity)
            .order_by_desc(article::Column::PublishedAt)
            .order_by_desc(article::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await
            .map_err(store_error)?
            .into_iter()
            .filter_map(|(article, category)| Some(summary(article, category?)))
            .collect())
    }

    async fn page_of(
        &self,
        list: &str,
        query: Select<article::Entity>,
        page: u64,
        per_page: u64,
    ) -> Result<Paged<ArticleSummary>, StoreError> {
        // Callers clamp too; this is where an unbounded page would reach the SQL driver.
        let page = app::model::clamp_page(page);
        let total = self.count(list, query.clone()).await?;
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

pub(crate) fn store_error(err: sea_orm::DbErr) -> StoreError {
    StoreError::storage(err)
}

/// Articles a reader may see now: published, with a publish time that has come.
pub(crate) fn visible(now: OffsetDateTime) -> Select<article::Entity> {
    article::Entity::find()
        .filter(article::Column::Status.eq(article::STATUS_PUBLISHED))
        .filter(article::Column::PublishedAt.lte(now))
}

/// What [`visible`] selects, for a row already read: published, with a
/// publish time that has come.
pub(crate) fn is_visible(model: &article::Model, now: OffsetDateTime) -> bool {
    model.status == article::STATUS_PUBLISHED && model.published_at.is_some_and(|at| at <= now)
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

/// The article's picture: its cover, or else the first image of its body.
pub(crate) fn picture(model: &article::Model) -> Option<app::model::Image> {
    if model.cover_image.starts_with('/') && !model.cover_image.starts_with("//") {
        return Some(app::model::Image {
            src: model.cover_image.clone(),
            alt: model.cover_alt.clone(),
            width: None,
            height: None,
        });
    }
    first_image(&model.body_html)
}

pub(crate) fn summary(model: article::Model, category: category::Model) -> ArticleSummary {
    ArticleSummary {
        image: picture(&model),
        published_at: model.published_at.unwrap_or(model.created_at),
        slug: model.slug,
        title: model.title,
        excerpt: model.excerpt,
        category: category.into(),
    }
}

#[async_trait]
impl ArticleReader for ArticleStore {
    async fn latest_articles(
        &self,
        page: u64,
        per_page: u64,
    ) -> Result<Paged<ArticleSummary>, StoreError> {
        self.page_of("latest", visible(OffsetDateTime::now_utc()), page, per_page)
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
                page: app::model::clamp_page(page),
                per_page,
                total: 0,
            });
        };
        let query =
            visible(OffsetDateTime::now_utc()).filter(article::Column::CategoryId.eq(category.id));
        self.page_of(&format!("category:{}", category.id), query, page, per_page)
            .await
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
        self.first_of(query, limit).await
    }

    async fn article_by_slug(&self, slug: &str) -> Result<Option<Article>, StoreError> {
        let found = visible(OffsetDateTime::now_utc())
            .filter(article::Column::Slug.eq(slug))
            .find_also_related(category::Entity)
            .one(&self.db)
            .await
            .map_err(store_error)?;
        let body_html = match &found {
            Some((model, _)) => {
                crate::media::responsive_body(&self.db, sanitize(&model.body_html)).await?
            }
            None => String::new(),
        };
        Ok(found.and_then(|(model, category)| {
            // Link previews need an absolute address.
            let image = picture(&model).map(|image| app::model::Image {
                src: format!("{}{}", self.public_url, image.src),
                ..image
            });
            let description = if model.seo_description.is_empty() {
                model.excerpt.clone()
            } else {
                model.seo_description.clone()
            };
            Some(Article {
                description,
                tags: super::write::tags_of(&model.tags),
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

    async fn featured_article(&self) -> Result<Option<ArticleSummary>, StoreError> {
        Ok(visible(OffsetDateTime::now_utc())
            .filter(article::Column::Featured.eq(true))
            .find_also_related(category::Entity)
            .order_by_desc(article::Column::PublishedAt)
            .order_by_desc(article::Column::Id)
            .one(&self.db)
            .await
            .map_err(store_error)?
            .and_then(|(model, category)| Some(summary(model, category?))))
    }

    async fn headlines(&self, limit: u64) -> Result<Vec<ArticleSummary>, StoreError> {
        let query =
            visible(OffsetDateTime::now_utc()).filter(article::Column::InHeadlines.eq(true));
        self.first_of(query, limit).await
    }

    async fn category_heads(
        &self,
        per_category: u64,
    ) -> Result<Vec<(Category, Vec<ArticleSummary>)>, StoreError> {
        let categories = self.categories().await?;
        if categories.is_empty() {
            return Ok(Vec::new());
        }
        // One statement: each category's newest, each part an index range
        // scan (`idx_article_category_status_published_at`).
        let backend = self.db.get_database_backend();
        let now = OffsetDateTime::now_utc();
        let mut sql = String::new();
        let mut values: Vec<sea_orm::Value> = Vec::new();
        for (n, category) in categories.iter().enumerate() {
            if n > 0 {
                sql.push_str(" UNION ALL ");
            }
            let param = |i: usize| match backend {
                sea_orm::DbBackend::Postgres => format!("${i}"),
                _ => "?".to_owned(),
            };
            let base = values.len();
            sql.push_str(&format!(
                "SELECT id FROM (SELECT id FROM article WHERE category_id = {} AND status = {} \
                 AND published_at <= {} ORDER BY published_at DESC, id DESC LIMIT {}) AS c{n}",
                param(base + 1),
                param(base + 2),
                param(base + 3),
                param(base + 4),
            ));
            values.push(category.id.into());
            values.push(article::STATUS_PUBLISHED.into());
            values.push(now.into());
            values.push((per_category as i64).into());
        }
        let ids: Vec<i32> = self
            .db
            .query_all_raw(sea_orm::Statement::from_sql_and_values(
                backend, sql, values,
            ))
            .await
            .map_err(store_error)?
            .into_iter()
            .filter_map(|row| row.try_get::<i32>("", "id").ok())
            .collect();
        let mut by_category: HashMap<i32, Vec<ArticleSummary>> = HashMap::new();
        if !ids.is_empty() {
            let mut rows = article::Entity::find()
                .filter(article::Column::Id.is_in(ids))
                .find_also_related(category::Entity)
                .all(&self.db)
                .await
                .map_err(store_error)?;
            rows.sort_by_key(|(a, _)| std::cmp::Reverse((a.published_at, a.id)));
            for (model, category) in rows {
                if let Some(category) = category {
                    let id = category.id;
                    by_category
                        .entry(id)
                        .or_default()
                        .push(summary(model, category));
                }
            }
        }
        Ok(categories
            .into_iter()
            .filter_map(|category| {
                let items = by_category.remove(&category.id)?;
                Some((category, items))
            })
            .collect())
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
        // By primary key only, visibility checked here: with the visibility
        // filter in SQL, SQLite chose the (status, published_at) index and
        // read every published article to find these few (46 ms at 100,000).
        let rows = article::Entity::find()
            .filter(article::Column::Id.is_in(ids))
            .find_also_related(category::Entity)
            .all(&self.db)
            .await
            .map_err(store_error)?;
        let mut by_id: std::collections::HashMap<i32, ArticleSummary> = rows
            .into_iter()
            .filter(|(article, _)| is_visible(article, now))
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
