//! The home page: the newest article large, then the latest news, then a
//! block per category.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::api::articles::{category_blocks, featured_article, latest_articles};
use crate::api::site::identity;
use crate::components::article_list::{ArticleList, DatedLink};
use crate::components::fresh_news::FreshNews;
use crate::components::pagination::{Pagination, canonical_href, page_title};
use crate::components::status::{Loading, PageBeyondEnd, ServiceUnavailable};
use crate::model::{ArticleSummary, parse_page};
use crate::vn_time::{format_datetime, iso_datetime};

#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let page = move || parse_page(query.read().get("trang").as_deref());
    let latest = Resource::new(page, latest_articles);
    let blocks = Resource::new(|| (), |_| category_blocks());
    let featured = Resource::new(|| (), |_| featured_article());
    let this_page = parse_page(query.read_untracked().get("trang").as_deref());
    view! {
        <Title text=page_title("Trang chủ", this_page)/>
        <Link rel="canonical" href=canonical_href("/", this_page)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let site = identity().await;
                view! {
                    <Meta
                        name="description"
                        content=format!(
                            "{} {}: tin tức, sự kiện và văn bản về cải cách hành chính.",
                            site.tagline,
                            site.name,
                        )
                    />
                }
            })}
        </Suspense>
        <Link rel="alternate" type_="application/rss+xml" title="Tin mới nhất" href="/rss.xml"/>
        <h1 class="visually-hidden">"Trang chủ - Tin tức cải cách hành chính"</h1>
        <section class="latest" aria-labelledby="tin-moi">
            <h2 id="tin-moi" class="section-title">"Tin mới nhất"</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match latest.await {
                        Ok(page) if page.items.is_empty() && page.page > 1 => {
                            view! { <PageBeyondEnd page=page.page first_page="/".to_owned()/> }
                                .into_any()
                        }
                        Ok(page) => {
                            let mut items = page.items.clone();
                            // The first page is led by the newest featured
                            // article, or else by the newest; it is not
                            // repeated in the list below.
                            let chosen = featured.await.ok().flatten();
                            let featured = if page.page != 1 {
                                None
                            } else if let Some(chosen) = chosen {
                                items.retain(|item| item.slug != chosen.slug);
                                Some(chosen)
                            } else {
                                (!items.is_empty()).then(|| items.remove(0))
                            };
                            // Articles published after the newest shown are
                            // offered live on the first page.
                            let newest = (page.page == 1)
                                .then(|| {
                                    featured
                                        .iter()
                                        .chain(items.iter())
                                        .map(|item| item.published_at.unix_timestamp())
                                        .max()
                                        .unwrap_or(0)
                                });
                            view! {
                                {newest
                                    .map(|newest| {
                                        view! {
                                            <div data-newest=newest.to_string()>
                                                <FreshNews/>
                                            </div>
                                        }
                                    })}
                                {featured.map(|item| view! { <Featured item/> })}
                                <ArticleList items/>
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
    }
}

/// The newest article, shown large (with its picture, if it has one) at the
/// top of the home page.
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
                            width=image.width.unwrap_or(800)
                            height=image.height.unwrap_or(450)
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
