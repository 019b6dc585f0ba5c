//! The audit log (who did what, when, from where) and one-time links that
//! let an invited user, or one whose password an admin reset, set a password.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    Id,
    At,
    ActorId,
    Action,
    Target,
    Detail,
    Ip,
}

#[derive(DeriveIden)]
enum PasswordLink {
    Table,
    TokenHash,
    UserId,
    Purpose,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditEvent::Table)
                    .if_not_exists()
                    .col(big_pk_auto(AuditEvent::Id))
                    .col(timestamp_with_time_zone(AuditEvent::At))
                    // The account that acted; none for the system or an
                    // unknown user name at login.
                    .col(integer_null(AuditEvent::ActorId))
                    // A stable name: login, login_failed, user_created, …
                    .col(string_len(AuditEvent::Action, 40))
                    // What it was done to, as people read it.
                    .col(text(AuditEvent::Target))
                    .col(text(AuditEvent::Detail))
                    // The client address, shortened (IPv4 /24, IPv6 /48).
                    .col(string_len_null(AuditEvent::Ip, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_event_at")
                    .table(AuditEvent::Table)
                    .col(AuditEvent::At)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PasswordLink::Table)
                    .if_not_exists()
                    // SHA-256 of the token, hex: the token itself is only in the link.
                    .col(string_len(PasswordLink::TokenHash, 64).primary_key())
                    .col(integer(PasswordLink::UserId))
                    // invite | reset
                    .col(string_len(PasswordLink::Purpose, 20))
                    .col(integer_null(PasswordLink::CreatedBy))
                    .col(timestamp_with_time_zone(PasswordLink::CreatedAt))
                    .col(timestamp_with_time_zone(PasswordLink::ExpiresAt))
                    .col(timestamp_with_time_zone_null(PasswordLink::UsedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_password_link_user")
                    .table(PasswordLink::Table)
                    .col(PasswordLink::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PasswordLink::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AuditEvent::Table).to_owned())
            .await
    }
}
