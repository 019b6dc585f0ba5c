//! The home page: the latest published articles.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::api::articles::latest_articles;
use crate::api::counter::{PageView, most_read_articles};
use crate::components::article_list::ArticleList;
use crate::components::status::{Loading, ServiceUnavailable};
use crate::site;

#[component]
pub fn HomePage() -> impl IntoView {
    let latest = Resource::new(|| 1, latest_articles);
    let most_read = Resource::new(|| (), |_| most_read_articles());
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
                        Ok(page) => {
                            view! {
                                <PageView/>
                                <ArticleList items=page.items/>
                            }
                                .into_any()
                        }
                        Err(_) => view! { <ServiceUnavailable/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
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
