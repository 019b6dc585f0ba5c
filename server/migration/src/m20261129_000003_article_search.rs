//! Full-text search over articles, insensitive to case and Vietnamese
//! diacritics. The application stores folded copies of the title and body
//! text (`search_title`, `search_body`); SQLite indexes them with FTS5 (kept
//! in sync by triggers), PostgreSQL with a GIN index on a stored, generated
//! `simple` tsvector (title weighted A, body D), so that ranking reads the
//! vector instead of parsing every matching article again.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Article {
    Table,
    SearchTitle,
    SearchBody,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Article::SearchTitle, Article::SearchBody] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Article::Table)
                        .add_column(text(column).default(""))
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => {
                for statement in [
                    "CREATE VIRTUAL TABLE article_fts USING fts5(title, body, tokenize = 'unicode61')",
                    "CREATE TRIGGER article_fts_insert AFTER INSERT ON article BEGIN \
                     INSERT INTO article_fts(rowid, title, body) VALUES (new.id, new.search_title, new.search_body); END",
                    "CREATE TRIGGER article_fts_update AFTER UPDATE OF search_title, search_body ON article BEGIN \
                     DELETE FROM article_fts WHERE rowid = old.id; \
                     INSERT INTO article_fts(rowid, title, body) VALUES (new.id, new.search_title, new.search_body); END",
                    "CREATE TRIGGER article_fts_delete AFTER DELETE ON article BEGIN \
                     DELETE FROM article_fts WHERE rowid = old.id; END",
                    "INSERT INTO article_fts(rowid, title, body) SELECT id, search_title, search_body FROM article",
                ] {
                    db.execute_unprepared(statement).await?;
                }
            }
            DatabaseBackend::Postgres => {
                for statement in [
                    "ALTER TABLE article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS \
                     (setweight(to_tsvector('simple', search_title), 'A') || \
                     setweight(to_tsvector('simple', search_body), 'D')) STORED",
                    "CREATE INDEX idx_article_search ON article USING GIN (search_vector)",
                ] {
                    db.execute_unprepared(statement).await?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => {
                for statement in [
                    "DROP TRIGGER IF EXISTS article_fts_insert",
                    "DROP TRIGGER IF EXISTS article_fts_update",
                    "DROP TRIGGER IF EXISTS article_fts_delete",
                    "DROP TABLE IF EXISTS article_fts",
                ] {
                    db.execute_unprepared(statement).await?;
                }
            }
            DatabaseBackend::Postgres => {
                db.execute_unprepared("DROP INDEX IF EXISTS idx_article_search")
                    .await?;
            }
            _ => {}
        }
        for column in [Article::SearchTitle, Article::SearchBody] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Article::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
