//! The editors' server functions. Each one checks the signed-in user's
//! role on the server before anything else ([`crate::ssr::require_role`]);
//! the store then checks what that user may do with that article (authors:
//! their own drafts). A hidden button is not a check.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
use crate::model::editorial::{
    ArticleDraft, ArticleFilter, EditorArticle, EditorArticleSummary, Moment, RevisionSummary,
    SavedVersion, Transition,
};

/// Where the editors' server functions answer.
pub const PREFIX: &str = "/api/quan-tri";

/// Starts a new draft; authors and up.
#[server(prefix = "/api/quan-tri", endpoint = "tao-bai", input = Json)]
pub async fn create_article(draft: ArticleDraft) -> Result<SavedVersion, AppError> {
    crate::ssr::answer(
        async move {
            let (user, editorial) = crate::ssr::editorial::signed_in_editor().await?;
            Ok(editorial.create_draft(&user, draft).await?)
        }
        .await,
    )
}

/// Saves over `base_version`: refused with [`AppError::Conflict`] when
/// someone saved in between (nothing is overwritten).
#[server(prefix = "/api/quan-tri", endpoint = "luu-bai", input = Json)]
pub async fn save_article(
    id: i32,
    base_version: i64,
    draft: ArticleDraft,
    autosave: bool,
) -> Result<SavedVersion, AppError> {
    crate::ssr::answer(
        async move {
            let (user, editorial) = crate::ssr::editorial::signed_in_editor().await?;
            Ok(editorial
                .save(&user, id, base_version, draft, autosave)
                .await?)
        }
        .await,
    )
}

/// A workflow step: submit (authors, their own), return with a comment,
/// publish, unpublish (editors).
#[server(prefix = "/api/quan-tri", endpoint = "chuyen-trang-thai", input = Json)]
pub async fn change_status(
    id: i32,
    step: Transition,
    comment: String,
) -> Result<SavedVersion, AppError> {
    crate::ssr::answer(
        async move {
            let (user, editorial) = crate::ssr::editorial::signed_in_editor().await?;
            Ok(editorial.transition(&user, id, step, comment).await?)
        }
        .await,
    )
}

/// Schedules the publication at `publish_at` (editors): "Xuất bản lúc
/// 08:00 ngày mai". The article goes public by itself at that moment, on
/// whichever server is running then; refused when the moment has passed.
#[server(prefix = "/api/quan-tri", endpoint = "len-lich", input = Json)]
pub async fn schedule_article(id: i32, publish_at: Moment) -> Result<SavedVersion, AppError> {
    crate::ssr::answer(
        async move {
            let (user, editorial) = crate::ssr::editorial::signed_in_editor().await?;
            Ok(editorial.schedule(&user, id, publish_at.0).await?)
        }
        .await,
    )
}

/// Plans (or with `null` cancels) taking a published or scheduled article
/// down by itself at `unpublish_at` (editors).
#[server(prefix = "/api/quan-tri", endpoint = "lich-go", input = Json)]
pub async fn schedule_unpublish(
    id: i32,
    unpublish_at: Option<Moment>,
) -> Result<SavedVersion, AppError> {
    crate::ssr::answer(
        async move {
            let (user, editorial) = crate::ssr::editorial::signed_in_editor().await?;
            Ok(editorial
                .schedule_unpublish(&user, id, unpublish_at.map(|m| m.0))
                .await?)
        }
        .await,
    )
}

/// Brings an older revision back as a new one.
#[server(prefix = "/api/quan-tri", endpoint = "khoi-phuc", input = Json)]
pub async fn restore_revision(
    id: i32,
    revision_id: i32,
    base_version: i64,
) -> Result<SavedVersion, AppError> {
    crate::ssr::answer(
        async move {
            let (user, editorial) = crate::ssr::editorial::signed_in_editor().await?;
            Ok(editorial
                .restore(&user, id, revision_id, base_version)
                .await?)
        }
        .await,
    )
}

/// An article to edit or review.
#[server(prefix = "/api/quan-tri", endpoint = "bai-viet", input = Json)]
pub async fn load_editor_article(id: i32) -> Result<EditorArticle, AppError> {
    crate::ssr::answer(
        async move {
            let (user, editorial) = crate::ssr::editorial::signed_in_editor().await?;
            Ok(editorial.article(&user, id).await?)
        }
        .await,
    )
}

/// The editors' article list.
#[server(prefix = "/api/quan-tri", endpoint = "danh-sach", input = Json)]
pub async fn editor_articles(filter: ArticleFilter) -> Result<Vec<EditorArticleSummary>, AppError> {
    crate::ssr::answer(
        async move {
            let (user, editorial) = crate::ssr::editorial::signed_in_editor().await?;
            Ok(editorial.list(&user, filter).await?)
        }
        .await,
    )
}

/// An article's kept revisions, newest first.
#[server(prefix = "/api/quan-tri", endpoint = "phien-ban", input = Json)]
pub async fn article_revisions(id: i32) -> Result<Vec<RevisionSummary>, AppError> {
    crate::ssr::answer(
        async move {
            let (user, editorial) = crate::ssr::editorial::signed_in_editor().await?;
            Ok(editorial.revisions(&user, id).await?)
        }
        .await,
    )
}

/// One revision's content, to compare or restore.
#[server(prefix = "/api/quan-tri", endpoint = "noi-dung-phien-ban", input = Json)]
pub async fn article_revision(id: i32, revision_id: i32) -> Result<ArticleDraft, AppError> {
    crate::ssr::answer(
        async move {
            let (user, editorial) = crate::ssr::editorial::signed_in_editor().await?;
            Ok(editorial.revision(&user, id, revision_id).await?)
        }
        .await,
    )
}

/// A draft as readers would see it, for the preview page.
#[server(prefix = "/api/quan-tri", endpoint = "xem-truoc", input = Json)]
pub async fn preview_article(id: i32) -> Result<crate::model::Article, AppError> {
    crate::ssr::answer(
        async move {
            let (user, editorial) = crate::ssr::editorial::signed_in_editor().await?;
            Ok(editorial.preview(&user, id).await?)
        }
        .await,
    )
}

/// "I have this article open": returns who else is editing it now.
#[server(prefix = "/api/quan-tri", endpoint = "dang-sua", input = Json)]
pub async fn editing_now(id: i32) -> Result<Vec<String>, AppError> {
    crate::ssr::answer(
        async move {
            let (user, editorial) = crate::ssr::editorial::signed_in_editor().await?;
            Ok(editorial.editing(&user, id).await?)
        }
        .await,
    )
}

/// Deletes a draft that was never published (an empty one left by "Viết bài mới", say).
#[server(prefix = "/api/quan-tri", endpoint = "xoa-ban-nhap", input = Json)]
pub async fn delete_draft(id: i32) -> Result<(), AppError> {
    crate::ssr::answer(
        async move {
            let (user, editorial) = crate::ssr::editorial::signed_in_editor().await?;
            Ok(editorial.delete_draft(&user, id).await?)
        }
        .await,
    )
}
