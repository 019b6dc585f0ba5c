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
