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

/// Takes a `tin-moi` event's JSON; ignores anything malformed.
#[cfg(feature = "hydrate")]
pub(crate) fn offer(json: &str) {
    if let Ok(items) = serde_json::from_str::<Vec<FreshArticle>>(json) {
        FRESH.with(|fresh| fresh.set(items));
    }
}

/// Above the news list of the home page's first page. `newest` is the
/// publication time (Unix seconds) of the newest article the page shows.
/// Newer articles are announced by a button; pressing it lists them.
#[island]
pub fn FreshNews(newest: i64) -> impl IntoView {
    let fresh = FRESH.with(Clone::clone);
    // Articles up to this time have been revealed by the reader.
    let revealed = RwSignal::new(newest);
    let newer = {
        let fresh = fresh.clone();
        move |after: i64| {
            let mut items: Vec<FreshArticle> = fresh
                .read()
                .iter()
                .filter(|item| item.published > after)
                .cloned()
                .collect();
            items.sort_by_key(|item| std::cmp::Reverse(item.published));
            items
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
