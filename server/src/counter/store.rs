//! The counter's tables: atomic `count = count + n` upserts, salts, reads.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use app::model::VisitorStats;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, DeriveIden, EntityTrait, QueryFilter, QuerySelect,
};
use time::{Date, Duration};

use super::calendar::{month_start, week_start};
use crate::db::entities::article;

#[derive(DeriveIden)]
pub(crate) enum DailyStats {
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

/// Rows per statement: far below SQLite's and PostgreSQL's parameter limits.
const CHUNK: usize = 500;
/// "Online" means seen within this many seconds.
pub const ONLINE_WINDOW_SECS: i64 = 5 * 60;

fn excluded<C: sea_orm::sea_query::IntoIden>(column: C) -> Expr {
    Expr::col((Alias::new("excluded"), column))
}

fn build_error(err: impl std::fmt::Display) -> DbErr {
    DbErr::Custom(format!("counter statement: {err}"))
}

/// Hits aggregated in memory between two flushes. Ordered maps keep the rows
/// of every flush in one order, so concurrent flushes from several servers
/// lock rows in the same order and cannot deadlock each other.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Batch {
    pub page_views: BTreeMap<Date, i64>,
    /// Visitors that may be new for the day; the database decides.
    pub visitors: BTreeSet<(Date, i64)>,
    pub article_views: BTreeMap<(String, Date), i64>,
    /// Visitor → last seen, in Unix seconds.
    pub presence: BTreeMap<i64, i64>,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.page_views.is_empty() && self.visitors.is_empty() && self.presence.is_empty()
    }

    /// Puts a batch that failed to flush back, ahead of what came since.
    pub fn merge(&mut self, other: Batch) {
        for (day, n) in other.page_views {
            *self.page_views.entry(day).or_default() += n;
        }
        self.visitors.extend(other.visitors);
        for (key, n) in other.article_views {
            *self.article_views.entry(key).or_default() += n;
        }
        for (visitor, seen) in other.presence {
            let entry = self.presence.entry(visitor).or_default();
            *entry = Ord::max(*entry, seen);
        }
    }

    pub fn page_view_count(&self) -> i64 {
        self.page_views.values().sum()
    }
}

/// Writes a batch. Call it inside a transaction: it is all or nothing.
pub async fn write_batch<C: ConnectionTrait>(db: &C, batch: &Batch) -> Result<(), DbErr> {
    let mut new_visits: BTreeMap<Date, i64> = BTreeMap::new();
    let visitors: Vec<&(Date, i64)> = batch.visitors.iter().collect();
    for chunk in visitors.chunks(CHUNK) {
        // One day per statement, so rows_affected tells that day's new visitors.
        let mut by_day: BTreeMap<Date, Vec<i64>> = BTreeMap::new();
        for (day, visitor) in chunk {
            by_day.entry(*day).or_default().push(*visitor);
        }
        for (day, keys) in by_day {
            let mut insert = Query::insert();
            insert
                .into_table(VisitorDay::Table)
                .columns([VisitorDay::Day, VisitorDay::Visitor]);
            for key in keys {
                insert
                    .values([day.into(), key.into()])
                    .map_err(build_error)?;
            }
            insert.on_conflict(
                OnConflict::columns([VisitorDay::Day, VisitorDay::Visitor])
                    .do_nothing()
                    .to_owned(),
            );
            let inserted = db.execute(&insert).await?.rows_affected();
            *new_visits.entry(day).or_default() += inserted as i64;
        }
    }

    let mut days: BTreeMap<Date, (i64, i64)> = BTreeMap::new();
    for (day, n) in &batch.page_views {
        days.entry(*day).or_default().1 += n;
    }
    for (day, n) in new_visits {
        days.entry(day).or_default().0 += n;
    }
    add_history(db, &days).await?;

    write_article_views(db, &batch.article_views).await?;

    let presence: Vec<(&i64, &i64)> = batch.presence.iter().collect();
    for chunk in presence.chunks(CHUNK) {
        let mut upsert = Query::insert();
        upsert
            .into_table(VisitorPresence::Table)
            .columns([VisitorPresence::Visitor, VisitorPresence::LastSeen]);
        for (visitor, seen) in chunk {
            upsert
                .values([(**visitor).into(), (**seen).into()])
                .map_err(build_error)?;
        }
        upsert.on_conflict(
            OnConflict::column(VisitorPresence::Visitor)
                .update_column(VisitorPresence::LastSeen)
                .to_owned(),
        );
        db.execute(&upsert).await?;
    }
    Ok(())
}

