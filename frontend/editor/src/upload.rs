//! Sending files with a progress bar each, shared by the media library and
//! the documents library: a drop zone and a file picker (several files at
//! once), a cancel button while the bytes go, and the server's reason when
//! it refuses one. The body is the file's raw bytes and its name goes,
//! percent-encoded, in [`FILE_NAME_HEADER`]; the server answers 200 with the
//! JSON of what it stored, or an error status with `{"message": "…"}`.

use std::sync::atomic::{AtomicUsize, Ordering};

use app::api::media::FILE_NAME_HEADER;
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Where one upload stands.
#[derive(Clone, Debug, PartialEq)]
enum Sending {
    /// Bytes sent so far, of the whole.
    Progress(f64, f64),
    /// Sent; the server is checking (and for photos, resizing) it.
    Processing,
    Done,
    Failed(String),
    Cancelled,
}

#[derive(Clone, Copy)]
struct Upload {
    id: usize,
    name: StoredValue<String>,
    state: RwSignal<Sending>,
    request: StoredValue<Option<web_sys::XmlHttpRequest>, LocalStorage>,
}

impl Upload {
    /// Whether the request is still running.
    fn running(self) -> bool {
        matches!(
            self.state.try_get_untracked(),
            Some(Sending::Progress(..) | Sending::Processing)
        )
    }

    fn abort(self) {
        self.request.with_value(|r| {
            if let Some(r) = r {
                let _ = r.abort();
            }
        });
    }

    fn cancel(self) {
        self.state.set(Sending::Cancelled);
        self.abort();
    }
}

const CONNECTION_LOST: &str = "Mất kết nối với máy chủ. Xin vui lòng thử lại.";
const BROWSER_REFUSED: &str = "Trình duyệt không gửi được tệp.";

/// The server's answer to an upload: what it stored, or why not.
fn answer_of<T: DeserializeOwned>(request: &web_sys::XmlHttpRequest) -> Result<T, String> {
    let status = request.status().unwrap_or(0);
    let text = request.response_text().ok().flatten().unwrap_or_default();
    if status == 200 {
        return serde_json::from_str(&text).map_err(|_| {
            "Máy chủ trả lời không đúng dạng. Xin vui lòng tải lại trang.".to_owned()
        });
    }
    let message = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v["message"].as_str().map(str::to_owned));
    Err(message.unwrap_or_else(|| match status {
        0 => CONNECTION_LOST.to_owned(),
        413 => "Tệp lớn quá mức cho phép.".to_owned(),
        _ => format!("Máy chủ không nhận tệp (mã {status})."),
    }))
}

/// Sends `file` to `url` with a progress bar; `done` gets what the server
/// stored.
fn send<T: DeserializeOwned + 'static>(
    url: &str,
    file: web_sys::File,
    upload: Upload,
    done: Callback<T>,
) {
    let Ok(request) = web_sys::XmlHttpRequest::new() else {
        upload
            .state
            .set(Sending::Failed(BROWSER_REFUSED.to_owned()));
        return;
    };
    if request.open("POST", url).is_err() {
        upload
            .state
            .set(Sending::Failed(BROWSER_REFUSED.to_owned()));
        return;
    }
    let _ = request.set_request_header(FILE_NAME_HEADER, &app::url::encode_component(&file.name()));
    let _ = request.set_request_header("content-type", "application/octet-stream");
    if let Ok(target) = request.upload() {
        let on_progress =
            Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                if e.loaded() >= e.total() && e.total() > 0.0 {
                    upload.state.set(Sending::Processing);
                } else {
                    upload.state.set(Sending::Progress(e.loaded(), e.total()));
                }
            });
        target.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        on_progress.forget();
    }
    let finished = request.clone();
    let on_load = Closure::<dyn FnMut()>::new(move || match answer_of::<T>(&finished) {
        Ok(stored) => {
            upload.state.set(Sending::Done);
            // The page may have been left meanwhile: nobody to tell then.
            let _ = done.try_run(stored);
        }
        Err(why) => upload.state.set(Sending::Failed(why)),
    });
    request.set_onload(Some(on_load.as_ref().unchecked_ref()));
    on_load.forget();
    let on_error = Closure::<dyn FnMut()>::new(move || {
        if upload.running() {
            upload
                .state
                .set(Sending::Failed(CONNECTION_LOST.to_owned()));
        }
    });
    request.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    if request.send_with_opt_blob(Some(&file)).is_err() {
        upload
            .state
            .set(Sending::Failed(BROWSER_REFUSED.to_owned()));
        return;
    }
    upload.request.set_value(Some(request));
}

