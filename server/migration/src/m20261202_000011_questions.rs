//! Citizens' questions ("Hỏi đáp") and readers' ratings of articles.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Question {
    Table,
    Id,
    Code,
    Name,
    Contact,
    Topic,
    Body,
    Consent,
    Status,
    AssigneeId,
    Title,
    PublicBody,
    Answer,
    Published,
    SearchText,
    Source,
    CreatedAt,
    UpdatedAt,
    AnsweredAt,
}

#[derive(DeriveIden)]
enum ArticleRating {
    Table,
    Id,
    ArticleId,
    Helpful,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Question::Table)
                    .if_not_exists()
                    .col(pk_auto(Question::Id))
                    // The tracking code, `HD-7K3M-Q9P0`: random, unique.
                    .col(string_len_uniq(Question::Code, 20))
                    // Personal data: never shown to readers.
                    .col(string_len(Question::Name, 200))
                    .col(string_len(Question::Contact, 200))
                    .col(string_len(Question::Topic, 100))
                    .col(text(Question::Body))
                    .col(boolean(Question::Consent))
                    .col(string_len(Question::Status, 20))
                    .col(integer_null(Question::AssigneeId))
                    .col(string_len(Question::Title, 300))
                    .col(text(Question::PublicBody))
                    .col(text(Question::Answer))
                    .col(boolean(Question::Published))
                    // Folded words of the published title, question and answer.
                    .col(text(Question::SearchText))
                    // The sender's address shortened to its network (/24,
                    // /48), for the per-minute limit; not a person.
                    .col(string_len(Question::Source, 64))
                    .col(timestamp_with_time_zone(Question::CreatedAt))
                    .col(timestamp_with_time_zone(Question::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Question::AnsweredAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_question_source_created")
                    .table(Question::Table)
                    .col(Question::Source)
                    .col(Question::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_question_published_answered")
                    .table(Question::Table)
                    .col(Question::Published)
                    .col(Question::AnsweredAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ArticleRating::Table)
                    .if_not_exists()
                    .col(pk_auto(ArticleRating::Id))
                    .col(integer(ArticleRating::ArticleId))
                    .col(boolean(ArticleRating::Helpful))
                    .col(timestamp_with_time_zone(ArticleRating::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_article_rating_article")
                    .table(ArticleRating::Table)
                    .col(ArticleRating::ArticleId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ArticleRating::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Question::Table).to_owned())
            .await
    }
}
