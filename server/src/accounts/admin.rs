//! Managing users (admins): invite with a one-time link that sets the
//! password, change roles, deactivate (their sessions end at once), issue a
//! password reset link. The last active admin can be neither demoted nor
//! deactivated. Every change is written to the audit log in its transaction.

use app::error::FieldError;
use app::model::accounts::{AuditAction, CurrentUser, NewUser, PasswordLink, Role, UserSummary};
use app::ssr::StoreError;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::password::{MIN_PASSWORD_CHARS, hash_password};
use super::users::normalise_username;
use crate::audit::{self, Event};
use crate::db::entities::{app_user, password_link};

/// How long a one-time link works, in hours.
pub const LINK_HOURS: i64 = 72;
/// Where a one-time link leads.
pub const SET_PASSWORD_PATH: &str = "/dat-mat-khau";

fn storage(err: sea_orm::DbErr) -> StoreError {
    StoreError::storage(err)
}

fn invalid(field: &str, message: &str) -> StoreError {
    StoreError::Invalid(vec![FieldError::new(field, message)])
}

/// The stored form of a link's token: SHA-256, hex. A stolen database
/// holds no usable link.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn new_token() -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Storage(format!("no randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

async fn begin_write(db: &DatabaseConnection) -> Result<sea_orm::DatabaseTransaction, StoreError> {
    crate::db::begin_write(db).await.map_err(storage)
}

/// Inside a writing transaction: whether an active admin other than
/// `except` remains. On PostgreSQL the admins' rows are locked, so two
/// admins demoting each other at once cannot both succeed.
async fn another_admin<C: ConnectionTrait>(txn: &C, except: i32) -> Result<bool, StoreError> {
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(
            "SELECT id FROM app_user WHERE role = 'admin' AND active FOR UPDATE",
        )
        .await
        .map_err(storage)?;
    }
    let others = app_user::Entity::find()
        .filter(app_user::Column::Role.eq(Role::Admin.as_str()))
        .filter(app_user::Column::Active.eq(true))
        .filter(app_user::Column::Id.ne(except))
        .count(txn)
        .await
        .map_err(storage)?;
    Ok(others > 0)
}

async fn load<C: ConnectionTrait>(txn: &C, id: i32) -> Result<app_user::Model, StoreError> {
    app_user::Entity::find_by_id(id)
        .one(txn)
        .await
        .map_err(storage)?
        .ok_or(StoreError::NotFound)
}

fn role_of(model: &app_user::Model) -> Role {
    Role::parse(&model.role).unwrap_or(Role::Author)
}

fn describe(model: &app_user::Model) -> String {
    format!("{} ({})", model.display_name, model.username)
}

/// Every account, admins first, then by user name.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<UserSummary>, StoreError> {
    let mut users: Vec<UserSummary> = app_user::Entity::find()
        .order_by_asc(app_user::Column::Username)
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|m| UserSummary {
            id: m.id,
            role: role_of(&m),
            invited: m.password_hash.is_empty(),
            username: m.username,
            display_name: m.display_name,
            active: m.active,
            created_at: m.created_at,
        })
        .collect();
    users.sort_by(|a, b| b.role.cmp(&a.role).then(a.username.cmp(&b.username)));
    Ok(users)
}

/// Stores a new one-time link for `user_id` (earlier unused ones of the
/// user stop working) and returns it.
async fn issue_link<C: ConnectionTrait>(
    txn: &C,
    user_id: i32,
    purpose: &str,
    by: i32,
    public_url: &str,
    now: OffsetDateTime,
) -> Result<PasswordLink, StoreError> {
    password_link::Entity::delete_many()
        .filter(password_link::Column::UserId.eq(user_id))
        .filter(password_link::Column::UsedAt.is_null())
        .exec(txn)
        .await
        .map_err(storage)?;
    let token = new_token()?;
    let expires_at = now + time::Duration::hours(LINK_HOURS);
    password_link::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(user_id),
        purpose: Set(purpose.to_owned()),
        created_by: Set(Some(by)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
    }
    .insert(txn)
    .await
    .map_err(storage)?;
    Ok(PasswordLink {
        user_id,
        url: format!("{public_url}{SET_PASSWORD_PATH}?ma={token}"),
        expires_at,
    })
}

