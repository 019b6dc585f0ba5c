//! Blocks of the side column: the most read articles and linked websites.

use leptos::prelude::*;

use crate::components::article_list::title_links;

use crate::api::counter::most_read_articles;
use crate::api::site::identity;

/// "Tin đọc nhiều": the most viewed articles of the last 30 days.
#[component]
pub fn MostRead() -> impl IntoView {
    let most_read = Resource::new(|| (), |_| most_read_articles());
    view! {
        <section class="most-read side-block" aria-labelledby="doc-nhieu">
            <h2 id="doc-nhieu" class="side-title">"Tin đọc nhiều"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match most_read.await {
                        Ok(items) if !items.is_empty() => {
                            view! {
                                <ol class="most-read-list">
                                    {title_links(items)}
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

/// "Liên kết website": other agencies' portals (Decree 42/2022 art. 7).
#[component]
pub fn LinkedSites() -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let links = identity().await.linked_sites;
                (!links.is_empty())
                    .then(|| {
                        view! {
                            <section class="linked-sites side-block" aria-labelledby="lien-ket">
                                <h2 id="lien-ket" class="side-title">"Liên kết website"</h2>
                                <ul>
                                    {links
                                        .into_iter()
                                        .map(|link| {
                                            view! {
                                                <li>
                                                    <a href=link.url rel="noopener">{link.name}</a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                    })
            })}
        </Suspense>
    }
}
