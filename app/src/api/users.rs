//! Users and the audit log (admins). Each function checks on the server
//! that the signed-in user is an admin before anything else.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
use crate::model::accounts::{AuditEntry, NewUser, PasswordLink, Role, UserSummary};

/// Every account, admins first.
#[server(prefix = "/api/quan-tri", endpoint = "nguoi-dung", input = Json)]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    crate::ssr::answer(
        async move {
            crate::ssr::require_role(Role::Admin).await?;
            Ok(crate::ssr::app_state()?.accounts.users().await?)
        }
        .await,
    )
}

/// Creates an account and returns the one-time link (72 hours) with which
/// its owner sets a password.
#[server(prefix = "/api/quan-tri", endpoint = "moi-nguoi-dung", input = Json)]
pub async fn invite_user(user: NewUser) -> Result<PasswordLink, AppError> {
    crate::ssr::answer(
        async move {
            let admin = crate::ssr::require_role(Role::Admin).await?;
            Ok(crate::ssr::app_state()?
                .accounts
                .invite(&admin, user)
                .await?)
        }
        .await,
    )
}

/// Changes a user's role; refused for the last active admin.
#[server(prefix = "/api/quan-tri", endpoint = "doi-vai-tro", input = Json)]
pub async fn change_user_role(id: i32, role: Role) -> Result<(), AppError> {
    crate::ssr::answer(
        async move {
            let admin = crate::ssr::require_role(Role::Admin).await?;
            Ok(crate::ssr::app_state()?
                .accounts
                .change_role(&admin, id, role)
                .await?)
        }
        .await,
    )
}

/// Deactivates (their sessions end at once) or reactivates a user.
#[server(prefix = "/api/quan-tri", endpoint = "khoa-mo-tai-khoan", input = Json)]
pub async fn set_user_active(id: i32, active: bool) -> Result<(), AppError> {
    crate::ssr::answer(
        async move {
            let admin = crate::ssr::require_role(Role::Admin).await?;
            Ok(crate::ssr::app_state()?
                .accounts
                .set_active(&admin, id, active)
                .await?)
        }
        .await,
    )
}

/// A one-time link with which a user sets a new password.
#[server(prefix = "/api/quan-tri", endpoint = "cap-lai-mat-khau", input = Json)]
pub async fn reset_user_password(id: i32) -> Result<PasswordLink, AppError> {
    crate::ssr::answer(
        async move {
            let admin = crate::ssr::require_role(Role::Admin).await?;
            Ok(crate::ssr::app_state()?
                .accounts
                .reset_password(&admin, id)
                .await?)
        }
        .await,
    )
}

/// The audit log, newest first: 50 lines before the line `before`.
#[server(prefix = "/api/quan-tri", endpoint = "nhat-ky", input = Json)]
pub async fn audit_log(before: Option<i64>) -> Result<Vec<AuditEntry>, AppError> {
    crate::ssr::answer(
        async move {
            crate::ssr::require_role(Role::Admin).await?;
            Ok(crate::ssr::app_state()?.accounts.audit_log(before).await?)
        }
        .await,
    )
}

/// The display name of the account a one-time link is for, if the link
/// still works (for the set-password page; needs no sign-in).
#[server(prefix = "/api/quan-tri", endpoint = "lien-ket-mat-khau", input = Json)]
pub async fn password_link_owner(token: String) -> Result<Option<String>, AppError> {
    crate::ssr::answer(
        async move {
            Ok(crate::ssr::app_state()?
                .accounts
                .link_owner(token)
                .await?
                .map(|(username, name)| format!("{name} ({username})")))
        }
        .await,
    )
}
