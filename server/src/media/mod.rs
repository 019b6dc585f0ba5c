//! The media library: uploads (checked, resized and stripped of metadata
//! by [`process`]), their files under `CCHC_MEDIA_DIR`, the rows that
//! describe them, and the `/media/` addresses that serve them.
//!
//! An upload is processed on the blocking pool, at most
//! [`CONCURRENT_UPLOADS`] at a time, so a large photo never holds up other
//! requests. Its files are written into a hidden folder and renamed into
//! place in one step only once all are written, and the row is inserted
//! last: a failed or interrupted upload leaves no half-written file
//! (leftover hidden folders are removed at start-up). Only re-encoded WebP
//! and JPEG files are ever served, with `X-Content-Type-Options: nosniff`.

pub mod process;
pub mod responsive;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use app::error::FieldError;
use app::model::accounts::CurrentUser;
use app::model::media::MediaItem;
use app::ssr::{MediaLibrary, StoreError};
use async_trait::async_trait;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use time::OffsetDateTime;
use tokio::sync::Semaphore;

use crate::db::entities::{article, media};

/// How many uploads are resized at once (the machine's cores are shared
/// with readers).
pub const CONCURRENT_UPLOADS: usize = 2;
/// The largest upload accepted by default, in bytes (`CCHC_MEDIA_MAX_BYTES`).
pub const DEFAULT_MAX_BYTES: usize = 20 * 1024 * 1024;
/// The most photos a library listing returns.
pub const LIST_LIMIT: usize = 200;

fn storage(err: impl std::fmt::Display) -> StoreError {
    StoreError::storage(err)
}

fn refused(message: &str) -> StoreError {
    StoreError::Invalid(vec![FieldError::new("file", message)])
}

/// The field of a refusal that is the server's disk, not the file: the disk
/// is full or read-only ([`refusal`] answers 507, not 422).
pub(crate) const DISK: &str = "disk";

/// An upload whose files could not be written (`err`, logged; whatever was
/// written is already removed), in terms the editor can pass on.
pub(crate) fn disk_refusal(err: &std::io::Error, what: &str) -> StoreError {
    tracing::error!(%err, what, "cannot write an upload's files");
    StoreError::Invalid(vec![FieldError::new(
        DISK,
        &format!(
            "Không lưu được {what} lên đĩa của máy chủ (đầy hoặc không ghi được). Xin vui lòng báo quản trị viên."
        ),
    )])
}

fn item(model: media::Model) -> MediaItem {
    MediaItem {
        id: model.id,
        widths: model
            .widths
            .split(',')
            .filter_map(|w| w.trim().parse().ok())
            .collect(),
        token: model.token,
        file_name: model.file_name,
        alt: model.alt,
        caption: model.caption,
        width: u32::try_from(model.width).unwrap_or(0),
        height: u32::try_from(model.height).unwrap_or(0),
        bytes: u64::try_from(model.bytes).unwrap_or(0),
        created_at: model.created_at,
    }
}

/// The name a photo keeps, for people ([`crate::text::uploaded_file_name`]),
/// at most 200 characters; `"anh"` when nothing is left.
pub fn clean_file_name(raw: &str) -> String {
    let name: String = crate::text::uploaded_file_name(raw)
        .chars()
        .take(200)
        .collect();
    let name = name.trim_end().to_owned();
    if name.is_empty() {
        "anh".to_owned()
    } else {
        name
    }
}

