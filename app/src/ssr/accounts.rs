//! Who is signed in, for server functions. The server's `authenticate`
//! middleware puts [`SignedIn`] into each request whose session belongs to
//! an active account; every server function that changes anything starts
//! with [`require_role`].

use crate::error::AppError;
use crate::model::accounts::{CurrentUser, Role};

/// The signed-in user of a request (a request extension).
#[derive(Clone, Debug)]
pub struct SignedIn(pub CurrentUser);

/// The signed-in user of the request being served, if any.
pub async fn current_user() -> Option<CurrentUser> {
    use axum::Extension;
    leptos_axum::extract::<Option<Extension<SignedIn>>>()
        .await
        .ok()
        .flatten()
        .map(|Extension(SignedIn(user))| user)
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
