//! Writing an article: the fields, the TipTap editor, autosave that never
//! loses a word (a few seconds after typing stops, on leaving the page, kept
//! in the browser while offline and offered back after a reload), the
//! conflict view, the workflow's steps, revisions and the soft lock.

use std::time::Duration;

use app::api::articles::list_categories;
use app::api::editorial::{
    article_revision, article_revisions, change_status, create_article, delete_draft, editing_now,
    load_editor_article, restore_revision, save_article, schedule_article, schedule_unpublish,
};
use app::error::AppError;
use app::model::accounts::Role;
use app::model::editorial::{
    ArticleDraft, ArticleStatus, EditorArticle, Moment, Transition, TransitionRecord,
    may_schedule_from,
};
use app::vn_time;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use time::OffsetDateTime;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::drafts::{self, LocalDraft};
use crate::layout::me;
use crate::media::MediaPicker;
use crate::tiptap;
use app::diff::{Change, diff_words, text_of};

/// Autosave waits this long after the last keystroke.
const AUTOSAVE_AFTER: Duration = Duration::from_secs(3);
/// While the server cannot be reached, saving is tried again this often.
const RETRY_EVERY: Duration = Duration::from_secs(10);
/// Unsaved changes are copied into the browser this long after typing pauses.
const KEEP_AFTER: Duration = Duration::from_millis(400);
/// The soft lock's heartbeat.
const HEARTBEAT_EVERY: Duration = Duration::from_secs(30);

/// `/quan-tri/bai-viet/moi`: creates a draft and opens it.
#[component]
pub fn NewArticlePage() -> impl IntoView {
    let categories = LocalResource::new(list_categories);
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let Some(Ok(categories)) = categories.get() else {
            return;
        };
        let user = me();
        leptos::task::spawn_local(async move {
            let draft = ArticleDraft {
                title: "Bài viết mới".to_owned(),
                author: user.display_name.clone(),
                category_id: categories.first().map(|c| c.id).unwrap_or(1),
                ..Default::default()
            };
            match create_article(draft).await {
                // Replaces the address, so that Back does not create another draft.
                Ok(saved) => {
                    let _ = window()
                        .location()
                        .replace(&format!("/quan-tri/bai-viet/{}", saved.id));
                }
                Err(err) => error.set(Some(err.to_string())),
            }
        });
    });
    view! {
        <Title text="Viết bài mới"/>
        <p role="status">{move || error.get().unwrap_or_else(|| "Đang tạo bản nháp…".to_owned())}</p>
    }
}

/// Where the saving stands, as the editor is told.
#[derive(Clone, Debug, PartialEq)]
enum SaveState {
    Saved,
    Unsaved,
    Saving,
    /// The server could not be reached; the text is kept in the browser.
    Offline,
    /// Someone else saved first: their version, to compare with ours.
    Conflict(Box<EditorArticle>),
    /// The server refused the content (a field to fix).
    Refused(String),
}

impl SaveState {
    fn label(&self) -> &'static str {
        match self {
            Self::Saved => "Đã lưu",
            Self::Unsaved => "Chưa lưu",
            Self::Saving => "Đang lưu…",
            Self::Offline => "Mất kết nối — nội dung được giữ trên máy này",
            Self::Conflict(_) => "Có người khác vừa lưu bài này",
            Self::Refused(_) => "Chưa lưu được",
        }
    }
}

/// Everything the editor page shares between its handlers (arena handles:
/// `Copy`, as Leptos's event handlers need).
#[derive(Clone, Copy)]
struct Session {
    id: i32,
    base_version: RwSignal<i64>,
    status: RwSignal<ArticleStatus>,
    title: RwSignal<String>,
    excerpt: RwSignal<String>,
    author: RwSignal<String>,
    slug: RwSignal<String>,
    category_id: RwSignal<i32>,
    seo_description: RwSignal<String>,
    /// Comma-separated, as typed.
    tags: RwSignal<String>,
    featured: RwSignal<bool>,
    in_headlines: RwSignal<bool>,
    cover_image: RwSignal<String>,
    cover_alt: RwSignal<String>,
    state: RwSignal<SaveState>,
    editor: StoredValue<Option<tiptap::Editor>, LocalStorage>,
    /// Bumped by every change; a save knows which changes it carried.
    changes: StoredValue<u64>,
    saved_changes: StoredValue<u64>,
    in_flight: StoredValue<bool>,
    timer: StoredValue<Option<TimeoutHandle>>,
    keep_timer: StoredValue<Option<TimeoutHandle>>,
    /// Bumped when a save or a step may have kept a new revision.
    revisions_changed: RwSignal<u32>,
}

impl Session {
    fn body(&self) -> String {
        self.editor
            .with_value(|editor| editor.as_ref().map(tiptap::get_html))
            .unwrap_or_default()
    }

    fn draft(&self) -> ArticleDraft {
        ArticleDraft {
            title: self.title.get_untracked(),
            excerpt: self.excerpt.get_untracked(),
            body_html: self.body(),
            author: self.author.get_untracked(),
            category_id: self.category_id.get_untracked(),
            slug: self.slug.get_untracked(),
            seo_description: self.seo_description.get_untracked(),
            tags: self
                .tags
                .get_untracked()
                .split(',')
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect(),
            featured: self.featured.get_untracked(),
            in_headlines: self.in_headlines.get_untracked(),
            cover_image: self.cover_image.get_untracked(),
            cover_alt: self.cover_alt.get_untracked(),
        }
    }