fn new_token() -> Result<String, StoreError> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Storage(format!("no randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[derive(Clone)]
pub struct MediaStore {
    db: DatabaseConnection,
    dir: PathBuf,
    permits: Arc<Semaphore>,
}

impl MediaStore {
    /// The library in `dir`, created if missing; leftovers of interrupted
    /// uploads are removed.
    pub fn new(db: DatabaseConnection, dir: PathBuf) -> std::io::Result<Self> {
        std::fs::create_dir_all(&dir)?;
        for entry in std::fs::read_dir(&dir)?.flatten() {
            if entry.file_name().to_string_lossy().starts_with(".tai-len-") {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        Ok(Self {
            db,
            dir,
            permits: Arc::new(Semaphore::new(CONCURRENT_UPLOADS)),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Checks, resizes and stores an upload by `by`; returns the new photo
    /// (without a text alternative yet).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] (field `file`) saying what is wrong with the
    /// file; [`StoreError::Storage`] when the disk or database fails, with
    /// nothing left behind.
    pub async fn upload(
        &self,
        by: &CurrentUser,
        file_name: &str,
        bytes: Bytes,
    ) -> Result<MediaItem, StoreError> {
        let file_name = clean_file_name(file_name);
        let _permit = self.permits.acquire().await.map_err(storage)?;
        let processed = tokio::task::spawn_blocking(move || process::process(&bytes))
            .await
            .map_err(storage)?
            .map_err(|refusal| refused(&refusal.to_string()))?;
        let token = new_token()?;
        let staging = self.dir.join(format!(".tai-len-{token}"));
        let folder = self.dir.join(&token);
        let written = async {
            tokio::fs::create_dir(&staging).await?;
            for variant in &processed.variants {
                let path = staging.join(format!("{}.{}", variant.width, variant.extension));
                tokio::fs::write(&path, &variant.bytes).await?;
            }
            tokio::fs::rename(&staging, &folder).await
        }
        .await;
        if let Err(err) = written {
            let _ = tokio::fs::remove_dir_all(&staging).await;
            return Err(disk_refusal(&err, "ảnh"));
        }
        let total: usize = processed.variants.iter().map(|v| v.bytes.len()).sum();
        let inserted = media::ActiveModel {
            token: Set(token),
            file_name: Set(file_name),
            alt: Set(String::new()),
            caption: Set(String::new()),
            width: Set(processed.width as i32),
            height: Set(processed.height as i32),
            widths: Set(processed
                .widths
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(",")),
            bytes: Set(total as i64),
            uploaded_by: Set(Some(by.id)),
            created_at: Set(OffsetDateTime::now_utc()),
            ..Default::default()
        }
        .insert(&self.db)
        .await;
        match inserted {
            Ok(model) => Ok(item(model)),
            Err(err) => {
                let _ = tokio::fs::remove_dir_all(&folder).await;
                Err(storage(err))
            }
        }
    }
}

/// The library photos of `tokens`, by token.
pub async fn by_tokens(
    db: &DatabaseConnection,
    tokens: Vec<String>,
) -> Result<HashMap<String, MediaItem>, StoreError> {
    if tokens.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(media::Entity::find()
        .filter(media::Column::Token.is_in(tokens))
        .all(db)
        .await
        .map_err(storage)?
        .into_iter()
        .map(|m| (m.token.clone(), item(m)))
        .collect())
}

/// An article body as readers get it: library photos made responsive.
pub async fn responsive_body(db: &DatabaseConnection, html: String) -> Result<String, StoreError> {
    let tokens = responsive::tokens_in(&html);
    if tokens.is_empty() {
        return Ok(html);
    }
    let photos = by_tokens(db, tokens).await?;
    Ok(responsive::responsive(&html, &photos))
}

#[async_trait]
impl MediaLibrary for MediaStore {
    async fn list(&self, query: String) -> Result<Vec<MediaItem>, StoreError> {
        let words: Vec<String> = crate::search::tokens(&crate::text::nfc(&query));
        let rows = media::Entity::find()
            .order_by_desc(media::Column::Id)
            .limit(if words.is_empty() {
                LIST_LIMIT as u64
            } else {
                5_000
            })
            .all(&self.db)
            .await
            .map_err(storage)?;
        Ok(rows
            .into_iter()
            .filter(|m| {
                let text = crate::search::fold(&crate::text::nfc(&format!(
                    "{} {} {}",
                    m.file_name, m.alt, m.caption
                )));
                words.iter().all(|w| text.contains(w.as_str()))
            })
            .take(LIST_LIMIT)
            .map(item)
            .collect())
    }

    async fn describe(
        &self,
        _by: &CurrentUser,
        id: i32,
        alt: String,
        caption: String,
    ) -> Result<MediaItem, StoreError> {
        let alt = crate::text::nfc(alt.trim()).into_owned();
        let caption = crate::text::nfc(caption.trim()).into_owned();
        let mut problems = Vec::new();
        if alt.is_empty() {
            problems.push(FieldError::new(
                "alt",
                "Xin vui lòng nhập mô tả ảnh (dành cho người khiếm thị).",
            ));
        } else if alt.chars().count() > 300 {
            problems.push(FieldError::new("alt", "Mô tả ảnh dài quá 300 ký tự."));
        }
        if caption.chars().count() > 1_000 {
            problems.push(FieldError::new("caption", "Chú thích dài quá 1.000 ký tự."));
        }
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems));
        }
        let model = media::Entity::find_by_id(id)
            .one(&self.db)
            .await
            .map_err(storage)?
            .ok_or(StoreError::NotFound)?;
        let mut active: media::ActiveModel = model.into();
        active.alt = Set(alt);
        active.caption = Set(caption);
        Ok(item(active.update(&self.db).await.map_err(storage)?))
    }

    async fn delete(&self, _by: &CurrentUser, id: i32) -> Result<(), StoreError> {
        let model = media::Entity::find_by_id(id)
            .one(&self.db)
            .await
            .map_err(storage)?
            .ok_or(StoreError::NotFound)?;
        let needle = format!("%/media/{}/%", model.token);
        let users: Vec<String> = article::Entity::find()
            .filter(
                article::Column::BodyHtml
                    .like(needle.clone())
                    .or(article::Column::CoverImage.like(needle)),
            )
            .order_by_desc(article::Column::UpdatedAt)
            .limit(5)
            .all(&self.db)
            .await
            .map_err(storage)?
            .into_iter()
            .map(|a| format!("“{}”", a.title))
            .collect();
        if !users.is_empty() {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "media",
                &format!(
                    "Ảnh đang được dùng trong bài {}. Hãy gỡ ảnh khỏi bài trước khi xóa.",
                    users.join(", ")
                ),
            )]));
        }
        let identity = crate::settings::identity(&self.db).await.map_err(storage)?;
        let prefix = format!("/media/{}/", model.token);
        if identity.banner.starts_with(&prefix) || identity.banner_mobile.starts_with(&prefix) {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "media",
                "Ảnh đang được dùng làm banner của trang. Hãy đổi banner trước khi xóa.",
            )]));
        }
        media::Entity::delete_by_id(id)
            .exec(&self.db)
            .await
            .map_err(storage)?;
        if let Err(err) = tokio::fs::remove_dir_all(self.dir.join(&model.token)).await {
            tracing::warn!(%err, token = %model.token, "a deleted photo's files stay on disk");
        }
        Ok(())
    }
}

