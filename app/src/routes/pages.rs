//! The fixed pages: "Giới thiệu" at `/gioi-thieu` and the English page at
//! `/en`, each naming the other as its translation (`hreflang`).

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

use crate::api::pages::page_by_slug;
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::pagination::canonical_href;
use crate::components::status::{Loading, NotFound, ServiceUnavailable};
use crate::i18n::{Lang, t};
use crate::model::pages::{ABOUT, ENGLISH, Page, page_path};
use crate::vn_time::VIETNAM;

/// `/gioi-thieu`: the office's functions, tasks, organisation chart and contacts.
#[component]
pub fn AboutPage() -> impl IntoView {
    view! { <FixedPage slug=ABOUT/> }
}

/// `/en`: the office's functions, tasks and contacts in English.
#[component]
pub fn EnglishPage() -> impl IntoView {
    view! { <FixedPage slug=ENGLISH/> }
}

#[component]
fn FixedPage(slug: &'static str) -> impl IntoView {
    let page = Resource::new(move || slug, |slug| page_by_slug(slug.to_owned()));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(Some(page)) => view! { <PageView page/> }.into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(_) => view! { <ServiceUnavailable/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PageView(page: Page) -> impl IntoView {
    let words = t(page.lang);
    let updated = page.updated_at.to_offset(VIETNAM).date();
    let canonical = canonical_href(&page.path(), 1);
    let alternates = [(Lang::Vi, ABOUT), (Lang::En, ENGLISH)].map(|(lang, slug)| {
        view! {
            <Link
                rel="alternate"
                hreflang=lang.code()
                href=canonical_href(&page_path(slug), 1)
            />
        }
    });
    let locale = match page.lang {
        Lang::Vi => "vi_VN",
        Lang::En => "en_US",
    };
    view! {
        <Title text=page.title.clone()/>
        <Meta name="description" content=page.description.clone()/>
        <Link rel="canonical" href=canonical.clone()/>
        {alternates}
        <Meta property="og:type" content="website"/>
        <Meta property="og:title" content=page.title.clone()/>
        <Meta property="og:description" content=page.description.clone()/>
        <Meta property="og:url" content=canonical/>
        <Meta property="og:locale" content=locale/>
        <Breadcrumbs ancestors=Vec::new() current=page.title.clone()/>
        <article class="fixed-page">
            <h1 class="section-title page-title">{page.title}</h1>
            <div class="page-body" inner_html=page.body_html></div>
            <p class="page-updated">
                {words.updated}
                <time datetime=updated.to_string()>{words.date(updated)}</time>
            </p>
        </article>
    }
}
