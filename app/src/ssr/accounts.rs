//! Who is signed in, for server functions. The server's `authenticate`
//! middleware puts [`SignedIn`] into each request whose session belongs to
//! an active account; every server function that changes anything starts
//! with [`require_role`].

use super::StoreError;
use crate::error::AppError;
use crate::model::accounts::{AuditEntry, CurrentUser, NewUser, PasswordLink, Role, UserSummary};

/// The signed-in user of a request (a request extension), and the id of
/// the session it came with.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub user: CurrentUser,
    pub session_id: String,
}

/// A request extension the server's `authenticate` middleware adds when it
/// could not read the request's session or account (the database is
/// unreachable): nobody is known to be signed in, but that is not the
/// editor's fault, and "sign in again" would be the wrong thing to say.
#[derive(Clone, Copy, Debug)]
pub struct SessionsUnavailable;

/// The signed-in user of the request being served, and their session.
pub async fn signed_in() -> Option<SignedIn> {
    use axum::Extension;
    leptos_axum::extract::<Option<Extension<SignedIn>>>()
        .await
        .ok()
        .flatten()
        .map(|Extension(signed_in)| signed_in)
}

/// The signed-in user of the request being served, if any.
pub async fn current_user() -> Option<CurrentUser> {
    signed_in().await.map(|s| s.user)
}

/// Changing one's own password; managing users and reading the audit log
/// (admins: the server function checks the role before calling these).
#[async_trait::async_trait]
pub trait Accounts: Send + Sync + 'static {
    /// Every account, admins first.
    async fn users(&self) -> Result<Vec<UserSummary>, StoreError>;

    /// Creates an account without a password; the link sets it (72 hours).
    async fn invite(&self, by: &CurrentUser, new: NewUser) -> Result<PasswordLink, StoreError>;

    /// [`StoreError::Invalid`] when it would leave no active admin.
    async fn change_role(&self, by: &CurrentUser, id: i32, role: Role) -> Result<(), StoreError>;

    /// Deactivating ends the account's sessions at once; refused for
    /// oneself and for the last active admin.
    async fn set_active(&self, by: &CurrentUser, id: i32, active: bool) -> Result<(), StoreError>;

    /// A one-time link with which the user sets a new password.
    async fn reset_password(&self, by: &CurrentUser, id: i32) -> Result<PasswordLink, StoreError>;

    /// The audit log, newest first, 50 lines before the line `before`.
    async fn audit_log(&self, before: Option<i64>) -> Result<Vec<AuditEntry>, StoreError>;

    /// Who a one-time link is for (user name, display name), if it still works.
    async fn link_owner(&self, token: String) -> Result<Option<(String, String)>, StoreError>;

    /// Checks `current`, sets `new` and ends every other session of the
    /// user (all but `keep_session`). [`super::StoreError::Invalid`] names
    /// the field to fix (a wrong current password, a short new one).
    async fn change_password(
        &self,
        user_id: i32,
        current: String,
        new: String,
        keep_session: String,
    ) -> Result<(), super::StoreError>;
}

/// The signed-in user, if their role is `role` or above.
/// [`AppError::Unauthenticated`] when nobody is signed in,
/// [`AppError::Unavailable`] when the session could not be read,
/// [`AppError::Forbidden`] when the role is not enough.
pub async fn require_role(role: Role) -> Result<CurrentUser, AppError> {
    let Some(user) = current_user().await else {
        let unavailable = leptos_axum::extract::<Option<axum::Extension<SessionsUnavailable>>>()
            .await
            .ok()
            .flatten()
            .is_some();
        return Err(if unavailable {
            AppError::Unavailable
        } else {
            AppError::Unauthenticated
        });
    };
    if user.role < role {
        return Err(AppError::Forbidden);
    }
    Ok(user)
}
