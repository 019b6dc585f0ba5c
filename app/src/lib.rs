//! The portal's user interface: the HTML shell, the router and its pages,
//! server functions and the types they share with the browser.
//!
//! Pages are rendered on the server only; the few interactive parts are
//! Leptos islands (`#[island]`), the only code that ships as WASM. Moving
//! between pages is an ordinary page load, which the browser may prerender
//! (Speculation Rules, see `server/src/html.rs`), so focus, scrolling, the
//! title announcement and the back button behave exactly as on any site.

pub mod api;
pub mod components;
pub mod diff;
pub mod error;
pub mod i18n;
pub mod model;
pub mod routes;
pub mod site;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod url;
pub mod vn_time;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

use components::layout::{SiteAside, SiteFooter, SiteHeader};
use components::status::NotFound;
use i18n::DocumentLanguage;
use routes::pages::{AboutPage, EnglishPage};
use routes::questions::{AskPage, QuestionsPage, TrackPage};
use routes::{
    article::ArticlePage, category::CategoryPage, documents::DocumentPage,
    documents::DocumentsPage, home::HomePage, login::LoginPage, preview::PreviewPage,
    search::SearchPage, set_password::SetPasswordPage,
};

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        // `lang` comes from `i18n::DocumentLanguage`, by the page.
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <script nonce=leptos::nonce::use_nonce()>{components::reading::HEAD_SCRIPT}</script>
                <AutoReload options=options.clone()/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    api::site::provide_identity();
    view! {
        <SiteTitle/>
        <Router>
            <DocumentLanguage/>
            <SiteHeader/>
            <div class="page">
                <main id="noi-dung" class="content" tabindex="-1">
                    <Routes fallback=NotFound>
                        <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("tim-kiem") view=SearchPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("dang-nhap") view=LoginPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("dat-mat-khau") view=SetPasswordPage ssr=SsrMode::Async/>
                        <Route
                            path=(StaticSegment("xem-truoc"), ParamSegment("id"))
                            view=PreviewPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=(StaticSegment("chuyen-muc"), ParamSegment("slug"))
                            view=CategoryPage
                            ssr=SsrMode::Async
                        />
                        <Route path=StaticSegment("van-ban") view=DocumentsPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("hoi-dap") view=QuestionsPage ssr=SsrMode::Async/>
                        <Route
                            path=(StaticSegment("hoi-dap"), StaticSegment("gui"))
                            view=AskPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=(StaticSegment("hoi-dap"), StaticSegment("tra-cuu"))
                            view=TrackPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=(StaticSegment("van-ban"), ParamSegment("slug"))
                            view=DocumentPage
                            ssr=SsrMode::Async
                        />
                        <Route path=StaticSegment("gioi-thieu") view=AboutPage ssr=SsrMode::Async/>
                        <Route path=StaticSegment("en") view=EnglishPage ssr=SsrMode::Async/>
                        <Route
                            path=(StaticSegment("tin-tuc"), ParamSegment("slug"))
                            view=ArticlePage
                            ssr=SsrMode::Async
                        />
                    </Routes>
                </main>
                <SiteAside/>
            </div>
            <SiteFooter/>
        </Router>
    }
}

/// "Page | Site name": the site's name comes from the identity setting.
/// Every page's `<Title>` passes through this formatter, which escapes it:
/// leptos_meta writes the title into the server's HTML as it is, so a
/// search for `</title><script>…` would otherwise become markup.
#[component]
fn SiteTitle() -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let name = api::site::identity().await.name;
                view! {
                    <Title formatter=move |page: String| {
                        escape_markup(&format!("{page} | {name}"))
                    }/>
                }
            })}
        </Suspense>
    }
}

/// Marks `<body data-hydrated>` once every island has hydrated (end-to-end
/// tests wait for it). Leptos's island loader hydrates the islands in
/// microtasks right after `hydrate()` returns; a zero timeout runs after them.
#[cfg(feature = "hydrate")]
pub fn mark_hydrated_when_islands_are_ready() {
    set_timeout(
        || {
            if let Some(body) = document().body() {
                let _ = body.set_attribute("data-hydrated", "");
            }
        },
        std::time::Duration::ZERO,
    );
}

/// Escapes text for HTML or XML content and attribute values (`&`, `<`,
/// `>`, `"`, `'`), dropping the control characters XML 1.0 forbids.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_markup;

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            escape_markup("a < b & \"c\" 'd'"),
            "a &lt; b &amp; &quot;c&quot; &apos;d&apos;"
        );
        assert_eq!(escape_markup("x\u{0}y\u{8}z\n"), "xyz\n");
        assert_eq!(escape_markup("Cần Thơ"), "Cần Thơ");
        assert_eq!(
            escape_markup("</title><script>"),
            "&lt;/title&gt;&lt;script&gt;"
        );
    }
}
