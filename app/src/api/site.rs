//! The site's identity, shared by every page.

use leptos::prelude::*;

use crate::error::AppError;
use crate::site::SiteIdentity;

#[server]
pub async fn load_site_identity() -> Result<SiteIdentity, AppError> {
    match crate::ssr::app_state()?.settings.site_identity().await {
        Ok(identity) => Ok(identity),
        // The page stays usable with the built-in identity.
        Err(err) => {
            tracing::error!(%err, "cannot read the site identity");
            Ok(SiteIdentity::default())
        }
    }
}

/// Checks and stores the office's identity (admins): banner, contacts,
/// footer, linked websites, monitoring script. Every public page shows it
/// at once.
#[server(prefix = "/api/quan-tri", endpoint = "luu-cau-hinh", input = leptos::server_fn::codec::Json)]
pub async fn save_site_settings(identity: SiteIdentity) -> Result<SiteIdentity, AppError> {
    crate::ssr::answer(
        async move {
            let admin = crate::ssr::require_role(crate::model::accounts::Role::Admin).await?;
            Ok(crate::ssr::app_state()?
                .settings
                .save_identity(&admin, identity)
                .await?)
        }
        .await,
    )
}

/// Orders the main menu's categories (admins): `ids` lists every category once.
#[server(prefix = "/api/quan-tri", endpoint = "thu-tu-menu", input = leptos::server_fn::codec::Json)]
pub async fn save_menu_order(ids: Vec<i32>) -> Result<(), AppError> {
    crate::ssr::answer(
        async move {
            let admin = crate::ssr::require_role(crate::model::accounts::Role::Admin).await?;
            Ok(crate::ssr::app_state()?
                .settings
                .reorder_menu(&admin, ids)
                .await?)
        }
        .await,
    )
}

/// The identity resource, loaded once per page and shared through context.
#[derive(Clone, Copy)]
pub struct Identity(pub Resource<Result<SiteIdentity, AppError>>);

pub fn provide_identity() {
    provide_context(Identity(Resource::new(|| (), |_| load_site_identity())));
}

/// The identity in a `Suspend`: the stored one, or the built-in one.
pub async fn identity() -> SiteIdentity {
    match use_context::<Identity>() {
        Some(Identity(resource)) => resource.await.unwrap_or_default(),
        None => SiteIdentity::default(),
    }
}
