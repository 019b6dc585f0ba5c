//! The legal-documents library ("Văn bản"): one row per document, one per
//! attached file (the file itself under `CCHC_DOCUMENTS_DIR/{token}`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Document {
    Table,
    Id,
    Slug,
    Number,
    Form,
    Issuer,
    Signer,
    Field,
    Summary,
    IssuedOn,
    EffectiveOn,
    ExpiresOn,
    ReplacedBy,
    SearchText,
    Published,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DocumentFile {
    Table,
    Id,
    DocumentId,
    Token,
    FileName,
    Kind,
    Bytes,
    Position,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Document::Table)
                    .if_not_exists()
                    .col(pk_auto(Document::Id))
                    .col(string_len_uniq(Document::Slug, 200))
                    // Số/ký hiệu: `1234/QĐ-UBND`.
                    .col(string_len(Document::Number, 100))
                    .col(string_len(Document::Form, 100))
                    .col(string_len(Document::Issuer, 255))
                    .col(string_len(Document::Signer, 255))
                    .col(string_len(Document::Field, 255))
                    .col(text(Document::Summary))
                    // ISO dates (`YYYY-MM-DD`): they sort as text on both
                    // databases; empty when not set.
                    .col(string_len(Document::IssuedOn, 10))
                    .col(string_len(Document::EffectiveOn, 10))
                    .col(string_len(Document::ExpiresOn, 10))
                    .col(string_len(Document::ReplacedBy, 100))
                    // The folded words of the number, summary, issuer,
                    // signer, form and field, each preceded by a space.
                    .col(text(Document::SearchText))
                    .col(boolean(Document::Published))
                    .col(integer_null(Document::CreatedBy))
                    .col(timestamp_with_time_zone(Document::CreatedAt))
                    .col(timestamp_with_time_zone(Document::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_document_published_issued")
                    .table(Document::Table)
                    .col(Document::Published)
                    .col(Document::IssuedOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DocumentFile::Table)
                    .if_not_exists()
                    .col(pk_auto(DocumentFile::Id))
                    .col(integer(DocumentFile::DocumentId))
                    .col(string_len_uniq(DocumentFile::Token, 32))
                    .col(string_len(DocumentFile::FileName, 255))
                    .col(string_len(DocumentFile::Kind, 10))
                    .col(big_integer(DocumentFile::Bytes))
                    .col(integer(DocumentFile::Position))
                    .col(timestamp_with_time_zone(DocumentFile::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_document_file_document")
                            .from(DocumentFile::Table, DocumentFile::DocumentId)
                            .to(Document::Table, Document::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_document_file_document")
                    .table(DocumentFile::Table)
                    .col(DocumentFile::DocumentId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DocumentFile::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Document::Table).to_owned())
            .await
    }
}
