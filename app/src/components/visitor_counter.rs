//! "Lượt truy cập": the visitor counter, rendered on the server and kept live
//! in the browser by server-sent events.

use leptos::prelude::*;

use crate::api::counter::load_visitor_stats;
use crate::model::{VisitorStats, format_count};

#[component]
pub fn VisitorCounter() -> impl IntoView {
    let initial = Resource::new(|| (), |_| load_visitor_stats());
    let live = RwSignal::new(None::<VisitorStats>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| live_updates::connect(live));
    view! {
        <section class="visitor-counter" aria-labelledby="luot-truy-cap">
            <h2 id="luot-truy-cap">"Lượt truy cập"</h2>
            <Suspense fallback=|| view! { <StatsList stats=|| None/> }>
                {move || Suspend::new(async move {
                    let initial = initial.await.ok();
                    view! { <StatsList stats=move || live.get().or(initial)/> }
                })}
            </Suspense>
        </section>
    }
}

/// A row of the widget: its test hook, its label, and the number it shows.
type StatRow = (&'static str, &'static str, fn(&VisitorStats) -> u64);

#[component]
fn StatsList(
    stats: impl Fn() -> Option<VisitorStats> + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let rows: [StatRow; 6] = [
        ("online", "Đang online", |s| s.online),
        ("today", "Hôm nay", |s| s.today),
        ("yesterday", "Hôm qua", |s| s.yesterday),
        ("week", "Tuần này", |s| s.this_week),
        ("month", "Tháng này", |s| s.this_month),
        ("total", "Tất cả", |s| s.total),
    ];
    view! {
        <dl class="visitor-stats">
            {rows
                .into_iter()
                .map(|(key, label, pick)| {
                    view! {
                        <div class="visitor-stat" data-stat=key>
                            <dt>{label}</dt>
                            <dd>
                                {move || {
                                    stats()
                                        .map(|s| format_count(pick(&s)))
                                        .unwrap_or_else(|| "—".to_owned())
                                }}
                            </dd>
                        </div>
                    }
                })
                .collect_view()}
        </dl>
    }
}

#[cfg(feature = "hydrate")]
mod live_updates {
    //! An `EventSource` on the live stream, reconnected with exponential
    //! back-off (1 s doubling to 60 s) when the connection drops.

    use std::cell::Cell;
    use std::rc::Rc;
    use std::time::Duration;

    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    use crate::api::counter::STREAM_PATH;
    use crate::model::VisitorStats;

    pub fn connect(target: RwSignal<Option<VisitorStats>>) {
        open(target, Rc::new(Cell::new(0)));
    }

    fn open(target: RwSignal<Option<VisitorStats>>, failures: Rc<Cell<u32>>) {
        let Ok(source) = web_sys::EventSource::new(STREAM_PATH) else {
            retry(target, failures);
            return;
        };
        let on_stats = {
            let failures = Rc::clone(&failures);
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                failures.set(0);
                if let Some(stats) = event
                    .data()
                    .as_string()
                    .and_then(|text| serde_json::from_str::<VisitorStats>(&text).ok())
                {
                    target.set(Some(stats));
                }
            })
        };
        let _ = source.add_event_listener_with_callback("stats", on_stats.as_ref().unchecked_ref());
        on_stats.forget();
        let on_error = {
            let source = source.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                // The browser would retry at a fixed pace; back off instead.
                source.close();
                retry(target, Rc::clone(&failures));
            })
        };
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
    }

    fn retry(target: RwSignal<Option<VisitorStats>>, failures: Rc<Cell<u32>>) {
        let n = failures.get().min(6);
        failures.set(n + 1);
        let delay = Duration::from_secs(1u64 << n).min(Duration::from_secs(60));
        set_timeout(move || open(target, failures), delay);
    }
}
