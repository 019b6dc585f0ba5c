//! Site settings, stored as JSON documents under a key.

use app::site::SiteIdentity;
use app::ssr::{SiteSettings, StoreError};
use async_trait::async_trait;
use sea_orm::DatabaseConnection;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbErr, DeriveIden};

#[derive(DeriveIden)]
enum SiteSetting {
    Table,
    Key,
    Value,
}

const IDENTITY: &str = "identity";

async fn load<C: ConnectionTrait>(db: &C, key: &str) -> Result<Option<String>, DbErr> {
    let select = Query::select()
        .column(SiteSetting::Value)
        .from(SiteSetting::Table)
        .and_where(Expr::col(SiteSetting::Key).eq(key))
        .to_owned();
    match db.query_one(&select).await? {
        Some(row) => Ok(Some(row.try_get("", "value")?)),
        None => Ok(None),
    }
}

async fn store<C: ConnectionTrait>(
    db: &C,
    key: &str,
    value: String,
    replace: bool,
) -> Result<(), DbErr> {
    let mut on_conflict = OnConflict::column(SiteSetting::Key);
    if replace {
        on_conflict.update_column(SiteSetting::Value);
    } else {
        on_conflict.do_nothing();
    }
    let mut insert = Query::insert();
    insert
        .into_table(SiteSetting::Table)
        .columns([SiteSetting::Key, SiteSetting::Value])
        .values([key.into(), value.into()])
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .on_conflict(on_conflict.to_owned());
    db.execute(&insert).await?;
    Ok(())
}

/// The stored identity; the built-in one if none is stored yet.
pub async fn identity<C: ConnectionTrait>(db: &C) -> Result<SiteIdentity, DbErr> {
    match load(db, IDENTITY).await? {
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| DbErr::Custom(format!("the stored site identity is malformed: {e}"))),
        None => Ok(SiteIdentity::default()),
    }
}

pub async fn save_identity<C: ConnectionTrait>(
    db: &C,
    identity: &SiteIdentity,
) -> Result<(), DbErr> {
    let json = serde_json::to_string(identity).map_err(|e| DbErr::Custom(e.to_string()))?;
    store(db, IDENTITY, json, true).await
}

/// Stores the reference page's identity unless one is stored already.
pub async fn seed_identity<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    let json = serde_json::to_string(&SiteIdentity::default())
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    store(db, IDENTITY, json, false).await
}

/// The SeaORM implementation of [`SiteSettings`].
#[derive(Clone)]
pub struct SettingsStore {
    db: DatabaseConnection,
}

impl SettingsStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

#[async_trait]
impl SiteSettings for SettingsStore {
    async fn site_identity(&self) -> Result<SiteIdentity, StoreError> {
        identity(&self.db).await.map_err(StoreError::storage)
    }
}
