//! Citizens' questions ("Hỏi đáp"): the public list and tracking, and the
//! editors' desk (editors and admins). Questions are sent by a plain form
//! post to [`SUBMIT_PATH`] and ratings to [`RATE_PATH`], both handled by
//! the server's questions module.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
use crate::model::Paged;
use crate::model::questions::{
    AnswerInput, EditorQuestion, PublicQuestion, QuestionStatus, QuestionTracking, RatingCounts,
};
#[cfg(feature = "ssr")]
use crate::model::{accounts::Role, questions::QUESTIONS_PAGE_SIZE};

/// Where the question form is shown and sent.
pub const SUBMIT_PATH: &str = "/hoi-dap/gui";
/// Where an article's "Có"/"Không" rating is sent.
pub const RATE_PATH: &str = "/danh-gia";

#[cfg(feature = "ssr")]
fn cut(text: String, max: usize) -> String {
    text.chars().take(max).collect()
}

/// One page of published questions matching `q` and `topic` (empty for all).
#[server]
pub async fn published_questions(
    q: String,
    topic: String,
    page: u64,
) -> Result<Paged<PublicQuestion>, AppError> {
    Ok(crate::ssr::app_state()?
        .questions
        .published(
            &cut(q, 200),
            &cut(topic, 100),
            crate::model::clamp_page(page),
            QUESTIONS_PAGE_SIZE,
        )
        .await?)
}

/// Where the question with this tracking code stands; `None` for an
/// unknown code.
#[server]
pub async fn track_question(code: String) -> Result<Option<QuestionTracking>, AppError> {
    Ok(crate::ssr::app_state()?
        .questions
        .track(&cut(code, 40))
        .await?)
}

/// A fresh token for the question form (the time it is shown, signed).
#[server]
pub async fn question_form_token() -> Result<String, AppError> {
    Ok(crate::ssr::app_state()?.questions.form_token())
}

/// Questions for the editors' desk, optionally of one status, matching `query`.
#[server(prefix = "/api/quan-tri", endpoint = "hoi-dap", input = Json)]
pub async fn editor_questions(
    status: Option<QuestionStatus>,
    query: String,
) -> Result<Vec<EditorQuestion>, AppError> {
    crate::ssr::answer(
        async move {
            crate::ssr::require_role(Role::Editor).await?;
            Ok(crate::ssr::app_state()?
                .questions
                .list_for_editors(status, cut(query, 200))
                .await?)
        }
        .await,
    )
}

/// One question, with the asker's contact details.
#[server(prefix = "/api/quan-tri", endpoint = "mo-cau-hoi", input = Json)]
pub async fn open_question(id: i32) -> Result<EditorQuestion, AppError> {
    crate::ssr::answer(
        async move {
            crate::ssr::require_role(Role::Editor).await?;
            Ok(crate::ssr::app_state()?.questions.get(id).await?)
        }
        .await,
    )
}

/// Who a question can be assigned to: `(id, display name)`.
#[server(prefix = "/api/quan-tri", endpoint = "nguoi-tra-loi", input = Json)]
pub async fn question_assignees() -> Result<Vec<(i32, String)>, AppError> {
    crate::ssr::answer(
        async move {
            crate::ssr::require_role(Role::Editor).await?;
            Ok(crate::ssr::app_state()?.questions.assignees().await?)
        }
        .await,
    )
}

/// Assigns a question to an editor (or nobody).
#[server(prefix = "/api/quan-tri", endpoint = "giao-cau-hoi", input = Json)]
pub async fn assign_question(id: i32, to: Option<i32>) -> Result<EditorQuestion, AppError> {
    crate::ssr::answer(
        async move {
            let user = crate::ssr::require_role(Role::Editor).await?;
            Ok(crate::ssr::app_state()?
                .questions
                .assign(&user, id, to)
                .await?)
        }
        .await,
    )
}

/// Saves an answer, the status and publication.
#[server(prefix = "/api/quan-tri", endpoint = "tra-loi-cau-hoi", input = Json)]
pub async fn answer_question(input: AnswerInput) -> Result<EditorQuestion, AppError> {
    crate::ssr::answer(
        async move {
            let user = crate::ssr::require_role(Role::Editor).await?;
            Ok(crate::ssr::app_state()?
                .questions
                .answer(&user, input)
                .await?)
        }
        .await,
    )
}

/// Removes a question (spam, or at the asker's request).
#[server(prefix = "/api/quan-tri", endpoint = "xoa-cau-hoi", input = Json)]
pub async fn delete_question(id: i32) -> Result<(), AppError> {
    crate::ssr::answer(
        async move {
            let user = crate::ssr::require_role(Role::Editor).await?;
            Ok(crate::ssr::app_state()?.questions.delete(&user, id).await?)
        }
        .await,
    )
}

/// How readers rated an article (authors and up).
#[server(prefix = "/api/quan-tri", endpoint = "danh-gia-bai", input = Json)]
pub async fn article_ratings(slug: String) -> Result<RatingCounts, AppError> {
    crate::ssr::answer(
        async move {
            crate::ssr::require_role(Role::Author).await?;
            Ok(crate::ssr::app_state()?
                .questions
                .ratings(&cut(slug, 300))
                .await?)
        }
        .await,
    )
}
