//! Accounts: creating them, finding them, changing passwords.

use app::error::FieldError;
use app::model::accounts::{CurrentUser, Role};
use app::ssr::StoreError;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter,
};
use time::OffsetDateTime;

use super::password::{MIN_PASSWORD_CHARS, hash_password};
use crate::db::entities::app_user;

/// A stored account.
#[derive(Clone, Debug)]
pub struct Account {
    pub user: CurrentUser,
    pub active: bool,
    pub password_hash: String,
}

fn storage(err: sea_orm::DbErr) -> StoreError {
    StoreError::storage(err)
}

fn account(model: app_user::Model) -> Result<Account, StoreError> {
    let role = Role::parse(&model.role).ok_or_else(|| {
        StoreError::Storage(format!(
            "user {} has an unknown role {:?}",
            model.id, model.role
        ))
    })?;
    Ok(Account {
        user: CurrentUser {
            id: model.id,
            username: model.username,
            display_name: model.display_name,
            role,
        },
        active: model.active,
        password_hash: model.password_hash,
    })
}

/// How a user name is compared and stored: trimmed, NFC, lower case.
pub fn normalise_username(name: &str) -> String {
    crate::text::nfc(name.trim()).to_lowercase()
}

/// Checks a new user name and password; every problem at once, by field.
pub fn validate(username: &str, password: &str) -> Result<(), StoreError> {
    let mut problems = Vec::new();
    let ok_chars = username
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if !(3..=50).contains(&username.chars().count()) || !ok_chars {
        problems.push(FieldError::new(
            "username",
            "Tên đăng nhập gồm 3 đến 50 ký tự: chữ không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang.",
        ));
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        problems.push(FieldError::new(
            "password",
            &format!("Mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự."),
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(problems))
    }
}

/// Creates an account; returns its id.
pub async fn create_user(
    db: &DatabaseConnection,
    username: &str,
    display_name: &str,
    password: &str,
    role: Role,
) -> Result<i32, StoreError> {
    let username = normalise_username(username);
    validate(&username, password)?;
    if find_by_username(db, &username).await?.is_some() {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "username",
            "Tên đăng nhập này đã có người dùng.",
        )]));
    }
    let password = password.to_owned();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(StoreError::storage)?
        .map_err(StoreError::Storage)?;
    let display_name = crate::text::nfc(display_name.trim()).into_owned();
    let model = app_user::ActiveModel {
        display_name: Set(if display_name.is_empty() {
            username.clone()
        } else {
            display_name
        }),
        username: Set(username),
        password_hash: Set(hash),
        role: Set(role.as_str().to_owned()),
        active: Set(true),
        created_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(storage)?;
    Ok(model.id)
}

pub async fn find_by_username(
    db: &DatabaseConnection,
    username: &str,
) -> Result<Option<Account>, StoreError> {
    app_user::Entity::find()
        .filter(app_user::Column::Username.eq(normalise_username(username)))
        .one(db)
        .await
        .map_err(storage)?
        .map(account)
        .transpose()
}

pub async fn find_by_id(db: &DatabaseConnection, id: i32) -> Result<Option<Account>, StoreError> {
    app_user::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(storage)?
        .map(account)
        .transpose()
}

/// Sets a new password and ends the user's other sessions (all but `keep`).
pub async fn set_password(
    db: &DatabaseConnection,
    user_id: i32,
    password: &str,
    keep: Option<&str>,
) -> Result<(), StoreError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "password",
            &format!("Mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự."),
        )]));
    }
    let found = app_user::Entity::find_by_id(user_id)
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(StoreError::NotFound)?;
    let password = password.to_owned();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(StoreError::storage)?
        .map_err(StoreError::Storage)?;
    let mut active: app_user::ActiveModel = found.into();
    active.password_hash = Set(hash);
    active.update(db).await.map_err(storage)?;
    super::sessions::end_sessions_of(db, user_id, keep)
        .await
        .map_err(storage)?;
    Ok(())
}

/// How many accounts exist.
pub async fn count(db: &DatabaseConnection) -> Result<u64, StoreError> {
    app_user::Entity::find().count(db).await.map_err(storage)
}

#[cfg(test)]
mod tests {
    use super::{normalise_username, validate};

    #[test]
    fn user_names_and_passwords_are_checked() {
        assert_eq!(normalise_username("  Nguyen.Van-A "), "nguyen.van-a");
        assert!(validate("bientap", "mot mat khau dai").is_ok());
        assert!(validate("ab", "mot mat khau dai").is_err());
        assert!(validate("biên tập", "mot mat khau dai").is_err());
        assert!(validate("bientap", "ngan").is_err());
    }
}

/// The SeaORM implementation of [`app::ssr::Accounts`].
#[derive(Clone)]
pub struct AccountStore {
    db: DatabaseConnection,
    /// The public origin, for one-time links.
    public_url: String,
}

impl AccountStore {
    pub fn new(db: DatabaseConnection, public_url: impl Into<String>) -> Self {
        Self {
            db,
            public_url: public_url.into(),
        }
    }
}

#[async_trait::async_trait]
impl app::ssr::Accounts for AccountStore {
    async fn users(&self) -> Result<Vec<app::model::accounts::UserSummary>, StoreError> {
        super::admin::list(&self.db).await
    }

    async fn invite(
        &self,
        by: &CurrentUser,
        new: app::model::accounts::NewUser,
    ) -> Result<app::model::accounts::PasswordLink, StoreError> {
        super::admin::invite(
            &self.db,
            by,
            new,
            &self.public_url,
            OffsetDateTime::now_utc(),
        )
        .await
    }

    async fn change_role(&self, by: &CurrentUser, id: i32, role: Role) -> Result<(), StoreError> {
        super::admin::change_role(&self.db, by, id, role, OffsetDateTime::now_utc()).await
    }

    async fn set_active(&self, by: &CurrentUser, id: i32, active: bool) -> Result<(), StoreError> {
        super::admin::set_active(&self.db, by, id, active, OffsetDateTime::now_utc()).await
    }

    async fn reset_password(
        &self,
        by: &CurrentUser,
        id: i32,
    ) -> Result<app::model::accounts::PasswordLink, StoreError> {
        super::admin::reset_password(
            &self.db,
            by,
            id,
            &self.public_url,
            OffsetDateTime::now_utc(),
        )
        .await
    }

    async fn audit_log(
        &self,
        before: Option<i64>,
    ) -> Result<Vec<app::model::accounts::AuditEntry>, StoreError> {
        crate::audit::page(&self.db, before).await
    }

    async fn link_owner(&self, token: String) -> Result<Option<(String, String)>, StoreError> {
        super::admin::link_owner(&self.db, &token, OffsetDateTime::now_utc()).await
    }

    async fn change_password(
        &self,
        user_id: i32,
        current: String,
        new: String,
        keep_session: String,
    ) -> Result<(), StoreError> {
        let account = find_by_id(&self.db, user_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let stored = account.password_hash;
        let matches = tokio::task::spawn_blocking(move || {
            super::password::verify_password(&current, &stored)
        })
        .await
        .map_err(StoreError::storage)?;
        if !matches {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "current",
                "Mật khẩu hiện tại không đúng.",
            )]));
        }
        set_password(&self.db, user_id, &new, Some(&keep_session)).await
    }
}
