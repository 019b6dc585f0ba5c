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
}
