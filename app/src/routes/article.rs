//! The article page at `/tin-tuc/{slug}`.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_params;
use leptos_router::params::Params;

use crate::api::articles::article_by_slug;
use crate::api::counter::PageView;
use crate::components::status::{Loading, NotFound, ServiceUnavailable};
use crate::model::Article;
use crate::vn_time::{format_datetime, iso_datetime};

#[derive(Params, Clone, Debug, PartialEq)]
struct ArticleParams {
    slug: Option<String>,
}

#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params::<ArticleParams>();
    let slug = move || {
        params
            .read()
            .as_ref()
            .ok()
            .and_then(|p| p.slug.clone())
            .unwrap_or_default()
    };
    let article = Resource::new(slug, article_by_slug);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match article.await {
                    Ok(Some(article)) => view! { <ArticleView article/> }.into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(_) => view! { <ServiceUnavailable/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ArticleView(article: Article) -> impl IntoView {
    let path = article.path();
    view! {
        <Title text=article.title.clone()/>
        <Meta name="description" content=article.excerpt.clone()/>
        <Link rel="canonical" href=path/>
        <PageView/>
        <article class="article">
            <header class="article-header">
                <p class="article-category">{article.category.name}</p>
                <h1 class="article-title">{article.title}</h1>
                <p class="article-meta">
                    <time datetime=iso_datetime(
                        article.published_at,
                    )>{format_datetime(article.published_at)}</time>
                </p>
            </header>
            <div class="article-body" inner_html=article.body_html></div>
            <p class="article-author">{article.author}</p>
        </article>
    }
}
