//! The article page at `/tin-tuc/{slug}`.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_params;
use leptos_router::params::Params;

use crate::api::articles::{article_by_slug, related_articles};
use crate::api::site::identity;
use crate::components::article_list::DatedLink;
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::island_data::{island_data, provide_island_data};
use crate::components::status::{Loading, NotFound, ServiceUnavailable};
use crate::model::{Article, ArticleSummary};
use crate::routes::questions::Rating;
use crate::site::SiteIdentity;
use crate::url::encode_component;
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
    let related = Resource::new(slug, related_articles);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match article.await {
                    Ok(Some(article)) => {
                        let related = related.await.unwrap_or_default();
                        let site = identity().await;
                        view! { <ArticleView article related site/> }.into_any()
                    }
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(_) => view! { <ServiceUnavailable/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// schema.org `NewsArticle` as JSON-LD, safe to embed in a `<script>`.
fn json_ld(article: &Article, site: &SiteIdentity) -> String {
    let mut data = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.description,
        "datePublished": iso_datetime(article.published_at),
        "author": { "@type": "Person", "name": article.author },
        "publisher": { "@type": "GovernmentOrganization", "name": site.name },
        "articleSection": article.category.name,
        "inLanguage": "vi",
        "mainEntityOfPage": article.canonical_url,
    });
    if let Some(image) = &article.image {
        data["image"] = serde_json::Value::from(vec![image.src.clone()]);
    }
    // "</script>" inside a string must not end the element.
    data.to_string().replace("</", "<\\/")
}

/// An article as readers see it (also the editors' preview).
#[component]
pub fn ArticleView(
    article: Article,
    related: Vec<ArticleSummary>,
    site: SiteIdentity,
) -> impl IntoView {
    let url = article.canonical_url.clone();
    let slug = article.slug.clone();
    let ld = json_ld(&article, &site);
    let share_title = article.title.clone();
    provide_island_data(ShareUrl(url.clone()));
    provide_island_data(ShareTitle(share_title.clone()));
    let image = article.image.clone();
    view! {
        <Title text=article.title.clone()/>
        <Meta name="description" content=article.description.clone()/>
        <Link rel="canonical" href=url.clone()/>
        <Meta property="og:type" content="article"/>
        <Meta property="og:site_name" content=site.name.clone()/>
        <Meta property="og:title" content=article.title.clone()/>
        <Meta property="og:description" content=article.description.clone()/>
        <Meta property="og:url" content=url.clone()/>
        <Meta property="og:locale" content="vi_VN"/>
        {image
            .map(|image| {
                view! {
                    <Meta property="og:image" content=image.src.clone()/>
                    <Meta
                        property="og:image:width"
                        content=image.width.map(|w| w.to_string()).unwrap_or_default()
                    />
                    <Meta
                        property="og:image:height"
                        content=image.height.map(|h| h.to_string()).unwrap_or_default()
                    />
                    <Meta property="og:image:alt" content=image.alt.clone()/>
                    <Meta name="twitter:image" content=image.src/>
                    <Meta name="twitter:image:alt" content=image.alt/>
                }
            })}
        <Meta property="article:published_time" content=iso_datetime(article.published_at)/>
        <Meta
            name="twitter:card"
            content=if article.image.is_some() { "summary_large_image" } else { "summary" }
        />
        <Meta name="twitter:title" content=article.title.clone()/>
        <Meta name="twitter:description" content=article.description.clone()/>
        <Breadcrumbs
            ancestors=vec![(article.category.path(), article.category.name.clone())]
            current=article.title.clone()
        />
        <article class="article">
            <script type="application/ld+json" inner_html=ld></script>
            // Printouts say where they came from.
            <p class="print-source">{site.tagline} " " {site.name} " — " {url.clone()}</p>
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
            {(!article.tags.is_empty())
                .then(|| {
                    view! {
                        <p class="article-tags">
                            "Từ khóa: " {article.tags.join(", ")}
                        </p>
                    }
                })}
            {view! {
                <div class="article-share" data-share-url=url.clone() data-share-title=share_title>
                    <ArticleTools/>
                </div>
            }
                .into_any()}
        </article>
        <Rating slug/>
        {(!related.is_empty())
            .then(|| {
                view! {
                    <section class="related" aria-labelledby="tin-lien-quan">
                        <h2 id="tin-lien-quan" class="section-title">"Tin liên quan"</h2>
                        <ul>
                            {related.into_iter().map(|item| view! { <DatedLink item/> }).collect_view()}
                        </ul>
                    </section>
                }
            })}
    }
}

