//! The media library in the editors' app: uploads (drag and drop or the
//! file picker, several at once, each with a progress bar and a cancel
//! button), browsing and searching, the text alternative and caption, and
//! deleting; and the picker that inserts a photo into an article, which
//! will not insert one without its text (Circular 32/2017).

use app::api::media::{UPLOAD_PATH, delete_media, describe_media, list_media};
use app::model::accounts::Role;
use app::model::media::MediaItem;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::layout::me;
use crate::upload::FileUploader;

/// Drop zone and file picker for photos; each file its own progress bar
/// and cancel button. `done` is called with each photo the server took.
#[component]
pub fn Uploader(done: Callback<MediaItem>) -> impl IntoView {
    view! {
        <FileUploader
            url=UPLOAD_PATH.to_owned()
            accept="image/jpeg,image/png,image/webp,image/gif"
            drop_text="Kéo thả ảnh vào đây, hoặc "
            pick_text="Chọn ảnh từ máy"
            hint="JPEG, PNG, WebP hoặc GIF. Ảnh được tự thu nhỏ và xóa thông tin vị trí (GPS)."
            done
        />
    }
}

/// A photo's thumbnail.
fn thumbnail(item: &MediaItem) -> impl IntoView + use<> {
    let width = item.widths.first().copied().unwrap_or(item.width);
    let alt = if item.alt.is_empty() {
        item.file_name.clone()
    } else {
        item.alt.clone()
    };
    view! {
        <img src=item.url(width, "jpg") alt=alt loading="lazy"
            width=width height=item.height_at(width)/>
    }
}

/// One photo of the library, its text, caption and delete button.
#[component]
fn MediaCard(item: MediaItem, changed: Callback<()>) -> impl IntoView {
    let id = item.id;
    let alt = RwSignal::new(item.alt.clone());
    let caption = RwSignal::new(item.caption.clone());
    let message = RwSignal::new(None::<(bool, String)>);
    let may_delete = me().role >= Role::Editor;
    let save = move |_| {
        leptos::task::spawn_local(async move {
            message.set(Some(
                match describe_media(id, alt.get_untracked(), caption.get_untracked()).await {
                    Ok(_) => (true, "Đã lưu.".to_owned()),
                    Err(err) => (false, err.explain()),
                },
            ));
        });
    };
    let delete = move |_| {
        let sure = window()
            .confirm_with_message("Xóa hẳn ảnh này khỏi thư viện?")
            .unwrap_or(false);
        if !sure {
            return;
        }
        leptos::task::spawn_local(async move {
            match delete_media(id).await {
                Ok(()) => changed.run(()),
                Err(err) => message.set(Some((false, err.explain()))),
            }
        });
    };
    let alt_id = format!("mo-ta-{id}");
    let caption_id = format!("chu-thich-{id}");
    view! {
        <li class="media-card">
            {thumbnail(&item)}
            <p class="media-name">{item.file_name.clone()} " · " {item.width} "×" {item.height}</p>
            <label for=alt_id.clone()>"Mô tả ảnh (bắt buộc)"</label>
            <input id=alt_id prop:value=alt on:input=move |e| alt.set(event_target_value(&e))/>
            <label for=caption_id.clone()>"Chú thích"</label>
            <input id=caption_id prop:value=caption on:input=move |e| caption.set(event_target_value(&e))/>
            <div class="row-actions">
                <button type="button" on:click=save>"Lưu mô tả"</button>
                {may_delete.then(|| view! { <button type="button" class="danger" on:click=delete>"Xóa"</button> })}
            </div>
            {move || message.get().map(|(ok, text)| view! {
                <p class=if ok { "message" } else { "form-error" } role=if ok { "status" } else { "alert" }>{text}</p>
            })}
        </li>
    }
}

