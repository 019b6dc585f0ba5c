//! Who is signed in, for server functions. The server's `authenticate`
//! middleware puts [`SignedIn`] into each request whose session belongs to
//! an active account; every server function that changes anything starts
//! with [`require_role`].

use crate::error::AppError;
use crate::model::accounts::{CurrentUser, Role};

/// The signed-in user of a request (a request extension), and the id of
/// the session it came with.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub user: CurrentUser,
    pub session_id: String,
}

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

/// Changing one's own password.
#[async_trait::async_trait]
pub trait Accounts: Send + Sync + 'static {
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
/// [`AppError::Forbidden`] when the role is not enough.
pub async fn require_role(role: Role) -> Result<CurrentUser, AppError> {
    let user = current_user().await.ok_or(AppError::Unauthenticated)?;
    if user.role < role {
        return Err(AppError::Forbidden);
    }
    Ok(user)
}
