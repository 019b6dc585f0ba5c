//! The home page: the latest published articles.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::api::articles::{category_blocks, latest_articles};
use crate::api::counter::{PageView, most_read_articles};
use crate::components::article_list::{ArticleList, DatedLink};
use crate::components::pagination::Pagination;
use crate::components::status::{Loading, ServiceUnavailable};
use crate::model::{ArticleSummary, parse_page};
use crate::vn_time::{format_datetime, iso_datetime};

#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let page = move || parse_page(query.read().get("trang").as_deref());
    let latest = Resource::new(page, latest_articles);
    let most_read = Resource::new(|| (), |_| most_read_articles());
    let blocks = Resource::new(|| (), |_| category_blocks());
    view! {
        <Title text="Trang chủ"/>
        <Meta
            name="description"
            content="Tin tức, sự kiện và văn bản về cải cách hành chính của thành phố Cần Thơ."
        />
        <Link rel="alternate" type_="application/rss+xml" title="Tin mới nhất" href="/rss.xml"/>
        <h1 class="visually-hidden">"Trang chủ - Tin tức cải cách hành chính"</h1>
        <section class="latest" aria-labelledby="tin-moi">
            <h2 id="tin-moi" class="section-title">"Tin mới nhất"</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match latest.await {
                        Ok(page) => {
                            view! {
                                <PageView/>
                                {(page.page == 1)
                                    .then(|| {
                                        page.items
                                            .iter()
                                            .find(|item| item.image.is_some())
                                            .cloned()
                                            .map(|item| view! { <Featured item/> })
                                    })}
                                <PageBeyondEnd shown=page.items.len() page=page.page base="/"/>
                                <ArticleList items=page.items.clone()/>
                                <Pagination base="/".to_owned() current=page.page last=page.page_count()/>
                            }
                                .into_any()
                        }
                        Err(_) => view! { <ServiceUnavailable/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                blocks
                    .await
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(category, items)| {
                        let id = format!("khoi-{}", category.slug);
                        let labelled_by = id.clone();
                        let path = category.path();
                        view! {
                            <section class="category-block" aria-labelledby=labelled_by>
                                <h2 id=id class="section-title">
                                    <a href=path.clone()>{category.name.clone()}</a>
                                </h2>
                                <ul>
                                    {items.into_iter().map(|item| view! { <DatedLink item/> }).collect_view()}
                                </ul>
                                <p class="more">
                                    <a href=path>"Xem tất cả: " {category.name}</a>
                                </p>
                            </section>
                        }
                    })
                    .collect_view()
            })}
        </Suspense>
        <section class="most-read" aria-labelledby="doc-nhieu">
            <h2 id="doc-nhieu" class="section-title">"Tin đọc nhiều"</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match most_read.await {
                        Ok(items) if !items.is_empty() => {
                            view! {
                                <ol class="most-read-list">
                                    {items
                                        .into_iter()
                                        .map(|item| {
                                            let path = item.path();
                                            view! {
                                                <li>
                                                    <a href=path>{item.title}</a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                            }
                                .into_any()
                        }
                        _ => view! { <p class="empty">"Chưa có số liệu."</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A friendly note for a page number past the end of a list.
#[component]
pub fn PageBeyondEnd(shown: usize, page: u64, base: &'static str) -> impl IntoView {
    (shown == 0 && page > 1).then(|| {
        view! {
            <p class="empty">
                "Trang " {page} " không có bài viết nào. " <a href=base>"Về trang đầu"</a> "."
            </p>
        }
    })
}

/// The newest article with a picture, shown large at the top of the home page.
#[component]
fn Featured(item: ArticleSummary) -> impl IntoView {
    let path = item.path();
    let image = item.image.clone();
    view! {
        <article class="featured">
            {image
                .map(|image| {
                    view! {
                        <img
                            src=image.src
                            alt=image.alt
                            width="800"
                            height="450"
                            fetchpriority="high"
                        />
                    }
                })}
            <div class="featured-text">
                <h3 class="featured-title">
                    <a href=path>{item.title}</a>
                </h3>
                <p class="feed-meta">
                    <time datetime=iso_datetime(
                        item.published_at,
                    )>{format_datetime(item.published_at)}</time>
                </p>
                <p>{item.excerpt}</p>
            </div>
        </article>
    }
}