    fn load(&self, version: i64, status: ArticleStatus, draft: &ArticleDraft) {
        self.base_version.set(version);
        self.status.set(status);
        self.title.set(draft.title.clone());
        self.excerpt.set(draft.excerpt.clone());
        self.author.set(draft.author.clone());
        self.slug.set(draft.slug.clone());
        self.category_id.set(draft.category_id);
        self.seo_description.set(draft.seo_description.clone());
        self.tags.set(draft.tags.join(", "));
        self.featured.set(draft.featured);
        self.in_headlines.set(draft.in_headlines);
        self.cover_image.set(draft.cover_image.clone());
        self.cover_alt.set(draft.cover_alt.clone());
        self.editor.with_value(|editor| {
            if let Some(editor) = editor {
                tiptap::set_html(editor, &draft.body_html);
            }
        });
    }

    fn dirty(&self) -> bool {
        self.changes.get_value() != self.saved_changes.get_value()
    }

    /// Something changed: keep it in the browser in a moment, save it soon.
    /// Serialising a long article costs milliseconds, so it is not done on
    /// every keystroke: the copy is written 400 ms after typing pauses.
    fn changed(&self) {
        self.changes.update_value(|n| *n += 1);
        if let Some(handle) = self.keep_timer.get_value() {
            handle.clear();
        }
        let session = *self;
        if let Ok(handle) = set_timeout_with_handle(move || session.keep_locally(), KEEP_AFTER) {
            self.keep_timer.set_value(Some(handle));
        }
        if !matches!(
            self.state.get_untracked(),
            SaveState::Conflict(_) | SaveState::Offline
        ) {
            self.state.set(SaveState::Unsaved);
        }
        self.schedule(AUTOSAVE_AFTER);
    }

    fn keep_locally(&self) {
        if self.dirty() {
            drafts::keep(
                self.id,
                &LocalDraft {
                    base_version: self.base_version.get_untracked(),
                    draft: self.draft(),
                    kept_at: drafts::now_label(),
                },
            );
        }
    }

    fn schedule(&self, after: Duration) {
        if let Some(handle) = self.timer.get_value() {
            handle.clear();
        }
        let session = *self;
        if let Ok(handle) = set_timeout_with_handle(move || session.save(true), after) {
            self.timer.set_value(Some(handle));
        }
    }

    /// Saves what is there now, one save at a time: each save is based on
    /// the version the previous one returned, so one's own saves never
    /// conflict with each other.
    fn save(&self, autosave: bool) {
        if self.in_flight.get_value()
            || matches!(self.state.get_untracked(), SaveState::Conflict(_))
        {
            return;
        }
        if autosave && !self.dirty() {
            return;
        }
        self.in_flight.set_value(true);
        self.state.set(SaveState::Saving);
        let carried = self.changes.get_value();
        let draft = self.draft();
        let base = self.base_version.get_untracked();
        let session = *self;
        leptos::task::spawn_local(async move {
            let result = save_article(session.id, base, draft, autosave).await;
            session.in_flight.set_value(false);
            match result {
                Ok(saved) => {
                    session.base_version.set(saved.version);
                    session.status.set(saved.status);
                    session.slug.set(saved.slug);
                    session.saved_changes.set_value(carried);
                    session.revisions_changed.update(|n| *n += 1);
                    if session.dirty() {
                        // Typed while it was saving: save that too.
                        session.state.set(SaveState::Unsaved);
                        session.schedule(AUTOSAVE_AFTER);
                    } else {
                        drafts::forget(session.id);
                        session.state.set(SaveState::Saved);
                    }
                }
                Err(AppError::Conflict { .. }) => match load_editor_article(session.id).await {
                    Ok(theirs) => session.state.set(SaveState::Conflict(Box::new(theirs))),
                    Err(_) => session.offline(),
                },
                Err(AppError::Transport(_) | AppError::Unavailable) => session.offline(),
                Err(AppError::Unauthenticated) => {
                    let _ = window().location().set_href("/dang-nhap?loi=het-han");
                }
                Err(AppError::Invalid { fields }) => session.state.set(SaveState::Refused(
                    fields
                        .into_iter()
                        .map(|f| f.message)
                        .collect::<Vec<_>>()
                        .join(" "),
                )),
                Err(other) => session.state.set(SaveState::Refused(other.to_string())),
            }
        });
    }

    fn offline(&self) {
        self.keep_locally();
        self.state.set(SaveState::Offline);
        self.schedule(RETRY_EVERY);
    }

    /// Leaving the page: what is not saved yet goes with a beacon (and stays
    /// in the browser in case it does not arrive).
    fn save_on_leave(&self) {
        if !self.dirty() {
            return;
        }
        self.keep_locally();
        if matches!(self.state.get_untracked(), SaveState::Conflict(_)) {
            return;
        }
        let body = serde_json::json!({
            "id": self.id,
            "base_version": self.base_version.get_untracked(),
            "draft": self.draft(),
            "autosave": true,
        });
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/json");
        let parts = js_sys::Array::of1(&body.to_string().into());
        if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) {
            let _ = window().navigator().send_beacon_with_opt_blob(
                &format!("{}/luu-bai", app::api::editorial::PREFIX),
                Some(&blob),
            );
        }
    }
}

