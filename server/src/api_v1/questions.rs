//! `/api/v1/questions`: citizens' questions that editors answered and
//! published ("Hỏi đáp"), read through [`QuestionDesk::published`], which
//! returns only published, answered questions and never who asked
//! (no name, no contact, no tracking code).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Answer, ApiError, ApiState, ErrorBody, Paging, bad_query, json, page_count, rfc3339};

/// The longest `q` accepted.
const MAX_QUERY_CHARS: usize = 200;

/// A published question and its answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Question {
    /// Stable identifier.
    pub id: i32,
    /// Its topic ("Thủ tục hành chính", …).
    pub topic: String,
    /// The editors' short title for it.
    pub title: String,
    /// The question as published (editors may remove personal details).
    pub question: String,
    /// The answer, plain text.
    pub answer: String,
    /// When it was asked (RFC 3339, Vietnam time).
    #[schema(format = DateTime)]
    pub asked_at: String,
    /// When it was answered (RFC 3339, Vietnam time).
    #[schema(format = DateTime)]
    pub answered_at: String,
    /// Its place on the portal's questions page.
    #[schema(format = "uri")]
    pub url: String,
}

/// One page of questions.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionList {
    pub items: Vec<Question>,
    #[schema(minimum = 1)]
    pub page: u64,
    #[schema(minimum = 1, maximum = 100)]
    pub per_page: u64,
    pub total: u64,
    #[schema(minimum = 1)]
    pub total_pages: u64,
}

/// The parameters of `/api/v1/questions`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuestionListParams {
    /// The page to return, 1-based (default 1).
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000000)]
    page: Option<String>,
    /// Questions per page (default 20, at most 100).
    #[param(value_type = Option<u64>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
    /// Words that must each appear in the title, question or answer,
    /// ignoring case and Vietnamese diacritics.
    #[param(value_type = Option<String>, max_length = 200)]
    q: Option<String>,
    /// Only questions of this topic, exactly as the questions give it.
    #[param(value_type = Option<String>)]
    topic: Option<String>,
}

/// Published questions and answers, newest answer first.
#[utoipa::path(
    get,
    path = "/api/v1/questions",
    operation_id = "list_questions",
    tag = "questions",
    params(QuestionListParams),
    responses(
        (status = 200, description = "One page of published questions.", body = QuestionList,
            headers(
                ("ETag" = String, description = "Weak validator of the body."),
                ("Cache-Control" = String, description = "`public, max-age=60`."),
            )),
        (status = 304, description = "Not modified: `If-None-Match` matched the current `ETag`."),
        (status = 400, description = "A malformed `page`, `per_page` or `q`.", body = ErrorBody),
        (status = 503, description = "The database is unavailable.", body = ErrorBody),
    )
)]
pub async fn list(
    State(api): State<ApiState>,
    headers: HeaderMap,
    query: Result<Query<QuestionListParams>, QueryRejection>,
) -> Answer {
    let Query(params) = query.map_err(bad_query)?;
    let paging = Paging::parse(params.page.as_deref(), params.per_page.as_deref())?;
    let q = params.q.unwrap_or_default();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::bad_request(format!(
            "Từ khóa tìm kiếm (q) dài quá {MAX_QUERY_CHARS} ký tự; xin vui lòng rút gọn."
        )));
    }
    let topic = params.topic.unwrap_or_default();
    let found = api
        .questions
        .published(&q, &topic, paging.page, paging.per_page)
        .await?;
    let items = found
        .items
        .into_iter()
        .map(|question| Question {
            url: api.absolute(&format!("/hoi-dap#{}", question.anchor())),
            asked_at: rfc3339(question.asked_at),
            answered_at: rfc3339(question.answered_at),
            id: question.id,
            topic: question.topic,
            title: question.title,
            question: question.question,
            answer: question.answer,
        })
        .collect();
    json(
        &headers,
        &QuestionList {
            items,
            page: paging.page,
            per_page: paging.per_page,
            total: found.total,
            total_pages: page_count(found.total, paging.per_page),
        },
    )
}
