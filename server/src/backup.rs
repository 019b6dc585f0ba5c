//! Backup and restore: one `.tar.gz` archive holding the database's rows,
//! the media library and the legal documents' files, with a manifest of
//! checksums (`server backup FILE`, `server restore FILE`).
//!
//! The rows are exported in a database-neutral form (JSON Lines, one JSON
//! array per row in the manifest's column order), so an archive written
//! from SQLite restores into PostgreSQL and the other way round.
//!
//! ```text
//! db/<table>.jsonl      the rows of each table, in primary-key order
//! media/…               the media folder (CCHC_MEDIA_DIR)
//! documents/…           the documents folder (CCHC_DOCUMENTS_DIR)
//! manifest.json         written last: format, source database, migrations,
//!                       tables (columns, kinds, row counts), and the size
//!                       and SHA-256 of every other member
//! ```
//!
//! Consistency while the portal serves: every table is read inside one
//! read-only transaction, so the rows agree with each other whatever is
//! written meanwhile. PostgreSQL: `REPEATABLE READ READ ONLY`. SQLite:
//! `VACUUM INTO` first copies the database in one short read transaction
//! (writers wait only for the copy), then the rows are read from the copy. The files are copied after that
//! snapshot: uploaded files are written under a hidden name, renamed into
//! place and never changed afterwards, so every file the rows name is
//! there; a file uploaded after the snapshot may be in the archive too,
//! unreferenced and harmless. Hidden files (staging) are left out.
//!
//! Not in the archive: `seaql_migrations` (the restore runs the migrations,
//! the manifest lists them), the sign-in sessions (`user_session`: everyone
//! signs in again after a restore), SQLite's full-text index (rebuilt by
//! its triggers as the articles are inserted) and PostgreSQL's generated
//! search column (computed again).
//!
//! A restore verifies every member's checksum before it writes anything,
//! and only writes into an empty database (no tables, or a migrated schema
//! without rows) and empty media/documents folders. The rows go in within
//! one transaction; PostgreSQL's sequences are moved past the restored ids.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, IsolationLevel,
    QueryResult, Statement, TransactionTrait, Value,
};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Timestamps without an offset.
const PLAIN_TIMESTAMP: &[time::format_description::BorrowedFormatItem<'_>] =
    time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second].[subsecond]");

/// What `manifest.json`'s `format` says.
pub const FORMAT: &str = "cchc-portal-backup";
/// Raised when the layout changes incompatibly.
pub const FORMAT_VERSION: u32 = 1;

/// Tables never copied (see the module's documentation).
const SKIPPED_TABLES: &[&str] = &["seaql_migrations", "user_session"];
/// Rows read (and inserted) per statement.
const PAGE_ROWS: u64 = 1000;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Refused(String),
}

fn refused<T>(message: impl Into<String>) -> Result<T, BackupError> {
    Err(BackupError::Refused(message.into()))
}

