//! `/quan-tri/van-ban` (editors and admins): the legal-documents library.
//! A searchable list of every document, published or not; the form for a
//! document's details (số/ký hiệu, form, issuing body, signer, field, trích
//! yếu, dates, what replaced it), its attached files (uploaded with a
//! progress bar each, removed one by one), publishing and withdrawing, and
//! deleting. The server checks the role, every field, the files' types
//! (from their bytes) and that a published document has a file.

use std::future::Future;

use app::api::documents::{
    UPLOAD_PATH, delete_document, delete_document_file, editor_document, editor_documents,
    publish_document, save_document,
};
use app::error::{AppError, FieldError};
use app::model::accounts::Role;
use app::model::documents::{
    DOCUMENT_FORMS, Document, DocumentFile, DocumentInput, DocumentSummary, format_date,
};
use leptos::prelude::*;
use leptos_meta::Title;
use wasm_bindgen::JsCast;

use crate::layout::me;
use crate::upload::FileUploader;

/// What the page shows instead of the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Open {
    /// An empty form.
    New,
    /// The document with this id.
    Existing(i32),
}

/// A message after a request: `(true, …)` went well, `(false, …)` did not.
type Notice = RwSignal<Option<(bool, String)>>;

/// A notice's two live regions, always in the page so that screen readers
/// hear each new message: what went well politely, what did not at once.
#[component]
fn Messages(notice: Notice) -> impl IntoView {
    let text = move |wanted: bool| {
        notice.with(|n| {
            n.as_ref()
                .filter(|(ok, _)| *ok == wanted)
                .map(|(_, text)| text.clone())
        })
    };
    view! {
        <div class="messages">
            <p class="message" role="status">{move || text(true)}</p>
            <p class="form-error" role="alert">{move || text(false)}</p>
        </div>
    }
}

/// Runs one request of the page: `busy` while it runs (its buttons are
/// disabled meanwhile), then `then` with the answer, unless the page was
/// left. The focus a disabled button dropped goes back to it.
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
            // The form is gone (back to the list, or another page).
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

/// `/quan-tri/van-ban`.
#[component]
pub fn DocumentsPage() -> impl IntoView {
    if me().role < Role::Editor {
        return view! {
            <Title text="Văn bản"/>
            <p class="form-error" role="alert">"Chỉ biên tập viên và quản trị viên quản lý được văn bản."</p>
        }
        .into_any();
    }
    // Kept while a document is open, so that the list comes back as it was.
    let query = RwSignal::new(String::new());
    let open = RwSignal::new(None::<Open>);
    // What happened last, said above the list (a document deleted, …).
    let notice = RwSignal::new(None::<String>);
    let heading = NodeRef::<leptos::html::H1>::new();
    let show = Callback::new(move |which: Open| {
        notice.set(None);
        open.set(Some(which));
    });
    let back = Callback::new(move |said: Option<String>| {
        notice.set(said);
        open.set(None);
        if let Some(heading) = heading.get_untracked() {
            let _ = heading.focus();
        }
    });
    view! {
        <Title text="Văn bản"/>
        <h1 node_ref=heading tabindex="-1">"Văn bản"</h1>
        <p class="message" role="status">{move || notice.get()}</p>
        {move || match open.get() {
            None => view! { <DocumentList query show/> }.into_any(),
            Some(Open::New) => view! { <DocumentForm doc=None back/> }.into_any(),
            Some(Open::Existing(id)) => view! { <OpenDocument id back/> }.into_any(),
        }}
    }
    .into_any()
}

