//! The search page at `/tim-kiem?q=…&trang=N`: a plain GET form, so it works
//! with JavaScript off.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::api::counter::PageView;
use crate::api::search::{MAX_QUERY_CHARS, SEARCH_COUNT_CAP, search_articles};
use crate::components::pagination::Pagination;
use crate::components::status::{Loading, ServiceUnavailable};
use crate::model::{SearchHit, format_count, parse_page};
use crate::vn_time::{format_datetime, iso_datetime};

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let key = move || {
        let params = query.read();
        let q = params.get("q").unwrap_or_default();
        (q, parse_page(params.get("trang").as_deref()))
    };
    let results = Resource::new(key, |(q, page)| search_articles(q, page));
    view! {
        <Title text="Tìm kiếm"/>
        <Meta name="robots" content="noindex"/>
        <PageView/>
        <h1 class="section-title page-title">"Tìm kiếm"</h1>
        <SearchForm value=move || key().0 id="tu-khoa-trang"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let (q, _) = key();
                let shown_query: String = q.chars().take(MAX_QUERY_CHARS).collect();
                let cut = q.chars().count() > MAX_QUERY_CHARS;
                match results.await {
                    _ if q.trim().is_empty() => {
                        view! {
                            <p class="search-help">
                                "Nhập từ khóa, có dấu hoặc không dấu, rồi nhấn “Tìm”. "
                                "Ví dụ: “cải cách hành chính” hoặc “cai cach hanh chinh”."
                            </p>
                        }
                            .into_any()
                    }
                    Ok(found) if found.total == 0 => {
                        view! {
                            <p class="search-summary" role="status">
                                "Không tìm thấy bài viết nào cho “" {shown_query} "”. "
                                "Hãy thử từ khóa ngắn hơn hoặc từ khác."
                            </p>
                        }
                            .into_any()
                    }
                    Ok(found) => {
                        let base = format!("/tim-kiem?q={}", encode_query(&shown_query));
                        let last = found.page_count().min(SEARCH_COUNT_CAP / found.per_page.max(1));
                        let count = if found.total > SEARCH_COUNT_CAP {
                            format!("hơn {}", format_count(SEARCH_COUNT_CAP))
                        } else {
                            format_count(found.total)
                        };
                        view! {
                            <p class="search-summary" role="status">
                                "Tìm thấy " {count} " bài viết cho “"
                                {shown_query.clone()} "”."
                                {cut.then_some(" (Từ khóa quá dài đã được rút gọn.)")}
                            </p>
                            <crate::routes::home::PageBeyondEnd
                                shown=found.items.len()
                                page=found.page
                                base="/tim-kiem"
                            />
                            <ol class="search-results">
                                {found.items.into_iter().map(|hit| view! { <Hit hit/> }).collect_view()}
                            </ol>
                            <Pagination base current=found.page last/>
                        }
                            .into_any()
                    }
                    Err(_) => view! { <ServiceUnavailable/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Hit(hit: SearchHit) -> impl IntoView {
    let path = hit.article.path();
    view! {
        <li class="feed-item">
            <article>
                <h2 class="feed-title">
                    <a href=path>{hit.article.title}</a>
                </h2>
                <p class="feed-meta">
                    <span class="feed-category">{hit.article.category.name}</span>
                    " · "
                    <time datetime=iso_datetime(
                        hit.article.published_at,
                    )>{format_datetime(hit.article.published_at)}</time>
                </p>
                <p class="feed-excerpt">
                    {hit
                        .snippet
                        .into_iter()
                        .map(|part| {
                            if part.highlight {
                                view! { <mark>{part.text}</mark> }.into_any()
                            } else {
                                part.text.into_any()
                            }
                        })
                        .collect_view()}
                </p>
            </article>
        </li>
    }
}

/// The search form: a GET to `/tim-kiem`, so it needs no JavaScript.
#[component]
pub fn SearchForm(
    value: impl Fn() -> String + Send + Sync + 'static,
    /// The input's id: the header and the search page each have a form.
    id: &'static str,
) -> impl IntoView {
    view! {
        <form class="search-form" action="/tim-kiem" method="get" role="search">
            <label for=id class="visually-hidden">"Từ khóa tìm kiếm"</label>
            <input
                id=id
                type="search"
                name="q"
                maxlength="200"
                placeholder="Tìm kiếm tin bài…"
                prop:value=value
            />
            <button type="submit">"Tìm"</button>
        </form>
    }
}

/// Percent-encodes a query-string value.
fn encode_query(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}
