//! The SeaORM implementation of [`Editorial`]: the editors' view of
//! articles, on top of the one write path ([`super::write`]).

use std::collections::HashMap;
use std::sync::Arc;

use app::model::Article;
use app::model::accounts::{CurrentUser, Role};
use app::model::editorial::{
    ArticleDraft, ArticleFilter, ArticleStatus, EditorArticle, EditorArticleSummary,
    RevisionSummary, SavedVersion, Transition, TransitionRecord,
};
use app::ssr::{Editorial, StoreError};
use async_trait::async_trait;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use time::OffsetDateTime;

use super::read::store_error;
use super::write::{
    Actor, SaveKind, Saved, create_article, schedule_publication, schedule_unpublication,
    transition_article, update_article,
};
use crate::changes::PublicChanges;
use crate::db::entities::{
    app_user, article, article_editor, article_revision, article_transition, category,
};
use crate::scheduler::Scheduler;

/// The most articles the editors' list shows at once.
pub const LIST_LIMIT: u64 = 200;

#[derive(Clone)]
pub struct EditorialStore {
    db: DatabaseConnection,
    /// The public origin, for the address an article will have.
    public_url: String,
    /// Told when a save changes what readers see.
    changes: Arc<PublicChanges>,
    /// The portal's clock, and woken when the schedule changes.
    scheduler: Arc<Scheduler>,
}

impl EditorialStore {
    pub fn new(
        db: DatabaseConnection,
        public_url: impl Into<String>,
        changes: Arc<PublicChanges>,
        scheduler: Arc<Scheduler>,
    ) -> Self {
        Self {
            db,
            public_url: public_url.into(),
            changes,
            scheduler,
        }
    }

    fn now(&self) -> OffsetDateTime {
        self.scheduler.now()
    }

    /// Tells this server's page cache and readers' streams when the save
    /// changed public pages, before the editor hears it is done.
    async fn finish(&self, saved: Result<Saved, StoreError>) -> Result<SavedVersion, StoreError> {
        let saved = saved?;
        if saved.public_change {
            self.changes.changed().await;
        }
        Ok(version(saved))
    }

    /// The article, if `user` may see it: authors their own, editors all.
    async fn visible_to(&self, user: &CurrentUser, id: i32) -> Result<article::Model, StoreError> {
        let model = article::Entity::find_by_id(id)
            .one(&self.db)
            .await
            .map_err(store_error)?
            .ok_or(StoreError::NotFound)?;
        if user.role == Role::Author && model.created_by != Some(user.id) {
            return Err(StoreError::Forbidden);
        }
        Ok(model)
    }

    async fn names(&self, ids: Vec<i32>) -> Result<HashMap<i32, String>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        Ok(app_user::Entity::find()
            .filter(app_user::Column::Id.is_in(ids))
            .all(&self.db)
            .await
            .map_err(store_error)?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect())
    }
}

fn actor(user: &CurrentUser) -> Actor {
    Actor::User {
        id: user.id,
        role: user.role,
    }
}

fn version(saved: Saved) -> SavedVersion {
    SavedVersion {
        id: saved.id,
        version: saved.version,
        slug: saved.slug,
        status: saved.status,
    }
}

fn status(stored: &str) -> ArticleStatus {
    ArticleStatus::parse(stored).unwrap_or(ArticleStatus::Draft)
}

fn draft_of(model: &article::Model) -> ArticleDraft {
    ArticleDraft {
        title: model.title.clone(),
        excerpt: model.excerpt.clone(),
        body_html: model.body_html.clone(),
        author: model.author.clone(),
        category_id: model.category_id,
        slug: model.slug.clone(),
        seo_description: model.seo_description.clone(),
        tags: super::write::tags_of(&model.tags),
        featured: model.featured,
        in_headlines: model.in_headlines,
        cover_image: model.cover_image.clone(),
        cover_alt: model.cover_alt.clone(),
    }
}

#[async_trait]
impl Editorial for EditorialStore {
    async fn create_draft(
        &self,
        user: &CurrentUser,
        draft: ArticleDraft,
    ) -> Result<SavedVersion, StoreError> {
        let saved = create_article(
            &self.db,
            actor(user),
            draft,
            ArticleStatus::Draft,
            None,
            SaveKind::Save,
            self.now(),
        )
        .await;
        self.finish(saved).await
    }

