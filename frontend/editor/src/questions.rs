//! `/quan-tri/hoi-dap` (editors and admins): citizens' questions ("Hỏi
//! đáp"). A list filtered by status and searched by code, name, contact or
//! text, with the count of each status; an opened question shows the
//! asker's private details (never published), lets an editor assign it,
//! answer it, set its status and publish it (only with the asker's
//! consent), or delete it (spam, or at the asker's request). The server
//! checks the role and every rule; its refusals are shown beside the field.

use std::future::Future;
use std::time::Duration;

use app::api::questions::{
    answer_question, assign_question, delete_question, editor_questions, open_question,
    question_assignees,
};
use app::error::{AppError, FieldError};
use app::model::accounts::Role;
use app::model::questions::{AnswerInput, EditorQuestion, QuestionStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use wasm_bindgen::JsCast;

use crate::layout::me;

/// The most questions the server lists at once (its `EDITOR_LIST_LIMIT`):
/// with that many, the counts cover only the newest.
const LIST_LIMIT: usize = 500;

/// How long typing pauses before the search runs.
const SEARCH_DELAY: Duration = Duration::from_millis(300);

/// The opened question's heading, where the focus goes when it opens.
const HEADING_ID: &str = "hd-cau-hoi-tieu-de";

fn when(at: time::OffsetDateTime) -> String {
    app::vn_time::format_datetime(at)
}

/// The id of the row's "Trả lời" button, to come back to it.
fn open_button_id(id: i32) -> String {
    format!("hd-tra-loi-{id}")
}

/// Moves the focus to the element with this id, if it is there.
fn focus_id(id: &str) {
    if let Some(element) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

fn confirmed(question: &str) -> bool {
    window().confirm_with_message(question).unwrap_or(false)
}

/// Runs `request` with `busy` set (its buttons disabled), then `then`
/// unless the form has gone meanwhile. The focus a disabled button dropped
/// goes back to it.
fn run<T: 'static>(
    busy: RwSignal<bool>,
    request: impl Future<Output = Result<T, AppError>> + 'static,
    then: impl FnOnce(Result<T, AppError>) + 'static,
) {
    let focused = document()
        .active_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    busy.set(true);
    leptos::task::spawn_local(async move {
        let answer = request.await;
        if busy.try_set(false).is_some() {
            // The question was closed (or the page left) meanwhile.
            return;
        }
        then(answer);
        let Some(button) = focused else { return };
        request_animation_frame(move || {
            let dropped = document()
                .active_element()
                .is_none_or(|e| e.tag_name().eq_ignore_ascii_case("body"));
            if dropped && button.is_connected() {
                let _ = button.focus();
            }
        });
    });
}

/// Puts `fresh` in place of the question with its id, or takes the question
/// `id` out when `fresh` is `None`.
fn patch(list: RwSignal<Vec<EditorQuestion>>, id: i32, fresh: Option<&EditorQuestion>) {
    list.update(|list| match fresh {
        Some(fresh) => {
            if let Some(row) = list.iter_mut().find(|q| q.id == id) {
                *row = fresh.clone();
            }
        }
        None => list.retain(|q| q.id != id),
    });
}

fn status_class(status: QuestionStatus) -> String {
    format!("status question-{}", status.as_str().replace('_', "-"))
}

/// How many questions of each status, and how many are published.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Counts {
    by_status: [usize; 3],
    published: usize,
    total: usize,
}

impl Counts {
    fn of(list: &[EditorQuestion]) -> Self {
        let mut counts = Self {
            total: list.len(),
            ..Self::default()
        };
        for q in list {
            if let Some(i) = QuestionStatus::ALL.iter().position(|s| *s == q.status) {
                counts.by_status[i] += 1;
            }
            if q.published {
                counts.published += 1;
            }
        }
        counts
    }
}

