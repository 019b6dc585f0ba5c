//! Reader comforts in the header: the latest headlines and the text size.

use leptos::prelude::*;

use crate::api::articles::latest_articles;

/// Where the chosen text size is kept between pages and visits.
pub const FONT_SCALE_KEY: &str = "cchc-font-scale";

/// Runs in `<head>` before the page is painted: applies the saved text size
/// (no jump when it loads) and marks that scripts run, for controls that
/// only work with them.
pub const HEAD_SCRIPT: &str = "(function(){var d=document.documentElement;d.classList.add('js');\
try{var s=localStorage.getItem('cchc-font-scale');if(s&&/^[0-9.]+$/.test(s)){d.style.setProperty('--font-scale',s)}}catch(e){}})();";

#[cfg(feature = "hydrate")]
const SCALES: [f64; 6] = [0.875, 1.0, 1.125, 1.25, 1.375, 1.5];

/// A-, A, A+: the text size of every page, remembered in the browser.
#[component]
pub fn FontSizeControl() -> impl IntoView {
    let change = move |step: i32| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let storage = window().local_storage().ok().flatten();
            let current = storage
                .as_ref()
                .and_then(|s| s.get_item(FONT_SCALE_KEY).ok().flatten())
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(1.0);
            let index = SCALES
                .iter()
                .position(|s| (*s - current).abs() < 0.01)
                .unwrap_or(1) as i32;
            let next = if step == 0 {
                1.0
            } else {
                SCALES[(index + step).clamp(0, SCALES.len() as i32 - 1) as usize]
            };
            if let Some(root) = document()
                .document_element()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = root.style().set_property("--font-scale", &next.to_string());
            }
            if let Some(storage) = storage {
                let _ = storage.set_item(FONT_SCALE_KEY, &next.to_string());
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = step;
    };
    view! {
        <div class="font-size-control" role="group" aria-label="Cỡ chữ">
            <button type="button" on:click=move |_| change(-1)>
                "A-"
                <span class="visually-hidden">" (giảm cỡ chữ)"</span>
            </button>
            <button type="button" on:click=move |_| change(0)>
                "A"
                <span class="visually-hidden">" (cỡ chữ mặc định)"</span>
            </button>
            <button type="button" on:click=move |_| change(1)>
                "A+"
                <span class="visually-hidden">" (tăng cỡ chữ)"</span>
            </button>
        </div>
    }
}

/// The latest headlines. Circular 32/2017 forbids text that moves by
/// itself: with scripts, one headline shows at a time and changes only when
/// the reader presses ‹ or ›; without scripts, all of them are listed.
#[component]
pub fn HeadlineRotator() -> impl IntoView {
    let latest = Resource::new(|| 1, latest_articles);
    let current = RwSignal::new(0usize);
    view! {
        <section class="headlines" aria-labelledby="tin-noi-bat">
            <h2 id="tin-noi-bat" class="headlines-label">"Tin mới"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let items: Vec<_> = latest
                        .await
                        .map(|page| page.items.into_iter().take(5).collect())
                        .unwrap_or_default();
                    let count = items.len().max(1);
                    view! {
                        <ul class="headline-list">
                            {items
                                .into_iter()
                                .enumerate()
                                .map(|(i, item)| {
                                    let path = item.path();
                                    view! {
                                        <li class:current=move || current.get() == i>
                                            <a href=path>{item.title}</a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                        <div class="headline-controls">
                            <button
                                type="button"
                                aria-label="Tin trước"
                                on:click=move |_| current.update(|c| *c = (*c + count - 1) % count)
                            >
                                "‹"
                            </button>
                            <button
                                type="button"
                                aria-label="Tin tiếp theo"
                                on:click=move |_| current.update(|c| *c = (*c + 1) % count)
                            >
                                "›"
                            </button>
                        </div>
                    }
                })}
            </Suspense>
        </section>
    }
}
