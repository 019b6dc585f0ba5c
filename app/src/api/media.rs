//! The media library's server functions (authors and up; deleting and
//! describing are open to whoever may insert, as the library is shared).
//! Uploads go to `POST /api/quan-tri/anh` (raw bytes, for progress bars),
//! handled by the server's media module.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
use crate::model::media::MediaItem;

/// Where uploads are sent: the file's bytes as the body, its name
/// (percent-encoded) in the [`FILE_NAME_HEADER`] header.
pub const UPLOAD_PATH: &str = "/api/quan-tri/anh";
pub const FILE_NAME_HEADER: &str = "x-ten-tep";

/// Photos matching `query` (every word, insensitive to diacritics), newest first.
#[server(prefix = "/api/quan-tri", endpoint = "thu-vien-anh", input = Json)]
pub async fn list_media(query: String) -> Result<Vec<MediaItem>, AppError> {
    crate::ssr::answer(
        async move {
            crate::ssr::require_role(crate::model::accounts::Role::Author).await?;
            Ok(crate::ssr::app_state()?.media.list(query).await?)
        }
        .await,
    )
}

/// Sets a photo's text alternative (required before insertion) and caption.
#[server(prefix = "/api/quan-tri", endpoint = "mo-ta-anh", input = Json)]
pub async fn describe_media(id: i32, alt: String, caption: String) -> Result<MediaItem, AppError> {
    crate::ssr::answer(
        async move {
            let user = crate::ssr::require_role(crate::model::accounts::Role::Author).await?;
            Ok(crate::ssr::app_state()?
                .media
                .describe(&user, id, alt, caption)
                .await?)
        }
        .await,
    )
}

/// Deletes a photo no article shows (editors); refused naming the articles otherwise.
#[server(prefix = "/api/quan-tri", endpoint = "xoa-anh", input = Json)]
pub async fn delete_media(id: i32) -> Result<(), AppError> {
    crate::ssr::answer(
        async move {
            let user = crate::ssr::require_role(crate::model::accounts::Role::Editor).await?;
            Ok(crate::ssr::app_state()?.media.delete(&user, id).await?)
        }
        .await,
    )
}
