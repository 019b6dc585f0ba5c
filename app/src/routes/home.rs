//! The home page: the latest published articles.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::api::articles::latest_articles;
use crate::components::article_list::ArticleList;
use crate::components::status::{Loading, ServiceUnavailable};
use crate::site;

#[component]
pub fn HomePage() -> impl IntoView {
    let latest = Resource::new(|| 1, latest_articles);
    view! {
        <Title text="Trang chủ"/>
        <Meta
            name="description"
            content="Tin tức, sự kiện và văn bản về cải cách hành chính của thành phố Cần Thơ."
        />
        <h1 class="visually-hidden">{site::SITE_TAGLINE} " " {site::SITE_NAME}</h1>
        <section class="latest" aria-labelledby="tin-moi">
            <h2 id="tin-moi" class="section-title">"Tin mới nhất"</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match latest.await {
                        Ok(page) => view! { <ArticleList items=page.items/> }.into_any(),
                        Err(_) => view! { <ServiceUnavailable/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