/// The kind of a column, as far as a backup cares: how its values are
/// read, written to JSON and bound again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Int,
    BigInt,
    Float,
    Bool,
    Text,
    /// Bytes, written as lower-case hexadecimal.
    Blob,
    /// `YYYY-MM-DD`.
    Date,
    /// RFC 3339 with its offset.
    TimestampTz,
    /// `YYYY-MM-DD hh:mm:ss.fffffffff`, without offset.
    Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnEntry {
    pub name: String,
    pub kind: Kind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableEntry {
    pub name: String,
    pub columns: Vec<ColumnEntry>,
    pub rows: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// RFC 3339, when the database snapshot was taken.
    pub created_at: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    pub app_version: String,
    /// The migrations applied to the backed-up database, in order.
    pub migrations: Vec<String>,
    /// In dependency order: a table comes after the tables it refers to.
    pub tables: Vec<TableEntry>,
    /// Every member of the archive except `manifest.json`.
    pub files: Vec<FileEntry>,
}

/// One table's columns as the database describes them.
struct Column {
    name: String,
    kind: Kind,
    primary: bool,
    /// A PostgreSQL `serial` or identity column (its sequence is moved
    /// past the restored values).
    serial: bool,
}

fn kind_of(declared: &str) -> Option<Kind> {
    let t = declared.to_ascii_lowercase();
    Some(if t.contains("tsvector") {
        return None;
    } else if t.contains("timestamp") || t.contains("datetime") {
        if t.contains("without") {
            Kind::Timestamp
        } else {
            Kind::TimestampTz
        }
    } else if t.contains("date") {
        Kind::Date
    } else if t.contains("bool") {
        Kind::Bool
    } else if t.contains("bigint") || t == "int8" || t.contains("bigserial") {
        Kind::BigInt
    } else if t.contains("int") || t.contains("serial") {
        Kind::Int
    } else if t.contains("blob") || t.contains("bytea") || t.contains("binary") {
        Kind::Blob
    } else if t.contains("real")
        || t.contains("double")
        || t.contains("float")
        || t.contains("numeric")
        || t.contains("decimal")
    {
        Kind::Float
    } else {
        Kind::Text
    })
}

fn quote(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

fn backend_name(backend: DatabaseBackend) -> &'static str {
    match backend {
        DatabaseBackend::Postgres => "postgres",
        DatabaseBackend::Sqlite => "sqlite",
        _ => "other",
    }
}

async fn strings<C: ConnectionTrait>(
    db: &C,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<String>, DbErr> {
    let backend = db.get_database_backend();
    db.query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?
        .iter()
        .map(|row| row.try_get_by::<String, _>(0usize))
        .collect()
}

/// The ordinary tables (no FTS virtual or shadow tables, no SQLite internals).
async fn table_names<C: ConnectionTrait>(db: &C) -> Result<Vec<String>, DbErr> {
    let sql = match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
        }
        _ => {
            "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' \
             AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        }
    };
    strings(db, sql, vec![]).await
}

async fn columns<C: ConnectionTrait>(db: &C, table: &str) -> Result<Vec<Column>, DbErr> {
    let backend = db.get_database_backend();
    let mut out = Vec::new();
    match backend {
        DatabaseBackend::Postgres => {
            let primary = strings(
                db,
                "SELECT a.attname::text FROM pg_index i JOIN pg_attribute a \
                 ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
                 WHERE i.indrelid = to_regclass($1) AND i.indisprimary",
                vec![quote(table).into()],
            )
            .await?;
            let rows = db
                .query_all_raw(Statement::from_sql_and_values(
                    backend,
                    "SELECT column_name::text, data_type::text, is_generated::text, \
                     COALESCE(column_default, '')::text, is_identity::text \
                     FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name = $1 \
                     ORDER BY ordinal_position",
                    [table.into()],
                ))
                .await?;
            for row in rows {
                let name: String = row.try_get_by(0usize)?;
                let declared: String = row.try_get_by(1usize)?;
                let generated: String = row.try_get_by(2usize)?;
                let default: String = row.try_get_by(3usize)?;
                let identity: String = row.try_get_by(4usize)?;
                if generated == "ALWAYS" {
                    continue;
                }
                if let Some(kind) = kind_of(&declared) {
                    out.push(Column {
                        primary: primary.contains(&name),
                        serial: default.starts_with("nextval(") || identity == "YES",
                        name,
                        kind,
                    });
                }
            }
        }
        _ => {
            let rows = db
                .query_all_raw(Statement::from_sql_and_values(
                    backend,
                    "SELECT name, type, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid",
                    [table.into()],
                ))
                .await?;
            for row in rows {
                let name: String = row.try_get_by(0usize)?;
                let declared: String = row.try_get_by(1usize)?;
                let pk: i64 = row.try_get_by(2usize)?;
                let hidden: i64 = row.try_get_by(3usize)?;
                if hidden != 0 {
                    continue;
                }
                if let Some(kind) = kind_of(&declared) {
                    out.push(Column {
                        name,
                        // Every SQLite integer holds 64 bits.
                        kind: if kind == Kind::Int {
                            Kind::BigInt
                        } else {
                            kind
                        },
                        primary: pk > 0,
                        serial: false,
                    });
                }
            }
        }
    }
    Ok(out)
}

/// `(table, table it refers to)` pairs.
async fn foreign_keys<C: ConnectionTrait>(
    db: &C,
    tables: &[String],
) -> Result<Vec<(String, String)>, DbErr> {
    let backend = db.get_database_backend();
    let mut edges = Vec::new();
    match backend {
        DatabaseBackend::Postgres => {
            let rows = db
                .query_all_raw(Statement::from_string(
                    backend,
                    "SELECT cl.relname::text, ref.relname::text FROM pg_constraint c \
                     JOIN pg_class cl ON cl.oid = c.conrelid \
                     JOIN pg_class ref ON ref.oid = c.confrelid \
                     JOIN pg_namespace n ON n.oid = cl.relnamespace \
                     WHERE c.contype = 'f' AND n.nspname = current_schema()",
                ))
                .await?;
            for row in rows {
                edges.push((row.try_get_by(0usize)?, row.try_get_by(1usize)?));
            }
        }
        _ => {
            for table in tables {
                for target in strings(
                    db,
                    "SELECT \"table\" FROM pragma_foreign_key_list(?)",
                    vec![table.as_str().into()],
                )
                .await?
                {
                    edges.push((table.clone(), target));
                }
            }
        }
    }
    Ok(edges)
}

/// The tables in an order where each comes after those it refers to.
fn dependency_order(tables: &[String], edges: &[(String, String)]) -> Vec<String> {
    let mut left: BTreeSet<&String> = tables.iter().collect();
    let mut order = Vec::new();
    while !left.is_empty() {
        let ready: Vec<&String> = left
            .iter()
            .copied()
            .filter(|table| {
                !edges
                    .iter()
                    .any(|(from, to)| from == *table && to != *table && left.contains(to))
            })
            .collect();
        // A cycle (there is none today): the rest in name order.
        let ready = if ready.is_empty() {
            left.iter().copied().collect()
        } else {
            ready
        };
        for table in ready {
            left.remove(table);
            order.push(table.clone());
        }
    }
    order
}

async fn applied_migrations<C: ConnectionTrait>(db: &C) -> Result<Vec<String>, DbErr> {
    if !table_names(db)
        .await?
        .iter()
        .any(|t| t == "seaql_migrations")
    {
        return Ok(Vec::new());
    }
    strings(
        db,
        "SELECT version FROM seaql_migrations ORDER BY version",
        vec![],
    )
    .await
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

fn read_value(
    row: &QueryResult,
    index: usize,
    kind: Kind,
    backend: DatabaseBackend,
) -> Result<Json, DbErr> {
    let format_err = |e: time::error::Format| DbErr::Custom(e.to_string());
    Ok(match kind {
        Kind::Int if backend == DatabaseBackend::Postgres => {
            row.try_get_by::<Option<i32>, _>(index)?.into()
        }
        Kind::Int | Kind::BigInt => row.try_get_by::<Option<i64>, _>(index)?.into(),
        Kind::Float => row.try_get_by::<Option<f64>, _>(index)?.into(),
        Kind::Bool => row.try_get_by::<Option<bool>, _>(index)?.into(),
        Kind::Text => row.try_get_by::<Option<String>, _>(index)?.into(),
        Kind::Blob => row
            .try_get_by::<Option<Vec<u8>>, _>(index)?
            .map(|b| hex(&b))
            .into(),
        Kind::Date => row
            .try_get_by::<Option<time::Date>, _>(index)?
            .map(|d| d.to_string())
            .into(),
        Kind::TimestampTz => match row.try_get_by::<Option<OffsetDateTime>, _>(index)? {
            Some(t) => t.format(&Rfc3339).map_err(format_err)?.into(),
            None => Json::Null,
        },
        Kind::Timestamp => match row.try_get_by::<Option<time::PrimitiveDateTime>, _>(index)? {
            Some(t) => t.format(PLAIN_TIMESTAMP).map_err(format_err)?.into(),
            None => Json::Null,
        },
    })
}

/// The value to bind for a JSON value from an archive, in a column of `kind`.
fn bind_value(json: &Json, kind: Kind) -> Result<Value, String> {
    let bad = || format!("{json} is not a valid {kind:?} value");
    let text = || json.as_str().ok_or_else(bad);
    let null = json.is_null();
    Ok(match kind {
        Kind::Int => Value::Int(if null {
            None
        } else {
            Some(
                json.as_i64()
                    .and_then(|n| i32::try_from(n).ok())
                    .ok_or_else(bad)?,
            )
        }),
        Kind::BigInt => Value::BigInt(if null {
            None
        } else {
            Some(json.as_i64().ok_or_else(bad)?)
        }),
        Kind::Float => Value::Double(if null {
            None
        } else {
            Some(json.as_f64().ok_or_else(bad)?)
        }),
        Kind::Bool => Value::Bool(if null {
            None
        } else {
            Some(json.as_bool().ok_or_else(bad)?)
        }),
        Kind::Text => Value::String(if null { None } else { Some(text()?.to_owned()) }),
        Kind::Blob => Value::Bytes(if null {
            None
        } else {
            Some(unhex(text()?).ok_or_else(bad)?)
        }),
        Kind::Date => Value::TimeDate(if null {
            None
        } else {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            Some(time::Date::parse(text()?, format).map_err(|_| bad())?)
        }),
        Kind::TimestampTz => Value::TimeDateTimeWithTimeZone(if null {
            None
        } else {
            Some(OffsetDateTime::parse(text()?, &Rfc3339).map_err(|_| bad())?)
        }),
        Kind::Timestamp => Value::TimeDateTime(if null {
            None
        } else {
            Some(time::PrimitiveDateTime::parse(text()?, PLAIN_TIMESTAMP).map_err(|_| bad())?)
        }),
    })
}

/// A table's rows as a backup writes them: the columns, and each row's
/// values in their order.
#[derive(Debug, PartialEq)]
pub struct TableRows {
    pub name: String,
    pub columns: Vec<ColumnEntry>,
    pub rows: Vec<Vec<Json>>,
}

/// The tables a backup copies, in dependency order, with their columns
/// and the `ORDER BY` that lists their rows.
async fn plan<C: ConnectionTrait>(db: &C) -> Result<Vec<(String, Vec<Column>)>, DbErr> {
    let tables: Vec<String> = table_names(db)
        .await?
        .into_iter()
        .filter(|t| !SKIPPED_TABLES.contains(&t.as_str()))
        .collect();
    let edges = foreign_keys(db, &tables).await?;
    let mut out = Vec::new();
    for table in dependency_order(&tables, &edges) {
        let columns = columns(db, &table).await?;
        out.push((table, columns));
    }
    Ok(out)
}

fn select_page(table: &str, columns: &[Column], offset: u64) -> String {
    let list: Vec<String> = columns.iter().map(|c| quote(&c.name)).collect();
    let mut order: Vec<String> = columns
        .iter()
        .filter(|c| c.primary)
        .map(|c| quote(&c.name))
        .collect();
    if order.is_empty() {
        order = list.clone();
    }
    format!(
        "SELECT {} FROM {} ORDER BY {} LIMIT {PAGE_ROWS} OFFSET {offset}",
        list.join(", "),
        quote(table),
        order.join(", ")
    )
}

/// Reads a table page by page, handing each row to `each`.
async fn read_table<C: ConnectionTrait>(
    db: &C,
    table: &str,
    columns: &[Column],
    mut each: impl FnMut(Vec<Json>) -> Result<(), BackupError>,
) -> Result<u64, BackupError> {
    let backend = db.get_database_backend();
    let mut count = 0;
    loop {
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                select_page(table, columns, count),
            ))
            .await?;
        let fetched = rows.len() as u64;
        for row in rows {
            let values = columns
                .iter()
                .enumerate()
                .map(|(i, c)| read_value(&row, i, c.kind, backend))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| DbErr::Custom(format!("{table}: {e}")))?;
            each(values)?;
        }
        count += fetched;
        if fetched < PAGE_ROWS {
            return Ok(count);
        }
    }
}

