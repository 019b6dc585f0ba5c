//! The frame around every page: skip link, banner, menu, header contacts,
//! side column and footer. The office's identity comes from the database
//! (see `site`).

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api::articles::{article_section, list_categories};
use crate::api::site::identity;
use crate::components::reading::{FontSizeControl, Headlines};
use crate::components::search_form::SearchForm;
use crate::components::sidebar::{LinkedSites, MostRead};
use crate::components::visitor_counter::VisitorCounter;

/// The header. On phones it is compact: the banner, then one row with the
/// menu button (a `<details>`, so it works without JavaScript), the text
/// size and the search box; the menu and the contacts open under the button.
/// From 48rem up the menu is always shown and the button is hidden.
#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <a class="skip-link" href="#noi-dung">"Bỏ qua, đến nội dung chính"</a>
        <header class="site-header">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let site = identity().await;
                    view! {
                        <div class="banner">
                            <a class="brand" href="/">
                                <picture>
                                    <source media="(min-width: 48rem)" srcset=site.banner.clone()/>
                                    <img
                                        src=site.banner_mobile.clone()
                                        alt=site.banner_alt.clone()
                                        width="720"
                                        height="180"
                                    />
                                </picture>
                            </a>
                        </div>
                    }
                })}
            </Suspense>
            <div class="header-bar">
                <details class="site-menu">
                    <summary class="menu-button">
                        <span class="menu-icon" aria-hidden="true"></span>
                        "Chuyên mục"
                    </summary>
                    <div class="site-menu-panel">
                        <MainNav/>
                        <Contacts/>
                    </div>
                </details>
                <FontSizeControl/>
                <SearchForm value=String::new() id="tu-khoa"/>
            </div>
            <Headlines/>
        </header>
    }
}

/// The main menu. The current page's entry is `aria-current="page"`; the
/// section an article belongs to is `aria-current="true"`.
#[component]
fn MainNav() -> impl IntoView {
    let path = use_location().pathname.get_untracked();
    let categories = Resource::new(|| (), |_| list_categories());
    let section = {
        let path = path.clone();
        Resource::new(
            move || path.clone(),
            |path| async move {
                match path.strip_prefix("/tin-tuc/") {
                    Some(slug) => article_section(slug.to_owned()).await.ok().flatten(),
                    None => None,
                }
            },
        )
    };
    view! {
        <nav class="main-nav" aria-label="Điều hướng chính">
            <ul>
                <Suspense fallback=|| ()>
                    {move || {
                        let path = path.clone();
                        Suspend::new(async move {
                        let section = section.await;
                        let categories = categories.await.unwrap_or_default();
                        let current = |href: &str, section: Option<&str>| {
                            if href == path {
                                Some("page")
                            } else if section == Some(href) {
                                Some("true")
                            } else {
                                None
                            }
                        };
                        let home = current("/", None);
                        view! {
                            <li>
                                <a href="/" aria-current=home>"Trang chủ"</a>
                            </li>
                            {categories
                                .into_iter()
                                .map(|category| {
                                    let path = category.path();
                                    let marked = current(&path, section.as_deref());
                                    view! {
                                        <li>
                                            <a href=path aria-current=marked>{category.name}</a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        }
                    })
                    }}
                </Suspense>
            </ul>
        </nav>
    }
}

/// "Địa chỉ" and "Đường dây nóng", as on the reference page.
#[component]
fn Contacts() -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let site = identity().await;
                let hotlines = site
                    .hotlines
                    .iter()
                    .map(|phone| {
                        view! {
                            <li>
                                <a href=phone.href()>{phone.shown.clone()}</a>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="contacts">
                        <p>
                            <span class="label">"Địa chỉ: "</span>
                            {site.address.clone()}
                        </p>
                        <div class="hotlines">
                            <span class="label" id="duong-day-nong">
                                "Đường dây nóng:"
                            </span>
                            <ul aria-labelledby="duong-day-nong">{hotlines}</ul>
                        </div>
                    </div>
                }
            })}
        </Suspense>
    }
}

/// The side column (beside the content on wide screens, below it on phones):
/// the visitor counter, the most read articles and linked agency websites.
#[component]
pub fn SiteAside() -> impl IntoView {
    view! {
        <aside class="site-aside" aria-label="Thống kê và liên kết">
            <VisitorCounter/>
            <MostRead/>
            <LinkedSites/>
        </aside>
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
                        {(!site.monitoring_script.is_empty())
                            .then(|| view! { <script async src=site.monitoring_script.clone()></script> })}
                    }
                })}
            </Suspense>
        </footer>
    }
}