    async fn save(
        &self,
        user: &CurrentUser,
        id: i32,
        base_version: i64,
        draft: ArticleDraft,
        autosave: bool,
    ) -> Result<SavedVersion, StoreError> {
        let kind = if autosave {
            SaveKind::Autosave
        } else {
            SaveKind::Save
        };
        let saved = update_article(
            &self.db,
            actor(user),
            id,
            base_version,
            draft,
            kind,
            self.now(),
        )
        .await;
        self.finish(saved).await
    }

    async fn transition(
        &self,
        user: &CurrentUser,
        id: i32,
        step: Transition,
        comment: String,
    ) -> Result<SavedVersion, StoreError> {
        let saved = transition_article(&self.db, actor(user), id, step, &comment, self.now()).await;
        self.finish(saved).await
    }

    async fn article(&self, user: &CurrentUser, id: i32) -> Result<EditorArticle, StoreError> {
        let model = self.visible_to(user, id).await?;
        let steps = article_transition::Entity::find()
            .filter(article_transition::Column::ArticleId.eq(id))
            .order_by_asc(article_transition::Column::Id)
            .all(&self.db)
            .await
            .map_err(store_error)?;
        let names = self
            .names(steps.iter().filter_map(|s| s.user_id).collect())
            .await?;
        let history = steps
            .into_iter()
            .map(|step| TransitionRecord {
                from: status(&step.from_status),
                to: status(&step.to_status),
                by: step.user_id.and_then(|id| names.get(&id).cloned()),
                comment: step.comment,
                at: step.created_at,
            })
            .collect();
        Ok(EditorArticle {
            id: model.id,
            version: model.version,
            status: status(&model.status),
            slug: model.slug.clone(),
            draft: draft_of(&model),
            created_by: model.created_by,
            published_at: model.published_at,
            updated_at: model.updated_at,
            publish_at: model.publish_at,
            unpublish_at: model.unpublish_at,
            history,
        })
    }

    async fn preview(&self, user: &CurrentUser, id: i32) -> Result<Article, StoreError> {
        let model = self.visible_to(user, id).await?;
        let category = category::Entity::find_by_id(model.category_id)
            .one(&self.db)
            .await
            .map_err(store_error)?
            .ok_or(StoreError::NotFound)?;
        let body_html =
            crate::media::responsive_body(&self.db, super::sanitize::sanitize(&model.body_html))
                .await?;
        Ok(Article {
            canonical_url: format!(
                "{}{}",
                self.public_url,
                app::model::article_path(&model.slug)
            ),
            image: None,
            description: if model.seo_description.is_empty() {
                model.excerpt.clone()
            } else {
                model.seo_description.clone()
            },
            tags: super::write::tags_of(&model.tags),
            published_at: model.published_at.unwrap_or(model.updated_at),
            slug: model.slug,
            title: model.title,
            excerpt: model.excerpt,
            body_html,
            author: model.author,
            category: category.into(),
        })
    }

    async fn list(
        &self,
        user: &CurrentUser,
        filter: ArticleFilter,
    ) -> Result<Vec<EditorArticleSummary>, StoreError> {
        let mut query = article::Entity::find().find_also_related(category::Entity);
        if user.role == Role::Author {
            query = query.filter(article::Column::CreatedBy.eq(user.id));
        } else if let Some(by) = filter.created_by {
            query = query.filter(article::Column::CreatedBy.eq(by));
        }
        if let Some(wanted) = filter.status {
            query = query.filter(article::Column::Status.eq(wanted.as_str()));
        }
        if let Some(category_id) = filter.category_id {
            query = query.filter(article::Column::CategoryId.eq(category_id));
        }
        if !filter.query.trim().is_empty() {
            let ids =
                crate::search::store::matching_article_ids(&self.db, &filter.query, 1_000).await?;
            query = query.filter(article::Column::Id.is_in(ids));
        }
        // The scheduled list reads in the order things will happen.
        query = if filter.status == Some(ArticleStatus::Scheduled) {
            query.order_by_asc(article::Column::PublishAt)
        } else {
            query.order_by_desc(article::Column::UpdatedAt)
        };
        Ok(query
            .order_by_desc(article::Column::Id)
            .limit(LIST_LIMIT)
            .all(&self.db)
            .await
            .map_err(store_error)?
            .into_iter()
            .map(|(model, category)| EditorArticleSummary {
                id: model.id,
                status: status(&model.status),
                category: category.map(|c| c.name).unwrap_or_default(),
                author: model.author,
                created_by: model.created_by,
                updated_at: model.updated_at,
                publish_at: model.publish_at,
                unpublish_at: model.unpublish_at,
                title: model.title,
            })
            .collect())
    }

