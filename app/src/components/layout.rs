//! The frame around every page: skip link, banner, header contacts, menu,
//! footer. The office's identity comes from the database (see `site`).

use leptos::prelude::*;

use crate::api::articles::list_categories;
use crate::api::site::identity;
use crate::components::reading::{FontSizeControl, HeadlineRotator};
use crate::routes::search::SearchForm;

#[component]
pub fn SiteHeader() -> impl IntoView {
    let categories = Resource::new(|| (), |_| list_categories());
    view! {
        <a class="skip-link" href="#noi-dung">"Bỏ qua, đến nội dung chính"</a>
        <header class="site-header">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let site = identity().await;
                    let hotlines = site
                        .hotlines
                        .iter()
                        .enumerate()
                        .map(|(i, phone)| {
                            view! {
                                {(i > 0).then_some(" - ")}
                                <a href=phone.href()>{phone.shown.clone()}</a>
                            }
                        })
                        .collect_view();
                    view! {
                        <div class="banner">
                            <a class="brand" href="/">
                                <picture>
                                    <source media="(min-width: 48rem)" srcset=site.banner.clone()/>
                                    <img
                                        src=site.banner_mobile.clone()
                                        alt=site.banner_alt.clone()
                                        width="720"
                                        height="260"
                                    />
                                </picture>
                            </a>
                        </div>
                        <div class="contacts">
                            <p>
                                <span class="label">"Địa chỉ: "</span>
                                {site.address.clone()}
                            </p>
                            <p>
                                <span class="label">"Đường dây nóng: "</span>
                                {hotlines}
                            </p>
                        </div>
                    }
                })}
            </Suspense>
            <div class="header-tools">
                <SearchForm value=String::new id="tu-khoa"/>
                <FontSizeControl/>
            </div>
            <nav class="main-nav" aria-label="Điều hướng chính">
                <ul>
                    <li>
                        <a href="/">"Trang chủ"</a>
                    </li>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            categories
                                .await
                                .unwrap_or_default()
                                .into_iter()
                                .map(|category| {
                                    let path = category.path();
                                    view! {
                                        <li>
                                            <a href=path>{category.name}</a>
                                        </li>
                                    }
                                })
                                .collect_view()
                        })}
                    </Suspense>
                </ul>
            </nav>
            <HeadlineRotator/>
        </header>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let site = identity().await;
                    view! {
                        <p class="copyright">{site.copyright}</p>
                        <p>"Đơn vị quản lý: " {site.managing_unit}</p>
                        <p>"Chịu trách nhiệm nội dung: " {site.responsible_person}</p>
                        <p>"Trụ sở: " {site.address}</p>
                        <p>
                            "Điện thoại: " <a href=site.phone.href()>{site.phone.shown.clone()}</a>
                            " - Fax: " {site.fax} ", Email: "
                            <a href=format!("mailto:{}", site.email)>{site.email.clone()}</a>
                        </p>
                        <p>
                            {site.division_name} ": "
                            <a href=site.division_phone.href()>{site.division_phone.shown.clone()}</a>
                            ", Email: "
                            <a href=format!(
                                "mailto:{}",
                                site.division_email,
                            )>{site.division_email.clone()}</a>
                        </p>
                        <p class="notice">{site.republish_notice}</p>
                    }
                })}
            </Suspense>
        </footer>
    }
}
