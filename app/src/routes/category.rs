//! A category's page at `/chuyen-muc/{slug}`, paginated with `?trang=N`.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::{use_params, use_query_map};
use leptos_router::params::Params;

use crate::api::articles::category_page;
use crate::api::site::identity;
use crate::components::article_list::ArticleList;
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::pagination::{Pagination, canonical_href, page_title};
use crate::components::status::{Loading, NotFound, PageBeyondEnd, ServiceUnavailable};
use crate::model::parse_page;

#[derive(Params, Clone, Debug, PartialEq)]
struct CategoryParams {
    slug: Option<String>,
}

#[component]
pub fn CategoryPage() -> impl IntoView {
    let params = use_params::<CategoryParams>();
    let query = use_query_map();
    let key = move || {
        let slug = params
            .read()
            .as_ref()
            .ok()
            .and_then(|p| p.slug.clone())
            .unwrap_or_default();
        (slug, parse_page(query.read().get("trang").as_deref()))
    };
    let data = Resource::new(key, |(slug, page)| category_page(slug, page));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some((category, page))) => {
                        let site = identity().await;
                        let path = category.path();
                        let feed = format!("{path}/rss.xml");
                        let beyond_end = page.items.is_empty() && page.page > 1;
                        view! {
                            <Title text=page_title(&category.name, page.page)/>
                            <Meta
                                name="description"
                                content=format!(
                                    "{}: tin bài của {} {}.",
                                    category.name,
                                    site.tagline,
                                    site.name,
                                )
                            />
                            <Link rel="canonical" href=canonical_href(&path, page.page)/>
                            <Link
                                rel="alternate"
                                type_="application/rss+xml"
                                title=category.name.clone()
                                href=feed.clone()
                            />
                            <Breadcrumbs ancestors=Vec::new() current=category.name.clone()/>
                            <h1 class="section-title page-title">{category.name.clone()}</h1>
                            {if beyond_end {
                                view! { <PageBeyondEnd page=page.page first_page=path/> }.into_any()
                            } else {
                                view! {
                                    <h2 class="visually-hidden">"Danh sách bài viết"</h2>
                                    <ArticleList items=page.items.clone()/>
                                    <Pagination base=path current=page.page last=page.page_count()/>
                                    <p class="feed-link">
                                        <a href=feed>"Theo dõi chuyên mục qua RSS"</a>
                                    </p>
                                }
                                    .into_any()
                            }}
                        }
                            .into_any()
                    }
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(_) => view! { <ServiceUnavailable/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
