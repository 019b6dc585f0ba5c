//! Scheduled publication and unpublication: when an article is to go public
//! (`publish_at`, with the status `scheduled`) and when a public article is
//! to be taken down (`unpublish_at`). Partial indexes keep the scheduler's
//! "what is due" queries to the few scheduled rows at any number of articles.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Article {
    Table,
    PublishAt,
    UnpublishAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        for column in [
            timestamp_with_time_zone_null(Article::PublishAt),
            timestamp_with_time_zone_null(Article::UnpublishAt),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Article::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        // Partial indexes: SQLite and PostgreSQL spell them alike.
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE INDEX idx_article_publish_at ON article (publish_at) \
             WHERE status = 'scheduled'",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX idx_article_unpublish_at ON article (unpublish_at) \
             WHERE unpublish_at IS NOT NULL",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX idx_article_unpublish_at")
            .await?;
        db.execute_unprepared("DROP INDEX idx_article_publish_at")
            .await?;
        for column in [Article::UnpublishAt, Article::PublishAt] {
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
