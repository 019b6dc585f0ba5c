//! Published content, read through SeaORM.

use app::model::{Article, ArticleSummary, Paged};
use app::ssr::{ContentStore, StoreError};
use async_trait::async_trait;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use time::OffsetDateTime;

use super::entities::{article, category};

/// The SeaORM implementation of [`ContentStore`].
#[derive(Clone)]
pub struct SeaContentStore {
    db: DatabaseConnection,
}

impl SeaContentStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
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

fn summary(model: article::Model, category: category::Model) -> ArticleSummary {
    ArticleSummary {
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
        let now = OffsetDateTime::now_utc();
        let page = page.max(1);
        let total = visible(now).count(&self.db).await.map_err(store_error)?;
        let rows = visible(now)
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

    async fn article_by_slug(&self, slug: &str) -> Result<Option<Article>, StoreError> {
        let found = visible(OffsetDateTime::now_utc())
            .filter(article::Column::Slug.eq(slug))
            .find_also_related(category::Entity)
            .one(&self.db)
            .await
            .map_err(store_error)?;
        Ok(found.and_then(|(model, category)| {
            Some(Article {
                published_at: model.published_at.unwrap_or(model.created_at),
                slug: model.slug,
                title: model.title,
                excerpt: model.excerpt,
                body_html: model.body_html,
                author: model.author,
                category: category?.into(),
            })
        }))
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