/// The upload route and the `/media/` files.
pub fn routes<S: Clone + Send + Sync + 'static>(store: MediaStore, max_bytes: usize) -> Router<S> {
    let files = tower::ServiceBuilder::new()
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .service(tower_http::services::ServeDir::new(store.dir()));
    Router::new()
        .route(
            app::api::media::UPLOAD_PATH,
            post(upload).layer(DefaultBodyLimit::max(max_bytes)),
        )
        .with_state(UploadState { store, max_bytes })
        .nest_service("/media", files)
}

#[derive(Clone)]
struct UploadState {
    store: MediaStore,
    max_bytes: usize,
}

/// An upload's JSON answer: `{"message": …}` with `status`.
pub(crate) fn answer(status: StatusCode, message: &str) -> Response {
    (
        status,
        axum::Json(serde_json::json!({ "message": message })),
    )
        .into_response()
}

/// An upload's bytes, or the answer to give: 413 naming the limit when the
/// body is over `max_bytes`, 400 when it arrived cut short. (Handlers return
/// the answer at once; the size of the error type does not matter here.)
#[allow(clippy::result_large_err)]
pub(crate) fn upload_body(
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
    max_bytes: usize,
) -> Result<Bytes, Response> {
    match body {
        Ok(bytes) => Ok(bytes),
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(answer(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "Tệp lớn quá {} MB, không được nhận.",
                max_bytes / (1024 * 1024)
            ),
        )),
        Err(_) => Err(answer(
            StatusCode::BAD_REQUEST,
            "Tệp chưa tải lên hết. Xin vui lòng thử lại.",
        )),
    }
}

