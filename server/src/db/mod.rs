//! Persistence: connecting, migrating, seeding, and the stores the app uses.

pub mod entities;
pub mod seed;
pub mod synthetic;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DbErr,
    TransactionTrait,
};

/// An arbitrary, fixed key: app servers sharing one PostgreSQL database take
/// this advisory lock so that only one of them migrates and seeds at a time.
const MIGRATION_LOCK_KEY: i64 = 0x43_43_48_43; // "CCHC"

/// How long a request waits for a PostgreSQL connection before it gives up
/// (the server is unreachable, or every connection is busy).
const POSTGRES_ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// A transaction that writes. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`), so that two writers wait for each other instead of
/// one failing when it upgrades its read lock; PostgreSQL is unaffected.
pub async fn begin_write<C: sea_orm::TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(sea_orm::TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// A statement slower than this is logged as a warning (target `sqlx::query`).
const SLOW_STATEMENT: std::time::Duration = std::time::Duration::from_millis(250);

/// SQLite's page cache per connection, in KiB (`PRAGMA cache_size` takes a
/// negative figure as KiB). SQLite's default is 2,000 KiB per connection, so
/// the pool's 8 connections could hold 16 MB of pages, and under the page
/// benchmark's search load at 100,000 articles SQLite's heap peaked at 40 MB
/// (heaptrack), most of it page cache. The database file stays in the
/// kernel's page cache anyway, so a page SQLite no longer keeps costs a
/// `pread`, microseconds (issue 9: server RSS <= 64 MB under load).
const SQLITE_CACHE_KIB: i64 = 512;

/// The most heap all SQLite connections of the process keep together, in
/// bytes (`PRAGMA soft_heap_limit`, process-wide): past it SQLite reuses its
/// cached pages instead of allocating more. A soft limit: a statement that
/// needs more memory still gets it.
const SQLITE_SOFT_HEAP_LIMIT: i64 = 12 * 1024 * 1024;

/// Connects to `url`, creating the SQLite file's folder when needed.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = sqlite_file_path(url)
        && let Some(dir) = std::path::Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut options = ConnectOptions::new(url.to_owned());
    // Every statement with its time at debug level (`RUST_LOG=warn,sqlx::query=debug`),
    // and a warning for any statement slower than SLOW_STATEMENT.
    options
        .sqlx_logging(true)
        .sqlx_logging_level(log::LevelFilter::Debug)
        .sqlx_slow_statements_logging_settings(log::LevelFilter::Warn, SLOW_STATEMENT);
    if url.starts_with("sqlite:") {
        // One writer at a time is what SQLite supports; readers share the pool.
        options
            .max_connections(8)
            .min_connections(1)
            .map_sqlx_sqlite_opts(|sqlite| {
                sqlite
                    .pragma("cache_size", format!("-{SQLITE_CACHE_KIB}"))
                    .pragma("soft_heap_limit", SQLITE_SOFT_HEAP_LIMIT.to_string())
            });
    } else {
        // While PostgreSQL is down, a request waiting for a connection would
        // otherwise wait 30 s (sqlx's default) and hold the reader's page;
        // with this it fails after a few seconds and the reader gets a 503.
        options.acquire_timeout(POSTGRES_ACQUIRE_TIMEOUT);
    }
    Database::connect(options).await
}

/// The file a `sqlite://path?...` URL points at, if it is a file.
fn sqlite_file_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// Brings the schema up to date and seeds demo content into an empty
/// database, all in one transaction so that a failure leaves nothing half-done.
pub async fn prepare(db: &DatabaseConnection, seed_demo: bool) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    if db.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_unprepared(&format!(
            "SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})"
        ))
        .await?;
    }
    Migrator::up(&txn, None).await?;
    if seed_demo {
        seed::seed_if_empty(&txn).await?;
    }
    crate::settings::seed_identity(&txn).await?;
    // The fixed pages are part of the product, demo content or not.
    crate::pages::seed::seed_missing(&txn).await?;
    index_unindexed_articles(&txn).await?;
    txn.commit().await
}

/// Fills the folded search columns of articles written before search
/// existed (or by a tool that does not fill them).
async fn index_unindexed_articles<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    use entities::article;
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
    let stale = article::Entity::find()
        .filter(article::Column::SearchTitle.eq(""))
        .all(db)
        .await?;
    for model in stale {
        let title = crate::search::fold(&model.title);
        let body = crate::search::fold(&crate::search::html_to_text(&model.body_html));
        let mut active = model.into_active_model();
        active.search_title = Set(title);
        active.search_body = Set(body);
        active.update(db).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, Statement};

    async fn pragma(db: &sea_orm::DatabaseConnection, name: &str) -> i64 {
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!("PRAGMA {name}"),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index::<i64>(0).unwrap()
    }

    #[tokio::test]
    async fn sqlite_connections_keep_a_small_page_cache_under_a_heap_limit() {
        let db = super::connect("sqlite::memory:").await.unwrap();
        assert_eq!(
            pragma(&db, "cache_size").await,
            -super::SQLITE_CACHE_KIB,
            "KiB of page cache per connection"
        );
        assert_eq!(
            pragma(&db, "soft_heap_limit").await,
            super::SQLITE_SOFT_HEAP_LIMIT
        );
    }
}