/// Every copied table's rows, as a backup would write them (for checks
/// and tests; a backup itself streams them).
pub async fn table_rows(db: &DatabaseConnection) -> Result<Vec<TableRows>, BackupError> {
    let txn = begin_snapshot(db).await?;
    let mut out = Vec::new();
    for (name, columns) in plan(&txn).await? {
        let mut rows = Vec::new();
        read_table(&txn, &name, &columns, |row| {
            rows.push(row);
            Ok(())
        })
        .await?;
        out.push(TableRows {
            name,
            columns: entries(&columns),
            rows,
        });
    }
    txn.commit().await?;
    Ok(out)
}

fn entries(columns: &[Column]) -> Vec<ColumnEntry> {
    columns
        .iter()
        .map(|c| ColumnEntry {
            name: c.name.clone(),
            kind: c.kind,
        })
        .collect()
}

async fn begin_snapshot(db: &DatabaseConnection) -> Result<sea_orm::DatabaseTransaction, DbErr> {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            db.begin_with_config(
                Some(IsolationLevel::RepeatableRead),
                Some(AccessMode::ReadOnly),
            )
            .await
        }
        // A deferred transaction: its first read fixes the WAL snapshot
        // every later read of it sees.
        _ => db.begin().await,
    }
}

/// A writer that counts and hashes what passes through it.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    size: u64,
}

