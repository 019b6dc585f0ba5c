//! "Hỏi đáp": published questions and answers at `/hoi-dap`, the question
//! form at `/hoi-dap/gui` and tracking at `/hoi-dap/tra-cuu`. Everything is
//! a plain link or form, so it all works without JavaScript. Also the
//! articles' "Bạn thấy thông tin có hữu ích không?" rating.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::api::questions::{
    RATE_PATH, SUBMIT_PATH, published_questions, question_form_token, track_question,
};
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::pagination::{Pagination, canonical_href, page_title};
use crate::components::status::{Loading, PageBeyondEnd, ServiceUnavailable};
use crate::model::questions::{
    MAX_QUESTION_CHARS, PublicQuestion, QUESTION_TOPICS, QuestionFormState, QuestionStatus,
    QuestionTracking,
};
use crate::model::{format_count, parse_page};
use crate::url::encode_component;
use crate::vn_time::{format_datetime, iso_datetime};

const TITLE: &str = "Hỏi đáp";
const PATH: &str = "/hoi-dap";
const TRACK_PATH: &str = "/hoi-dap/tra-cuu";

/// Text as paragraphs: each line of `text` one `<p>`.
fn paragraphs(text: &str) -> impl IntoView + use<> {
    text.split('\n')
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| view! { <p>{line.to_owned()}</p> })
        .collect_view()
}

/// The links every Q&A page offers.
#[component]
fn QaActions() -> impl IntoView {
    view! {
        <p class="qa-actions">
            <a class="qa-button" href=SUBMIT_PATH>"Gửi câu hỏi"</a>
            <a href=TRACK_PATH>"Tra cứu câu hỏi đã gửi"</a>
        </p>
    }
}

