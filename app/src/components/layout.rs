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
use crate::i18n::{FRAME, LanguageSwitch, current_lang, frame_lang_attr, t};

/// The header. On phones it is compact: the banner, then one row with the
/// menu button (a `<details>`, so it works without JavaScript), the text
/// size and the search box; the menu and the contacts open under the button.
/// From 48rem up the menu is always shown and the button is hidden. The
/// link to the other language sits beside the search box.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let frame = t(FRAME);
    view! {
        <a class="skip-link" href="#noi-dung">{t(current_lang()).skip_link}</a>
        <header class="site-header" lang=frame_lang_attr()>
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
                        {frame.menu_button}
                    </summary>
                    <div class="site-menu-panel">
                        <MainNav/>
                        <Contacts/>
                    </div>
                </details>
                <FontSizeControl/>
                <SearchForm value=String::new() id="tu-khoa"/>
                <LanguageSwitch/>
            </div>
            <Headlines/>
        </header>
    }
}

/// The main menu. The current page's entry is `aria-current="page"`; the
/// section an article belongs to is `aria-current="true"`.
#[component]
fn MainNav() -> impl IntoView {
    let frame = t(FRAME);
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
        <nav class="main-nav" aria-label=frame.main_nav>
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
                        let about = current("/gioi-thieu", None);
                        let questions = if path == "/hoi-dap" {
                            Some("page")
                        } else if path.starts_with("/hoi-dap/") {
                            Some("true")
                        } else {
                            None
                        };
                        let documents = if path == "/van-ban" {
                            Some("page")
                        } else if path.starts_with("/van-ban/") {
                            Some("true")
                        } else {
                            None
                        };
                        view! {
                            <li>
                                <a href="/" aria-current=home>{frame.home}</a>
                            </li>
                            <li>
                                <a href="/gioi-thieu" aria-current=about>{frame.about}</a>
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
                            <li>
                                <a href="/van-ban" aria-current=documents>{frame.documents}</a>
                            </li>
                            <li>
                                <a href="/hoi-dap" aria-current=questions>{frame.questions}</a>
                            </li>
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
                            <span class="label">{t(FRAME).address}</span>
                            {site.address.clone()}
                        </p>
                        <div class="hotlines">
                            <span class="label" id="duong-day-nong">
                                {t(FRAME).hotlines}
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
        <aside class="site-aside" aria-label=t(FRAME).aside lang=frame_lang_attr()>
            <VisitorCounter/>
            <MostRead/>
            <LinkedSites/>
        </aside>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer" lang=frame_lang_attr()>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let site = identity().await;
                    let words = t(FRAME);
                    view! {
                        <p class="copyright">{site.copyright}</p>
                        <p>{words.managing_unit} {site.managing_unit}</p>
                        <p>{words.responsible_person} {site.responsible_person}</p>
                        <p>{words.head_office} {site.address}</p>
                        <p>
                            {words.phone} <a href=site.phone.href()>{site.phone.shown.clone()}</a>
                            {words.fax} {site.fax} {words.email}
                            <a href=format!("mailto:{}", site.email)>{site.email.clone()}</a>
                        </p>
                        <p>
                            {site.division_name} ": "
                            <a href=site.division_phone.href()>{site.division_phone.shown.clone()}</a>
                            {words.email}
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