impl<W> Hashing<W> {
    fn new(inner: W) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            size: 0,
        }
    }

    fn finish(self) -> (u64, String) {
        (self.size, hex(&self.hasher.finalize()))
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
}

/// The regular, non-hidden files under `dir`, as paths relative to it
/// (with `/`), sorted. A missing folder has none.
fn list_files(dir: &Path) -> std::io::Result<Vec<String>> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> std::io::Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            let kind = entry.file_type()?;
            let path = format!("{prefix}{name}");
            if kind.is_dir() {
                walk(&entry.path(), &format!("{path}/"), out)?;
            } else if kind.is_file() {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    if dir.is_dir() {
        walk(dir, "", &mut out)?;
    }
    Ok(out)
}

/// Whether `dir` is missing or holds nothing.
fn is_empty_dir(dir: &Path) -> std::io::Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(e),
    }
}

/// Writes a backup of the database and of the two folders to `out`
/// (a `.tar.gz`), while the portal may keep serving. The archive appears
/// under its name only once complete.
pub async fn backup(
    db: &DatabaseConnection,
    media_dir: &Path,
    documents_dir: &Path,
    out: &Path,
) -> Result<Manifest, BackupError> {
    let staging = sibling(out, "staging")?;
    private_dir(&staging)?;
    std::fs::create_dir_all(staging.join("db"))?;
    let result = backup_into(db, media_dir, documents_dir, out, &staging).await;
    let _ = std::fs::remove_dir_all(&staging);
    result
}