/// `/quan-tri/bai-viet/{id}`.
#[component]
pub fn EditPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
            .unwrap_or(0)
    };
    let article = LocalResource::new(move || load_editor_article(id()));
    view! {
        <Suspense fallback=|| view! { <p class="loading" role="status">"Đang tải bài viết…"</p> }>
            {move || Suspend::new(async move {
                match article.await {
                    Ok(article) => view! { <Editor article/> }.into_any(),
                    Err(AppError::NotFound | AppError::Forbidden) => {
                        view! {
                            <Title text="Không tìm thấy bài viết"/>
                            <h1>"Không tìm thấy bài viết"</h1>
                            <p>"Bài viết không tồn tại, hoặc bạn không có quyền sửa bài này."</p>
                        }
                            .into_any()
                    }
                    Err(err) => view! { <p class="form-error" role="alert">{err.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Editor(article: EditorArticle) -> impl IntoView {
    let user = me();
    let session = Session {
        id: article.id,
        base_version: RwSignal::new(article.version),
        status: RwSignal::new(article.status),
        title: RwSignal::new(article.draft.title.clone()),
        excerpt: RwSignal::new(article.draft.excerpt.clone()),
        author: RwSignal::new(article.draft.author.clone()),
        slug: RwSignal::new(article.draft.slug.clone()),
        category_id: RwSignal::new(article.draft.category_id),
        seo_description: RwSignal::new(article.draft.seo_description.clone()),
        tags: RwSignal::new(article.draft.tags.join(", ")),
        featured: RwSignal::new(article.draft.featured),
        in_headlines: RwSignal::new(article.draft.in_headlines),
        cover_image: RwSignal::new(article.draft.cover_image.clone()),
        cover_alt: RwSignal::new(article.draft.cover_alt.clone()),
        state: RwSignal::new(SaveState::Saved),
        editor: StoredValue::new_local(None),
        changes: StoredValue::new(0),
        saved_changes: StoredValue::new(0),
        in_flight: StoredValue::new(false),
        timer: StoredValue::new(None),
        keep_timer: StoredValue::new(None),
        revisions_changed: RwSignal::new(0),
    };
    let categories = LocalResource::new(list_categories);
    let others = RwSignal::new(Vec::<String>::new());
    let message = RwSignal::new(None::<String>);
    // Unsaved work from an earlier visit (a reload, a crash, offline).
    let kept = drafts::load(article.id).filter(|kept| kept.draft != article.draft);
    let offer = RwSignal::new(kept);
    let history = RwSignal::new(article.history.clone());

    // The rich-text editor is created once its element is in the page.
    let holder = NodeRef::<leptos::html::Div>::new();
    let editor_ready = RwSignal::new(false);
    {
        let body = article.draft.body_html.clone();
        Effect::new(move |_| {
            let Some(element) = holder.get() else { return };
            if session.editor.with_value(Option::is_some) {
                return;
            }
            let on_change = { Closure::<dyn FnMut()>::new(move || session.changed()) };
            let editor = tiptap::create_editor(&element, &body, on_change.as_ref().unchecked_ref());
            on_change.forget();
            session.editor.set_value(Some(editor));
            editor_ready.set(true);
        });
    }
    // The soft lock's heartbeat, and saving when the connection returns.
    {
        let id = article.id;
        let beat = move || {
            leptos::task::spawn_local(async move {
                if let Ok(names) = editing_now(id).await {
                    others.set(names);
                }
            })
        };
        beat();
        if let Ok(handle) = set_interval_with_handle(beat, HEARTBEAT_EVERY) {
            on_cleanup(move || handle.clear());
        }
        let session_online = session;
        let online = Closure::<dyn FnMut()>::new(move || {
            if session_online.state.get_untracked() == SaveState::Offline {
                session_online.save(true);
            }
        });
        let _ =
            window().add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
        online.forget();
        let session_leave = session;
        let leave =
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_| session_leave.save_on_leave());
        let _ =
            window().add_event_listener_with_callback("pagehide", leave.as_ref().unchecked_ref());
        leave.forget();
        let session_cleanup = session;
        on_cleanup(move || {
            if session_cleanup.dirty() {
                session_cleanup.save(true);
            }
        });
    }

    let field = {
        move |signal: RwSignal<String>| {
            move |event: leptos::ev::Event| {
                signal.set(event_target_value(&event));
                session.changed();
            }
        }
    };
    let on_category = {
        move |event: leptos::ev::Event| {
            if let Ok(id) = event_target_value(&event).parse() {
                session.category_id.set(id);
                session.changed();
            }
        }
    };
    let flag = move |signal: RwSignal<bool>| {
        move |event: leptos::ev::Event| {
            signal.set(event_target_checked(&event));
            session.changed();
        }
    };
    let save_now = move |_| session.save(false);
    let restore_kept = {
        move |_| {
            if let Some(kept) = offer.get_untracked() {
                session.load(
                    kept.base_version,
                    session.status.get_untracked(),
                    &kept.draft,
                );
                offer.set(None);
                session.changed();
            }
        }
    };
    let drop_kept = move |_| {
        drafts::forget(article.id);
        offer.set(None);
    };
    let publish_at = RwSignal::new(article.publish_at);
    let unpublish_at = RwSignal::new(article.unpublish_at);
    let step = {
        move |step: Transition, comment: String| {
            leptos::task::spawn_local(async move {
                if !saved_first(session, message) {
                    return;
                }
                match change_status(session.id, step, comment).await {
                    Ok(saved) => {
                        session.base_version.set(saved.version);
                        session.status.set(saved.status);
                        message.set(Some(format!("Đã chuyển sang “{}”.", saved.status.label())));
                        reload_workflow(session, history, publish_at, unpublish_at).await;
                    }
                    Err(err) => message.set(Some(err.explain())),
                }
            });
        }
    };
    let role = user.role;
    let own = article.created_by == Some(user.id);
    // Authors edit their own drafts and returned articles; editors any.
    let may_edit = Memo::new(move |_| {
        role >= Role::Editor
            || (own
                && matches!(
                    session.status.get(),
                    ArticleStatus::Draft | ArticleStatus::Returned
                ))
    });
    Effect::new(move |_| {
        // Both read every time, so that each change re-runs this.
        let ready = editor_ready.get();
        let editable = may_edit.get();
        if !ready {
            return;
        }
        session.editor.with_value(|editor| {
            if let Some(editor) = editor {
                tiptap::set_editable(editor, editable);
            }
        });
    });
    let last_return = move || {
        history
            .get()
            .into_iter()
            .rev()
            .find(|s| s.to == ArticleStatus::Returned)
            .map(|s| s.comment)
    };
    let preview = format!("/xem-truoc/{}", article.id);
    let never_published = article.published_at.is_none();
    let delete = move |_| {
        let sure = window()
            .confirm_with_message("Xóa hẳn bản nháp này? Không thể khôi phục lại.")
            .unwrap_or(false);
        if !sure {
            return;
        }
        leptos::task::spawn_local(async move {
            match delete_draft(session.id).await {
                Ok(()) => {
                    drafts::forget(session.id);
                    let _ = window().location().replace("/quan-tri/");
                }
                Err(err) => message.set(Some(err.to_string())),
            }
        });
    };
    let return_comment = RwSignal::new(String::new());
    let picker = RwSignal::new(false);
    let insert_figure = Callback::new(move |json: String| {
        session.editor.with_value(|editor| {
            if let Some(editor) = editor {
                tiptap::run(editor, "figure", &json);
            }
        });
    });
    let title_for_page = session.title;

    view! {
        <Title text=move || format!("Sửa: {}", title_for_page.get())/>
        <div class="editor-page">
            {move || (!may_edit.get()).then(|| view! {
                <p class="read-only-note" role="note">
                    "Bài đang ở trạng thái “" {session.status.get().label()} "”: bạn chỉ xem được, không sửa được."
                </p>
            })}
            {move || (session.status.get() == ArticleStatus::Returned).then(|| last_return().map(|why| view! {
                <div class="returned-note" role="note">
                    <strong>"Lý do trả lại: "</strong>{why}
                </div>
            })).flatten()}
            <div class="editor-status" role="status" aria-live="polite">
                <span class=move || format!("save-state save-{}", match session.state.get() {
                    SaveState::Saved => "saved",
                    SaveState::Saving => "saving",
                    SaveState::Unsaved => "unsaved",
                    SaveState::Offline => "offline",
                    SaveState::Conflict(_) => "conflict",
                    SaveState::Refused(_) => "refused",
                })>{move || session.state.get().label()}</span>
                " · "
                <span class="article-status">{move || session.status.get().label()}</span>
                {move || {
                    let names = others.get();
                    (!names.is_empty())
                        .then(|| view! { <span class="lock-note">" · " {names.join(", ")} " đang sửa bài này"</span> })
                }}
            </div>
            {move || match session.state.get() {
                SaveState::Refused(why) => Some(view! { <p class="form-error" role="alert">{why}</p> }.into_any()),
                _ => None,
            }}
            {move || offer.get().map(|kept| view! {
                <div class="offer" role="alert">
                    <p>"Có nội dung chưa lưu từ " {kept.kept_at.clone()} " trên máy này."</p>
                    <button type="button" on:click=restore_kept>"Khôi phục nội dung chưa lưu"</button>
                    <button type="button" on:click=drop_kept>"Bỏ đi"</button>
                </div>
            })}
            <ConflictView session=session/>
            <fieldset class="fields" prop:disabled=move || !may_edit.get()>
                <legend class="visually-hidden">"Thông tin bài viết"</legend>
                <label for="tieu-de">"Tiêu đề"</label>
                <input id="tieu-de" class="title-input" prop:value=session.title on:input=field(session.title)/>
                <label for="tom-tat">"Tóm tắt (sapo)"</label>
                <textarea id="tom-tat" rows="3" prop:value=session.excerpt on:input=field(session.excerpt)></textarea>
                <div class="field-row">
                    <label>
                        "Chuyên mục"
                        <select on:change=on_category>
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move {
                                    categories
                                        .await
                                        .unwrap_or_default()
                                        .into_iter()
                                        .map(|c| {
                                            let selected = c.id == session.category_id.get_untracked();
                                            view! { <option value=c.id.to_string() selected=selected>{c.name}</option> }
                                        })
                                        .collect_view()
                                })}
                            </Suspense>
                        </select>
                    </label>
                    <label>
                        "Tác giả (ký tên)"
                        <input prop:value=session.author on:input=field(session.author)/>
                    </label>
                    <label>
                        "Đường dẫn"
                        <input prop:value=session.slug on:input=field(session.slug)/>
                    </label>
                </div>
            <details class="more-fields">
                    <summary>"Ảnh đại diện, từ khóa, hiển thị và mô tả cho máy tìm kiếm"</summary>
                    <div class="field-row">
                        <label>
                            "Ảnh đại diện (địa chỉ trên cổng, ví dụ /demo/anh.svg)"
                            <input prop:value=session.cover_image on:input=field(session.cover_image)/>
                        </label>
                        <label>
                            "Mô tả ảnh đại diện (bắt buộc khi có ảnh)"
                            <input prop:value=session.cover_alt on:input=field(session.cover_alt)/>
                        </label>
                    </div>
                    <label for="tu-khoa-bai">"Từ khóa (cách nhau bằng dấu phẩy)"</label>
                    <input id="tu-khoa-bai" prop:value=session.tags on:input=field(session.tags)/>
                    <label for="mo-ta-seo">"Mô tả cho máy tìm kiếm (để trống: dùng phần tóm tắt)"</label>
                    <textarea id="mo-ta-seo" rows="2" maxlength="300" prop:value=session.seo_description on:input=field(session.seo_description)></textarea>
                    <label class="check">
                        <input type="checkbox" prop:checked=session.featured on:change=flag(session.featured)/>
                        "Tin nổi bật (đứng đầu trang chủ)"
                    </label>
                    <label class="check">
                        <input type="checkbox" prop:checked=session.in_headlines on:change=flag(session.in_headlines)/>
                        "Hiện trong dòng tin mới ở đầu trang"
                    </label>
                </details>
            </fieldset>
            {move || may_edit.get().then(|| view! { <Toolbar session=session picker=picker/> })}
            <MediaPicker open=picker insert=insert_figure/>
            <div class="rich-text-holder" node_ref=holder></div>
            <div class="actions">
                {move || may_edit.get().then(|| view! {
                    <button type="button" class="primary" on:click=save_now>"Lưu"</button>
                })}
                <a href=preview target="_blank" rel="noopener">"Xem trước"</a>
                {move || (never_published && may_edit.get() && session.status.get() == ArticleStatus::Draft)
                    .then(|| view! { <button type="button" class="danger" on:click=delete>"Xóa bản nháp"</button> })}
                {
                    move || {
                        let status = session.status.get();
                        let may_submit = matches!(status, ArticleStatus::Draft | ArticleStatus::Returned)
                            && (own || role >= Role::Editor);
                        may_submit.then(|| {
                            view! { <button type="button" on:click=move |_| step(Transition::Submit, String::new())>"Gửi duyệt"</button> }
                        })
                    }
                }
                {
                    move || {
                        let status = session.status.get();
                        (role >= Role::Editor && Transition::Publish.target(status).is_some()).then(|| {
                            view! { <button type="button" on:click=move |_| step(Transition::Publish, String::new())>"Xuất bản"</button> }
                        })
                    }
                }
                {
                    move || {
                        (role >= Role::Editor && session.status.get() == ArticleStatus::Published).then(|| {
                            view! { <button type="button" on:click=move |_| step(Transition::Unpublish, String::new())>"Gỡ xuống"</button> }
                        })
                    }
                }
            </div>
            {
                move || {
                    (role >= Role::Editor && session.status.get() == ArticleStatus::Review).then(|| {
                        view! {
                            <div class="return-box">
                                <label for="ly-do">"Lý do trả lại cho tác giả"</label>
                                <textarea id="ly-do" rows="2" on:input=move |e| return_comment.set(event_target_value(&e))></textarea>
                                <button type="button" on:click=move |_| step(Transition::Return, return_comment.get_untracked())>"Trả lại"</button>
                            </div>
                        }
                    })
                }
            }
            {move || (role >= Role::Editor).then(|| view! {
                <ScheduleBox session message history publish_at unpublish_at/>
            })}
            {move || message.get().map(|m| view! { <p class="message" role="status">{m}</p> })}
            <section class="history" aria-labelledby="lich-su">
                <h2 id="lich-su">"Quá trình duyệt"</h2>
                {move || {
                    let steps = history.get();
                    if steps.is_empty() {
                        view! { <p class="empty">"Chưa có bước nào."</p> }.into_any()
                    } else {
                        view! {
                            <ol>
                                {steps.into_iter().map(|s| view! {
                                    <li>
                                        <time>{app::vn_time::format_datetime(s.at)}</time> " · "
                                        {s.by.unwrap_or_else(|| "Hệ thống".to_owned())} ": "
                                        {s.from.label()} " → " {s.to.label()}
                                        {(!s.comment.is_empty()).then(|| view! { <blockquote>{s.comment.clone()}</blockquote> })}
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }
                }}
            </section>
            <Revisions session=session/>
        </div>
    }
}

/// Whether the article is saved, so that a workflow step may be taken; if
/// not, says why in `message` and saves now.
fn saved_first(session: Session, message: RwSignal<Option<String>>) -> bool {
    if !session.dirty() {
        return true;
    }
    let why = match session.state.get_untracked() {
        SaveState::Refused(why) => {
            format!("Bài chưa lưu được: {why} Xin vui lòng sửa rồi thử lại.")
        }
        _ => "Xin vui lòng đợi bài được lưu rồi thử lại.".to_owned(),
    };
    message.set(Some(why));
    session.save(false);
    false
}

/// After a step: the recorded history and the schedule as the server has them.
async fn reload_workflow(
    session: Session,
    history: RwSignal<Vec<TransitionRecord>>,
    publish_at: RwSignal<Option<OffsetDateTime>>,
    unpublish_at: RwSignal<Option<OffsetDateTime>>,
) {
    if let Ok(fresh) = load_editor_article(session.id).await {
        history.set(fresh.history);
        publish_at.set(fresh.publish_at);
        unpublish_at.set(fresh.unpublish_at);
    }
    session.revisions_changed.update(|n| *n += 1);
}

/// "Lịch xuất bản" (editors): publish by itself at a chosen minute, Vietnam
/// time; cancel or change that; take a public article down at a time.
#[component]
fn ScheduleBox(
    session: Session,
    message: RwSignal<Option<String>>,
    history: RwSignal<Vec<TransitionRecord>>,
    publish_at: RwSignal<Option<OffsetDateTime>>,
    unpublish_at: RwSignal<Option<OffsetDateTime>>,
) -> impl IntoView {
    let publish_input = RwSignal::new(
        publish_at
            .get_untracked()
            .map(vn_time::input_value)
            .unwrap_or_default(),
    );
    let unpublish_input = RwSignal::new(
        unpublish_at
            .get_untracked()
            .map(vn_time::input_value)
            .unwrap_or_default(),
    );
    let schedule = move |_| {
        let Some(at) = vn_time::parse_input(&publish_input.get_untracked()) else {
            message.set(Some("Xin vui lòng chọn ngày và giờ xuất bản.".to_owned()));
            return;
        };
        if !saved_first(session, message) {
            return;
        }
        leptos::task::spawn_local(async move {
            match schedule_article(session.id, Moment(at)).await {
                Ok(saved) => {
                    session.base_version.set(saved.version);
                    session.status.set(saved.status);
                    message.set(Some(format!(
                        "Đã lên lịch: bài sẽ tự xuất bản lúc {}.",
                        vn_time::format_datetime(at)
                    )));
                    reload_workflow(session, history, publish_at, unpublish_at).await;
                }
                Err(err) => message.set(Some(err.explain())),
            }
        });
    };
    let unschedule = move |_| {
        leptos::task::spawn_local(async move {
            match change_status(session.id, Transition::Unschedule, String::new()).await {
                Ok(saved) => {
                    session.base_version.set(saved.version);
                    session.status.set(saved.status);
                    message.set(Some("Đã hủy lịch; bài trở lại “Chờ duyệt”.".to_owned()));
                    reload_workflow(session, history, publish_at, unpublish_at).await;
                }
                Err(err) => message.set(Some(err.explain())),
            }
        });
    };
    let takedown = move |at: Option<OffsetDateTime>| {
        leptos::task::spawn_local(async move {
            match schedule_unpublish(session.id, at.map(Moment)).await {
                Ok(_) => {
                    unpublish_at.set(at);
                    message.set(Some(match at {
                        Some(at) => format!(
                            "Đã đặt lịch: bài sẽ tự gỡ lúc {}.",
                            vn_time::format_datetime(at)
                        ),
                        None => "Đã bỏ lịch gỡ bài.".to_owned(),
                    }));
                }
                Err(err) => message.set(Some(err.explain())),
            }
        });
    };
    let set_takedown = move |_| match vn_time::parse_input(&unpublish_input.get_untracked()) {
        Some(at) => takedown(Some(at)),
        None => message.set(Some("Xin vui lòng chọn ngày và giờ gỡ bài.".to_owned())),
    };
    view! {
        <section class="schedule-box" aria-labelledby="lich-xuat-ban">
            <h2 id="lich-xuat-ban">"Lịch xuất bản"</h2>
            {move || {
                let status = session.status.get();
                let planned = publish_at.get().filter(|_| status == ArticleStatus::Scheduled);
                planned.map(|at| view! {
                    <p class="schedule-note">
                        "Bài sẽ tự xuất bản lúc " <strong>{vn_time::format_datetime(at)}</strong> " (giờ Việt Nam). "
                        <button type="button" on:click=unschedule>"Hủy lịch"</button>
                    </p>
                })
            }}
            {move || may_schedule_from(session.status.get()).then(|| view! {
                <div class="field-row schedule-row">
                    <label>
                        "Xuất bản lúc (giờ Việt Nam)"
                        <input type="datetime-local" id="xuat-ban-luc" prop:value=publish_input
                            on:input=move |e| publish_input.set(event_target_value(&e))/>
                    </label>
                    <button type="button" on:click=schedule>
                        {move || if session.status.get() == ArticleStatus::Scheduled { "Đổi giờ xuất bản" } else { "Lên lịch xuất bản" }}
                    </button>
                </div>
            })}
            {move || matches!(session.status.get(), ArticleStatus::Published | ArticleStatus::Scheduled).then(|| view! {
                {move || unpublish_at.get().map(|at| view! {
                    <p class="schedule-note">
                        "Bài sẽ tự gỡ lúc " <strong>{vn_time::format_datetime(at)}</strong> ". "
                        <button type="button" on:click=move |_| takedown(None)>"Bỏ lịch gỡ"</button>
                    </p>
                })}
                <div class="field-row schedule-row">
                    <label>
                        "Tự gỡ bài lúc (giờ Việt Nam)"
                        <input type="datetime-local" id="go-bai-luc" prop:value=unpublish_input
                            on:input=move |e| unpublish_input.set(event_target_value(&e))/>
                    </label>
                    <button type="button" on:click=set_takedown>"Đặt lịch gỡ"</button>
                </div>
            })}
            {move || (session.status.get() == ArticleStatus::Returned).then(|| view! {
                <p class="schedule-note">"Bài đang trả lại cho tác giả: lên lịch được khi tác giả gửi duyệt lại."</p>
            })}
        </section>
    }
}

/// The formatting buttons.
#[component]
fn Toolbar(session: Session, picker: RwSignal<bool>) -> impl IntoView {
    let button = move |label: &'static str, name: &'static str, arg: &'static str| {
        view! {
            <button
                type="button"
                on:click=move |_| {
                    let arg = if name == "link" {
                            window()
                                .prompt_with_message("Địa chỉ liên kết (để trống để bỏ liên kết):")
                                .ok()
                                .flatten()
                                .unwrap_or_default()
                        } else if name == "figure" {
                            picker.set(true);
                            return;
                        } else if name == "figureAlt" {
                            let asked = window()
                                .prompt_with_message(
                                    "Mô tả cho ảnh đang chọn (dành cho người khiếm thị; đặt con trỏ vào chú thích của ảnh trước):",
                                )
                                .ok()
                                .flatten()
                                .map(|alt| alt.trim().to_owned())
                                .filter(|alt| !alt.is_empty());
                            match asked {
                                Some(alt) => alt,
                                None => return,
                            }
                        } else {
                            arg.to_owned()
                        };
                    session.editor.with_value(|editor| {
                        if let Some(editor) = editor {
                            tiptap::run(editor, name, &arg);
                        }
                    });
                }
            >
                {label}
            </button>
        }
    };
    view! {
        <div class="toolbar" role="toolbar" aria-label="Định dạng">
            {button("Đậm", "bold", "")}
            {button("Nghiêng", "italic", "")}
            {button("Gạch chân", "underline", "")}
            {button("Đề mục", "heading", "2")}
            {button("Đề mục nhỏ", "heading", "3")}
            {button("Đoạn văn", "paragraph", "")}
            {button("Danh sách", "bulletList", "")}
            {button("Danh sách số", "orderedList", "")}
            {button("Thụt vào", "indent", "")}
            {button("Thụt ra", "outdent", "")}
            {button("Trích dẫn", "blockquote", "")}
            {button("Liên kết", "link", "")}
            {button("Bảng", "table", "")}
            {button("Chèn ảnh", "figure", "")}
            {button("Mô tả ảnh", "figureAlt", "")}
            {button("Thêm hàng", "addRow", "")}
            {button("Thêm cột", "addColumn", "")}
            {button("Hoàn tác", "undo", "")}
            {button("Làm lại", "redo", "")}
        </div>
    }
}

/// What a revision's note means, as the office says it.
fn note_label(note: &str) -> &'static str {
    match note {
        "save" => "Lưu",
        "autosave" => "Tự động lưu",
        "submit" => "Gửi duyệt",
        "return" => "Trả lại",
        "publish" => "Xuất bản",
        "unpublish" => "Gỡ xuống",
        "restore" => "Khôi phục",
        "seed" => "Dữ liệu mẫu",
        _ => "Lưu",
    }
}

/// Someone else saved first: both versions side by side (as a word diff),
/// and the editor chooses; nothing is lost either way.
#[component]
fn ConflictView(session: Session) -> impl IntoView {
    move || {
        let SaveState::Conflict(theirs) = session.state.get() else {
            return None;
        };
        let mine = session.draft();
        let changes = diff_words(&text_of(&theirs.draft.body_html), &text_of(&mine.body_html));
        let keep_mine = {
            let version = theirs.version;
            move |_| {
                session.base_version.set(version);
                session.state.set(SaveState::Unsaved);
                session.save(false);
            }
        };
        let take_theirs = {
            let theirs = theirs.clone();
            move |_| {
                // Ours stays in the browser, in case it is wanted after all.
                session.load(theirs.version, theirs.status, &theirs.draft);
                session.saved_changes.set_value(session.changes.get_value());
                session.state.set(SaveState::Saved);
            }
        };
        let merge = {
            let theirs = theirs.clone();
            let mine = mine.clone();
            move |_| {
                let merged = ArticleDraft {
                    body_html: format!(
                        "{}<p><strong>— Nội dung của bạn —</strong></p>{}",
                        theirs.draft.body_html, mine.body_html
                    ),
                    ..mine.clone()
                };
                session.load(theirs.version, theirs.status, &merged);
                session.state.set(SaveState::Unsaved);
                session.changed();
            }
        };
        Some(view! {
            <section class="conflict" role="alert" aria-labelledby="xung-dot">
                <h2 id="xung-dot">"Bài viết vừa được người khác lưu"</h2>
                <p>
                    "Nội dung của bạn chưa bị mất. Dưới đây là những chỗ khác nhau giữa bản trên máy chủ "
                    "(gạch bỏ) và bản của bạn (tô đậm). Hãy chọn:"
                </p>
                <div class="versions">
                    <div>
                        <h3>"Bản trên máy chủ"</h3>
                        <p class="version-title">{theirs.draft.title.clone()}</p>
                    </div>
                    <div>
                        <h3>"Bản của bạn"</h3>
                        <p class="version-title">{mine.title.clone()}</p>
                    </div>
                </div>
                <p class="diff">
                    {changes.into_iter().map(|change| match change {
                        Change::Same(t) => view! { <span>{t} " "</span> }.into_any(),
                        Change::Removed(t) => view! { <del>{t}</del> " " }.into_any(),
                        Change::Added(t) => view! { <ins>{t}</ins> " " }.into_any(),
                    }).collect_view()}
                </p>
                <button type="button" class="primary" on:click=keep_mine>"Giữ bản của tôi"</button>
                <button type="button" on:click=take_theirs>"Dùng bản trên máy chủ"</button>
                <button type="button" on:click=merge>"Gộp cả hai để sửa tay"</button>
            </section>
        })
    }
}

/// Kept revisions: compare any two, bring one back.
#[component]
fn Revisions(session: Session) -> impl IntoView {
    let id = session.id;
    let refresh = session.revisions_changed;
    let list = LocalResource::new(move || {
        refresh.track();
        article_revisions(id)
    });
    let compared = RwSignal::new(None::<(String, Vec<Change>)>);
    let compare = move |older: i32, label: String| {
        leptos::task::spawn_local(async move {
            if let Ok(old) = article_revision(id, older).await {
                let current = load_editor_article(id)
                    .await
                    .map(|a| a.draft.body_html)
                    .unwrap_or_default();
                compared.set(Some((
                    label,
                    diff_words(&text_of(&old.body_html), &text_of(&current)),
                )));
            }
        });
    };
    // Two kept revisions, the older first.
    let compare_two = move |older: i32, newer: i32, label: String| {
        leptos::task::spawn_local(async move {
            if let (Ok(old), Ok(new)) = (
                article_revision(id, older).await,
                article_revision(id, newer).await,
            ) {
                compared.set(Some((
                    label,
                    diff_words(&text_of(&old.body_html), &text_of(&new.body_html)),
                )));
            }
        });
    };
    let restore = {
        move |revision: i32| {
            leptos::task::spawn_local(async move {
                match restore_revision(session.id, revision, session.base_version.get_untracked())
                    .await
                {
                    Ok(_) => {
                        if let Ok(fresh) = load_editor_article(session.id).await {
                            session.load(fresh.version, fresh.status, &fresh.draft);
                            session.saved_changes.set_value(session.changes.get_value());
                            session.state.set(SaveState::Saved);
                        }
                        refresh.update(|n| *n += 1);
                    }
                    Err(err) => session.state.set(SaveState::Refused(err.to_string())),
                }
            });
        }
    };
    view! {
        <section class="revisions" aria-labelledby="phien-ban">
            <h2 id="phien-ban">"Các phiên bản"</h2>
            <Suspense fallback=|| ()>
                {move || {
                    Suspend::new(async move {
                        let rows = list.await.unwrap_or_default();
                        view! {
                            <ol class="revision-list">
                                {rows.iter().enumerate().map(|(i, r)| {
                                    let r = r.clone();
                                    // The list is newest first: the one after is older.
                                    let older = rows.get(i + 1).map(|o| (o.id, o.version));
                                    let label = format!("Phiên bản {} ({})", r.version, app::vn_time::format_datetime(r.at));
                                    let compare_label = label.clone();
                                    let pair_label = label.clone();
                                    view! {
                                        <li>
                                            {label} " · " {note_label(&r.note)} " · " {r.saved_by.clone().unwrap_or_else(|| "Hệ thống".to_owned())}
                                            " "
                                            <button type="button" on:click=move |_| compare(r.id, compare_label.clone())>"So với hiện tại"</button>
                                            {older.map(|(older_id, older_version)| view! {
                                                <button type="button" on:click=move |_| compare_two(older_id, r.id, format!("Phiên bản {older_version} so với {}", pair_label.clone()))>"So với bản trước"</button>
                                            })}
                                            <button type="button" on:click=move |_| restore(r.id)>"Khôi phục"</button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }
                    })
                }}
            </Suspense>
            {move || compared.get().map(|(label, changes)| view! {
                <div class="diff-box">
                    <h3>{label}</h3>
                    {changes.iter().all(|c| matches!(c, Change::Same(_))).then(|| view! {
                        <p role="status">"Hai bản giống nhau, không có chỗ nào khác."</p>
                    })}
                    <p class="diff">
                        {changes.into_iter().map(|change| match change {
                            Change::Same(t) => view! { <span>{t} " "</span> }.into_any(),
                            Change::Removed(t) => view! { <del>{t}</del> " " }.into_any(),
                            Change::Added(t) => view! { <ins>{t}</ins> " " }.into_any(),
                        }).collect_view()}
                    </p>
                </div>
            })}
        </section>
    }
}
