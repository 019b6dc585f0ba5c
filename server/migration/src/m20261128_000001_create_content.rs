//! Categories and articles.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Category {
    Table,
    Id,
    Slug,
    Name,
    Position,
}

#[derive(DeriveIden)]
enum Article {
    Table,
    Id,
    Slug,
    Title,
    Excerpt,
    BodyHtml,
    Author,
    CategoryId,
    Status,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Category::Table)
                    .if_not_exists()
                    .col(pk_auto(Category::Id))
                    .col(string_len_uniq(Category::Slug, 200))
                    .col(string_len(Category::Name, 200))
                    .col(integer(Category::Position).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Article::Table)
                    .if_not_exists()
                    .col(pk_auto(Article::Id))
                    .col(string_len_uniq(Article::Slug, 300))
                    .col(string_len(Article::Title, 500))
                    .col(text(Article::Excerpt))
                    .col(text(Article::BodyHtml))
                    .col(string_len(Article::Author, 200))
                    .col(integer(Article::CategoryId))
                    // draft | review | published: the editorial workflow's states.
                    .col(string_len(Article::Status, 20))
                    .col(timestamp_with_time_zone_null(Article::PublishedAt))
                    .col(timestamp_with_time_zone(Article::CreatedAt))
                    .col(timestamp_with_time_zone(Article::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_article_category")
                            .from(Article::Table, Article::CategoryId)
                            .to(Category::Table, Category::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // Feeds list published articles newest first.
        manager
            .create_index(
                Index::create()
                    .name("idx_article_status_published_at")
                    .table(Article::Table)
                    .col(Article::Status)
                    .col(Article::PublishedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_article_category")
                    .table(Article::Table)
                    .col(Article::CategoryId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Article::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Category::Table).to_owned())
            .await
    }
}