#[component]
pub fn QuestionsPage() -> impl IntoView {
    let params = use_query_map();
    let key = move || {
        let params = params.read();
        (
            params
                .get("q")
                .unwrap_or_default()
                .trim()
                .chars()
                .take(200)
                .collect::<String>(),
            params.get("chu-de").unwrap_or_default().trim().to_owned(),
            parse_page(params.get("trang").as_deref()),
        )
    };
    let found = Resource::new(key, |(q, topic, page)| published_questions(q, topic, page));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let (q, topic, _) = key();
                let filtered = !q.is_empty() || !topic.is_empty();
                let first_page = {
                    let mut parts = Vec::new();
                    if !q.is_empty() {
                        parts.push(format!("q={}", encode_component(&q)));
                    }
                    if !topic.is_empty() {
                        parts.push(format!("chu-de={}", encode_component(&topic)));
                    }
                    if parts.is_empty() { PATH.to_owned() } else { format!("{PATH}?{}", parts.join("&")) }
                };
                match found.await {
                    Ok(page) => {
                        let beyond_end = page.items.is_empty() && page.page > 1;
                        let last = page.page_count();
                        view! {
                            <Title text=page_title(TITLE, page.page)/>
                            <Meta
                                name="description"
                                content="Câu hỏi của người dân, tổ chức về thủ tục và cải cách hành chính, và câu trả lời của cơ quan."
                            />
                            {filtered.then(|| view! { <Meta name="robots" content="noindex"/> })}
                            <Link rel="canonical" href=canonical_href(PATH, page.page)/>
                            <Breadcrumbs ancestors=Vec::new() current=TITLE.to_owned()/>
                            <h1 class="section-title page-title">{TITLE}</h1>
                            <p class="qa-intro">
                                "Người dân, tổ chức gửi câu hỏi về thủ tục và cải cách hành chính; "
                                "cơ quan trả lời qua mã tra cứu và công bố những câu hỏi được đồng ý công bố."
                            </p>
                            <QaActions/>
                            <form class="document-filters" method="get" action=PATH role="search" aria-label="Tìm câu hỏi">
                                <div class="filter-field filter-words">
                                    <label for="hd-tu-khoa">"Từ khóa"</label>
                                    <input id="hd-tu-khoa" type="search" name="q" value=q.clone() maxlength="200"/>
                                </div>
                                <div class="filter-field">
                                    <label for="hd-chu-de">"Lĩnh vực"</label>
                                    <select id="hd-chu-de" name="chu-de">
                                        <option value="" selected=topic.is_empty()>"Tất cả"</option>
                                        {QUESTION_TOPICS
                                            .into_iter()
                                            .map(|t| view! { <option value=t selected=t == topic>{t}</option> })
                                            .collect_view()}
                                    </select>
                                </div>
                                <div class="filter-actions">
                                    <button type="submit">"Tìm câu hỏi"</button>
                                    {filtered.then(|| view! { <a href=PATH>"Bỏ lọc"</a> })}
                                </div>
                            </form>
                            {if beyond_end {
                                view! { <PageBeyondEnd page=page.page first_page/> }.into_any()
                            } else if page.total == 0 {
                                view! {
                                    <p class="search-summary" role="status">
                                        {if filtered {
                                            "Không có câu hỏi nào khớp với điều kiện tìm."
                                        } else {
                                            "Chưa có câu hỏi nào được công bố."
                                        }}
                                    </p>
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <p class="search-summary" role="status">
                                        {format!(
                                            "{} {} câu hỏi đã được trả lời.",
                                            if filtered { "Tìm thấy" } else { "Có" },
                                            format_count(page.total),
                                        )}
                                    </p>
                                    <ol class="qa-list">
                                        {page
                                            .items
                                            .into_iter()
                                            .map(|item| view! { <QaItem item/> })
                                            .collect_view()}
                                    </ol>
                                    <Pagination base=first_page current=page.page last/>
                                }
                                    .into_any()
                            }}
                        }
                            .into_any()
                    }
                    Err(_) => view! { <ServiceUnavailable/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn QaItem(item: PublicQuestion) -> impl IntoView {
    view! {
        <li class="qa-item" id=item.anchor()>
            <article>
                <h2 class="qa-title">{item.title.clone()}</h2>
                <p class="qa-meta">
                    {item.topic.clone()} " · Hỏi lúc "
                    <time datetime=iso_datetime(item.asked_at)>{format_datetime(item.asked_at)}</time>
                    " · Trả lời lúc "
                    <time datetime=iso_datetime(item.answered_at)>{format_datetime(item.answered_at)}</time>
                </p>
                <div class="qa-question">
                    <h3>"Câu hỏi"</h3>
                    {paragraphs(&item.question)}
                </div>
                <div class="qa-answer">
                    <h3>"Trả lời"</h3>
                    {paragraphs(&item.answer)}
                </div>
            </article>
        </li>
    }
}

/// The question form. After a refusal the server renders it again with
/// [`QuestionFormState`] in the context: what was typed and what to fix.
#[component]
pub fn AskPage() -> impl IntoView {
    let state = use_context::<QuestionFormState>().unwrap_or_default();
    let token = Resource::new(|| (), |_| question_form_token());
    view! {
        <Title text="Gửi câu hỏi"/>
        <Meta name="robots" content="noindex"/>
        <Breadcrumbs
            ancestors=vec![(PATH.to_owned(), TITLE.to_owned())]
            current="Gửi câu hỏi".to_owned()
        />
        <h1 class="section-title page-title">"Gửi câu hỏi"</h1>
        <Suspense fallback=Loading>
            {move || {
                let state = state.clone();
                Suspend::new(async move {
                    match token.await {
                        Ok(token) => view! { <AskForm state token/> }.into_any(),
                        Err(_) => view! { <ServiceUnavailable/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn AskForm(state: QuestionFormState, token: String) -> impl IntoView {
    let values = state.values.clone();
    let error = |field: &str| state.error(field);
    let described = |field: &str, has_error: bool| has_error.then(|| format!("hd-loi-{field}"));
    let field_error = |field: &'static str, message: Option<String>| {
        message.map(|message| {
            view! {
                <p class="field-error" id=format!("hd-loi-{field}")>{message}</p>
            }
        })
    };
    let name_error = error("name");
    let contact_error = error("contact");
    let topic_error = error("topic");
    let question_error = error("question");
    let message = state.message.clone();
    // After a refusal the browser's focus goes to what needs fixing: the
    // first wrong field, or the message when no field is wrong.
    let first_wrong = ["name", "contact", "topic", "question"]
        .into_iter()
        .find(|field| state.error(field).is_some());
    let focus = move |field: &str| first_wrong == Some(field);
    view! {
        {(!message.is_empty())
            .then(|| {
                view! {
                    <p class="form-error" role="alert" tabindex="-1" autofocus=first_wrong.is_none()>
                        {message}
                    </p>
                }
            })}
        <form class="qa-form" method="post" action=SUBMIT_PATH>
            <p class="qa-note">
                "Các mục có dấu * là bắt buộc. Họ tên, email và số điện thoại chỉ cơ quan xem, "
                "không bao giờ được công bố."
            </p>
            <div class="form-field">
                <label for="hd-ho-ten">"Họ và tên *"</label>
                <input
                    id="hd-ho-ten"
                    autofocus=focus("name")
                    name="ho_ten"
                    type="text"
                    autocomplete="name"
                    required
                    maxlength="200"
                    value=values.name.clone()
                    aria-invalid=name_error.is_some().then_some("true")
                    aria-describedby=described("name", name_error.is_some())
                />
                {field_error("name", name_error.clone())}
            </div>
            <div class="form-field">
                <label for="hd-lien-he">"Email hoặc số điện thoại *"</label>
                <input
                    id="hd-lien-he"
                    autofocus=focus("contact")
                    name="lien_he"
                    type="text"
                    autocomplete="email"
                    required
                    maxlength="200"
                    value=values.contact.clone()
                    aria-invalid=contact_error.is_some().then_some("true")
                    aria-describedby=described("contact", contact_error.is_some())
                />
                {field_error("contact", contact_error.clone())}
            </div>
            <div class="form-field">
                <label for="hd-chu-de-gui">"Lĩnh vực *"</label>
                <select
                    id="hd-chu-de-gui"
                    autofocus=focus("topic")
                    name="chu_de"
                    required
                    aria-invalid=topic_error.is_some().then_some("true")
                    aria-describedby=described("topic", topic_error.is_some())
                >
                    <option value="" selected=values.topic.is_empty()>"Chọn lĩnh vực"</option>
                    {QUESTION_TOPICS
                        .into_iter()
                        .map(|t| view! { <option value=t selected=t == values.topic>{t}</option> })
                        .collect_view()}
                </select>
                {field_error("topic", topic_error.clone())}
            </div>
            <div class="form-field">
                <label for="hd-noi-dung">"Nội dung câu hỏi *"</label>
                <textarea
                    id="hd-noi-dung"
                    autofocus=focus("question")
                    name="noi_dung"
                    rows="8"
                    required
                    minlength="10"
                    maxlength=MAX_QUESTION_CHARS.to_string()
                    aria-invalid=question_error.is_some().then_some("true")
                    aria-describedby=described("question", question_error.is_some())
                >
                    {values.question.clone()}
                </textarea>
                {field_error("question", question_error.clone())}
            </div>
            // People never see this field; scripts that fill every field do.
            <div class="hp">
                <label for="hd-trang-web">"Trang web (để trống)"</label>
                <input id="hd-trang-web" name="trang_web" type="text" tabindex="-1" autocomplete="off"/>
            </div>
            <input type="hidden" name="ma_bieu_mau" value=token/>
            <div class="form-check">
                <input id="hd-dong-y" name="dong_y" type="checkbox" value="1" checked=values.consent/>
                <label for="hd-dong-y">
                    "Tôi đồng ý cho công bố câu hỏi (không kèm họ tên và thông tin liên hệ) cùng câu trả lời trên trang này."
                </label>
            </div>
            <p>
                <button type="submit" class="qa-button">"Gửi câu hỏi"</button>
            </p>
        </form>
    }
}

#[component]
pub fn TrackPage() -> impl IntoView {
    let params = use_query_map();
    let key = move || {
        let params = params.read();
        (
            params
                .get("ma")
                .unwrap_or_default()
                .trim()
                .chars()
                .take(40)
                .collect::<String>(),
            params.get("moi").is_some(),
        )
    };
    let found = Resource::new(key, |(code, _)| async move {
        if code.is_empty() {
            Ok(None)
        } else {
            track_question(code).await
        }
    });
    view! {
        <Title text="Tra cứu câu hỏi"/>
        <Meta name="robots" content="noindex"/>
        <Breadcrumbs
            ancestors=vec![(PATH.to_owned(), TITLE.to_owned())]
            current="Tra cứu câu hỏi".to_owned()
        />
        <h1 class="section-title page-title">"Tra cứu câu hỏi"</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let (code, new) = key();
                let result = found.await;
                view! {
                    <form class="track-form" method="get" action=TRACK_PATH>
                        <label for="hd-ma">"Mã tra cứu"</label>
                        <div class="track-row">
                            <input
                                id="hd-ma"
                                name="ma"
                                type="text"
                                value=code.clone()
                                placeholder="HD-XXXX-XXXX"
                                autocomplete="off"
                                autocapitalize="characters"
                                spellcheck="false"
                                required
                            />
                            <button type="submit">"Tra cứu"</button>
                        </div>
                    </form>
                    {match result {
                        Ok(Some(tracking)) => view! { <Tracking tracking new/> }.into_any(),
                        Ok(None) if !code.is_empty() => {
                            view! {
                                <p class="form-error" role="alert">
                                    "Không tìm thấy câu hỏi có mã “" {code} "”. "
                                    "Xin vui lòng kiểm tra lại mã (gồm 8 ký tự sau “HD-”)."
                                </p>
                            }
                                .into_any()
                        }
                        Ok(None) => {
                            view! {
                                <p class="search-help">
                                    "Nhập mã tra cứu bạn nhận được khi gửi câu hỏi, ví dụ HD-7K3M-Q9P0."
                                </p>
                            }
                                .into_any()
                        }
                        Err(_) => view! { <ServiceUnavailable/> }.into_any(),
                    }}
                    <QaActions/>
                }
            })}
        </Suspense>
    }
}

#[component]
fn Tracking(tracking: QuestionTracking, new: bool) -> impl IntoView {
    view! {
        {new
            .then(|| {
                view! {
                    <div class="qa-sent" role="status">
                        <p>"Câu hỏi của bạn đã được gửi."</p>
                        <p>
                            "Mã tra cứu: " <strong class="qa-code">{tracking.code.clone()}</strong>
                        </p>
                        <p>"Xin ghi lại mã này để theo dõi câu trả lời tại trang này."</p>
                    </div>
                }
            })}
        <section class="qa-status" aria-labelledby="hd-tinh-trang">
            <h2 id="hd-tinh-trang">"Câu hỏi " {tracking.code.clone()}</h2>
            <dl class="document-fields">
                <div class="document-field">
                    <dt>"Lĩnh vực"</dt>
                    <dd>{tracking.topic.clone()}</dd>
                </div>
                <div class="document-field">
                    <dt>"Gửi lúc"</dt>
                    <dd>
                        <time datetime=iso_datetime(tracking.asked_at)>{format_datetime(tracking.asked_at)}</time>
                    </dd>
                </div>
                <div class="document-field">
                    <dt>"Tình trạng"</dt>
                    <dd>
                        <strong class="qa-state">{tracking.status.label()}</strong>
                    </dd>
                </div>
            </dl>
            {match (tracking.status, tracking.answer.clone()) {
                (QuestionStatus::Answered, Some(answer)) => {
                    view! {
                        <div class="qa-answer">
                            <h3>"Trả lời"</h3>
                            {tracking
                                .answered_at
                                .map(|at| {
                                    view! {
                                        <p class="qa-meta">
                                            "Trả lời lúc "
                                            <time datetime=iso_datetime(at)>{format_datetime(at)}</time>
                                        </p>
                                    }
                                })}
                            {paragraphs(&answer)}
                        </div>
                    }
                        .into_any()
                }
                _ => {
                    view! {
                        <p class="search-help">
                            "Cơ quan sẽ trả lời trong thời gian sớm nhất. Câu trả lời sẽ hiện ở trang này."
                        </p>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// "Bạn thấy thông tin có hữu ích không?" under an article: two buttons of
/// a plain form; after a vote the article says thanks instead.
#[component]
pub fn Rating(slug: String) -> impl IntoView {
    let query = use_query_map();
    let thanked = query.read_untracked().get("danh-gia").as_deref() == Some("cam-on");
    view! {
        <section id="danh-gia" class="rating" aria-labelledby="danh-gia-tieu-de">
            <h2 id="danh-gia-tieu-de" class="rating-title">"Bạn thấy thông tin có hữu ích không?"</h2>
            {if thanked {
                view! { <p class="rating-thanks" role="status">"Cảm ơn bạn đã góp ý."</p> }.into_any()
            } else {
                view! {
                    <form method="post" action=RATE_PATH class="rating-form">
                        <input type="hidden" name="bai" value=slug/>
                        <button type="submit" name="huu_ich" value="co">"Có"</button>
                        <button type="submit" name="huu_ich" value="khong">"Không"</button>
                    </form>
                }
                    .into_any()
            }}
        </section>
    }
}
