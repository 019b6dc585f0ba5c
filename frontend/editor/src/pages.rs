//! `/quan-tri/trang` (admins): the portal's fixed pages, "Giới thiệu"
//! (`/gioi-thieu`) and the English page (`/en`). A page opens into a form:
//! its title and its text in the rich-text editor. The server checks the
//! role and every field; a failed save keeps everything typed, with the
//! mistake beside its field; a saved change shows on the public page at once.

use app::api::pages::{editor_pages, save_page};
use app::error::{AppError, FieldError};
use app::i18n::Lang;
use app::model::accounts::Role;
use app::model::pages::{Page, PageInput};
use app::vn_time::format_datetime;
use leptos::prelude::*;
use leptos_meta::Title;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::layout::me;
use crate::tiptap;

fn language_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "Tiếng Việt",
        Lang::En => "Tiếng Anh",
    }
}

#[component]
pub fn PagesPage() -> impl IntoView {
    if me().role < Role::Admin {
        return view! { <p class="form-error" role="alert">"Chỉ quản trị viên xem được trang này."</p> }
            .into_any();
    }
    // Reloaded when a form closes, to show the last save.
    let reload = RwSignal::new(0u32);
    let pages = LocalResource::new(move || {
        reload.track();
        editor_pages()
    });
    let open = RwSignal::new(None::<Page>);
    let back = Callback::new(move |()| {
        open.set(None);
        reload.update(|n| *n += 1);
    });
    view! {
        <Title text="Trang giới thiệu"/>
        <h1>"Trang giới thiệu"</h1>
        {move || match open.get() {
            Some(page) => view! { <PageForm page back/> }.into_any(),
            None => view! {
                <p class="hint">
                    "Trang “Giới thiệu” (chức năng, nhiệm vụ, sơ đồ tổ chức, liên hệ) và trang tiếng Anh "
                    "theo Nghị định 42/2022/NĐ-CP. Bấm “Sửa” để đổi tiêu đề và nội dung."
                </p>
                <Suspense fallback=|| view! { <p class="loading" role="status">"Đang tải…"</p> }>
                    {move || Suspend::new(async move {
                        match pages.await {
                            Ok(list) => view! { <PageList list open/> }.into_any(),
                            Err(err) => view! { <p class="form-error" role="alert">{err.explain()}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            }
            .into_any(),
        }}
    }
    .into_any()
}

#[component]
fn PageList(list: Vec<Page>, open: RwSignal<Option<Page>>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data-table pages-table">
                <caption class="visually-hidden">"Các trang cố định"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Trang"</th>
                        <th scope="col">"Địa chỉ"</th>
                        <th scope="col">"Ngôn ngữ"</th>
                        <th scope="col">"Sửa lần cuối"</th>
                        <th scope="col"><span class="visually-hidden">"Thao tác"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|page| {
                            let path = page.path();
                            let title = page.title.clone();
                            let by = page.updated_by.clone().unwrap_or_else(|| "nội dung ban đầu".to_owned());
                            let when = format_datetime(page.updated_at);
                            let chosen = page.clone();
                            view! {
                                <tr>
                                    <td>{page.title.clone()}</td>
                                    <td>
                                        <a href=path.clone() target="_blank" rel="noopener">{path.clone()}</a>
                                    </td>
                                    <td>{language_name(page.lang)}</td>
                                    <td>{when} " (" {by} ")"</td>
                                    <td>
                                        <button
                                            type="button"
                                            aria-label=format!("Sửa trang “{title}”")
                                            on:click=move |_| open.set(Some(chosen.clone()))
                                        >
                                            "Sửa"
                                        </button>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Moves the focus to the element with `id` (after a refusal, to the field to fix).
fn focus_id(id: &str) {
    if let Some(element) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// The error of `field` among `errors`.
fn error_of(errors: RwSignal<Vec<FieldError>>, field: &'static str) -> Option<String> {
    errors.with(|list| {
        list.iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    })
}

/// One fixed page's title and text.
#[component]
fn PageForm(page: Page, back: Callback<()>) -> impl IntoView {
    let slug = page.slug.clone();
    let path = page.path();
    let heading_text = format!("Sửa trang: {}", page.title);
    let title = RwSignal::new(page.title.clone());
    let base_version = RwSignal::new(page.version);
    let editor = StoredValue::new_local(None::<tiptap::Editor>);
    let dirty = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    // The answer of the last save: (saved, what to say).
    let notice = RwSignal::new(None::<(bool, String)>);

    // Closing the tab or reloading with unsaved changes asks first.
    let guard = window_event_listener(leptos::ev::beforeunload, move |event| {
        if dirty.get_untracked() {
            event.prevent_default();
        }
    });
    on_cleanup(move || guard.remove());

    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(heading) = heading.get() {
            let _ = heading.focus();
        }
    });

    // The rich-text editor, once its element is in the page.
    let holder = NodeRef::<leptos::html::Div>::new();
    {
        let body = page.body_html.clone();
        Effect::new(move |_| {
            let Some(element) = holder.get() else { return };
            if editor.with_value(Option::is_some) {
                return;
            }
            let on_change = Closure::<dyn FnMut()>::new(move || {
                dirty.set(true);
                notice.set(None);
            });
            let created = tiptap::create_labelled_editor(
                &element,
                &body,
                on_change.as_ref().unchecked_ref(),
                "Nội dung trang",
            );
            on_change.forget();
            editor.set_value(Some(created));
        });
        on_cleanup(move || {
            if let Some(Some(created)) = editor.try_update_value(Option::take) {
                tiptap::destroy(&created);
            }
        });
    }
    let body_html = move || {
        editor
            .with_value(|e| e.as_ref().map(tiptap::get_html))
            .unwrap_or_default()
    };

    let save = {
        let slug = slug.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            if busy.get_untracked() {
                return;
            }
            let sent = PageInput {
                slug: slug.clone(),
                base_version: base_version.get_untracked(),
                title: title.get_untracked(),
                body_html: body_html(),
            };
            busy.set(true);
            notice.set(None);
            leptos::task::spawn_local(async move {
                match save_page(sent.clone()).await {
                    Ok(saved) => {
                        base_version.set(saved.version);
                        // What was typed during the save stays, unsaved.
                        let unchanged =
                            title.get_untracked() == sent.title && body_html() == sent.body_html;
                        if unchanged {
                            title.set(saved.title.clone());
                            dirty.set(false);
                        }
                        errors.set(Vec::new());
                        notice.set(Some((true, "Đã lưu.".to_owned())));
                    }
                    Err(AppError::Invalid { fields }) => {
                        // The text stays as typed; each mistake is said beside its field.
                        let general: Vec<String> = fields
                            .iter()
                            .filter(|e| !matches!(e.field.as_str(), "title" | "body_html"))
                            .map(|e| e.message.clone())
                            .collect();
                        let mut said = vec![AppError::Invalid { fields: Vec::new() }.to_string()];
                        said.extend(general);
                        let first = ["title", "body_html"]
                            .into_iter()
                            .find(|name| fields.iter().any(|e| e.field == *name));
                        errors.set(fields);
                        notice.set(Some((false, said.join(" "))));
                        match first {
                            Some("title") => focus_id("trang-tieu-de"),
                            Some(_) => editor.with_value(|e| {
                                if let Some(e) = e {
                                    tiptap::focus(e);
                                }
                            }),
                            None => {}
                        }
                    }
                    Err(err) => notice.set(Some((false, err.explain()))),
                }
                busy.set(false);
            });
        }
    };

    let leave = move |_| {
        if dirty.get_untracked()
            && !window()
                .confirm_with_message("Bỏ những thay đổi chưa lưu?")
                .unwrap_or(false)
        {
            return;
        }
        back.run(());
    };

    let title_error = move || error_of(errors, "title");
    let body_error = move || error_of(errors, "body_html");
    view! {
        <Title text=heading_text.clone()/>
        <form class="page-editor" on:submit=save novalidate>
            <h2 tabindex="-1" node_ref=heading>{heading_text.clone()}</h2>
            <p>
                <button type="button" on:click=leave>"← Quay lại danh sách"</button>
                " "
                <a href=path.clone() target="_blank" rel="noopener">"Xem trang " {path.clone()}</a>
            </p>
            <div class="fields">
                <label for="trang-tieu-de">"Tiêu đề (bắt buộc)"</label>
                <input
                    id="trang-tieu-de"
                    class="title-input"
                    required
                    aria-invalid=move || title_error().map(|_| "true")
                    aria-describedby=move || title_error().map(|_| "trang-tieu-de-loi")
                    prop:value=title
                    on:input=move |e| {
                        title.set(event_target_value(&e));
                        dirty.set(true);
                        notice.set(None);
                    }
                />
                {move || title_error().map(|message| view! {
                    <p class="field-error" id="trang-tieu-de-loi">{message}</p>
                })}
            </div>
            <div class="fields">
                <p class="field-label">"Nội dung (bắt buộc)"</p>
                <PageToolbar editor/>
                <div class="rich-text-holder" node_ref=holder></div>
                {move || body_error().map(|message| view! {
                    <p class="field-error" id="trang-noi-dung-loi" role="alert">{message}</p>
                })}
                <p class="hint">
                    "Sơ đồ tổ chức là các danh sách lồng nhau: dùng “Thụt vào” để đặt một đơn vị dưới đơn vị quản lý nó."
                </p>
            </div>
            <div class="actions">
                <button type="submit" class="primary" prop:disabled=busy>
                    {move || if busy.get() { "Đang lưu…" } else { "Lưu trang" }}
                </button>
                {move || dirty.get().then(|| view! { <span class="hint">"Có thay đổi chưa lưu."</span> })}
            </div>
            <div class="messages">
                {move || notice.get().map(|(ok, text)| {
                    if ok {
                        view! { <p class="message" role="status">{text}</p> }.into_any()
                    } else {
                        view! { <p class="form-error" role="alert">{text}</p> }.into_any()
                    }
                })}
            </div>
        </form>
    }
}

/// The formatting buttons a page needs: paragraphs, headings, bold,
/// italic, lists (nested with "Thụt vào"), links, undo and redo.
#[component]
fn PageToolbar(editor: StoredValue<Option<tiptap::Editor>, LocalStorage>) -> impl IntoView {
    let button = move |label: &'static str, name: &'static str, arg: &'static str| {
        view! {
            <button
                type="button"
                on:click=move |_| {
                    let arg = if name == "link" {
                        match window()
                            .prompt_with_message("Địa chỉ liên kết (để trống để bỏ liên kết):")
                        {
                            Ok(Some(address)) => address.trim().to_owned(),
                            _ => return,
                        }
                    } else {
                        arg.to_owned()
                    };
                    editor.with_value(|editor| {
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
            {button("Đoạn văn", "paragraph", "")}
            {button("Đề mục", "heading", "2")}
            {button("Đề mục nhỏ", "heading", "3")}
            {button("Đậm", "bold", "")}
            {button("Nghiêng", "italic", "")}
            {button("Danh sách", "bulletList", "")}
            {button("Danh sách số", "orderedList", "")}
            {button("Thụt vào", "indent", "")}
            {button("Thụt ra", "outdent", "")}
            {button("Liên kết", "link", "")}
            {button("Hoàn tác", "undo", "")}
            {button("Làm lại", "redo", "")}
        </div>
    }
}
