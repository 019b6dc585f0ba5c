//! The media library: one row per uploaded photo; its variants are files
//! under `CCHC_MEDIA_DIR/{token}/`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Media {
    Table,
    Id,
    Token,
    FileName,
    Alt,
    Caption,
    Width,
    Height,
    Widths,
    Bytes,
    UploadedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Media::Table)
                    .if_not_exists()
                    .col(pk_auto(Media::Id))
                    // Random hex: the folder and the addresses' part.
                    .col(string_len_uniq(Media::Token, 32))
                    .col(string_len(Media::FileName, 255))
                    .col(text(Media::Alt))
                    .col(text(Media::Caption))
                    .col(integer(Media::Width))
                    .col(integer(Media::Height))
                    // The variants' widths, comma-separated, smallest first.
                    .col(string_len(Media::Widths, 100))
                    .col(big_integer(Media::Bytes))
                    .col(integer_null(Media::UploadedBy))
                    .col(timestamp_with_time_zone(Media::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Media::Table).to_owned())
            .await
    }
}