/// Creates an account without a password and returns the link with which
/// its owner sets one. [`StoreError::Invalid`] for a malformed or taken
/// user name, or no role.
pub async fn invite(
    db: &DatabaseConnection,
    by: &CurrentUser,
    new: NewUser,
    public_url: &str,
    now: OffsetDateTime,
) -> Result<PasswordLink, StoreError> {
    let username = normalise_username(&new.username);
    let mut problems = match super::users::validate(&username, &"x".repeat(MIN_PASSWORD_CHARS)) {
        Err(StoreError::Invalid(problems)) => problems,
        _ => Vec::new(),
    };
    let Some(role) = new.role else {
        problems.push(FieldError::new("role", "Xin vui lòng chọn vai trò."));
        return Err(StoreError::Invalid(problems));
    };
    let display_name = crate::text::nfc(new.display_name.trim()).into_owned();
    if display_name.is_empty() || display_name.chars().count() > 200 {
        problems.push(FieldError::new(
            "display_name",
            "Xin vui lòng nhập họ tên (không quá 200 ký tự).",
        ));
    }
    if !problems.is_empty() {
        return Err(StoreError::Invalid(problems));
    }
    let txn = begin_write(db).await?;
    let taken = app_user::Entity::find()
        .filter(app_user::Column::Username.eq(username.clone()))
        .count(&txn)
        .await
        .map_err(storage)?;
    if taken > 0 {
        return Err(invalid("username", "Tên đăng nhập này đã có người dùng."));
    }
    let user = app_user::ActiveModel {
        username: Set(username),
        display_name: Set(display_name),
        // No password until the link sets one: nothing signs in with "".
        password_hash: Set(String::new()),
        role: Set(role.as_str().to_owned()),
        active: Set(true),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(storage)?;
    let link = issue_link(&txn, user.id, "invite", by.id, public_url, now).await?;
    let target = describe(&user);
    let detail = format!("Vai trò: {}", role.label());
    audit::record(
        &txn,
        Event {
            actor: Some(by.id),
            action: AuditAction::UserInvited,
            target: &target,
            detail: &detail,
            ip: None,
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(storage)?;
    Ok(link)
}

/// Changes `id`'s role. Refused for the last active admin.
pub async fn change_role(
    db: &DatabaseConnection,
    by: &CurrentUser,
    id: i32,
    role: Role,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let txn = begin_write(db).await?;
    let user = load(&txn, id).await?;
    let old = role_of(&user);
    if old == role {
        return Ok(());
    }
    if old == Role::Admin && user.active && !another_admin(&txn, id).await? {
        return Err(invalid(
            "role",
            "Đây là quản trị viên cuối cùng: hãy cấp quyền quản trị cho người khác trước.",
        ));
    }
    let target = describe(&user);
    let mut active: app_user::ActiveModel = user.into();
    active.role = Set(role.as_str().to_owned());
    active.update(&txn).await.map_err(storage)?;
    let detail = format!("{} → {}", old.label(), role.label());
    audit::record(
        &txn,
        Event {
            actor: Some(by.id),
            action: AuditAction::RoleChanged,
            target: &target,
            detail: &detail,
            ip: None,
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(storage)
}

/// Deactivates (ending every session of the account at once) or
/// reactivates `id`. One cannot deactivate oneself or the last active admin.
pub async fn set_active(
    db: &DatabaseConnection,
    by: &CurrentUser,
    id: i32,
    active: bool,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    if !active && id == by.id {
        return Err(invalid(
            "active",
            "Bạn không thể tự khóa tài khoản của mình.",
        ));
    }
    let txn = begin_write(db).await?;
    let user = load(&txn, id).await?;
    if user.active == active {
        return Ok(());
    }
    if !active && role_of(&user) == Role::Admin && !another_admin(&txn, id).await? {
        return Err(invalid(
            "active",
            "Đây là quản trị viên cuối cùng: không thể khóa tài khoản này.",
        ));
    }
    let target = describe(&user);
    let mut model: app_user::ActiveModel = user.into();
    model.active = Set(active);
    model.update(&txn).await.map_err(storage)?;
    if !active {
        super::sessions::end_sessions_of(&txn, id, None)
            .await
            .map_err(storage)?;
    }
    audit::record(
        &txn,
        Event {
            actor: Some(by.id),
            action: if active {
                AuditAction::UserActivated
            } else {
                AuditAction::UserDeactivated
            },
            target: &target,
            detail: "",
            ip: None,
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(storage)
}

/// A new one-time link with which `id` sets a new password (their present
/// password keeps working until then).
pub async fn reset_password(
    db: &DatabaseConnection,
    by: &CurrentUser,
    id: i32,
    public_url: &str,
    now: OffsetDateTime,
) -> Result<PasswordLink, StoreError> {
    let txn = begin_write(db).await?;
    let user = load(&txn, id).await?;
    if !user.active {
        return Err(invalid(
            "active",
            "Tài khoản đang bị khóa: hãy mở lại trước khi cấp mật khẩu.",
        ));
    }
    let link = issue_link(&txn, id, "reset", by.id, public_url, now).await?;
    let target = describe(&user);
    audit::record(
        &txn,
        Event {
            actor: Some(by.id),
            action: AuditAction::PasswordResetIssued,
            target: &target,
            detail: "",
            ip: None,
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(storage)?;
    Ok(link)
}

/// The account a one-time link would set a password for, if the link is
/// unused, unexpired and its account active: (user name, display name).
pub async fn link_owner(
    db: &DatabaseConnection,
    token: &str,
    now: OffsetDateTime,
) -> Result<Option<(String, String)>, StoreError> {
    let Some(link) = password_link::Entity::find_by_id(token_hash(token))
        .one(db)
        .await
        .map_err(storage)?
    else {
        return Ok(None);
    };
    if link.used_at.is_some() || link.expires_at <= now {
        return Ok(None);
    }
    Ok(app_user::Entity::find_by_id(link.user_id)
        .one(db)
        .await
        .map_err(storage)?
        .filter(|u| u.active)
        .map(|u| (u.username, u.display_name)))
}

/// Sets the password of the link's account, once: the link is spent, every
/// session of the account ends, and the audit log records it. Returns the
/// user name. [`StoreError::NotFound`] for an unknown, used or expired link;
/// [`StoreError::Invalid`] for a short password (the link still works).
pub async fn use_link(
    db: &DatabaseConnection,
    token: &str,
    password: &str,
    ip: Option<std::net::IpAddr>,
    now: OffsetDateTime,
) -> Result<String, StoreError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(invalid(
            "password",
            &format!("Mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự."),
        ));
    }
    let owned = password.to_owned();
    let hash = tokio::task::spawn_blocking(move || hash_password(&owned))
        .await
        .map_err(StoreError::storage)?
        .map_err(StoreError::Storage)?;
    let txn = begin_write(db).await?;
    let link = password_link::Entity::find_by_id(token_hash(token))
        .one(&txn)
        .await
        .map_err(storage)?
        .filter(|l| l.used_at.is_none() && l.expires_at > now)
        .ok_or(StoreError::NotFound)?;
    // Spent in the same statement that checks it: of two uses, one wins.
    let spent = password_link::Entity::update_many()
        .col_expr(
            password_link::Column::UsedAt,
            sea_orm::sea_query::Expr::value(Some(now)),
        )
        .filter(password_link::Column::TokenHash.eq(link.token_hash.clone()))
        .filter(password_link::Column::UsedAt.is_null())
        .exec(&txn)
        .await
        .map_err(storage)?;
    if spent.rows_affected != 1 {
        return Err(StoreError::NotFound);
    }
    let user = load(&txn, link.user_id).await?;
    if !user.active {
        return Err(StoreError::NotFound);
    }
    let username = user.username.clone();
    let target = describe(&user);
    let mut model: app_user::ActiveModel = user.into();
    model.password_hash = Set(hash);
    model.update(&txn).await.map_err(storage)?;
    super::sessions::end_sessions_of(&txn, link.user_id, None)
        .await
        .map_err(storage)?;
    let detail = if link.purpose == "invite" {
        "Nhận lời mời"
    } else {
        "Đặt lại mật khẩu"
    };
    audit::record(
        &txn,
        Event {
            actor: Some(link.user_id),
            action: AuditAction::PasswordSet,
            target: &target,
            detail,
            ip,
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(storage)?;
    Ok(username)
}

#[cfg(test)]
mod tests {
    use super::token_hash;

    #[test]
    fn tokens_are_stored_hashed() {
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
