//! `/xem-truoc/{id}`: a draft rendered with the citizens' own article
//! component, for its author and the editors only. Never indexed
//! (`noindex` and `X-Robots-Tag`), never counted (not a public page).

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params;
use leptos_router::params::Params;

use crate::api::editorial::preview_article;
use crate::api::site::identity;
use crate::components::status::{Loading, NotFound, ServiceUnavailable};
use crate::error::AppError;
use crate::routes::article::ArticleView;

#[derive(Params, Clone, Debug, PartialEq)]
struct PreviewParams {
    id: Option<i32>,
}

#[component]
pub fn PreviewPage() -> impl IntoView {
    let params = use_params::<PreviewParams>();
    let id = params
        .read_untracked()
        .as_ref()
        .ok()
        .and_then(|p| p.id)
        .unwrap_or(0);
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            http::header::HeaderName::from_static("x-robots-tag"),
            http::HeaderValue::from_static("noindex, nofollow"),
        );
        response.insert_header(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("private, no-store"),
        );
    }
    let article = Resource::new(move || id, preview_article);
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match article.await {
                    Ok(article) => {
                        let site = identity().await;
                        view! {
                            <p class="preview-banner" role="note">
                                "Bản xem trước: bài viết này chưa được công bố với bạn đọc."
                            </p>
                            <ArticleView article related=Vec::new() site/>
                        }
                            .into_any()
                    }
                    Err(AppError::Unauthenticated) => {
                        view! {
                            <Title text="Cần đăng nhập"/>
                            <section class="status-page">
                                <h1>"Cần đăng nhập"</h1>
                                <p>
                                    "Bản xem trước chỉ dành cho người biên tập. "
                                    <a href="/dang-nhap">"Đăng nhập"</a>
                                    " để xem."
                                </p>
                            </section>
                        }
                            .into_any()
                    }
                    Err(AppError::NotFound | AppError::Forbidden) => {
                        view! { <NotFound/> }.into_any()
                    }
                    Err(_) => view! { <ServiceUnavailable/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
