//! The visitor counter: per-day totals, per-article per-day views, the daily
//! salts and visitor keys that make visits countable without storing IPs, and
//! the carried-over total of an old portal.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DailyStats {
    Table,
    Day,
    Visits,
    PageViews,
}

#[derive(DeriveIden)]
enum ArticleDailyViews {
    Table,
    ArticleId,
    Day,
    Views,
}

#[derive(DeriveIden)]
enum VisitorSalt {
    Table,
    Day,
    Salt,
}

#[derive(DeriveIden)]
enum VisitorDay {
    Table,
    Day,
    Visitor,
}

#[derive(DeriveIden)]
enum VisitorPresence {
    Table,
    Visitor,
    LastSeen,
}

#[derive(DeriveIden)]
enum CounterSetting {
    Table,
    Id,
    BaseTotal,
}

#[derive(DeriveIden)]
enum Article {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Days are Vietnam-time calendar dates.
        manager
            .create_table(
                Table::create()
                    .table(DailyStats::Table)
                    .if_not_exists()
                    .col(date(DailyStats::Day).primary_key())
                    .col(big_integer(DailyStats::Visits).default(0))
                    .col(big_integer(DailyStats::PageViews).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ArticleDailyViews::Table)
                    .if_not_exists()
                    .col(integer(ArticleDailyViews::ArticleId))
                    .col(date(ArticleDailyViews::Day))
                    .col(big_integer(ArticleDailyViews::Views).default(0))
                    .primary_key(
                        Index::create()
                            .col(ArticleDailyViews::ArticleId)
                            .col(ArticleDailyViews::Day),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_article_daily_views_article")
                            .from(ArticleDailyViews::Table, ArticleDailyViews::ArticleId)
                            .to(Article::Table, Article::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_article_daily_views_day")
                    .table(ArticleDailyViews::Table)
                    .col(ArticleDailyViews::Day)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(VisitorSalt::Table)
                    .if_not_exists()
                    .col(date(VisitorSalt::Day).primary_key())
                    .col(blob(VisitorSalt::Salt))
                    .to_owned(),
            )
            .await?;
        // A visitor key is a keyed hash of (IP, User-Agent, the day's salt).
        manager
            .create_table(
                Table::create()
                    .table(VisitorDay::Table)
                    .if_not_exists()
                    .col(date(VisitorDay::Day))
                    .col(big_integer(VisitorDay::Visitor))
                    .primary_key(
                        Index::create()
                            .col(VisitorDay::Day)
                            .col(VisitorDay::Visitor),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(VisitorPresence::Table)
                    .if_not_exists()
                    .col(big_integer(VisitorPresence::Visitor).primary_key())
                    // Unix seconds.
                    .col(big_integer(VisitorPresence::LastSeen))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_visitor_presence_last_seen")
                    .table(VisitorPresence::Table)
                    .col(VisitorPresence::LastSeen)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CounterSetting::Table)
                    .if_not_exists()
                    .col(integer(CounterSetting::Id).primary_key())
                    .col(big_integer(CounterSetting::BaseTotal).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CounterSetting::Table.into_iden(),
            VisitorPresence::Table.into_iden(),
            VisitorDay::Table.into_iden(),
            VisitorSalt::Table.into_iden(),
            ArticleDailyViews::Table.into_iden(),
            DailyStats::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