/// Tells apart the hints of several uploaders.
static NEXT_UPLOADER: AtomicUsize = AtomicUsize::new(0);

/// Drop zone and file picker; each file its own progress bar and cancel
/// button, and the server's reason if it refuses the file. `done` is called
/// with what the server stored, for each file it took. Uploads still
/// running when the uploader goes away (the page is left) are cancelled.
#[component]
pub fn FileUploader<T>(
    /// Where the files go, read as each file starts.
    #[prop(into)]
    url: Signal<String>,
    /// The file picker's `accept`.
    accept: &'static str,
    /// The drop zone's words before the picker: "Kéo thả ảnh vào đây, hoặc ".
    drop_text: &'static str,
    /// The picker button's words.
    pick_text: &'static str,
    /// Which files, and what becomes of them.
    hint: &'static str,
    done: Callback<T>,
) -> impl IntoView
where
    T: DeserializeOwned + 'static,
{
    let uploads = RwSignal::new(Vec::<Upload>::new());
    let next = StoredValue::new(0usize);
    let dragging = RwSignal::new(false);
    let hint_id = format!(
        "goi-y-tai-len-{}",
        NEXT_UPLOADER.fetch_add(1, Ordering::Relaxed)
    );
    on_cleanup(move || {
        uploads.with_untracked(|list| {
            for upload in list.iter().filter(|u| u.running()) {
                upload.abort();
            }
        });
    });
    let start = move |files: web_sys::FileList| {
        let target = url.get_untracked();
        // A new choice of files: the rows of earlier ones that have ended
        // (sent, refused, cancelled) go, so an old refusal is not read as
        // the new file's.
        uploads.update(|list| {
            list.retain(|u| {
                matches!(
                    u.state.get_untracked(),
                    Sending::Progress(..) | Sending::Processing
                )
            })
        });
        for index in 0..files.length() {
            let Some(file) = files.get(index) else {
                continue;
            };
            let id = next.get_value();
            next.set_value(id + 1);
            let upload = Upload {
                id,
                name: StoredValue::new(file.name()),
                state: RwSignal::new(Sending::Progress(0.0, file.size())),
                request: StoredValue::new_local(None),
            };
            uploads.update(|list| list.push(upload));
            send(&target, file, upload, done);
        }
    };
    let on_drop = move |e: web_sys::DragEvent| {
        e.prevent_default();
        dragging.set(false);
        if let Some(files) = e.data_transfer().and_then(|d| d.files()) {
            start(files);
        }
    };
    let on_pick = move |e: leptos::ev::Event| {
        let input: Option<web_sys::HtmlInputElement> = e.target().and_then(|t| t.dyn_into().ok());
        if let Some(input) = input {
            if let Some(files) = input.files() {
                start(files);
            }
            input.set_value("");
        }
    };
    view! {
        <div
            class="drop-zone"
            class:dragging=dragging
            on:dragover=move |e: web_sys::DragEvent| {
                e.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <p>{drop_text}</p>
            <label class="button">
                {pick_text}
                <input class="visually-hidden" type="file" multiple accept=accept
                    aria-describedby=hint_id.clone() on:change=on_pick/>
            </label>
            <p class="hint" id=hint_id>{hint}</p>
        </div>
        <ul class="uploads" aria-live="polite">
            <For each=move || uploads.get() key=|u| u.id let:upload>
                <li class="upload">
                    <span class="upload-name">{upload.name.get_value()}</span>
                    {move || match upload.state.get() {
                        Sending::Progress(sent, total) => {
                            let percent = if total > 0.0 { (sent / total * 100.0).round() } else { 0.0 };
                            view! {
                                <progress max="100" value=percent aria-label=format!("Đang tải {}", upload.name.get_value())></progress>
                                <span>{format!("{percent}%")}</span>
                                <button type="button" aria-label=format!("Hủy tải {}", upload.name.get_value())
                                    on:click=move |_| upload.cancel()>"Hủy"</button>
                            }.into_any()
                        }
                        Sending::Processing => view! { <progress aria-label="Đang xử lý"></progress> <span>"Đang xử lý…"</span> }.into_any(),
                        Sending::Done => view! { <span class="upload-done">"Đã tải lên"</span> }.into_any(),
                        Sending::Failed(why) => view! { <span class="form-error" role="alert">{why}</span> }.into_any(),
                        Sending::Cancelled => view! { <span>"Đã hủy"</span> }.into_any(),
                    }}
                </li>
            </For>
        </ul>
    }
}
