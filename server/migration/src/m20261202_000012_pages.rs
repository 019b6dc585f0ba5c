//! The portal's fixed pages: "Giới thiệu" (`gioi-thieu`) and the English
//! page (`en`), each a title and a sanitised HTML body that admins edit.
//! Their rows are seeded at start-up when missing, not here.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Page {
    Table,
    Id,
    Slug,
    Lang,
    Title,
    BodyHtml,
    Version,
    UpdatedAt,
    UpdatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Page::Table)
                    .if_not_exists()
                    .col(pk_auto(Page::Id))
                    .col(string_len_uniq(Page::Slug, 50))
                    // A BCP 47 code: `vi`, `en`.
                    .col(string_len(Page::Lang, 8))
                    .col(string_len(Page::Title, 300))
                    .col(text(Page::BodyHtml))
                    .col(big_integer(Page::Version))
                    .col(timestamp_with_time_zone(Page::UpdatedAt))
                    // The account that saved it last; none for the seeded text.
                    .col(integer_null(Page::UpdatedBy))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Page::Table).to_owned())
            .await
    }
}
