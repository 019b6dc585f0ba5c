//! Full-text search in the database: SQLite FTS5 or a PostgreSQL tsvector
//! (see the migration `m20261129_000003_article_search`).

use app::model::{Paged, SearchHit};
use app::ssr::{ArticleSearch, StoreError};
use async_trait::async_trait;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter,
    Statement,
};
use time::OffsetDateTime;

use crate::articles::read::{store_error, summary};
use crate::articles::sanitize::sanitize;
use crate::db::entities::{article, category};

/// How many of the newest matches a search ranks by relevance: the pages a
/// reader can reach ([`app::api::search::SEARCH_COUNT_CAP`]).
const RANKED_CANDIDATES: u64 = app::api::search::SEARCH_COUNT_CAP;

/// The SeaORM implementation of [`ArticleSearch`].
#[derive(Clone)]
pub struct SearchStore {
    db: DatabaseConnection,
}

impl SearchStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

#[async_trait]
impl ArticleSearch for SearchStore {
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
        let tokens = super::tokens(query);
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
        // Ranking reads every candidate's statistics, so only the newest
        // RANKED_CANDIDATES matches are ranked: a word found in every article
        // ("Cần Thơ") then costs the same at 100 or 100,000 articles. Readers
        // page through at most SEARCH_COUNT_CAP results anyway.
        let (count_sql, rank_sql, expression) = match backend {
            DatabaseBackend::Postgres => (
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM article a \
                 WHERE a.search_vector @@ to_tsquery('simple', $1) \
                 AND a.status = $2 AND a.published_at <= $3 LIMIT 1001) AS capped",
                // The rank is computed outside the candidates' subquery, for
                // the candidates only.
                "SELECT c.id AS id, COUNT(*) OVER () AS n FROM (SELECT a.id, a.published_at, a.search_vector FROM article a \
                 WHERE a.search_vector @@ to_tsquery('simple', $1) AND a.status = $2 \
                 AND a.published_at <= $3 ORDER BY a.published_at DESC, a.id DESC LIMIT $6) AS c \
                 ORDER BY ts_rank(c.search_vector, to_tsquery('simple', $1)) DESC, \
                 c.published_at DESC, c.id DESC LIMIT $4 OFFSET $5",
                match_expression(backend, &tokens),
            ),
            _ => (
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM article_fts CROSS JOIN article a \
                 ON a.id = article_fts.rowid WHERE article_fts MATCH ? AND a.status = ? \
                 AND a.published_at <= ? LIMIT 1001)",
                // The full-text index walks its matches newest row first and
                // stops after the candidates (rowids are article ids, in the
                // order articles were written); CROSS JOIN keeps it the outer
                // loop, so SQLite never probes it once per article.
                "SELECT c.id AS id, COUNT(*) OVER () AS n FROM (SELECT article_fts.rowid AS id, \
                 bm25(article_fts, 5.0, 1.0) AS rank, a.published_at AS published_at \
                 FROM article_fts CROSS JOIN article a ON a.id = article_fts.rowid \
                 WHERE article_fts MATCH ? AND a.status = ? AND a.published_at <= ? \
                 ORDER BY article_fts.rowid DESC LIMIT ?6) AS c \
                 ORDER BY c.rank, c.published_at DESC, c.id DESC LIMIT ?4 OFFSET ?5",
                match_expression(backend, &tokens),
            ),
        };
        let filter: Vec<sea_orm::Value> = vec![
            expression.into(),
            article::STATUS_PUBLISHED.into(),
            now.into(),
        ];
        // The candidates are counted with the ranking (one more than are
        // ranked tells "more than"); the count runs on its own only for a
        // page past the last one.
        let mut values = filter.clone();
        values.push((per_page as i64).into());
        values.push((offset as i64).into());
        values.push(((RANKED_CANDIDATES + 1) as i64).into());
        let ranked: Vec<(i32, i64)> = self
            .db
            .query_all_raw(Statement::from_sql_and_values(backend, rank_sql, values))
            .await
            .map_err(store_error)?
            .into_iter()
            .map(|row| Ok((row.try_get::<i32>("", "id")?, row.try_get::<i64>("", "n")?)))
            .collect::<Result<_, sea_orm::DbErr>>()
            .map_err(store_error)?;
        let total = match ranked.first() {
            Some((_, n)) => (*n).max(0) as u64,
            None if offset == 0 => 0,
            None => self
                .db
                .query_one_raw(Statement::from_sql_and_values(backend, count_sql, filter))
                .await
                .map_err(store_error)?
                .map(|row| row.try_get::<i64>("", "n"))
                .transpose()
                .map_err(store_error)?
                .unwrap_or(0)
                .max(0) as u64,
        };
        let ids: Vec<i32> = ranked.into_iter().map(|(id, _)| id).collect();
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
                let text = super::html_to_text(&sanitize(&article.body_html));
                SearchHit {
                    snippet: super::snippet(&text, &tokens, 240),
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
}

/// The full-text query for `tokens`: every word must match. Each word is
/// quoted for FTS5, so that it sees terms, never operators; PostgreSQL's
/// words are folded ASCII letters and digits only.
fn match_expression(backend: DatabaseBackend, tokens: &[String]) -> String {
    match backend {
        DatabaseBackend::Postgres => tokens.join(" & "),
        _ => tokens
            .iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// The ids of every article, whatever its status, whose title or body has
/// every word of `query` (at most `limit`): the editors' search over drafts
/// uses the same index and the same folding as readers' search.
pub async fn matching_article_ids<C: ConnectionTrait>(
    db: &C,
    query: &str,
    limit: u64,
) -> Result<Vec<i32>, StoreError> {
    let tokens = super::tokens(query);
    if tokens.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "SELECT id FROM article WHERE search_vector @@ to_tsquery('simple', $1) LIMIT $2"
        }
        _ => "SELECT rowid AS id FROM article_fts WHERE article_fts MATCH ? LIMIT ?",
    };
    db.query_all_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [
            match_expression(backend, &tokens).into(),
            (limit as i64).into(),
        ],
    ))
    .await
    .map_err(store_error)?
    .into_iter()
    .map(|row| row.try_get::<i32>("", "id").map_err(store_error))
    .collect()
}
