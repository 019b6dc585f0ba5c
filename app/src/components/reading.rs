//! Reader comforts in the header: the latest headlines and the text size,
//! and the script every page runs first.

use leptos::prelude::*;

use crate::components::article_list::title_links;

use crate::api::articles::headline_articles;

/// Where the chosen text size is kept between pages and visits.
pub const FONT_SCALE_KEY: &str = "cchc-font-scale";

/// The text sizes A- and A+ step through, as multiples of the default,
/// written as CSS and `localStorage` take them (strings: the browser code
/// then needs no floating-point formatting, a few kilobytes of WASM).
pub const FONT_SCALES: [&str; 6] = ["0.875", "1", "1.125", "1.25", "1.375", "1.5"];
/// The index of the default size in [`FONT_SCALES`].
pub const DEFAULT_SCALE: usize = 1;

/// Runs in `<head>` before the page is painted:
/// - applies the saved text size (no jump when the page loads);
/// - marks that scripts run, for controls that only work with them;
/// - reports a page the browser prerendered or prefetched once the reader
///   actually opens it. The server does not count those requests
///   (`Sec-Purpose: prefetch`), so without this they would never count.
///   A prerendered page reports on `prerenderingchange`; a page served from
///   a prefetch reports at once. Only successful pages (status 200) report.
pub const HEAD_SCRIPT: &str = "(function(){var d=document,r=d.documentElement;r.classList.add('js');\
try{var s=localStorage.getItem('cchc-font-scale');if(s&&/^[0-9.]+$/.test(s)){r.style.setProperty('--font-scale',s)}}catch(e){}\
try{var n=performance.getEntriesByType('navigation')[0];if(n&&n.responseStatus&&n.responseStatus!==200)return;\
var b=function(){navigator.sendBeacon('/api/luot-truy-cap',location.pathname)};\
if(d.prerendering){d.addEventListener('prerenderingchange',b,{once:true})}\
else if(n&&(n.deliveryType==='navigational-prefetch'||(n.activationStart||0)>0)){b()}}catch(e){}})();";

/// Which of A-, A and A+ describes the size at `index` of [`FONT_SCALES`]:
/// -1 smaller, 0 default, 1 larger.
pub fn scale_direction(index: usize) -> i8 {
    match index.cmp(&DEFAULT_SCALE) {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }
}

/// A-, A, A+: the text size of every page, remembered in the browser. The
/// button matching the current size is `aria-pressed="true"`.
#[island]
pub fn FontSizeControl() -> impl IntoView {
    // The server renders the default; the browser shows the saved size.
    let scale = RwSignal::new(DEFAULT_SCALE);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let saved = window()
            .local_storage()
            .ok()
            .flatten()
            .and_then(|s| s.get_item(FONT_SCALE_KEY).ok().flatten())
            .and_then(|v| FONT_SCALES.iter().position(|s| *s == v));
        if let Some(saved) = saved {
            scale.set(saved);
        }
    });
    let change = move |step: i32| {
        let current = scale.get_untracked() as i32;
        let index = if step == 0 {
            DEFAULT_SCALE
        } else {
            (current + step).clamp(0, FONT_SCALES.len() as i32 - 1) as usize
        };
        scale.set(index);
        #[cfg(feature = "hydrate")]
        {
            let next = FONT_SCALES[index];
            use wasm_bindgen::JsCast;
            if let Some(root) = document()
                .document_element()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = root.style().set_property("--font-scale", next);
            }
            if let Some(storage) = window().local_storage().ok().flatten() {
                let _ = storage.set_item(FONT_SCALE_KEY, next);
            }
        }
    };
    let pressed =
        move |direction: i8| move || (scale_direction(scale.get()) == direction).to_string();
    view! {
        <div class="font-size-control" role="group" aria-label="Cỡ chữ">
            <button type="button" aria-pressed=pressed(-1) on:click=move |_| change(-1)>
                "A-"
                <span class="visually-hidden">" (giảm cỡ chữ)"</span>
            </button>
            <button type="button" aria-pressed=pressed(0) on:click=move |_| change(0)>
                "A"
                <span class="visually-hidden">" (cỡ chữ mặc định)"</span>
            </button>
            <button type="button" aria-pressed=pressed(1) on:click=move |_| change(1)>
                "A+"
                <span class="visually-hidden">" (tăng cỡ chữ)"</span>
            </button>
        </div>
    }
}

/// How many headlines the header offers (the stylesheet shows the current
/// one by position, for up to this many).
pub const HEADLINE_COUNT: u64 = 5;

/// The latest headlines. Circular 32/2017 forbids text that moves by
/// itself: with scripts, one headline shows at a time and changes only when
/// the reader presses ‹ or ›; without scripts, all of them are listed.
#[component]
pub fn Headlines() -> impl IntoView {
    let latest = Resource::new(|| (), |_| headline_articles());
    view! {
        <section class="headlines" aria-labelledby="tin-noi-bat">
            <h2 id="tin-noi-bat" class="headlines-label">"Tin mới"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let items = latest.await.unwrap_or_default();
                    view! {
                        <HeadlineRotator>
                            <ul class="headline-list">
                                {title_links(items)}
                            </ul>
                        </HeadlineRotator>
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The ‹ › buttons over the headlines, which the server renders as the
/// island's children (static HTML, not sent again as island data); the
/// island only writes which one is current (`data-current`), and the
/// stylesheet shows that one. It counts the headlines in the page when a
/// button is pressed (islands take no props: `island_data`).
#[island]
fn HeadlineRotator(children: Children) -> impl IntoView {
    let current = RwSignal::new(0usize);
    let step = move |forward: bool| {
        let count = headline_count().max(1);
        current.update(|c| {
            *c = if forward {
                (*c + 1) % count
            } else {
                (*c + count - 1) % count
            }
        });
    };
    view! {
        <div class="headline-rotator" data-current=move || current.get().to_string()>
            {children()}
        </div>
        <div class="headline-controls">
            <button type="button" aria-label="Tin trước" on:click=move |_| step(false)>
                "‹"
            </button>
            <button type="button" aria-label="Tin tiếp theo" on:click=move |_| step(true)>
                "›"
            </button>
        </div>
    }
}

/// How many headlines the page lists (the rotator's children).
fn headline_count() -> usize {
    #[cfg(feature = "hydrate")]
    {
        document()
            .query_selector_all(".headline-rotator .headline-list > li")
            .map(|items| items.length() as usize)
            .unwrap_or(0)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        // Buttons are only pressed in the browser.
        0
    }
}

#[cfg(test)]
mod tests {
    use super::{DEFAULT_SCALE, FONT_SCALES, scale_direction};

    #[test]
    fn each_size_presses_one_button() {
        assert_eq!(FONT_SCALES[DEFAULT_SCALE], "1");
        assert_eq!(scale_direction(DEFAULT_SCALE), 0);
        assert_eq!(scale_direction(0), -1);
        for larger in DEFAULT_SCALE + 1..FONT_SCALES.len() {
            assert_eq!(scale_direction(larger), 1);
        }
    }

    /// The head script applies any saved size that looks like a number;
    /// every size the control saves must pass its test.
    #[test]
    fn saved_sizes_are_what_the_head_script_accepts() {
        for scale in FONT_SCALES {
            assert!(
                scale.bytes().all(|b| b.is_ascii_digit() || b == b'.'),
                "{scale}"
            );
            assert!(
                scale.parse::<f32>().is_ok_and(|v| v > 0.5 && v < 2.0),
                "{scale}"
            );
        }
    }
}
