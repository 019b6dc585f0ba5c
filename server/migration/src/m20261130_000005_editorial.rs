//! The editors' side: accounts, sessions, login attempts, article versions,
//! revisions and the workflow's transitions.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Article {
    Table,
    Id,
    Version,
    CreatedBy,
    SeoDescription,
    Tags,
    Featured,
    InHeadlines,
    CoverImage,
    CoverAlt,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
    Username,
    DisplayName,
    PasswordHash,
    Role,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum UserSession {
    Table,
    Id,
    UserId,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum LoginAttempt {
    Table,
    Id,
    Username,
    Ip,
    Succeeded,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ArticleRevision {
    Table,
    Id,
    ArticleId,
    Version,
    Slug,
    Title,
    Excerpt,
    BodyHtml,
    CategoryId,
    Status,
    Note,
    SavedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ArticleEditor {
    Table,
    ArticleId,
    UserId,
    SeenAt,
}

#[derive(DeriveIden)]
enum ArticleTransition {
    Table,
    Id,
    ArticleId,
    FromStatus,
    ToStatus,
    UserId,
    Comment,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Every save checks and bumps the version: no silent overwrite.
        manager
            .alter_table(
                Table::alter()
                    .table(Article::Table)
                    .add_column(big_integer(Article::Version).default(1))
                    .to_owned(),
            )
            .await?;
        // One column per statement: SQLite alters one at a time.
        for column in [
            integer_null(Article::CreatedBy),
            // The search engines' description; the lead when empty.
            text(Article::SeoDescription).default("").to_owned(),
            // A JSON array of the article's tags.
            text(Article::Tags).default("[]").to_owned(),
            // Leads the home page.
            boolean(Article::Featured).default(false).to_owned(),
            // Listed in the header's latest headlines.
            boolean(Article::InHeadlines).default(true).to_owned(),
            // The picture for lists and link previews (a portal path) and its text.
            text(Article::CoverImage).default("").to_owned(),
            text(Article::CoverAlt).default("").to_owned(),
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
        manager
            .create_table(
                Table::create()
                    .table(AppUser::Table)
                    .if_not_exists()
                    .col(pk_auto(AppUser::Id))
                    // Lower case; what people type to sign in.
                    .col(string_len_uniq(AppUser::Username, 100))
                    .col(string_len(AppUser::DisplayName, 200))
                    // argon2id, PHC string format.
                    .col(text(AppUser::PasswordHash))
                    // author | editor | admin
                    .col(string_len(AppUser::Role, 20))
                    .col(boolean(AppUser::Active).default(true))
                    .col(timestamp_with_time_zone(AppUser::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UserSession::Table)
                    .if_not_exists()
                    .col(string_len(UserSession::Id, 64).primary_key())
                    .col(integer_null(UserSession::UserId))
                    .col(text(UserSession::Data))
                    .col(timestamp_with_time_zone(UserSession::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_user_session_user")
                    .table(UserSession::Table)
                    .col(UserSession::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoginAttempt::Table)
                    .if_not_exists()
                    .col(pk_auto(LoginAttempt::Id))
                    .col(string_len(LoginAttempt::Username, 100))
                    .col(string_len(LoginAttempt::Ip, 64))
                    .col(boolean(LoginAttempt::Succeeded))
                    .col(timestamp_with_time_zone(LoginAttempt::CreatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_login_attempt_username", LoginAttempt::Username),
            ("idx_login_attempt_ip", LoginAttempt::Ip),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(LoginAttempt::Table)
                        .col(column)
                        .col(LoginAttempt::CreatedAt)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ArticleRevision::Table)
                    .if_not_exists()
                    .col(pk_auto(ArticleRevision::Id))
                    .col(integer(ArticleRevision::ArticleId))
                    .col(big_integer(ArticleRevision::Version))
                    .col(string_len(ArticleRevision::Slug, 300))
                    .col(string_len(ArticleRevision::Title, 500))
                    .col(text(ArticleRevision::Excerpt))
                    .col(text(ArticleRevision::BodyHtml))
                    .col(integer(ArticleRevision::CategoryId))
                    .col(string_len(ArticleRevision::Status, 20))
                    // save | autosave | submit | return | publish | unpublish | restore
                    .col(string_len(ArticleRevision::Note, 40))
                    .col(integer_null(ArticleRevision::SavedBy))
                    .col(timestamp_with_time_zone(ArticleRevision::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_revision_article")
                            .from(ArticleRevision::Table, ArticleRevision::ArticleId)
                            .to(Article::Table, Article::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_revision_article_version")
                    .table(ArticleRevision::Table)
                    .col(ArticleRevision::ArticleId)
                    .col(ArticleRevision::Version)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ArticleTransition::Table)
                    .if_not_exists()
                    .col(pk_auto(ArticleTransition::Id))
                    .col(integer(ArticleTransition::ArticleId))
                    .col(string_len(ArticleTransition::FromStatus, 20))
                    .col(string_len(ArticleTransition::ToStatus, 20))
                    .col(integer_null(ArticleTransition::UserId))
                    .col(text(ArticleTransition::Comment).default(""))
                    .col(timestamp_with_time_zone(ArticleTransition::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_transition_article")
                            .from(ArticleTransition::Table, ArticleTransition::ArticleId)
                            .to(Article::Table, Article::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_transition_article")
                    .table(ArticleTransition::Table)
                    .col(ArticleTransition::ArticleId)
                    .to_owned(),
            )
            .await?;
        // Who has an article open in the editor now: the soft lock
        // ("X đang sửa bài này"), shared by every app server.
        manager
            .create_table(
                Table::create()
                    .table(ArticleEditor::Table)
                    .if_not_exists()
                    .col(integer(ArticleEditor::ArticleId))
                    .col(integer(ArticleEditor::UserId))
                    .col(timestamp_with_time_zone(ArticleEditor::SeenAt))
                    .primary_key(
                        Index::create()
                            .col(ArticleEditor::ArticleId)
                            .col(ArticleEditor::UserId),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ArticleEditor::Table.into_iden(),
            ArticleTransition::Table.into_iden(),
            ArticleRevision::Table.into_iden(),
            LoginAttempt::Table.into_iden(),
            UserSession::Table.into_iden(),
            AppUser::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in [
            Article::CoverAlt.into_iden(),
            Article::CoverImage.into_iden(),
            Article::InHeadlines.into_iden(),
            Article::Featured.into_iden(),
            Article::Tags.into_iden(),
            Article::SeoDescription.into_iden(),
            Article::CreatedBy.into_iden(),
            Article::Version.into_iden(),
        ] {
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