    async fn editing(&self, user: &CurrentUser, id: i32) -> Result<Vec<String>, StoreError> {
        use sea_orm::sea_query::OnConflict;
        self.visible_to(user, id).await?;
        let now = self.now();
        article_editor::Entity::insert(article_editor::ActiveModel {
            article_id: sea_orm::ActiveValue::Set(id),
            user_id: sea_orm::ActiveValue::Set(user.id),
            seen_at: sea_orm::ActiveValue::Set(now),
        })
        .on_conflict(
            OnConflict::columns([
                article_editor::Column::ArticleId,
                article_editor::Column::UserId,
            ])
            .update_column(article_editor::Column::SeenAt)
            .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await
        .map_err(store_error)?;
        let since = now - time::Duration::seconds(app::ssr::editorial::EDITING_WINDOW_SECS);
        let others: Vec<i32> = article_editor::Entity::find()
            .filter(article_editor::Column::ArticleId.eq(id))
            .filter(article_editor::Column::UserId.ne(user.id))
            .filter(article_editor::Column::SeenAt.gt(since))
            .all(&self.db)
            .await
            .map_err(store_error)?
            .into_iter()
            .map(|e| e.user_id)
            .collect();
        let mut names: Vec<String> = self.names(others).await?.into_values().collect();
        names.sort();
        Ok(names)
    }

    async fn delete_draft(&self, user: &CurrentUser, id: i32) -> Result<(), StoreError> {
        self.visible_to(user, id).await?;
        super::write::delete_draft(&self.db, actor(user), id).await
    }

    async fn schedule(
        &self,
        user: &CurrentUser,
        id: i32,
        at: OffsetDateTime,
    ) -> Result<SavedVersion, StoreError> {
        self.visible_to(user, id).await?;
        let saved = schedule_publication(&self.db, actor(user), id, at, self.now()).await;
        self.scheduler.wake();
        self.finish(saved).await
    }

    async fn schedule_unpublish(
        &self,
        user: &CurrentUser,
        id: i32,
        at: Option<OffsetDateTime>,
    ) -> Result<SavedVersion, StoreError> {
        self.visible_to(user, id).await?;
        let saved = schedule_unpublication(&self.db, actor(user), id, at, self.now()).await;
        self.scheduler.wake();
        self.finish(saved).await
    }

    async fn revisions(
        &self,
        user: &CurrentUser,
        id: i32,
    ) -> Result<Vec<RevisionSummary>, StoreError> {
        self.visible_to(user, id).await?;
        let rows = article_revision::Entity::find()
            .filter(article_revision::Column::ArticleId.eq(id))
            .order_by_desc(article_revision::Column::Id)
            .all(&self.db)
            .await
            .map_err(store_error)?;
        let names = self
            .names(rows.iter().filter_map(|r| r.saved_by).collect())
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| RevisionSummary {
                id: row.id,
                version: row.version,
                note: row.note,
                saved_by: row.saved_by.and_then(|id| names.get(&id).cloned()),
                at: row.created_at,
            })
            .collect())
    }

    async fn revision(
        &self,
        user: &CurrentUser,
        id: i32,
        revision_id: i32,
    ) -> Result<ArticleDraft, StoreError> {
        let model = self.visible_to(user, id).await?;
        let row = article_revision::Entity::find_by_id(revision_id)
            .filter(article_revision::Column::ArticleId.eq(id))
            .one(&self.db)
            .await
            .map_err(store_error)?
            .ok_or(StoreError::NotFound)?;
        // A revision keeps the text; the rest is today's.
        Ok(ArticleDraft {
            title: row.title,
            excerpt: row.excerpt,
            body_html: row.body_html,
            category_id: row.category_id,
            slug: row.slug,
            ..draft_of(&model)
        })
    }

    async fn restore(
        &self,
        user: &CurrentUser,
        id: i32,
        revision_id: i32,
        base_version: i64,
    ) -> Result<SavedVersion, StoreError> {
        let old = self.revision(user, id, revision_id).await?;
        let saved = update_article(
            &self.db,
            actor(user),
            id,
            base_version,
            old,
            SaveKind::Restore,
            self.now(),
        )
        .await;
        self.finish(saved).await
    }
}