/// The address [`ArticleTools`] shares.
#[derive(Clone)]
struct ShareUrl(String);

/// The title [`ArticleTools`] shares.
#[derive(Clone)]
struct ShareTitle(String);

/// Share (Facebook; Zalo and other apps through the share sheet; copy
/// link) and print. Without JavaScript the Facebook and copy links are
/// plain links and the buttons are hidden.
#[island]
fn ArticleTools() -> impl IntoView {
    // Islands take no props (`island_data`): the address and title are in
    // the element around this one.
    let url = island_data("data-share-url", |v| Some(ShareUrl(v.to_owned())))
        .map(|u| u.0)
        .unwrap_or_default();
    let title = island_data("data-share-title", |v| Some(ShareTitle(v.to_owned())))
        .map(|t| t.0)
        .unwrap_or_default();
    let share_facebook = format!(
        "https://www.facebook.com/sharer/sharer.php?u={}",
        encode_component(&url)
    );
    view! {
        <div class="article-tools">
            <span class="tools-label">"Chia sẻ:"</span>
            <a href=share_facebook rel="noopener" target="_blank">"Facebook"</a>
            <ShareToApps url=url.clone() title/>
            <CopyLink url/>
            <PrintButton/>
        </div>
    }
}

/// Copies the article's address. Without JavaScript it is a plain link to it.
#[component]
fn CopyLink(url: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let href = url.clone();
    let copy = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let clipboard = window().navigator().clipboard();
            let _ = clipboard.write_text(&url);
            copied.set(true);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &url;
    };
    view! {
        <a href=href on:click=copy>
            {move || if copied.get() { "Đã sao chép liên kết" } else { "Sao chép liên kết" }}
        </a>
        <span class="visually-hidden" role="status">
            {move || if copied.get() { "Đã sao chép liên kết bài viết." } else { "" }}
        </span>
    }
}

/// Zalo (and Messenger, e-mail…) through the phone's share sheet, the Web
/// Share API; where a browser has none, the link is copied to paste into Zalo.
/// Zalo's own button would need its SDK and an Official Account.
#[component]
fn ShareToApps(url: String, title: String) -> impl IntoView {
    let note = RwSignal::new("");
    let share = move |_| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let navigator = window().navigator();
            let share = js_sys::Reflect::get(&navigator, &"share".into())
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
            match share {
                Some(share) => {
                    let data = js_sys::Object::new();
                    let _ = js_sys::Reflect::set(&data, &"url".into(), &url.as_str().into());
                    let _ = js_sys::Reflect::set(&data, &"title".into(), &title.as_str().into());
                    if let Ok(promise) = share.call1(&navigator, &data)
                        && let Ok(promise) = promise.dyn_into::<js_sys::Promise>()
                    {
                        // Closing the share sheet rejects the promise: not an error.
                        leptos::task::spawn_local(async move {
                            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                        });
                    }
                }
                None => {
                    let _ = navigator.clipboard().write_text(&url);
                    note.set("Đã sao chép liên kết, hãy dán vào Zalo để chia sẻ.");
                }
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&url, &title);
    };
    view! {
        <button type="button" class="share-button" on:click=share>
            "Zalo, ứng dụng khác…"
        </button>
        <span class="share-note" role="status">{move || note.get()}</span>
    }
}

/// Prints the article alone (the print stylesheet hides everything else).
#[component]
fn PrintButton() -> impl IntoView {
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        let _ = window().print();
    };
    view! {
        <button type="button" class="print-button" on:click=print>
            "In bài viết"
        </button>
    }
}
