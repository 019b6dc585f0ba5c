//! The frame around every page: skip link, header with contacts, footer.

use leptos::prelude::*;

use crate::api::articles::list_categories;
use crate::components::reading::{FontSizeControl, HeadlineRotator};
use crate::routes::search::SearchForm;
use crate::site;

#[component]
pub fn SiteHeader() -> impl IntoView {
    let categories = Resource::new(|| (), |_| list_categories());
    let hotlines = site::HOTLINES
        .iter()
        .enumerate()
        .map(|(i, (shown, dialled))| {
            view! {
                {(i > 0).then_some(" - ")}
                <a href=format!("tel:{dialled}")>{*shown}</a>
            }
        })
        .collect_view();
    view! {
        <a class="skip-link" href="#noi-dung">"Bỏ qua, đến nội dung chính"</a>
        <header class="site-header">
            <div class="banner">
                <a class="brand" href="/">
                    <span class="brand-tagline">{site::SITE_TAGLINE}</span>
                    <span class="brand-name">{site::SITE_NAME}</span>
                </a>
            </div>
            <div class="contacts">
                <p>
                    <span class="label">"Địa chỉ: "</span>
                    {site::ADDRESS}
                </p>
                <p>
                    <span class="label">"Đường dây nóng: "</span>
                    {hotlines}
                </p>
                <div class="header-tools">
                    <SearchForm value=String::new id="tu-khoa"/>
                    <FontSizeControl/>
                </div>
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
            <p class="copyright">{site::COPYRIGHT}</p>
            <p>"Đơn vị quản lý: " {site::MANAGING_UNIT}</p>
            <p>"Trụ sở: " {site::ADDRESS}</p>
            <p>
                "Điện thoại: " <a href=format!("tel:{}", site::PHONE.1)>{site::PHONE.0}</a>
                " - Fax: " {site::FAX} ", Email: "
                <a href=format!("mailto:{}", site::EMAIL)>{site::EMAIL}</a>
            </p>
            <p>
                "Phòng Cải cách Hành chính: "
                <a href=format!("tel:{}", site::REFORM_DIVISION_PHONE.1)>
                    {site::REFORM_DIVISION_PHONE.0}
                </a> ", Email: "
                <a href=format!(
                    "mailto:{}",
                    site::REFORM_DIVISION_EMAIL,
                )>{site::REFORM_DIVISION_EMAIL}</a>
            </p>
            <p class="notice">{site::REPUBLISH_NOTICE}</p>
        </footer>
    }
}