/// The search box and the table of documents.
#[component]
fn DocumentList(query: RwSignal<String>, show: Callback<Open>) -> impl IntoView {
    let typed = RwSignal::new(query.get_untracked());
    let documents = LocalResource::new(move || editor_documents(query.get()));
    let search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        query.set(typed.get_untracked().trim().to_owned());
    };
    let clear = move |_| {
        typed.set(String::new());
        query.set(String::new());
        focus_id("tim-van-ban");
    };
    // Said (and announced) once the list for the words has come.
    let count = move || {
        documents.with(|answer| match answer {
            Some(Ok(list)) => {
                let words = query.get();
                match (list.len(), words.is_empty()) {
                    (0, true) => "Chưa có văn bản nào.".to_owned(),
                    (0, false) => format!("Không tìm thấy văn bản nào cho “{words}”."),
                    (n, true) => format!("Có {n} văn bản."),
                    (n, false) => format!("Tìm thấy {n} văn bản cho “{words}”."),
                }
            }
            _ => String::new(),
        })
    };
    view! {
        <p>
            <button type="button" class="primary" on:click=move |_| show.run(Open::New)>"Thêm văn bản"</button>
        </p>
        <form class="filters" role="search" aria-label="Tìm văn bản" on:submit=search>
            <label for="tim-van-ban">
                "Tìm theo số/ký hiệu hoặc từ trong trích yếu"
                <input id="tim-van-ban" type="search" prop:value=typed
                    on:input=move |e| typed.set(event_target_value(&e))/>
            </label>
            <button type="submit">"Tìm"</button>
            {move || (!query.get().is_empty()).then(|| view! {
                <button type="button" on:click=clear>"Bỏ tìm kiếm"</button>
            })}
        </form>
        <p class="result-count" role="status">{count}</p>
        <Transition fallback=|| view! { <p class="loading" role="status">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match documents.await {
                    Ok(list) if list.is_empty() => ().into_any(),
                    Ok(list) => view! { <DocumentTable list show/> }.into_any(),
                    Err(err) => view! { <p class="form-error" role="alert">{err.explain()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The documents, newest first as the server sends them; every column
/// stays on a phone (the table scrolls sideways).
#[component]
fn DocumentTable(list: Vec<DocumentSummary>, show: Callback<Open>) -> impl IntoView {
    let row = move |d: DocumentSummary| {
        let id = d.id;
        let (state, state_class) = if d.published {
            ("Đã công bố", "status status-published")
        } else {
            ("Chưa công bố", "status")
        };
        view! {
            <tr>
                <td class="doc-number">{d.number.clone()}</td>
                <td>{d.form}</td>
                <td><time datetime=d.issued_on.clone()>{format_date(&d.issued_on)}</time></td>
                <td class="doc-summary">{d.summary}</td>
                <td>
                    <span class=state_class>{state}</span>
                    <br/>
                    <span class=d.validity.class()>{d.validity.label()}</span>
                </td>
                <td>
                    <button type="button" aria-label=format!("Sửa văn bản {}", d.number)
                        on:click=move |_| show.run(Open::Existing(id))>"Sửa"</button>
                </td>
            </tr>
        }
    };
    view! {
        <div class="table-wrap">
            <table class="data-table documents-table">
                <thead><tr>
                    <th scope="col">"Số/ký hiệu"</th>
                    <th scope="col">"Hình thức"</th>
                    <th scope="col">"Ngày ban hành"</th>
                    <th scope="col">"Trích yếu"</th>
                    <th scope="col">"Trạng thái"</th>
                    <th scope="col">"Thao tác"</th>
                </tr></thead>
                <tbody>{list.into_iter().map(row).collect_view()}</tbody>
            </table>
        </div>
    }
}

/// Loads a document, then its form.
#[component]
fn OpenDocument(id: i32, back: Callback<Option<String>>) -> impl IntoView {
    let loaded = LocalResource::new(move || editor_document(id));
    view! {
        <Suspense fallback=|| view! { <p class="loading" role="status">"Đang mở văn bản…"</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(doc) => view! { <DocumentForm doc=Some(doc) back/> }.into_any(),
                    Err(err) => view! {
                        <p class="form-error" role="alert">{err.explain()}</p>
                        <p><button type="button" on:click=move |_| back.run(None)>"← Danh sách văn bản"</button></p>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// The form's values as typed (ISO dates, as the date inputs give them).
#[derive(Clone, Copy)]
struct Fields {
    number: RwSignal<String>,
    form: RwSignal<String>,
    issuer: RwSignal<String>,
    signer: RwSignal<String>,
    field: RwSignal<String>,
    summary: RwSignal<String>,
    issued_on: RwSignal<String>,
    effective_on: RwSignal<String>,
    expires_on: RwSignal<String>,
    replaced_by: RwSignal<String>,
}

impl Fields {
    fn new(input: &DocumentInput) -> Self {
        let text = |value: &String| RwSignal::new(value.clone());
        Self {
            number: text(&input.number),
            form: text(&input.form),
            issuer: text(&input.issuer),
            signer: text(&input.signer),
            field: text(&input.field),
            summary: text(&input.summary),
            issued_on: text(&input.issued_on),
            effective_on: text(&input.effective_on),
            expires_on: text(&input.expires_on),
            replaced_by: text(&input.replaced_by),
        }
    }

    fn set(self, input: &DocumentInput) {
        self.number.set(input.number.clone());
        self.form.set(input.form.clone());
        self.issuer.set(input.issuer.clone());
        self.signer.set(input.signer.clone());
        self.field.set(input.field.clone());
        self.summary.set(input.summary.clone());
        self.issued_on.set(input.issued_on.clone());
        self.effective_on.set(input.effective_on.clone());
        self.expires_on.set(input.expires_on.clone());
        self.replaced_by.set(input.replaced_by.clone());
    }

    /// What would be saved now (`tracked`: for a memo).
    fn input(self, id: Option<i32>, tracked: bool) -> DocumentInput {
        let value = |signal: RwSignal<String>| {
            if tracked {
                signal.get()
            } else {
                signal.get_untracked()
            }
        };
        DocumentInput {
            id,
            number: value(self.number),
            form: value(self.form),
            issuer: value(self.issuer),
            signer: value(self.signer),
            field: value(self.field),
            summary: value(self.summary),
            issued_on: value(self.issued_on),
            effective_on: value(self.effective_on),
            expires_on: value(self.expires_on),
            replaced_by: value(self.replaced_by),
        }
    }
}

/// One field of the form: its label, hint and the server's word about it.
#[derive(Clone, Copy)]
struct FieldSpec {
    /// As in `DocumentInput` and the server's field errors.
    name: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    required: bool,
    errors: RwSignal<Vec<FieldError>>,
}

const FIELD_NAMES: [&str; 10] = [
    "number",
    "form",
    "issuer",
    "signer",
    "field",
    "summary",
    "issued_on",
    "effective_on",
    "expires_on",
    "replaced_by",
];

fn field_id(name: &str) -> String {
    format!("vb-{}", name.replace('_', "-"))
}

impl FieldSpec {
    fn id(self) -> String {
        field_id(self.name)
    }

    fn error(self) -> Option<String> {
        self.errors.with(|list| {
            list.iter()
                .find(|e| e.field == self.name)
                .map(|e| e.message.clone())
        })
    }

    /// `aria-describedby`: the hint, and the mistake when there is one.
    fn described_by(self) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
        move || {
            let mut ids = Vec::new();
            if self.hint.is_some() {
                ids.push(format!("{}-goi-y", self.id()));
            }
            if self.error().is_some() {
                ids.push(format!("{}-loi", self.id()));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    }

    fn invalid(self) -> impl Fn() -> Option<&'static str> + Copy + Send + Sync + 'static {
        move || self.error().map(|_| "true")
    }

    fn label_view(self) -> impl IntoView {
        view! {
            <label for=self.id()>
                {self.label}
                {self.required.then_some(" (bắt buộc)")}
            </label>
        }
    }

    fn notes(self) -> impl IntoView {
        let hint_id = format!("{}-goi-y", self.id());
        let error_id = format!("{}-loi", self.id());
        view! {
            {self.hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            {move || self.error().map(|message| view! {
                <p class="field-error" id=error_id.clone()>{message}</p>
            })}
        }
    }

    /// A one-line input (`text` or `date`).
    fn input(
        self,
        kind: &'static str,
        placeholder: Option<&'static str>,
        value: RwSignal<String>,
    ) -> impl IntoView {
        view! {
            <div class="stack">
                {self.label_view()}
                <input id=self.id() type=kind required=self.required placeholder=placeholder
                    aria-describedby=self.described_by() aria-invalid=self.invalid()
                    prop:value=value on:input=move |e| value.set(event_target_value(&e))/>
                {self.notes()}
            </div>
        }
    }

    fn textarea(self, value: RwSignal<String>) -> impl IntoView {
        view! {
            <div class="stack">
                {self.label_view()}
                <textarea id=self.id() rows="4" required=self.required
                    aria-describedby=self.described_by() aria-invalid=self.invalid()
                    prop:value=value on:input=move |e| value.set(event_target_value(&e))></textarea>
                {self.notes()}
            </div>
        }
    }

    /// The forms to pick from, and a stored form no longer offered.
    fn select(self, value: RwSignal<String>) -> impl IntoView {
        let stored = value.get_untracked();
        let mut forms: Vec<String> = DOCUMENT_FORMS.iter().map(|f| (*f).to_owned()).collect();
        if !stored.is_empty() && !forms.contains(&stored) {
            forms.push(stored);
        }
        view! {
            <div class="stack">
                {self.label_view()}
                <select id=self.id() required=self.required
                    aria-describedby=self.described_by() aria-invalid=self.invalid()
                    on:change=move |e| value.set(event_target_value(&e))>
                    <option value="" prop:selected=move || value.get().is_empty()>"— Chọn hình thức —"</option>
                    {forms.into_iter().map(|form| {
                        let chosen = form.clone();
                        let shown = form.clone();
                        view! { <option value=form prop:selected=move || value.get() == chosen>{shown}</option> }
                    }).collect_view()}
                </select>
                {self.notes()}
            </div>
        }
    }
}

/// The saved document, taking `fresh` from an upload's answer. Uploads run
/// side by side, so an answer may predate another file's: the files shown
/// are kept, and the server asked again for the whole truth (taken unless
/// another answer came meanwhile, which does the same). `answers` counts
/// the answers taken.
fn take_upload(doc: RwSignal<Option<Document>>, answers: StoredValue<u32>, mut fresh: Document) {
    answers.update_value(|n| *n += 1);
    let shown: Vec<DocumentFile> = doc.with_untracked(|d| {
        d.as_ref()
            .map(|d| {
                d.files
                    .iter()
                    .filter(|f| !fresh.files.iter().any(|g| g.id == f.id))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    });
    let id = fresh.id;
    if !shown.is_empty() {
        fresh.files.extend(shown);
        fresh.files.sort_by_key(|f| f.id);
        let asked_at = answers.get_value();
        leptos::task::spawn_local(async move {
            if let Ok(stored) = editor_document(id).await
                && answers.try_get_value() == Some(asked_at)
            {
                doc.set(Some(stored));
            }
        });
    }
    doc.set(Some(fresh));
}

/// A document's details, files, publication and deletion; `doc` is `None`
/// for a new one. `back` returns to the list with what to say there.
#[component]
fn DocumentForm(doc: Option<Document>, back: Callback<Option<String>>) -> impl IntoView {
    let start = doc.as_ref().map(DocumentInput::from).unwrap_or_default();
    let fields = Fields::new(&start);
    // The document as last saved (or answered by the server).
    let doc = RwSignal::new(doc);
    // How many answers about it were taken (see `take_upload`).
    let answers = StoredValue::new(0u32);
    let take = move |answer: Document| {
        answers.update_value(|n| *n += 1);
        doc.set(Some(answer));
    };
    let doc_id = Memo::new(move |_| doc.with(|d| d.as_ref().map(|d| d.id)));
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let busy = RwSignal::new(false);
    let form_notice: Notice = RwSignal::new(None);
    let files_notice: Notice = RwSignal::new(None);
    let publish_notice: Notice = RwSignal::new(None);
    let delete_notice: Notice = RwSignal::new(None);
    // Typed but not saved yet.
    let dirty = Memo::new(move |_| {
        let saved = doc.with(|d| d.as_ref().map(DocumentInput::from).unwrap_or_default());
        fields.input(saved.id, true) != saved
    });

    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(heading) = heading.get() {
            let _ = heading.focus();
        }
    });
    let title = move || {
        doc.with(|d| match d {
            Some(d) => format!("Sửa văn bản: {}", d.title()),
            None => "Thêm văn bản".to_owned(),
        })
    };

    let leave = move |_| {
        if dirty.get_untracked() && !confirmed("Bỏ những thay đổi chưa lưu?") {
            return;
        }
        back.run(None);
    };

    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let id = doc_id.get_untracked();
        let sent = fields.input(id, false);
        form_notice.set(None);
        run(
            busy,
            save_document(sent.clone()),
            move |answer| match answer {
                Ok(saved) => {
                    let stored = DocumentInput::from(&saved);
                    // The server may tidy what it took; what was typed during
                    // the save is kept.
                    if fields.input(id, false) == sent {
                        fields.set(&stored);
                    }
                    errors.set(Vec::new());
                    take(saved);
                    form_notice.set(Some((true, "Đã lưu.".to_owned())));
                }
                Err(AppError::Invalid { fields: list }) => {
                    let mut said = vec![AppError::Invalid { fields: Vec::new() }.to_string()];
                    // Mistakes without a field of their own are said here.
                    said.extend(
                        list.iter()
                            .filter(|e| !FIELD_NAMES.contains(&e.field.as_str()))
                            .map(|e| e.message.clone()),
                    );
                    let first = FIELD_NAMES
                        .into_iter()
                        .find(|name| list.iter().any(|e| e.field == *name));
                    errors.set(list);
                    form_notice.set(Some((false, said.join(" "))));
                    if let Some(name) = first {
                        focus_id(&field_id(name));
                    }
                }
                Err(err) => form_notice.set(Some((false, err.explain()))),
            },
        );
    };

    let remove_file = move |file: DocumentFile| {
        if busy.get_untracked()
            || !confirmed(&format!("Xóa tệp “{}” khỏi văn bản này?", file.file_name))
        {
            return;
        }
        files_notice.set(None);
        run(
            busy,
            delete_document_file(file.id),
            move |answer| match answer {
                Ok(updated) => {
                    take(updated);
                    files_notice.set(Some((true, format!("Đã xóa tệp “{}”.", file.file_name))));
                    // Its button is gone: the focus goes to the section.
                    focus_id("vb-tep-dinh-kem");
                }
                Err(err) => files_notice.set(Some((false, err.explain()))),
            },
        );
    };

    let publish = move |published: bool| {
        let Some(id) = doc_id.get_untracked() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        publish_notice.set(None);
        run(
            busy,
            publish_document(id, published),
            move |answer| match answer {
                Ok(updated) => {
                    let said = if updated.published {
                        "Đã công bố. Người đọc đã xem được văn bản này."
                    } else {
                        "Đã ngừng công bố. Người đọc không còn xem được văn bản này."
                    };
                    take(updated);
                    publish_notice.set(Some((true, said.to_owned())));
                }
                Err(err) => publish_notice.set(Some((false, err.explain()))),
            },
        );
    };

    let remove = move |_| {
        let Some((id, name)) = doc.with_untracked(|d| d.as_ref().map(|d| (d.id, d.title()))) else {
            return;
        };
        if busy.get_untracked()
            || !confirmed(&format!(
                "Xóa hẳn văn bản “{name}” cùng các tệp đính kèm? Không thể hoàn tác."
            ))
        {
            return;
        }
        delete_notice.set(None);
        run(busy, delete_document(id), move |answer| match answer {
            Ok(()) => back.run(Some(format!("Đã xóa văn bản “{name}”."))),
            Err(err) => delete_notice.set(Some((false, err.explain()))),
        });
    };

    // A file arrived: an earlier "needs a file" refusal no longer holds.
    let uploaded = Callback::new(move |fresh: Document| {
        publish_notice.set(None);
        take_upload(doc, answers, fresh)
    });

    let spec = |name, label, hint, required| FieldSpec {
        name,
        label,
        hint,
        required,
        errors,
    };
    let number = spec("number", "Số/ký hiệu", None, true);
    let form = spec("form", "Hình thức", None, true);
    let issuer = spec("issuer", "Cơ quan ban hành", None, true);
    let signer = spec(
        "signer",
        "Người ký",
        Some("Chức vụ và họ tên, ví dụ: Chủ tịch Nguyễn Văn A."),
        false,
    );
    let field = spec("field", "Lĩnh vực", None, false);
    let summary = spec("summary", "Trích yếu", None, true);
    let issued_on = spec("issued_on", "Ngày ban hành", None, true);
    let effective_on = spec(
        "effective_on",
        "Ngày hiệu lực",
        Some("Để trống nếu văn bản có hiệu lực ngay."),
        false,
    );
    let expires_on = spec(
        "expires_on",
        "Ngày hết hiệu lực",
        Some("Để trống nếu chưa xác định."),
        false,
    );
    let replaced_by = spec(
        "replaced_by",
        "Bị thay thế bởi",
        Some("Số/ký hiệu của văn bản thay thế. Để trống nếu văn bản chưa bị thay thế."),
        false,
    );

    // What the state line shows; a memo, so that an upload does not redraw
    // it (and take the focus from its link).
    let standing =
        Memo::new(move |_| doc.with(|d| d.as_ref().map(|d| (d.published, d.validity, d.path()))));
    let published = Memo::new(move |_| standing.get().is_some_and(|(p, _, _)| p));
    let state = move || {
        standing.get().map(|(published, validity, path)| {
            let (state, state_class) = if published {
                ("Đã công bố", "status status-published")
            } else {
                ("Chưa công bố", "status")
            };
            view! {
                <p class="doc-state">
                    "Trạng thái: " <span class=state_class>{state}</span>
                    " · " <span class=validity.class()>{validity.label()}</span>
                    {published.then(|| view! {
                        " · " <a href=path target="_blank" rel="noopener">
                            "Xem trên trang" <span class="visually-hidden">" (mở thẻ mới)"</span>
                        </a>
                    })}
                </p>
            }
        })
    };

    let files = move || doc.with(|d| d.as_ref().map(|d| d.files.clone()).unwrap_or_default());
    let file_row = move |file: DocumentFile| {
        let name = file.file_name.clone();
        view! {
            <li>
                <a href=file.href() download=file.file_name.clone()>{file.file_name.clone()}</a>
                <span class="hint">{file.description()}</span>
                <button type="button" class="danger" prop:disabled=busy
                    aria-label=format!("Xóa tệp {name}")
                    on:click=move |_| remove_file(file.clone())>"Xóa tệp"</button>
            </li>
        }
    };

    // Shown once the document is saved (it has an id then).
    let saved_parts = move |id: i32| {
        let url = format!("{UPLOAD_PATH}?van-ban={id}");
        view! {
            <section class="schedule-box doc-section" aria-labelledby="vb-tep-dinh-kem">
                <h3 id="vb-tep-dinh-kem" tabindex="-1">"Tệp đính kèm"</h3>
                {move || {
                    files().is_empty().then(|| view! {
                        <p class="empty">"Chưa có tệp nào. Văn bản cần ít nhất một tệp để công bố."</p>
                    })
                }}
                <ul class="document-files">
                    <For each=files key=|f| f.id children=file_row/>
                </ul>
                <Messages notice=files_notice/>
                <FileUploader
                    url=url
                    accept=".pdf,.doc,.docx,.xls,.xlsx,.odt"
                    drop_text="Kéo thả tệp văn bản vào đây, hoặc "
                    pick_text="Chọn tệp từ máy"
                    hint="PDF, DOC, DOCX, XLS, XLSX hoặc ODT; chọn được nhiều tệp một lúc. Máy chủ kiểm tra loại tệp theo nội dung."
                    done=uploaded
                />
            </section>
            <section class="schedule-box doc-section" aria-labelledby="vb-cong-bo">
                <h3 id="vb-cong-bo">"Công bố"</h3>
                {move || dirty.get().then(|| view! {
                    <p class="read-only-note">"Có thay đổi chưa lưu: người đọc chỉ thấy thông tin đã lưu. Hãy bấm “Lưu” trước."</p>
                })}
                <div class="actions">
                    // One button whose words change, so that the focus stays on it.
                    <button type="button" class=move || if published.get() { "" } else { "primary" }
                        prop:disabled=busy on:click=move |_| publish(!published.get_untracked())>
                        {move || if published.get() { "Ngừng công bố" } else { "Công bố" }}
                    </button>
                </div>
                <Messages notice=publish_notice/>
            </section>
            <section class="schedule-box doc-section" aria-labelledby="vb-xoa">
                <h3 id="vb-xoa">"Xóa văn bản"</h3>
                <p class="hint">"Xóa hẳn văn bản và các tệp đính kèm; người đọc không còn xem được."</p>
                <div class="actions">
                    <button type="button" class="danger" prop:disabled=busy on:click=remove>"Xóa văn bản"</button>
                </div>
                <Messages notice=delete_notice/>
            </section>
        }
    };

    view! {
        <section class="document-editor" aria-labelledby="vb-tieu-de">
            <p><button type="button" on:click=leave>"← Danh sách văn bản"</button></p>
            <h2 id="vb-tieu-de" node_ref=heading tabindex="-1">{title}</h2>
            {state}
            <form class="settings-form document-form" on:submit=save>
                <fieldset>
                    <legend>"Thông tin văn bản"</legend>
                    <div class="field-row">
                        {number.input("text", Some("1234/QĐ-UBND"), fields.number)}
                        {form.select(fields.form)}
                    </div>
                    <div class="field-row">
                        {issuer.input("text", None, fields.issuer)}
                        {signer.input("text", None, fields.signer)}
                    </div>
                    {field.input("text", None, fields.field)}
                    {summary.textarea(fields.summary)}
                </fieldset>
                <fieldset>
                    <legend>"Ngày tháng và hiệu lực"</legend>
                    <div class="field-row">
                        {issued_on.input("date", None, fields.issued_on)}
                        {effective_on.input("date", None, fields.effective_on)}
                        {expires_on.input("date", None, fields.expires_on)}
                    </div>
                    {replaced_by.input("text", None, fields.replaced_by)}
                </fieldset>
                <div class="actions">
                    <button type="submit" class="primary" prop:disabled=busy>"Lưu"</button>
                    {move || dirty.get().then(|| view! { <span class="hint">"Có thay đổi chưa lưu."</span> })}
                </div>
                <Messages notice=form_notice/>
            </form>
            {move || match doc_id.get() {
                Some(id) => saved_parts(id).into_any(),
                None => view! {
                    <p class="hint">"Sau khi lưu, bạn tải tệp văn bản lên và công bố ở ngay trang này."</p>
                }
                .into_any(),
            }}
        </section>
    }
}
