//! "Có 2 tin mới": articles published while a reader has the home page
//! open, offered above the news without a reload.
//!
//! The articles arrive on the visitor counter's live stream (event
//! `tin-moi`, a `FreshArticle` array), which one tab of the browser holds
//! and shares with the others (`visitor_counter`); that code hands each list
//! to [`offer`], and this island shows those newer than the page.

use leptos::prelude::*;

use crate::components::article_list::FeedItem;
use crate::model::FreshArticle;

thread_local! {
    /// The newest articles the live stream has told this page of.
    static FRESH: ArcRwSignal<Vec<FreshArticle>> = ArcRwSignal::new(Vec::new());
}

/// Takes a `tin-moi` event's JSON; skips anything malformed. Read with
/// the browser's own `JSON.parse` (no deserialiser in the WASM for it).
#[cfg(feature = "hydrate")]
pub(crate) fn offer(json: &str) {
    use js_sys::{Array, JSON, Reflect};
    use wasm_bindgen::{JsCast, JsValue};
    let Some(items) = JSON::parse(json)
        .ok()
        .and_then(|value| value.dyn_into::<Array>().ok())
    else {
        return;
    };
    let field = |item: &JsValue, key: &str| Reflect::get(item, &JsValue::from_str(key)).ok();
    let text = |item: &JsValue, key: &str| field(item, key).and_then(|v| v.as_string());
    let items = items
        .iter()
        .filter_map(|item| {
            Some(FreshArticle {
                path: text(&item, "path").filter(|p| p.starts_with('/'))?,
                title: text(&item, "title")?,
                category: text(&item, "category")?,
                excerpt: text(&item, "excerpt")?,
                published: field(&item, "published")?.as_f64()? as i64,
                datetime: text(&item, "datetime")?,
                time_text: text(&item, "time_text")?,
            })
        })
        .collect();
    FRESH.with(|fresh| fresh.set(items));
}

/// The attribute that holds the publication time (Unix seconds) of the
/// newest article a page shows, on an element around [`FreshNews`].
pub const NEWEST_ATTRIBUTE: &str = "data-newest";

/// Above the news list of the home page's first page, inside an element
/// with [`NEWEST_ATTRIBUTE`] (islands take no props: `island_data`).
/// Articles published after that are announced by a button; pressing it
/// lists them.
#[island]
pub fn FreshNews() -> impl IntoView {
    // The server renders no offer, so it needs no time.
    let newest = crate::components::island_data::island_data(NEWEST_ATTRIBUTE, |v| v.parse().ok())
        .unwrap_or(i64::MAX);
    let fresh = FRESH.with(Clone::clone);
    // Articles up to this time have been revealed by the reader.
    let revealed = RwSignal::new(newest);
    let newer = {
        let fresh = fresh.clone();
        move |after: i64| {
            // Newest first, as the server sends them.
            fresh
                .read()
                .iter()
                .filter(|item| item.published > after)
                .cloned()
                .collect::<Vec<FreshArticle>>()
        }
    };
    let waiting = {
        let newer = newer.clone();
        move || newer(revealed.get()).len()
    };
    let shown = move || {
        let until = revealed.get();
        newer(newest)
            .into_iter()
            .filter(move |item| item.published <= until)
            .collect::<Vec<_>>()
    };
    let reveal = move |_| {
        let latest = fresh.read().iter().map(|item| item.published).max();
        if let Some(latest) = latest {
            revealed.set(latest.max(revealed.get_untracked()));
        }
    };
    view! {
        <div class="fresh-news" role="status">
            {move || {
                let count = waiting.clone()();
                (count > 0)
                    .then(|| {
                        view! {
                            <button type="button" class="fresh-news-button" on:click=reveal.clone()>
                                {format!("Có {count} tin mới")}
                            </button>
                        }
                    })
            }}
            {move || {
                let items = shown();
                (!items.is_empty())
                    .then(|| {
                        view! {
                            <ul class="feed feed-fresh">
                                {items
                                    .into_iter()
                                    .map(|item| view! { <FeedItem item/> })
                                    .collect_view()}
                            </ul>
                        }
                    })
            }}
        </div>
    }
}
