//! Who is signed in.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
use crate::model::accounts::CurrentUser;

/// The signed-in user, or `None`.
#[server(prefix = "/api/quan-tri", endpoint = "toi-la-ai", input = Json)]
pub async fn who_am_i() -> Result<Option<CurrentUser>, AppError> {
    Ok(crate::ssr::current_user().await)
}

/// Changes the signed-in user's password; their other sessions end.
#[server(prefix = "/api/quan-tri", endpoint = "doi-mat-khau", input = Json)]
pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    crate::ssr::answer(
        async move {
            let signed_in = crate::ssr::signed_in()
                .await
                .ok_or(AppError::Unauthenticated)?;
            Ok(crate::ssr::app_state()?
                .accounts
                .change_password(signed_in.user.id, current, new, signed_in.session_id)
                .await?)
        }
        .await,
    )
}