fn sibling(out: &Path, what: &str) -> Result<PathBuf, BackupError> {
    let Some(name) = out.file_name().and_then(|n| n.to_str()) else {
        return refused(format!("{} is not a file name", out.display()));
    };
    Ok(out.with_file_name(format!(".{name}.{what}-{}", std::process::id())))
}

async fn backup_into(
    db: &DatabaseConnection,
    media_dir: &Path,
    documents_dir: &Path,
    out: &Path,
    staging: &Path,
) -> Result<Manifest, BackupError> {
    let backend = db.get_database_backend();
    // SQLite: `VACUUM INTO` copies the database in one short read
    // transaction (without WAL a long one would hold writers back); the
    // rows are then read from the copy at leisure.
    let copy = if backend == DatabaseBackend::Sqlite {
        let path = staging.join("snapshot.db");
        let path = path
            .to_str()
            .ok_or_else(|| BackupError::Refused("the backup's folder is not UTF-8".to_owned()))?;
        db.execute_unprepared(&format!("VACUUM INTO '{}'", path.replace('\'', "''")))
            .await?;
        Some(crate::db::connect(&format!("sqlite://{path}?mode=ro")).await?)
    } else {
        None
    };
    let result = export(copy.as_ref().unwrap_or(db), staging).await;
    if let Some(copy) = copy {
        copy.close().await?;
        let _ = std::fs::remove_file(staging.join("snapshot.db"));
    }
    let manifest = result?;
    let (media_dir, documents_dir) = (media_dir.to_owned(), documents_dir.to_owned());
    let (out, staging) = (out.to_owned(), staging.to_owned());
    tokio::task::spawn_blocking(move || {
        write_archive(manifest, &media_dir, &documents_dir, &out, &staging)
    })
    .await
    .map_err(|e| BackupError::Io(std::io::Error::other(e)))?
}

/// Writes each table's rows into `staging/db/`, from one snapshot; the
/// manifest without the media and documents files.
async fn export(db: &DatabaseConnection, staging: &Path) -> Result<Manifest, BackupError> {
    let backend = db.get_database_backend();
    let txn = begin_snapshot(db).await?;
    let created_at = OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .map_err(|e| BackupError::Refused(e.to_string()))?;
    let migrations = applied_migrations(&txn).await?;
    let mut tables = Vec::new();
    let mut db_files = Vec::new();
    for (name, columns) in plan(&txn).await? {
        let member = format!("db/{name}.jsonl");
        let mut file = Hashing::new(std::io::BufWriter::new(std::fs::File::create(
            staging.join(&member),
        )?));
        let rows = read_table(&txn, &name, &columns, |row| {
            serde_json::to_writer(&mut file, &row).map_err(std::io::Error::other)?;
            file.write_all(b"\n")?;
            Ok(())
        })
        .await?;
        file.flush()?;
        let (size, sha256) = file.finish();
        db_files.push(FileEntry {
            path: member,
            size,
            sha256,
        });
        tables.push(TableEntry {
            name,
            columns: entries(&columns),
            rows,
        });
    }
    txn.commit().await?;
    Ok(Manifest {
        format: FORMAT.to_owned(),
        format_version: FORMAT_VERSION,
        created_at,
        backend: backend_name(backend).to_owned(),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        migrations,
        tables,
        files: db_files,
    })
}

