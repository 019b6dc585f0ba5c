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
