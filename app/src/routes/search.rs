//! The search page at `/tim-kiem?q=…&trang=N`: a plain GET form, so it works
//! with JavaScript off.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::api::search::{MAX_QUERY_CHARS, SEARCH_COUNT_CAP, search_articles};
use crate::components::pagination::{Pagination, page_title};
use crate::components::search_form::SearchForm;
use crate::components::status::{Loading, PageBeyondEnd, ServiceUnavailable};
use crate::model::{SearchHit, format_count, parse_page};
use crate::url::encode_component;
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
    let (q, page) = {
        let params = query.read_untracked();
        (
            params.get("q").unwrap_or_default(),
            parse_page(params.get("trang").as_deref()),
        )
    };
    let shown_query: String = q.trim().chars().take(MAX_QUERY_CHARS).collect();
    let title = if shown_query.is_empty() {
        "Tìm kiếm".to_owned()
    } else {
        page_title(&format!("Tìm kiếm: {shown_query}"), page)
    };
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="section-title page-title">"Tìm kiếm"</h1>
        <SearchForm value=shown_query.clone() id="tu-khoa-trang"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let (q, _) = key();
                let shown_query: String = q.trim().chars().take(MAX_QUERY_CHARS).collect();
                let cut = q.trim().chars().count() > MAX_QUERY_CHARS;
                let first_page = format!("/tim-kiem?q={}", encode_component(&shown_query));
                match results.await {
                    _ if shown_query.is_empty() => {
                        view! {
                            <p class="search-help">
                                "Nhập từ khóa, có dấu hoặc không dấu, rồi nhấn “Tìm”. "
                                "Ví dụ: “cải cách hành chính” hoặc “cai cach hanh chinh”."
                            </p>
                        }
                            .into_any()
                    }
                    Ok(found) if found.items.is_empty() && found.page > 1 => {
                        view! { <PageBeyondEnd page=found.page first_page/> }.into_any()
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
                            <ol class="search-results">
                                {found.items.into_iter().map(|hit| view! { <Hit hit/> }).collect_view()}
                            </ol>
                            <Pagination base=first_page current=found.page last/>
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