/// A new file only its owner can read: an archive holds password hashes
/// and citizens' contact details.
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// A new folder only its owner can enter (the backup's staging area).
fn private_dir(path: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

fn write_archive(
    mut manifest: Manifest,
    media_dir: &Path,
    documents_dir: &Path,
    out: &Path,
    staging: &Path,
) -> Result<Manifest, BackupError> {
    let partial = sibling(out, "partial")?;
    let file = private_file(&partial)?;
    let mut tar = tar::Builder::new(flate2::write::GzEncoder::new(
        std::io::BufWriter::new(file),
        flate2::Compression::default(),
    ));
    let result = (|| -> Result<(), BackupError> {
        for entry in &manifest.files {
            tar.append_path_with_name(staging.join(&entry.path), &entry.path)?;
        }
        for (prefix, dir) in [("media", media_dir), ("documents", documents_dir)] {
            for relative in list_files(dir)? {
                let path = dir.join(&relative);
                let file = std::fs::File::open(&path)?;
                let size = file.metadata()?.len();
                let member = format!("{prefix}/{relative}");
                let mut header = tar::Header::new_gnu();
                header.set_size(size);
                header.set_mode(0o644);
                header.set_mtime(
                    std::fs::metadata(&path)?
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_secs()),
                );
                let mut reader = Hashing::new(file.take(size));
                tar.append_data(&mut header, &member, &mut reader)?;
                let (read, sha256) = reader.finish();
                if read != size {
                    return refused(format!("{} changed while it was copied", path.display()));
                }
                manifest.files.push(FileEntry {
                    path: member,
                    size,
                    sha256,
                });
            }
        }
        let json = serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?;
        let mut header = tar::Header::new_gnu();
        header.set_size(json.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(OffsetDateTime::now_utc().unix_timestamp().max(0) as u64);
        tar.append_data(&mut header, "manifest.json", json.as_slice())?;
        let mut writer = tar.into_inner()?.finish()?;
        writer.flush()?;
        writer
            .into_inner()
            .map_err(|e| e.into_error())?
            .sync_all()?;
        std::fs::rename(&partial, out)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result.map(|()| manifest)
}

/// Reads an archive's manifest and checks every member against it: the
/// same members, sizes and SHA-256.
pub fn verify(archive: &Path) -> Result<Manifest, BackupError> {
    let mut tar = open(archive)?;
    let mut seen = BTreeMap::new();
    let mut manifest = None;
    for entry in tar.entries()? {
        let mut entry = entry?;
        let path = member_path(&entry)?;
        if path == "manifest.json" {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes)?;
            manifest = Some(
                serde_json::from_slice::<Manifest>(&bytes)
                    .map_err(|e| BackupError::Refused(format!("manifest.json: {e}")))?,
            );
            continue;
        }
        let mut reader = Hashing::new(&mut entry);
        std::io::copy(&mut reader, &mut std::io::sink())?;
        seen.insert(path, reader.finish());
    }
    let Some(manifest) = manifest else {
        return refused("not a portal backup: it has no manifest.json");
    };
    if manifest.format != FORMAT || manifest.format_version != FORMAT_VERSION {
        return refused(format!(
            "unsupported backup format {} version {} (this portal reads {FORMAT} version {FORMAT_VERSION})",
            manifest.format, manifest.format_version
        ));
    }
    let listed: BTreeMap<String, (u64, String)> = manifest
        .files
        .iter()
        .map(|f| (f.path.clone(), (f.size, f.sha256.clone())))
        .collect();
    for (path, found) in &seen {
        match listed.get(path) {
            None => return refused(format!("{path} is in the archive but not in its manifest")),
            Some(expected) if expected != found => {
                return refused(format!("{path} is damaged: its size or checksum differs"));
            }
            Some(_) => {}
        }
    }
    if let Some(missing) = listed.keys().find(|p| !seen.contains_key(*p)) {
        return refused(format!("{missing} is missing from the archive"));
    }
    Ok(manifest)
}

fn open(
    archive: &Path,
) -> Result<tar::Archive<flate2::read::GzDecoder<std::io::BufReader<std::fs::File>>>, BackupError> {
    let file = std::fs::File::open(archive)
        .map_err(|e| BackupError::Refused(format!("{}: {e}", archive.display())))?;
    Ok(tar::Archive::new(flate2::read::GzDecoder::new(
        std::io::BufReader::new(file),
    )))
}

/// A member's path, refused unless it is plain (no `..`, not absolute).
fn member_path<R: Read>(entry: &tar::Entry<R>) -> Result<String, BackupError> {
    let path = entry.path()?;
    if !path.components().all(|c| matches!(c, Component::Normal(_))) {
        return refused(format!("unsafe path in the archive: {}", path.display()));
    }
    path.to_str()
        .map(str::to_owned)
        .ok_or_else(|| BackupError::Refused("a path in the archive is not UTF-8".to_owned()))
}

/// Restores `archive` into an empty database and empty media and documents
/// folders. Every checksum is verified first; the rows go in within one
/// transaction; the files come last.
pub async fn restore(
    db: &DatabaseConnection,
    media_dir: &Path,
    documents_dir: &Path,
    archive: &Path,
) -> Result<Manifest, BackupError> {
    let path = archive.to_owned();
    let manifest = tokio::task::spawn_blocking(move || verify(&path))
        .await
        .map_err(|e| BackupError::Io(std::io::Error::other(e)))??;

    let known: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    if !known.starts_with(&manifest.migrations) {
        return refused(
            "this backup was made by a newer or different version of the portal; \
             restore it with that version",
        );
    }
    for dir in [media_dir, documents_dir] {
        if !is_empty_dir(dir)? {
            return refused(format!(
                "{} is not empty; restore into an empty folder (move its files away first)",
                dir.display()
            ));
        }
    }
    let applied = applied_migrations(db).await?;
    let not_empty = "the target database is not empty; create a new, empty database \
                     (or delete the SQLite file), point DATABASE_URL at it and run restore again";
    if !manifest.migrations.starts_with(&applied) {
        return refused(not_empty);
    }
    for table in table_names(db).await? {
        if table == "seaql_migrations" {
            continue;
        }
        if applied.is_empty() {
            return refused(not_empty);
        }
        let count = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT COUNT(*) FROM {}", quote(&table)),
            ))
            .await?
            .map(|row| row.try_get_by::<i64, _>(0usize))
            .transpose()?
            .unwrap_or_default();
        if count > 0 {
            return refused(not_empty);
        }
    }

    let txn = crate::db::begin_write(db).await?;
    let pending = manifest.migrations.len() - applied.len();
    if pending > 0 {
        Migrator::up(&txn, Some(pending as u32)).await?;
    }
    restore_rows(&txn, &manifest, archive).await?;
    txn.commit().await?;

    let (path, media, documents) = (
        archive.to_owned(),
        media_dir.to_owned(),
        documents_dir.to_owned(),
    );
    let listed: BTreeMap<String, String> = manifest
        .files
        .iter()
        .map(|f| (f.path.clone(), f.sha256.clone()))
        .collect();
    tokio::task::spawn_blocking(move || restore_files(&path, &media, &documents, &listed))
        .await
        .map_err(|e| BackupError::Io(std::io::Error::other(e)))?
        .map_err(|e| {
            BackupError::Refused(format!(
                "the database was restored but the files were not ({e}); \
                 empty the database and both folders and restore again"
            ))
        })?;
    Ok(manifest)
}

