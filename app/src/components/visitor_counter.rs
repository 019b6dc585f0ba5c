//! "Lượt truy cập": the visitor counter, rendered on the server and kept live
//! in the browser by server-sent events.
//!
//! Browsers allow six HTTP/1.1 connections per host, so a stream per tab
//! would freeze the site for a reader with six tabs open. One visible tab of
//! the browser (the holder of a Web Lock) keeps the only stream and shares
//! each update with the other tabs over a `BroadcastChannel`; when it is
//! hidden or closed, another visible tab takes over, and while no tab is
//! visible there is no stream at all.

use leptos::prelude::*;

use crate::api::counter::load_visitor_stats;
use crate::components::island_data::{island_data, provide_island_data};
use crate::model::{VisitorStats, format_count};

/// The widget: the numbers the server knows now, then live ones.
#[component]
pub fn VisitorCounter() -> impl IntoView {
    let initial = Resource::new(|| (), |_| load_visitor_stats());
    view! {
        <section class="visitor-counter side-block" aria-labelledby="luot-truy-cap">
            <h2 id="luot-truy-cap" class="side-title">"Lượt truy cập"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let initial = initial.await.ok();
                    let figures = initial.as_ref().map(encode_figures).unwrap_or_default();
                    provide_island_data(initial);
                    view! {
                        <div data-figures=figures>
                            <LiveVisitorStats/>
                        </div>
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A row of the widget: its test hook, its label, and the number it shows.
type StatRow = (&'static str, &'static str, fn(&VisitorStats) -> u64);

const ROWS: [StatRow; 6] = [
    ("online", "Đang online", |s| s.online),
    ("today", "Hôm nay", |s| s.today),
    ("yesterday", "Hôm qua", |s| s.yesterday),
    ("week", "Tuần này", |s| s.this_week),
    ("month", "Tháng này", |s| s.this_month),
    ("total", "Tất cả", |s| s.total),
];

/// The figures as `data-figures` carries them: the six counts in the
/// order of [`ROWS`], separated by spaces.
fn encode_figures(stats: &VisitorStats) -> String {
    ROWS.iter()
        .map(|(_, _, pick)| pick(stats).to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads [`encode_figures`]' text; `None` unless it holds six counts.
fn decode_figures(text: &str) -> Option<VisitorStats> {
    let mut counts = text.split(' ').map(|n| n.parse::<u64>().ok());
    let mut next = || counts.next().flatten();
    let stats = VisitorStats {
        online: next()?,
        today: next()?,
        yesterday: next()?,
        this_week: next()?,
        this_month: next()?,
        total: next()?,
    };
    counts.next().is_none().then_some(stats)
}

/// The figures. `data-live` tells which part this tab plays in the live
/// updates: `leader` (holds the stream), `follower` (hears it from the
/// leader), `paused` (hidden, holds nothing) or `alone` (a browser without
/// Web Locks: a stream of its own while visible).
#[island]
fn LiveVisitorStats() -> impl IntoView {
    // Islands take no props (`island_data`): the first figures are in the
    // element around this one.
    let initial =
        island_data::<Option<VisitorStats>>("data-figures", |v| Some(decode_figures(v))).flatten();
    let stats = RwSignal::new(initial);
    let role = RwSignal::new("static");
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| live::start(stats, role));
    view! {
        <dl class="visitor-stats" data-live=move || role.get()>
            {ROWS
                .into_iter()
                .map(|(key, label, pick)| {
                    view! {
                        <div class="visitor-stat" data-stat=key>
                            <dt>{label}</dt>
                            <dd>
                                {move || {
                                    stats
                                        .get()
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
mod live {
    //! One `EventSource` per browser: leader election with the Web Locks
    //! API (`navigator.locks`, called through `js_sys` because `web-sys`
    //! has it only behind its unstable flag), updates shared over a
    //! `BroadcastChannel`, and exponential back-off (1 s doubling to 60 s)
    //! when the stream drops.

    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use std::time::Duration;

    use js_sys::{Function, Promise, Reflect};
    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{BroadcastChannel, EventSource, MessageEvent};

    use crate::api::counter::{FRESH_EVENT, STREAM_PATH};
    use crate::model::VisitorStats;

    const CHANNEL: &str = "cchc-luot-truy-cap";
    const LOCK: &str = "cchc-luot-truy-cap-stream";
    /// A new tab asks the leader for the latest figures with this message.
    const HELLO: &str = "hello";

    struct Tab {
        stats: RwSignal<Option<VisitorStats>>,
        role: RwSignal<&'static str>,
        channel: Option<BroadcastChannel>,
        source: RefCell<Option<EventSource>>,
        /// Resolving it gives the lock back; `Some` while this tab leads.
        release: RefCell<Option<Function>>,
        /// A lock request is pending.
        waiting: Cell<bool>,
        failures: Cell<u32>,
        /// The last figures received from the stream, as sent.
        last: RefCell<Option<String>>,
        /// The last newest-articles list received from the stream, as sent.
        last_fresh: RefCell<Option<String>>,
        /// Bumped whenever the stream is closed on purpose, so that a retry
        /// scheduled before then does nothing.
        generation: Cell<u32>,
    }

    pub fn start(stats: RwSignal<Option<VisitorStats>>, role: RwSignal<&'static str>) {
        let tab = Rc::new(Tab {
            stats,
            role,
            channel: BroadcastChannel::new(CHANNEL).ok(),
            source: RefCell::new(None),
            release: RefCell::new(None),
            waiting: Cell::new(false),
            failures: Cell::new(0),
            last: RefCell::new(None),
            last_fresh: RefCell::new(None),
            generation: Cell::new(0),
        });
        if let Some(channel) = &tab.channel {
            let listener = {
                let tab = Rc::clone(&tab);
                Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                    let Some(text) = event.data().as_string() else {
                        return;
                    };
                    if text == HELLO {
                        if tab.is_leader() {
                            for last in [&tab.last, &tab.last_fresh] {
                                if let Some(last) = last.borrow().clone() {
                                    tab.broadcast(&last);
                                }
                            }
                        }
                    } else {
                        tab.show(&text);
                    }
                })
            };
            channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
            listener.forget();
            let _ = channel.post_message(&JsValue::from_str(HELLO));
        }
        let on_visibility = {
            let tab = Rc::clone(&tab);
            Closure::<dyn FnMut()>::new(move || tab.visibility_changed())
        };
        let _ = document().add_event_listener_with_callback(
            "visibilitychange",
            on_visibility.as_ref().unchecked_ref(),
        );
        on_visibility.forget();
        tab.visibility_changed();
    }

    /// Reads a `stats` event's JSON with the browser's own `JSON.parse`
    /// (no deserialiser in the WASM for it); `None` if it is not figures.
    fn parse_stats(text: &str) -> Option<VisitorStats> {
        let value = js_sys::JSON::parse(text).ok()?;
        let count = |key: &str| {
            Reflect::get(&value, &JsValue::from_str(key))
                .ok()?
                .as_f64()
                .filter(|n| *n >= 0.0 && n.fract() == 0.0)
                .map(|n| n as u64)
        };
        Some(VisitorStats {
            online: count("online")?,
            today: count("today")?,
            yesterday: count("yesterday")?,
            this_week: count("this_week")?,
            this_month: count("this_month")?,
            total: count("total")?,
        })
    }

    fn hidden() -> bool {
        document().hidden()
    }

    /// `navigator.locks.request`, if this browser has Web Locks.
    fn lock_request() -> Option<(JsValue, Function)> {
        let locks = Reflect::get(&window().navigator(), &"locks".into()).ok()?;
        if locks.is_undefined() || locks.is_null() {
            return None;
        }
        let request = Reflect::get(&locks, &"request".into())
            .ok()?
            .dyn_into::<Function>()
            .ok()?;
        Some((locks, request))
    }

    impl Tab {
        fn is_leader(&self) -> bool {
            self.release.borrow().is_some()
        }

        /// Shows what the stream sent: figures (a JSON object) or the
        /// newest articles (a JSON array, for `fresh_news`).
        fn show(&self, text: &str) {
            if text.starts_with('[') {
                crate::components::fresh_news::offer(text);
            } else if let Some(stats) = parse_stats(text) {
                self.stats.set(Some(stats));
            }
        }

        fn broadcast(&self, text: &str) {
            if let Some(channel) = &self.channel {
                let _ = channel.post_message(&JsValue::from_str(text));
            }
        }

        fn visibility_changed(self: &Rc<Self>) {
            let Some((locks, request)) = lock_request().filter(|_| self.channel.is_some()) else {
                // No way to share one stream: each visible tab has its own.
                if hidden() {
                    self.close_stream();
                    self.role.set("paused");
                } else if self.source.borrow().is_none() {
                    self.open_stream();
                    self.role.set("alone");
                }
                return;
            };
            if hidden() {
                self.step_down();
            } else if !self.is_leader() && !self.waiting.get() {
                self.role.set("follower");
                self.waiting.set(true);
                let granted = {
                    let tab = Rc::clone(self);
                    Closure::<dyn FnMut(JsValue) -> Promise>::new(move |_lock: JsValue| {
                        tab.waiting.set(false);
                        if hidden() {
                            // Hidden while waiting: give the lock straight back.
                            tab.role.set("paused");
                            return Promise::resolve(&JsValue::UNDEFINED);
                        }
                        let tab = Rc::clone(&tab);
                        Promise::new(&mut |resolve, _reject| {
                            *tab.release.borrow_mut() = Some(resolve);
                            tab.role.set("leader");
                            tab.open_stream();
                        })
                    })
                };
                if let Ok(pending) = request.call2(&locks, &LOCK.into(), granted.as_ref()) {
                    // The request rejects only when the page goes away.
                    if let Ok(pending) = pending.dyn_into::<Promise>() {
                        let ignore = Closure::<dyn FnMut(JsValue)>::new(|_| {});
                        let _ = pending.catch(&ignore);
                        ignore.forget();
                    }
                } else {
                    self.waiting.set(false);
                }
                granted.forget();
            }
        }

        /// Closes the stream and hands the lock to the next visible tab.
        fn step_down(&self) {
            self.close_stream();
            if let Some(release) = self.release.borrow_mut().take() {
                let _ = release.call0(&JsValue::UNDEFINED);
            }
            self.role.set("paused");
        }

        fn close_stream(&self) {
            self.generation.set(self.generation.get().wrapping_add(1));
            if let Some(source) = self.source.borrow_mut().take() {
                source.close();
            }
        }

        fn open_stream(self: &Rc<Self>) {
            let Ok(source) = EventSource::new(STREAM_PATH) else {
                self.retry();
                return;
            };
            let on_stats = {
                let tab = Rc::clone(self);
                Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                    tab.failures.set(0);
                    if let Some(text) = event.data().as_string() {
                        tab.show(&text);
                        tab.broadcast(&text);
                        *tab.last.borrow_mut() = Some(text);
                    }
                })
            };
            let _ =
                source.add_event_listener_with_callback("stats", on_stats.as_ref().unchecked_ref());
            on_stats.forget();
            let on_fresh = {
                let tab = Rc::clone(self);
                Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                    if let Some(text) = event.data().as_string().filter(|t| t.starts_with('[')) {
                        tab.show(&text);
                        tab.broadcast(&text);
                        *tab.last_fresh.borrow_mut() = Some(text);
                    }
                })
            };
            let _ = source
                .add_event_listener_with_callback(FRESH_EVENT, on_fresh.as_ref().unchecked_ref());
            on_fresh.forget();
            let on_error = {
                let tab = Rc::clone(self);
                Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                    // The browser would retry at a fixed pace; back off instead.
                    tab.close_stream();
                    tab.retry();
                })
            };
            source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            on_error.forget();
            *self.source.borrow_mut() = Some(source);
        }

        fn retry(self: &Rc<Self>) {
            let n = self.failures.get().min(6);
            self.failures.set(n + 1);
            let delay = Duration::from_secs(1u64 << n).min(Duration::from_secs(60));
            let generation = self.generation.get();
            let tab = Rc::clone(self);
            set_timeout(
                move || {
                    let still_wanted = tab.generation.get() == generation
                        && tab.source.borrow().is_none()
                        && !hidden()
                        && (tab.is_leader() || lock_request().is_none() || tab.channel.is_none());
                    if still_wanted {
                        tab.open_stream();
                    }
                },
                delay,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{decode_figures, encode_figures};
    use crate::model::VisitorStats;

    #[test]
    fn figures_read_back_as_written() {
        let stats = VisitorStats {
            online: 3,
            today: 120,
            yesterday: 98,
            this_week: 1_204,
            this_month: 5_311,
            total: 18_446_744_073_709_551_615,
        };
        assert_eq!(
            encode_figures(&stats),
            "3 120 98 1204 5311 18446744073709551615"
        );
        assert_eq!(decode_figures(&encode_figures(&stats)), Some(stats));
    }

    #[test]
    fn anything_but_six_counts_is_refused() {
        for text in [
            "",
            "1 2 3 4 5",
            "1 2 3 4 5 6 7",
            "1 2 3 4 5 x",
            "1 2 3 4 5 -6",
            "1  2 3 4 5 6",
        ] {
            assert_eq!(decode_figures(text), None, "{text:?}");
        }
    }
}