/// The answer to a store's refusal of an upload of `what` ("ảnh", "tệp"):
/// 422 with the reasons for the person, 507 when the disk is full or
/// read-only, 503 (logged) for another failure of ours.
pub(crate) fn refusal(err: StoreError, what: &str) -> Response {
    match err {
        StoreError::Invalid(problems) => answer(
            if problems.iter().any(|p| p.field == DISK) {
                StatusCode::INSUFFICIENT_STORAGE
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            },
            &problems
                .into_iter()
                .map(|p| p.message)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        err => {
            tracing::error!(%err, what, "an upload failed");
            busy(&format!(
                "Hệ thống đang bận, chưa lưu được {what}. Xin vui lòng thử lại sau ít phút."
            ))
        }
    }
}

/// The answer to an upload without a signed-in user: 503 when the session
/// could not be read (the database is unreachable; signing in again would
/// not help), 401 otherwise.
pub(crate) fn not_signed_in(
    unavailable: Option<axum::Extension<app::ssr::SessionsUnavailable>>,
) -> Response {
    if unavailable.is_some() {
        return busy(&app::error::AppError::Unavailable.to_string());
    }
    answer(StatusCode::UNAUTHORIZED, "Xin vui lòng đăng nhập lại.")
}

/// 503 with `message` and `Retry-After`: a failure of ours, not the editor's.
fn busy(message: &str) -> Response {
    let mut response = answer(StatusCode::SERVICE_UNAVAILABLE, message);
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(app::ssr::RETRY_AFTER_SECS),
    );
    response
}

/// `POST /api/quan-tri/anh`: the file's bytes as the body, its name in
/// `x-ten-tep`. 200 with the new photo as JSON; 401/403 without an author's
/// session; 413 over the size limit; 422 saying what is wrong with the file;
/// 507 when the disk is full or read-only.
async fn upload(
    State(state): State<UploadState>,
    signed_in: Option<axum::Extension<app::ssr::SignedIn>>,
    unavailable: Option<axum::Extension<app::ssr::SessionsUnavailable>>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let Some(axum::Extension(signed_in)) = signed_in else {
        return not_signed_in(unavailable);
    };
    if signed_in.user.role < app::model::accounts::Role::Author {
        return answer(StatusCode::FORBIDDEN, "Bạn không có quyền tải ảnh lên.");
    }
    let bytes = match upload_body(body, state.max_bytes) {
        Ok(bytes) => bytes,
        Err(response) => return response,
    };
    let name = headers
        .get(app::api::media::FILE_NAME_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("anh");
    match state.store.upload(&signed_in.user, name, bytes).await {
        Ok(item) => axum::Json(item).into_response(),
        Err(err) => refusal(err, "ảnh"),
    }
}

#[cfg(test)]
mod tests {
    use super::clean_file_name;

    #[test]
    fn file_names_are_kept_readable_and_harmless() {
        assert_eq!(
            clean_file_name("H%E1%BB%99i%20ngh%E1%BB%8B.jpg"),
            "Hội nghị.jpg"
        );
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\ảnh\\a.png"), "a.png");
        assert_eq!(clean_file_name(""), "anh");
    }
}