/// Reads the rows of the archive's tables in a blocking task, in batches,
/// and inserts them in the manifest's order.
async fn restore_rows(
    txn: &sea_orm::DatabaseTransaction,
    manifest: &Manifest,
    archive: &Path,
) -> Result<(), BackupError> {
    let backend = txn.get_database_backend();
    let (sender, mut receiver) =
        tokio::sync::mpsc::channel::<Result<(String, Vec<Vec<Json>>), BackupError>>(4);
    let path = archive.to_owned();
    let hashes: BTreeMap<String, String> = manifest
        .files
        .iter()
        .map(|f| (f.path.clone(), f.sha256.clone()))
        .collect();
    let reader = tokio::task::spawn_blocking(move || {
        let send = |item| sender.blocking_send(item).is_ok();
        let result = (|| -> Result<(), BackupError> {
            for entry in open(&path)?.entries()? {
                let mut entry = entry?;
                let member = member_path(&entry)?;
                let Some(table) = member
                    .strip_prefix("db/")
                    .and_then(|m| m.strip_suffix(".jsonl"))
                    .map(str::to_owned)
                else {
                    continue;
                };
                let mut reader = std::io::BufReader::new(Hashing::new(&mut entry));
                let mut batch = Vec::new();
                let mut line = String::new();
                loop {
                    line.clear();
                    if std::io::BufRead::read_line(&mut reader, &mut line)? == 0 {
                        break;
                    }
                    let row: Vec<Json> = serde_json::from_str(&line)
                        .map_err(|e| BackupError::Refused(format!("{member}: {e}")))?;
                    batch.push(row);
                    if batch.len() as u64 == PAGE_ROWS
                        && !send(Ok((table.clone(), std::mem::take(&mut batch))))
                    {
                        return Ok(());
                    }
                }
                let (_, sha256) = reader.into_inner().finish();
                if hashes.get(&member) != Some(&sha256) {
                    return refused(format!("{member} changed while it was restored"));
                }
                if !send(Ok((table, batch))) {
                    return Ok(());
                }
            }
            Ok(())
        })();
        if let Err(e) = result {
            send(Err(e));
        }
    });

    let mut targets: BTreeMap<String, Vec<Column>> = BTreeMap::new();
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    while let Some(item) = receiver.recv().await {
        let (table, rows) = item?;
        let Some(entry) = manifest.tables.iter().find(|t| t.name == table) else {
            return refused(format!("db/{table}.jsonl is not a table of the manifest"));
        };
        if !targets.contains_key(&table) {
            targets.insert(table.clone(), columns(txn, &table).await?);
        }
        let target = &targets[&table];
        let kinds = entry
            .columns
            .iter()
            .map(|c| {
                target
                    .iter()
                    .find(|t| t.name == c.name)
                    .map(|t| t.kind)
                    .ok_or_else(|| {
                        BackupError::Refused(format!(
                            "the column {table}.{} does not exist in this database",
                            c.name
                        ))
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        *counts.entry(table.clone()).or_default() += rows.len() as u64;
        insert_rows(txn, backend, &table, &entry.columns, &kinds, rows).await?;
    }
    reader
        .await
        .map_err(|e| BackupError::Io(std::io::Error::other(e)))?;
    for table in &manifest.tables {
        let restored = counts.get(&table.name).copied().unwrap_or_default();
        if restored != table.rows {
            return refused(format!(
                "{}: {restored} rows restored, the manifest says {}",
                table.name, table.rows
            ));
        }
    }
    if backend == DatabaseBackend::Postgres {
        for (table, columns) in &targets {
            for column in columns.iter().filter(|c| c.serial) {
                txn.execute_raw(Statement::from_sql_and_values(
                    backend,
                    format!(
                        "SELECT setval(pg_get_serial_sequence($1, $2), \
                         COALESCE((SELECT MAX({c}) FROM {t}), 0) + 1, false)",
                        c = quote(&column.name),
                        t = quote(table)
                    ),
                    [quote(table).into(), column.name.clone().into()],
                ))
                .await?;
            }
        }
    }
    Ok(())
}

async fn insert_rows(
    txn: &sea_orm::DatabaseTransaction,
    backend: DatabaseBackend,
    table: &str,
    columns: &[ColumnEntry],
    kinds: &[Kind],
    rows: Vec<Vec<Json>>,
) -> Result<(), BackupError> {
    if columns.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = columns.iter().map(|c| quote(&c.name)).collect();
    let per_statement = (500 / columns.len()).max(1);
    for chunk in rows.chunks(per_statement) {
        let mut values = Vec::with_capacity(chunk.len() * columns.len());
        let mut tuples = Vec::with_capacity(chunk.len());
        for row in chunk {
            if row.len() != columns.len() {
                return refused(format!("db/{table}.jsonl: a row has the wrong length"));
            }
            let mut marks = Vec::with_capacity(row.len());
            for (value, kind) in row.iter().zip(kinds) {
                values.push(
                    bind_value(value, *kind)
                        .map_err(|e| BackupError::Refused(format!("{table}: {e}")))?,
                );
                marks.push(match backend {
                    DatabaseBackend::Postgres => format!("${}", values.len()),
                    _ => "?".to_owned(),
                });
            }
            tuples.push(format!("({})", marks.join(", ")));
        }
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "INSERT INTO {} ({}) VALUES {}",
                quote(table),
                names.join(", "),
                tuples.join(", ")
            ),
            values,
        ))
        .await?;
    }
    Ok(())
}

fn restore_files(
    archive: &Path,
    media_dir: &Path,
    documents_dir: &Path,
    listed: &BTreeMap<String, String>,
) -> Result<(), BackupError> {
    for entry in open(archive)?.entries()? {
        let mut entry = entry?;
        let member = member_path(&entry)?;
        let (dir, relative) = if let Some(rest) = member.strip_prefix("media/") {
            (media_dir, rest)
        } else if let Some(rest) = member.strip_prefix("documents/") {
            (documents_dir, rest)
        } else {
            continue;
        };
        let target = dir.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut out = Hashing::new(std::fs::File::create(&target)?);
        std::io::copy(&mut entry, &mut out)?;
        let (_, sha256) = out.finish();
        if listed.get(&member) != Some(&sha256) {
            return refused(format!("{member} changed while it was restored"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_declared_types() {
        assert_eq!(kind_of("integer"), Some(Kind::Int));
        assert_eq!(kind_of("bigint"), Some(Kind::BigInt));
        assert_eq!(kind_of("timestamp with time zone"), Some(Kind::TimestampTz));
        assert_eq!(
            kind_of("timestamp_with_timezone_text"),
            Some(Kind::TimestampTz)
        );
        assert_eq!(kind_of("date_text"), Some(Kind::Date));
        assert_eq!(kind_of("varchar(255)"), Some(Kind::Text));
        assert_eq!(kind_of("character varying"), Some(Kind::Text));
        assert_eq!(kind_of("blob"), Some(Kind::Blob));
        assert_eq!(kind_of("bytea"), Some(Kind::Blob));
        assert_eq!(kind_of("boolean"), Some(Kind::Bool));
        assert_eq!(kind_of("tsvector"), None);
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(unhex(&hex(&[0, 1, 254, 255])), Some(vec![0, 1, 254, 255]));
        assert_eq!(unhex("abc"), None);
    }

    #[test]
    fn orders_tables_by_their_references() {
        let tables: Vec<String> = ["b", "a", "c"].iter().map(|s| s.to_string()).collect();
        let edges = vec![
            ("a".to_owned(), "b".to_owned()),
            ("b".to_owned(), "c".to_owned()),
            ("c".to_owned(), "c".to_owned()),
        ];
        assert_eq!(dependency_order(&tables, &edges), ["c", "b", "a"]);
    }
}
