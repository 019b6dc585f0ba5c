//! A feed of article summaries.

use leptos::prelude::*;

use crate::model::{ArticleSummary, FreshArticle};
use crate::vn_time::{format_datetime, iso_datetime};

#[component]
pub fn ArticleList(items: Vec<ArticleSummary>) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="empty">"Chưa có bài viết nào."</p> }.into_any();
    }
    view! {
        <ul class="feed">
            {items
                .into_iter()
                .map(|item| view! { <FeedItem item=FreshArticle::from(&item)/> })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// One article of a feed: title (linked), category, time and lead. Takes
/// the already formatted [`FreshArticle`], so that the live "new articles"
/// island renders items exactly like the server's list.
#[component]
pub fn FeedItem(item: FreshArticle) -> impl IntoView {
    view! {
        <li class="feed-item">
            <article>
                <h3 class="feed-title">
                    <a href=item.path>{item.title}</a>
                </h3>
                <p class="feed-meta">
                    <span class="feed-category">{item.category}</span>
                    " · "
                    <time datetime=item.datetime>{item.time_text}</time>
                </p>
                <p class="feed-excerpt">{item.excerpt}</p>
            </article>
        </li>
    }
}

/// A list item with an article's title, linked, and its time.
#[component]
pub fn DatedLink(item: ArticleSummary) -> impl IntoView {
    let path = item.path();
    view! {
        <li>
            <a href=path>{item.title}</a>
            " "
            <time datetime=iso_datetime(item.published_at)>{format_datetime(item.published_at)}</time>
        </li>
    }
}

/// List items, each an article's title linked to it (for `<ul>`/`<ol>`).
pub fn title_links(items: Vec<ArticleSummary>) -> impl IntoView {
    items
        .into_iter()
        .map(|item| {
            let path = item.path();
            view! {
                <li>
                    <a href=path>{item.title}</a>
                </li>
            }
        })
        .collect_view()
}