/// `/quan-tri/hoi-dap`.
#[component]
pub fn QuestionsPage() -> impl IntoView {
    if me().role < Role::Editor {
        return view! {
            <Title text="Hỏi đáp"/>
            <p class="form-error" role="alert">"Chỉ biên tập viên và quản trị viên trả lời được câu hỏi."</p>
        }
        .into_any();
    }
    let status = RwSignal::new(None::<QuestionStatus>);
    // What is typed in the search box, and the search that ran.
    let typed = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    // Every question matching the search (for the counts), and the ones of
    // the chosen status (the table).
    let all = RwSignal::new(Vec::<EditorQuestion>::new());
    let shown = RwSignal::new(Vec::<EditorQuestion>::new());
    let loaded = RwSignal::new(false);
    let loading = RwSignal::new(false);
    let list_error = RwSignal::new(None::<String>);
    let generation = StoredValue::new(0u64);
    let open = RwSignal::new(None::<i32>);
    let opened = Memo::new(move |_| open.get());
    // What happened last, said above the list (a question deleted).
    let notice = RwSignal::new(None::<String>);
    let heading = NodeRef::<leptos::html::H1>::new();

    Effect::new(move |_| {
        let status = status.get();
        let query = query.get();
        let this = generation.get_value() + 1;
        generation.set_value(this);
        loading.set(true);
        leptos::task::spawn_local(async move {
            let answer = async {
                let everything = editor_questions(None, query.clone()).await?;
                let filtered = match status {
                    Some(status) => editor_questions(Some(status), query).await?,
                    None => everything.clone(),
                };
                Ok::<_, AppError>((everything, filtered))
            }
            .await;
            if generation.try_get_value() != Some(this) {
                // A newer filter or search is on its way (or the page is gone).
                return;
            }
            match answer {
                Ok((everything, filtered)) => {
                    all.set(everything);
                    shown.set(filtered);
                    list_error.set(None);
                }
                Err(err) => list_error.set(Some(err.to_string())),
            }
            loaded.set(true);
            loading.set(false);
        });
    });

    let pending = StoredValue::new(None::<TimeoutHandle>);
    let stop_pending = move || {
        if let Some(handle) = pending.try_get_value().flatten() {
            handle.clear();
        }
    };
    on_cleanup(stop_pending);
    let on_search_input = move |e: leptos::ev::Event| {
        let value = event_target_value(&e);
        typed.set(value.clone());
        stop_pending();
        let handle = set_timeout_with_handle(
            move || {
                if query.get_untracked() != value {
                    query.set(value);
                }
            },
            SEARCH_DELAY,
        )
        .ok();
        pending.set_value(handle);
    };
    let search_now = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        stop_pending();
        query.set(typed.get_untracked());
    };

    let saved = Callback::new(move |fresh: EditorQuestion| {
        patch(all, fresh.id, Some(&fresh));
        patch(shown, fresh.id, Some(&fresh));
    });
    let deleted = Callback::new(move |(id, code): (i32, String)| {
        patch(all, id, None);
        patch(shown, id, None);
        open.set(None);
        notice.set(Some(format!("Đã xóa câu hỏi {code}.")));
        if let Some(heading) = heading.get_untracked() {
            let _ = heading.focus();
        }
    });
    let close = Callback::new(move |id: i32| {
        open.set(None);
        let button = open_button_id(id);
        if document().get_element_by_id(&button).is_some() {
            focus_id(&button);
        } else if let Some(heading) = heading.get_untracked() {
            let _ = heading.focus();
        }
    });

    let counts = Memo::new(move |_| all.with(|list| Counts::of(list)));
    let row = move |q: EditorQuestion| {
        let id = q.id;
        let code_id = format!("hd-ma-{id}");
        let show = move |_| {
            notice.set(None);
            if open.get_untracked() == Some(id) {
                focus_id(HEADING_ID);
            } else {
                open.set(Some(id));
            }
        };
        view! {
            <tr class:current=move || opened.get() == Some(id)>
                <th scope="row" id=code_id.clone() class="question-code">{q.code.clone()}</th>
                <td><time datetime=app::vn_time::iso_datetime(q.created_at)>{when(q.created_at)}</time></td>
                <td>{q.topic.clone()}</td>
                <td>{q.name.clone()}</td>
                <td>
                    <span class=status_class(q.status)>{q.status.label()}</span>
                    {q.published.then(|| view! { <br/><small class="published-mark">"Đã công bố"</small> })}
                </td>
                <td>
                    {match q.assignee.clone() {
                        Some((_, name)) => view! { <span>{name}</span> }.into_any(),
                        None => view! { <span class="unassigned">"Chưa giao"</span> }.into_any(),
                    }}
                </td>
                <td>
                    <button type="button" id=open_button_id(id) aria-describedby=code_id on:click=show>
                        "Trả lời"
                    </button>
                </td>
            </tr>
        }
    };

    view! {
        <Title text="Hỏi đáp"/>
        <h1 node_ref=heading tabindex="-1">"Hỏi đáp"</h1>
        <p class="message" role="status">{move || notice.get()}</p>
        <form class="filters" role="search" aria-label="Lọc câu hỏi" on:submit=search_now>
            <div class="stack">
                <label for="hd-loc-tinh-trang">"Lọc theo tình trạng"</label>
                <select id="hd-loc-tinh-trang"
                    on:change=move |e| status.set(QuestionStatus::parse(&event_target_value(&e)))>
                    <option value="" prop:selected=move || status.get().is_none()>"Tất cả"</option>
                    {QuestionStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() prop:selected=move || status.get() == Some(s)>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="stack">
                <label for="hd-tim">"Tìm câu hỏi"</label>
                <input id="hd-tim" type="search" maxlength="200" aria-describedby="hd-tim-goi-y"
                    prop:value=typed on:input=on_search_input/>
                <p class="hint" id="hd-tim-goi-y">"Mã, họ tên, thư điện tử hoặc số điện thoại, nội dung"</p>
            </div>
            <button type="submit">"Tìm"</button>
        </form>
        {move || loaded.get().then(|| {
            let c = counts.get();
            view! {
                <ul class="question-counts" aria-label="Số câu hỏi theo tình trạng">
                    {QuestionStatus::ALL.into_iter().zip(c.by_status).map(|(s, n)| view! {
                        <li><span class=status_class(s)>{s.label()}</span> ": " <strong>{n}</strong></li>
                    }).collect_view()}
                    <li>"Đã công bố: " <strong>{c.published}</strong></li>
                </ul>
                {(c.total >= LIST_LIMIT).then(|| view! {
                    <p class="hint">
                        "Chỉ tính " {LIST_LIMIT} " câu hỏi mới nhất; hãy tìm hoặc lọc để thu hẹp danh sách."
                    </p>
                })}
            }
        })}
        <p class="loading question-loading" role="status">
            {move || loading.get().then_some("Đang tải…")}
        </p>
        {move || list_error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        {move || (loaded.get() && shown.with(Vec::is_empty) && list_error.with(Option::is_none)).then(|| view! {
            <p class="empty">"Không có câu hỏi nào."</p>
        })}
        <div class="table-wrap" hidden=move || shown.with(Vec::is_empty)>
            <table class="data-table questions-table">
                <caption>"Danh sách câu hỏi (mới nhất trước)"</caption>
                <thead><tr>
                    <th scope="col">"Mã"</th>
                    <th scope="col">"Ngày gửi"</th>
                    <th scope="col">"Lĩnh vực"</th>
                    <th scope="col">"Người hỏi"</th>
                    <th scope="col">"Tình trạng"</th>
                    <th scope="col">"Người phụ trách"</th>
                    <th scope="col">"Thao tác"</th>
                </tr></thead>
                <tbody>
                    <For
                        each=move || shown.get()
                        key=|q| (q.id, q.status.as_str(), q.published, q.assignee.clone())
                        children=row
                    />
                </tbody>
            </table>
        </div>
        {move || opened.get().map(|id| view! { <OpenQuestion id saved deleted close/> })}
    }
    .into_any()
}

/// The opened question: loads it afresh (with who it can be assigned to).
#[component]
fn OpenQuestion(
    id: i32,
    saved: Callback<EditorQuestion>,
    deleted: Callback<(i32, String)>,
    close: Callback<i32>,
) -> impl IntoView {
    let question = LocalResource::new(move || open_question(id));
    let people = LocalResource::new(question_assignees);
    view! {
        <section class="question-desk" aria-labelledby=HEADING_ID>
            <Suspense fallback=|| view! { <p class="loading" role="status">"Đang mở câu hỏi…"</p> }>
                {move || Suspend::new(async move {
                    match question.await {
                        Ok(question) => {
                            let people = people.await;
                            view! { <QuestionForm question people saved deleted close/> }.into_any()
                        }
                        Err(err) => view! { <Unopened message=err.to_string() id close/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A question that could not be opened (deleted meanwhile, network, …).
#[component]
fn Unopened(message: String, id: i32, close: Callback<i32>) -> impl IntoView {
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(heading) = heading.get() {
            let _ = heading.focus();
        }
    });
    view! {
        <h2 id=HEADING_ID node_ref=heading tabindex="-1">"Không mở được câu hỏi"</h2>
        <p class="form-error" role="alert">{message}</p>
        <p><button type="button" on:click=move |_| close.run(id)>"Đóng"</button></p>
    }
}

/// The ids of a field's notes, for `aria-describedby`.
fn described_by(ids: &[Option<&str>]) -> Option<String> {
    let ids: Vec<&str> = ids.iter().flatten().copied().collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// Where the focus goes for a mistake in this field.
fn field_input_id(field: &str) -> Option<&'static str> {
    match field {
        "title" => Some("hd-tieu-de"),
        "answer" => Some("hd-cau-tra-loi"),
        "published" => Some("hd-cong-bo"),
        "assignee" => Some("hd-nguoi-phu-trach"),
        _ => None,
    }
}

/// What to say, and which fields to mark, for a refused request.
fn refusal(err: AppError) -> (Vec<FieldError>, String) {
    match err {
        AppError::Invalid { fields } => {
            let general = AppError::Invalid { fields: Vec::new() }.to_string();
            // Mistakes in fields the form does not show are said in full.
            let elsewhere: Vec<String> = fields
                .iter()
                .filter(|f| field_input_id(&f.field).is_none())
                .map(|f| f.message.clone())
                .collect();
            let message = if elsewhere.is_empty() {
                general
            } else {
                format!("{general} {}", elsewhere.join(" "))
            };
            (fields, message)
        }
        err => (Vec::new(), err.to_string()),
    }
}

#[component]
fn QuestionForm(
    question: EditorQuestion,
    people: Result<Vec<(i32, String)>, AppError>,
    saved: Callback<EditorQuestion>,
    deleted: Callback<(i32, String)>,
    close: Callback<i32>,
) -> impl IntoView {
    let id = question.id;
    let consent = question.consent;
    // The question as the server last answered.
    let current = RwSignal::new(question.clone());
    let title = RwSignal::new(question.title.clone());
    let public_question = RwSignal::new(question.public_question.clone());
    let answer = RwSignal::new(question.answer.clone());
    let status = RwSignal::new(question.status);
    let published = RwSignal::new(question.published);
    let assignee = RwSignal::new(question.assignee.as_ref().map(|(id, _)| *id));
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let busy = RwSignal::new(false);
    let assign_note = RwSignal::new(None::<String>);
    let assign_alert = RwSignal::new(None::<String>);
    let save_note = RwSignal::new(None::<String>);
    let save_alert = RwSignal::new(None::<String>);
    let delete_alert = RwSignal::new(None::<String>);

    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(heading) = heading.get() {
            let _ = heading.focus();
        }
    });

    let error = move |field: &'static str| {
        errors.with(|list| {
            let messages: Vec<&str> = list
                .iter()
                .filter(|e| e.field == field)
                .map(|e| e.message.as_str())
                .collect();
            (!messages.is_empty()).then(|| messages.join(" "))
        })
    };
    let invalid = move |field: &'static str| move || error(field).map(|_| "true");
    let error_note = move |field: &'static str, note_id: &'static str| {
        move || {
            error(field).map(|message| view! { <p class="field-error" id=note_id>{message}</p> })
        }
    };
    // The assignment and the answer are sent apart: each request's refusal
    // replaces the mistakes of its own fields only.
    let show_refusal = move |err: AppError, alert: RwSignal<Option<String>>, assigning: bool| {
        let (fields, message) = refusal(err);
        let first = fields
            .iter()
            .filter_map(|f| field_input_id(&f.field))
            .find(|target| *target != "hd-cong-bo" || consent);
        errors.update(|list| {
            list.retain(|e| (e.field == "assignee") != assigning);
            list.extend(fields);
        });
        alert.set(Some(message));
        if let Some(first) = first {
            request_animation_frame(move || focus_id(first));
        }
    };

    // Who it can be assigned to, and whoever it is assigned to now even if
    // no longer among them (deactivated, or no longer an editor).
    let (mut choices, people_error) = match people {
        Ok(list) => (list, None),
        Err(err) => (Vec::new(), Some(err.to_string())),
    };
    if let Some((who, name)) = question.assignee.clone()
        && !choices.iter().any(|(id, _)| *id == who)
    {
        choices.push((who, name));
    }
    let assign = move |_| {
        let to = assignee.get_untracked();
        assign_note.set(None);
        assign_alert.set(None);
        run(busy, assign_question(id, to), move |answer| match answer {
            Ok(fresh) => {
                errors.update(|list| list.retain(|e| e.field != "assignee"));
                // The status follows the assignment unless the editor chose one.
                if status.get_untracked() == current.with_untracked(|q| q.status) {
                    status.set(fresh.status);
                }
                assign_note.set(Some(match &fresh.assignee {
                    Some((_, name)) => format!("Đã giao cho {name}."),
                    None => "Đã bỏ giao.".to_owned(),
                }));
                current.set(fresh.clone());
                saved.run(fresh);
            }
            Err(err) => show_refusal(err, assign_alert, true),
        });
    };

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let input = AnswerInput {
            id,
            status: status.get_untracked(),
            title: title.get_untracked(),
            public_question: public_question.get_untracked(),
            answer: answer.get_untracked(),
            published: published.get_untracked(),
        };
        save_note.set(None);
        save_alert.set(None);
        run(busy, answer_question(input), move |result| match result {
            Ok(fresh) => {
                errors.update(|list| list.retain(|e| e.field == "assignee"));
                title.set(fresh.title.clone());
                public_question.set(fresh.public_question.clone());
                answer.set(fresh.answer.clone());
                status.set(fresh.status);
                published.set(fresh.published);
                current.set(fresh.clone());
                saved.run(fresh);
                save_note.set(Some("Đã lưu.".to_owned()));
            }
            Err(err) => show_refusal(err, save_alert, false),
        });
    };

    let remove = move |_| {
        let code = current.with_untracked(|q| q.code.clone());
        if !confirmed(&format!(
            "Xóa hẳn câu hỏi {code}? Chỉ nên xóa thư rác hoặc khi người hỏi yêu cầu; không thể khôi phục lại."
        )) {
            return;
        }
        delete_alert.set(None);
        run(busy, delete_question(id), move |result| match result {
            Ok(()) => deleted.run((id, code)),
            Err(err) => delete_alert.set(Some(err.to_string())),
        });
    };

    let contact = question.contact.clone();
    let contact_view = if contact.contains('@') && !contact.contains(char::is_whitespace) {
        view! { <a href=format!("mailto:{contact}")>{contact.clone()}</a> }.into_any()
    } else {
        view! { <span>{contact.clone()}</span> }.into_any()
    };
    let publish_hint = (!consent).then_some("hd-cong-bo-goi-y");

    view! {
        <h2 id=HEADING_ID node_ref=heading tabindex="-1">"Câu hỏi " {question.code.clone()}</h2>
        <dl class="question-meta">
            <dt>"Mã tra cứu"</dt>
            <dd class="question-code">{question.code.clone()}</dd>
            <dt>"Gửi lúc"</dt>
            <dd><time datetime=app::vn_time::iso_datetime(question.created_at)>{when(question.created_at)}</time></dd>
            <dt>"Lĩnh vực"</dt>
            <dd>{question.topic.clone()}</dd>
            <dt>"Hiện trạng"</dt>
            <dd>
                {move || current.with(|q| {
                    let label = if q.published {
                        format!("{}, đã công bố", q.status.label())
                    } else {
                        q.status.label().to_owned()
                    };
                    view! { <span class=status_class(q.status)>{label}</span> }
                })}
                {move || current.with(|q| q.answered_at).map(|at| view! {
                    " (trả lời lúc " <time>{when(at)}</time> ")"
                })}
            </dd>
        </dl>
        <section class="private-info" aria-labelledby="hd-thong-tin-rieng">
            <h3 id="hd-thong-tin-rieng">"Thông tin riêng — không công bố"</h3>
            <dl class="question-meta">
                <dt>"Họ tên"</dt>
                <dd>{question.name.clone()}</dd>
                <dt>"Liên hệ"</dt>
                <dd>{contact_view}</dd>
            </dl>
        </section>
        {if consent {
            view! { <p class="consent consent-yes">"Người hỏi đồng ý công bố"</p> }.into_any()
        } else {
            view! { <p class="consent consent-no">"Người hỏi KHÔNG đồng ý công bố"</p> }.into_any()
        }}
        <h3>"Nội dung câu hỏi"</h3>
        <div class="question-text">{question.question.clone()}</div>

        <section class="assign-box" aria-labelledby="hd-giao-viec">
            <h3 id="hd-giao-viec">"Phân công"</h3>
            <div class="field-row assign-row">
                <div class="stack">
                    <label for="hd-nguoi-phu-trach">"Người phụ trách"</label>
                    <select id="hd-nguoi-phu-trach"
                        aria-invalid=invalid("assignee")
                        aria-describedby=move || described_by(&[error("assignee").map(|_| "hd-nguoi-phu-trach-loi")])
                        on:change=move |e| assignee.set(event_target_value(&e).parse().ok())>
                        <option value="" prop:selected=move || assignee.get().is_none()>"Chưa giao"</option>
                        {choices.into_iter().map(|(who, name)| view! {
                            <option value=who.to_string() prop:selected=move || assignee.get() == Some(who)>{name}</option>
                        }).collect_view()}
                    </select>
                    {error_note("assignee", "hd-nguoi-phu-trach-loi")}
                </div>
                <button type="button" prop:disabled=busy on:click=assign>"Giao việc"</button>
            </div>
            {people_error.map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            <p class="message" role="status">{move || assign_note.get()}</p>
            {move || assign_alert.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        </section>

        <form class="answer-form" on:submit=submit novalidate>
            <h3>"Trả lời"</h3>
            <div class="stack">
                <label for="hd-tieu-de">"Tiêu đề công bố"</label>
                <input id="hd-tieu-de" type="text" maxlength="300"
                    aria-invalid=invalid("title")
                    aria-describedby=move || described_by(&[error("title").map(|_| "hd-tieu-de-loi")])
                    prop:value=title on:input=move |e| title.set(event_target_value(&e))/>
                {error_note("title", "hd-tieu-de-loi")}
            </div>
            <div class="stack">
                <label for="hd-cau-hoi-cong-bo">"Câu hỏi khi công bố"</label>
                <textarea id="hd-cau-hoi-cong-bo" rows="5" aria-describedby="hd-cau-hoi-cong-bo-goi-y"
                    prop:value=public_question
                    on:input=move |e| public_question.set(event_target_value(&e))></textarea>
                <p class="hint" id="hd-cau-hoi-cong-bo-goi-y">
                    "Để trống để dùng nguyên văn câu hỏi; sửa để bỏ thông tin cá nhân"
                </p>
            </div>
            <div class="stack">
                <label for="hd-cau-tra-loi">"Câu trả lời"</label>
                <textarea id="hd-cau-tra-loi" rows="10"
                    aria-invalid=invalid("answer")
                    aria-describedby=move || described_by(&[error("answer").map(|_| "hd-cau-tra-loi-loi")])
                    prop:value=answer on:input=move |e| answer.set(event_target_value(&e))></textarea>
                {error_note("answer", "hd-cau-tra-loi-loi")}
            </div>
            <div class="stack">
                <label for="hd-tinh-trang">"Tình trạng"</label>
                <select id="hd-tinh-trang"
                    on:change=move |e| {
                        if let Some(s) = QuestionStatus::parse(&event_target_value(&e)) {
                            status.set(s);
                        }
                    }>
                    {QuestionStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() prop:selected=move || status.get() == s>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="stack">
                <label class="check" for="hd-cong-bo">
                    <input id="hd-cong-bo" type="checkbox"
                        prop:checked=published
                        prop:disabled=move || !consent && !published.get()
                        aria-invalid=invalid("published")
                        aria-describedby=move || described_by(&[
                            publish_hint,
                            error("published").map(|_| "hd-cong-bo-loi"),
                        ])
                        on:change=move |e| published.set(event_target_checked(&e))/>
                    "Công bố trên trang Hỏi đáp"
                </label>
                {publish_hint.map(|hint_id| view! {
                    <p class="hint" id=hint_id>
                        "Không thể công bố vì người hỏi chưa đồng ý; câu trả lời chỉ đến người hỏi qua mã tra cứu."
                    </p>
                })}
                {consent.then(|| view! {
                    <p class="hint">"Chỉ công bố được khi tình trạng là “Đã trả lời” và có tiêu đề công bố."</p>
                })}
                {error_note("published", "hd-cong-bo-loi")}
            </div>
            <div class="actions">
                <button type="submit" class="primary" prop:disabled=busy>"Lưu câu trả lời"</button>
                {move || current.with(|q| q.published).then(|| view! {
                    <a href=format!("/hoi-dap#cau-hoi-{id}") target="_blank" rel="noopener">"Xem trên trang"</a>
                    <span class="hint">"(mở trong thẻ mới)"</span>
                })}
            </div>
            <p class="message" role="status">{move || save_note.get()}</p>
            {move || save_alert.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        </form>

        <div class="actions question-end">
            <button type="button" class="danger" prop:disabled=busy on:click=remove>"Xóa câu hỏi"</button>
            <button type="button" on:click=move |_| close.run(id)>"Đóng câu hỏi"</button>
        </div>
        {move || delete_alert.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
    }
}
