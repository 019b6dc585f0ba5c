//! The public forms: a citizen's question (`POST /hoi-dap/gui`) and an
//! article's rating (`POST /danh-gia`). Both are plain form posts, so they
//! work without JavaScript.

use std::net::SocketAddr;
use std::sync::Arc;

use app::api::questions::{RATE_PATH, SUBMIT_PATH};
use app::model::questions::{MAX_PER_MINUTE, QuestionFormState, QuestionSubmission};
use app::ssr::AppState;
use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Form, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use leptos::prelude::provide_context;
use serde::Deserialize;
use time::OffsetDateTime;

use super::{QuestionStore, Refusal};
use crate::counter::visitor::VisitorPolicy;

#[derive(Clone)]
pub struct QuestionsHttp {
    pub store: QuestionStore,
    pub state: AppState,
    pub policy: Arc<VisitorPolicy>,
}

pub fn routes<S: Clone + Send + Sync + 'static>(http: QuestionsHttp) -> Router<S> {
    Router::new()
        .route(SUBMIT_PATH, post(submit))
        .route(RATE_PATH, post(rate))
        .with_state(http)
}

/// The question form's fields (names as in the page's HTML).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SubmitForm {
    ho_ten: String,
    lien_he: String,
    chu_de: String,
    noi_dung: String,
    dong_y: Option<String>,
    /// The field people never see; scripts fill it.
    trang_web: String,
    ma_bieu_mau: String,
}

/// `POST /hoi-dap/gui`. Taken: 303 to the tracking page with the new
/// code. Refused: the form again with what was typed and what to fix
/// (422), or the wait (429, `Retry-After`); nothing is stored then.
async fn submit(
    State(http): State<QuestionsHttp>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    form: Result<Form<SubmitForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let input = QuestionSubmission {
        name: form.ho_ten,
        contact: form.lien_he,
        topic: form.chu_de,
        question: form.noi_dung,
        consent: form.dong_y.is_some(),
    };
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(p)| p.ip());
    let ip = http.policy.client_ip(peer, &headers);
    let refused = match http
        .store
        .submit(
            &input,
            &form.ma_bieu_mau,
            &form.trang_web,
            ip,
            OffsetDateTime::now_utc(),
        )
        .await
    {
        Ok(code) => {
            return Redirect::to(&format!(
                "/hoi-dap/tra-cuu?ma={}&moi=1",
                app::url::encode_component(&code)
            ))
            .into_response();
        }
        Err(refusal) => refusal,
    };
    let (status, errors, message) = match refused {
        Refusal::Invalid(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
            "Câu hỏi chưa được gửi. Xin vui lòng sửa các mục được đánh dấu bên dưới.".to_owned(),
        ),
        Refusal::Form(message) => (StatusCode::UNPROCESSABLE_ENTITY, Vec::new(), message),
        Refusal::TooMany => (
            StatusCode::TOO_MANY_REQUESTS,
            Vec::new(),
            format!(
                "Từ địa chỉ mạng của bạn đã có {MAX_PER_MINUTE} câu hỏi được gửi trong một phút. \
                 Xin vui lòng đợi một phút rồi gửi lại; nội dung bạn đã nhập vẫn còn bên dưới."
            ),
        ),
        Refusal::Unavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            Vec::new(),
            "Hệ thống đang bận, câu hỏi chưa được gửi. Xin vui lòng thử lại sau ít phút; \
             nội dung bạn đã nhập vẫn còn bên dưới."
                .to_owned(),
        ),
    };
    let state = QuestionFormState {
        values: input,
        errors,
        message,
    };
    let mut response = render_form(&http, &headers, state).await;
    *response.status_mut() = status;
    if status == StatusCode::TOO_MANY_REQUESTS {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("60"));
    }
    response
}

/// The question page, rendered again with `form` (what was typed, the
/// mistakes) and a fresh form token.
async fn render_form(
    http: &QuestionsHttp,
    headers: &HeaderMap,
    form: QuestionFormState,
) -> Response {
    let mut request = Request::builder().uri(SUBMIT_PATH).method("GET");
    for name in [
        header::ACCEPT,
        header::ACCEPT_LANGUAGE,
        header::COOKIE,
        header::USER_AGENT,
    ] {
        if let Some(value) = headers.get(&name) {
            request = request.header(name, value);
        }
    }
    let Ok(request) = request.body(Body::empty()) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let state = http.state.clone();
    let options = state.leptos_options.clone();
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(state.clone());
            provide_context(form.clone());
        },
        move || app::shell(options.clone()),
    );
    render(request).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RateForm {
    bai: String,
    huu_ich: String,
}

/// `POST /danh-gia`: a reader's "Có"/"Không" for article `bai`; 303 back
/// to the article, which thanks them. Nothing about the reader is stored.
async fn rate(
    State(http): State<QuestionsHttp>,
    form: Result<Form<RateForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return (StatusCode::BAD_REQUEST, "Không đọc được đánh giá.").into_response();
    };
    let helpful = match form.huu_ich.as_str() {
        "co" => true,
        "khong" => false,
        _ => {
            return (StatusCode::BAD_REQUEST, "Không đọc được đánh giá.").into_response();
        }
    };
    let slug = form.bai.trim();
    if slug.is_empty()
        || slug.len() > app::api::articles::MAX_SLUG_LEN
        || !slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return (StatusCode::NOT_FOUND, "Không tìm thấy bài viết.").into_response();
    }
    match http.store.rate(slug, helpful).await {
        Ok(true) => Redirect::to(&format!(
            "{}?danh-gia=cam-on#danh-gia",
            app::model::article_path(slug)
        ))
        .into_response(),
        Ok(false) => (StatusCode::NOT_FOUND, "Không tìm thấy bài viết.").into_response(),
        Err(err) => {
            tracing::error!(%err, "cannot store a rating");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "Hệ thống đang bận, chưa ghi nhận được đánh giá. Xin vui lòng thử lại sau.",
            )
                .into_response()
        }
    }
}
