//! Server-side sessions in the database: a `tower-sessions` store on
//! SeaORM, so that every app server sharing the database sees every
//! session, and a user's sessions can be ended together (password change,
//! deactivation).

use async_trait::async_trait;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use crate::db::entities::user_session;

/// The key under which a session keeps its user's id.
pub const USER_ID_KEY: &str = "user_id";

#[derive(Clone, Debug)]
pub struct SeaSessionStore {
    db: DatabaseConnection,
}

impl SeaSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

fn backend(err: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

#[async_trait]
impl SessionStore for SeaSessionStore {
    /// Inserts a new session; on the (astronomically unlikely) collision of
    /// its random id with an existing one, draws another id.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            let exists = user_session::Entity::find_by_id(record.id.to_string())
                .one(&self.db)
                .await
                .map_err(backend)?
                .is_some();
            if !exists {
                return self.save(record).await;
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(record)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let user_id = record
            .data
            .get(USER_ID_KEY)
            .and_then(|v| v.as_i64())
            .and_then(|v| i32::try_from(v).ok());
        let row = user_session::ActiveModel {
            id: Set(record.id.to_string()),
            user_id: Set(user_id),
            data: Set(data),
            expires_at: Set(record.expiry_date),
        };
        user_session::Entity::insert(row)
            .on_conflict(
                OnConflict::column(user_session::Column::Id)
                    .update_columns([
                        user_session::Column::UserId,
                        user_session::Column::Data,
                        user_session::Column::ExpiresAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row = user_session::Entity::find_by_id(id.to_string())
            .filter(user_session::Column::ExpiresAt.gt(OffsetDateTime::now_utc()))
            .one(&self.db)
            .await
            .map_err(backend)?;
        row.map(|row| {
            serde_json::from_str(&row.data).map_err(|e| session_store::Error::Decode(e.to_string()))
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        user_session::Entity::delete_by_id(id.to_string())
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

/// Ends every session of `user_id` except `keep` (the one the user is
/// changing their password in).
pub async fn end_sessions_of<C: sea_orm::ConnectionTrait>(
    db: &C,
    user_id: i32,
    keep: Option<&str>,
) -> Result<u64, sea_orm::DbErr> {
    let mut delete =
        user_session::Entity::delete_many().filter(user_session::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        delete = delete.filter(user_session::Column::Id.ne(keep));
    }
    Ok(delete.exec(db).await?.rows_affected)
}

/// Deletes expired sessions; returns how many.
pub async fn delete_expired(db: &DatabaseConnection) -> Result<u64, sea_orm::DbErr> {
    Ok(user_session::Entity::delete_many()
        .filter(user_session::Column::ExpiresAt.lte(OffsetDateTime::now_utc()))
        .exec(db)
        .await?
        .rows_affected)
}