/// `/quan-tri/anh`: the library.
#[component]
pub fn MediaPage() -> impl IntoView {
    let query = RwSignal::new(String::new());
    let reload = RwSignal::new(0u32);
    let items = LocalResource::new(move || {
        reload.get();
        list_media(query.get())
    });
    let done = Callback::new(move |_: MediaItem| reload.update(|n| *n += 1));
    let changed = Callback::new(move |_: ()| reload.update(|n| *n += 1));
    view! {
        <Title text="Thư viện ảnh"/>
        <h1>"Thư viện ảnh"</h1>
        <Uploader done/>
        <label class="media-search">
            "Tìm ảnh (gõ rồi bấm Enter)"
            <input type="search" on:change=move |e| query.set(event_target_value(&e))/>
        </label>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match items.await {
                    Ok(list) if list.is_empty() => {
                        let empty = if query.get_untracked().trim().is_empty() {
                            "Chưa có ảnh nào."
                        } else {
                            "Không tìm thấy ảnh nào phù hợp."
                        };
                        view! { <p class="empty">{empty}</p> }.into_any()
                    }
                    Ok(list) => view! {
                        <ul class="media-grid">
                            {list.into_iter().map(|item| view! { <MediaCard item changed/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(err) => view! { <p class="form-error" role="alert">{err.explain()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What the picker inserts: the figure command's JSON.
pub fn figure_json(item: &MediaItem, alt: &str, caption: &str) -> String {
    let width = item.default_width();
    serde_json::json!({
        "src": item.url(width, "jpg"),
        "alt": alt,
        "caption": caption,
        "width": width.to_string(),
        "height": item.height_at(width).to_string(),
    })
    .to_string()
}

/// The dialog that inserts a library photo (uploading first if need be);
/// `insert` gets the figure's JSON. Nothing is inserted without a text.
#[component]
pub fn MediaPicker(open: RwSignal<bool>, insert: Callback<String>) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let reload = RwSignal::new(0u32);
    let items = LocalResource::new(move || {
        reload.get();
        open.get();
        list_media(query.get())
    });
    let chosen = RwSignal::new(None::<MediaItem>);
    let alt = RwSignal::new(String::new());
    let caption = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    // A photo just uploaded is offered at once, unless one is chosen already.
    let done = Callback::new(move |item: MediaItem| {
        reload.update(|n| *n += 1);
        if chosen.get_untracked().is_none() {
            alt.set(item.alt.clone());
            caption.set(item.caption.clone());
            chosen.set(Some(item));
        }
    });
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        let Some(dialog) = dialog.get() else { return };
        if open.get() {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        } else if dialog.open() {
            dialog.close();
        }
    });
    let close = move || {
        open.set(false);
        chosen.set(None);
        message.set(None);
    };
    let confirm = move |_| {
        let Some(item) = chosen.get_untracked() else {
            return;
        };
        let text = alt.get_untracked().trim().to_owned();
        if text.is_empty() {
            message.set(Some(
                "Ảnh cần có mô tả (dành cho người khiếm thị) trước khi chèn.".to_owned(),
            ));
            return;
        }
        let note = caption.get_untracked().trim().to_owned();
        leptos::task::spawn_local(async move {
            // The library keeps the text for the next time the photo is used.
            if (item.alt != text || item.caption != note)
                && let Err(err) = describe_media(item.id, text.clone(), note.clone()).await
            {
                message.set(Some(err.explain()));
                return;
            }
            insert.run(figure_json(&item, &text, &note));
            close();
        });
    };
    view! {
        <dialog node_ref=dialog class="media-picker" aria-labelledby="chon-anh" on:close=move |_| close()>
            <h2 id="chon-anh">"Chèn ảnh từ thư viện"</h2>
            <Uploader done/>
            {move || match chosen.get() {
                None => view! {
                    <label class="media-search">
                        "Tìm ảnh (gõ rồi bấm Enter)"
                        <input type="search" on:change=move |e| query.set(event_target_value(&e))/>
                    </label>
                    <Suspense fallback=|| view! { <p class="loading" role="status">"Đang tải…"</p> }>
                        {move || Suspend::new(async move {
                            let list = items.await.unwrap_or_default();
                            view! {
                                <ul class="media-grid pick">
                                    {list.into_iter().map(|item| {
                                        let label = format!("Chọn ảnh {}", if item.alt.is_empty() { &item.file_name } else { &item.alt });
                                        let picked = item.clone();
                                        view! {
                                            <li>
                                                <button type="button" class="media-choice" aria-label=label on:click=move |_| {
                                                    alt.set(picked.alt.clone());
                                                    caption.set(picked.caption.clone());
                                                    chosen.set(Some(picked.clone()));
                                                }>{thumbnail(&item)}</button>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }
                        })}
                    </Suspense>
                }.into_any(),
                Some(item) => view! {
                    <div class="media-chosen">
                        {thumbnail(&item)}
                        <label for="chen-mo-ta">"Mô tả ảnh (bắt buộc, dành cho người khiếm thị)"</label>
                        <input id="chen-mo-ta" required prop:value=alt on:input=move |e| alt.set(event_target_value(&e))/>
                        <label for="chen-chu-thich">"Chú thích (không bắt buộc)"</label>
                        <input id="chen-chu-thich" prop:value=caption on:input=move |e| caption.set(event_target_value(&e))/>
                        <div class="row-actions">
                            <button type="button" class="primary" prop:disabled=move || alt.get().trim().is_empty() on:click=confirm>"Chèn ảnh vào bài"</button>
                            <button type="button" on:click=move |_| chosen.set(None)>"Chọn ảnh khác"</button>
                        </div>
                    </div>
                }.into_any(),
            }}
            {move || message.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            <button type="button" class="close-dialog" on:click=move |_| close()>"Đóng"</button>
        </dialog>
    }
}