async fn write_article_views<C: ConnectionTrait>(
    db: &C,
    views: &BTreeMap<(String, Date), i64>,
) -> Result<(), DbErr> {
    if views.is_empty() {
        return Ok(());
    }
    let slugs: BTreeSet<&str> = views.keys().map(|(slug, _)| slug.as_str()).collect();
    let mut ids: HashMap<String, i32> = HashMap::new();
    let slugs: Vec<&str> = slugs.into_iter().collect();
    for chunk in slugs.chunks(CHUNK) {
        let rows: Vec<(i32, String)> = article::Entity::find()
            .select_only()
            .column(article::Column::Id)
            .column(article::Column::Slug)
            .filter(article::Column::Slug.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        ids.extend(rows.into_iter().map(|(id, slug)| (slug, id)));
    }
    // Sorted by (article, day) for a stable lock order.
    let mut rows: BTreeMap<(i32, Date), i64> = BTreeMap::new();
    for ((slug, day), n) in views {
        if let Some(id) = ids.get(slug) {
            *rows.entry((*id, *day)).or_default() += n;
        }
    }
    upsert_article_views(db, rows).await
}

async fn upsert_article_views<C: ConnectionTrait>(
    db: &C,
    rows: BTreeMap<(i32, Date), i64>,
) -> Result<(), DbErr> {
    let rows: Vec<_> = rows.into_iter().collect();
    for chunk in rows.chunks(CHUNK) {
        let mut upsert = Query::insert();
        upsert.into_table(ArticleDailyViews::Table).columns([
            ArticleDailyViews::ArticleId,
            ArticleDailyViews::Day,
            ArticleDailyViews::Views,
        ]);
        for ((id, day), n) in chunk {
            upsert
                .values([(*id).into(), (*day).into(), (*n).into()])
                .map_err(build_error)?;
        }
        upsert.on_conflict(
            OnConflict::columns([ArticleDailyViews::ArticleId, ArticleDailyViews::Day])
                .value(
                    ArticleDailyViews::Views,
                    Expr::col((ArticleDailyViews::Table, ArticleDailyViews::Views))
                        .add(excluded(ArticleDailyViews::Views)),
                )
                .to_owned(),
        );
        db.execute(&upsert).await?;
    }
    Ok(())
}

/// The secret salt of a day, created by whichever server needs it first.
pub async fn salt_for_day<C: ConnectionTrait>(db: &C, day: Date) -> Result<[u8; 16], DbErr> {
    let mut fresh = [0u8; 16];
    getrandom::fill(&mut fresh).map_err(|e| DbErr::Custom(format!("no randomness: {e}")))?;
    let mut insert = Query::insert();
    insert
        .into_table(VisitorSalt::Table)
        .columns([VisitorSalt::Day, VisitorSalt::Salt])
        .values([day.into(), fresh.to_vec().into()])
        .map_err(build_error)?
        .on_conflict(OnConflict::column(VisitorSalt::Day).do_nothing().to_owned());
    db.execute(&insert).await?;
    let select = Query::select()
        .column(VisitorSalt::Salt)
        .from(VisitorSalt::Table)
        .and_where(Expr::col(VisitorSalt::Day).eq(day))
        .to_owned();
    let row = db
        .query_one(&select)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the day's salt".into()))?;
    let salt: Vec<u8> = row.try_get("", "salt")?;
    salt.try_into()
        .map_err(|_| DbErr::Custom("a stored salt is not 16 bytes".into()))
}

/// Drops salts and visitor keys older than yesterday, and stale presence.
pub async fn delete_expired<C: ConnectionTrait>(
    db: &C,
    today: Date,
    now_unix: i64,
) -> Result<(), DbErr> {
    let keep_from = today - Duration::days(1);
    db.execute(
        &Query::delete()
            .from_table(VisitorSalt::Table)
            .and_where(Expr::col(VisitorSalt::Day).lt(keep_from))
            .to_owned(),
    )
    .await?;
    db.execute(
        &Query::delete()
            .from_table(VisitorDay::Table)
            .and_where(Expr::col(VisitorDay::Day).lt(keep_from))
            .to_owned(),
    )
    .await?;
    db.execute(
        &Query::delete()
            .from_table(VisitorPresence::Table)
            .and_where(Expr::col(VisitorPresence::LastSeen).lt(now_unix - 2 * ONLINE_WINDOW_SECS))
            .to_owned(),
    )
    .await?;
    Ok(())
}

/// Sets the total carried over from an old portal.
pub async fn set_base_total<C: ConnectionTrait>(db: &C, total: u64) -> Result<(), DbErr> {
    let total = i64::try_from(total).map_err(|_| DbErr::Custom("base total too large".into()))?;
    let mut upsert = Query::insert();
    upsert
        .into_table(CounterSetting::Table)
        .columns([CounterSetting::Id, CounterSetting::BaseTotal])
        .values([1.into(), total.into()])
        .map_err(build_error)?
        .on_conflict(
            OnConflict::column(CounterSetting::Id)
                .update_column(CounterSetting::BaseTotal)
                .to_owned(),
        );
    db.execute(&upsert).await?;
    Ok(())
}

/// Adds visits and page views to whole days: a flush's counts, the demo's
/// history, or an import from an old portal.
pub async fn add_history<C: ConnectionTrait>(
    db: &C,
    days: &BTreeMap<Date, (i64, i64)>,
) -> Result<(), DbErr> {
    let rows: Vec<_> = days.iter().collect();
    for chunk in rows.chunks(CHUNK) {
        let mut upsert = Query::insert();
        upsert.into_table(DailyStats::Table).columns([
            DailyStats::Day,
            DailyStats::Visits,
            DailyStats::PageViews,
        ]);
        for (day, (visits, views)) in chunk {
            upsert
                .values([(**day).into(), (*visits).into(), (*views).into()])
                .map_err(build_error)?;
        }
        upsert.on_conflict(
            OnConflict::column(DailyStats::Day)
                .value(
                    DailyStats::Visits,
                    Expr::col((DailyStats::Table, DailyStats::Visits))
                        .add(excluded(DailyStats::Visits)),
                )
                .value(
                    DailyStats::PageViews,
                    Expr::col((DailyStats::Table, DailyStats::PageViews))
                        .add(excluded(DailyStats::PageViews)),
                )
                .to_owned(),
        );
        db.execute(&upsert).await?;
    }
    Ok(())
}

/// Adds per-article per-day views (the demo's, or an import).
pub async fn add_article_views<C: ConnectionTrait>(
    db: &C,
    views: &[(i32, Date, i64)],
) -> Result<(), DbErr> {
    let mut rows: BTreeMap<(i32, Date), i64> = BTreeMap::new();
    for (id, day, n) in views {
        *rows.entry((*id, *day)).or_default() += n;
    }
    upsert_article_views(db, rows).await
}

async fn scalar<C: ConnectionTrait>(
    db: &C,
    select: sea_orm::sea_query::SelectStatement,
) -> Result<i64, DbErr> {
    Ok(match db.query_one(&select).await? {
        Some(row) => row.try_get::<Option<i64>>("", "n")?.unwrap_or(0),
        None => 0,
    })
}

/// The sum of a `daily_stats` column over every day.
async fn sum_over_all_days<C: ConnectionTrait>(db: &C, column: &str) -> Result<i64, DbErr> {
    scalar(
        db,
        Query::select()
            .expr_as(
                Expr::cust(format!("CAST(COALESCE(SUM({column}), 0) AS BIGINT)")),
                Alias::new("n"),
            )
            .from(DailyStats::Table)
            .to_owned(),
    )
    .await
}

/// All visits and page views ever written (without the carried-over total).
pub async fn totals<C: ConnectionTrait>(db: &C) -> Result<(i64, i64), DbErr> {
    Ok((
        sum_over_all_days(db, "visits").await?,
        sum_over_all_days(db, "page_views").await?,
    ))
}

/// The widget's numbers as of now.
pub async fn load_stats<C: ConnectionTrait>(
    db: &C,
    today: Date,
    now_unix: i64,
) -> Result<VisitorStats, DbErr> {
    let yesterday = today - Duration::days(1);
    let week = week_start(today);
    let month = month_start(today);
    let from = Ord::min(Ord::min(yesterday, week), month);
    let rows = db
        .query_all(
            &Query::select()
                .columns([DailyStats::Day, DailyStats::Visits])
                .from(DailyStats::Table)
                .and_where(Expr::col(DailyStats::Day).gte(from))
                .and_where(Expr::col(DailyStats::Day).lte(today))
                .to_owned(),
        )
        .await?;
    let mut stats = VisitorStats::default();
    for row in rows {
        let day: Date = row.try_get("", "day")?;
        let visits = Ord::max(row.try_get::<i64>("", "visits")?, 0) as u64;
        if day == today {
            stats.today += visits;
        }
        if day == yesterday {
            stats.yesterday += visits;
        }
        if day >= week {
            stats.this_week += visits;
        }
        if day >= month {
            stats.this_month += visits;
        }
    }
    let all = sum_over_all_days(db, "visits").await?;
    let base = scalar(
        db,
        Query::select()
            .expr_as(Expr::col(CounterSetting::BaseTotal), Alias::new("n"))
            .from(CounterSetting::Table)
            .and_where(Expr::col(CounterSetting::Id).eq(1))
            .to_owned(),
    )
    .await?;
    let online = scalar(
        db,
        Query::select()
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
            .from(VisitorPresence::Table)
            .and_where(Expr::col(VisitorPresence::LastSeen).gte(now_unix - ONLINE_WINDOW_SECS))
            .to_owned(),
    )
    .await?;
    stats.total = (Ord::max(all, 0) + Ord::max(base, 0)) as u64;
    stats.online = Ord::max(online, 0) as u64;
    Ok(stats)
}

/// Page views of each article since `from` (inclusive), most viewed first.
pub async fn most_viewed_article_ids<C: ConnectionTrait>(
    db: &C,
    from: Date,
    limit: u64,
) -> Result<Vec<(i32, i64)>, DbErr> {
    let rows = db
        .query_all(
            &Query::select()
                .column(ArticleDailyViews::ArticleId)
                .expr_as(Expr::cust("CAST(SUM(views) AS BIGINT)"), Alias::new("n"))
                .from(ArticleDailyViews::Table)
                .and_where(Expr::col(ArticleDailyViews::Day).gte(from))
                .group_by_col(ArticleDailyViews::ArticleId)
                .order_by_expr(
                    Expr::cust("CAST(SUM(views) AS BIGINT)"),
                    sea_orm::Order::Desc,
                )
                .order_by(ArticleDailyViews::ArticleId, sea_orm::Order::Asc)
                .limit(limit)
                .to_owned(),
        )
        .await?;
    rows.into_iter()
        .map(|row| Ok((row.try_get("", "article_id")?, row.try_get("", "n")?)))
        .collect()
}
