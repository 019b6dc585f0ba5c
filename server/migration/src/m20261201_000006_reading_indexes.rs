//! Indexes for the readers' lists, so that each stays an index range scan
//! at any number of articles: a category's newest (`category_id, status,
//! published_at`, replacing the index on `category_id` alone), the newest
//! featured article and the newest headlines.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Article {
    Table,
    CategoryId,
    Status,
    PublishedAt,
    Featured,
    InHeadlines,
}

const INDEXES: [(&str, Article); 3] = [
    (
        "idx_article_category_status_published_at",
        Article::CategoryId,
    ),
    (
        "idx_article_featured_status_published_at",
        Article::Featured,
    ),
    (
        "idx_article_headlines_status_published_at",
        Article::InHeadlines,
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, first) in INDEXES {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Article::Table)
                        .col(first)
                        .col(Article::Status)
                        .col(Article::PublishedAt)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("idx_article_category")
                    .table(Article::Table)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_article_category")
                    .table(Article::Table)
                    .col(Article::CategoryId)
                    .to_owned(),
            )
            .await?;
        for (name, _) in INDEXES {
            manager
                .drop_index(Index::drop().name(name).table(Article::Table).to_owned())
                .await?;
        }
        Ok(())
    }
}
