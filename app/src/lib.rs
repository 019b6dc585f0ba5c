//! The portal's user interface: the HTML shell, the router and its pages,
//! server functions and the types they share with the browser.

pub mod api;
pub mod components;
pub mod model;
pub mod routes;
pub mod site;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod vn_time;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

use components::layout::{SiteFooter, SiteHeader};
use components::status::NotFound;
use components::visitor_counter::VisitorCounter;
use routes::{article::ArticlePage, category::CategoryPage, home::HomePage, search::SearchPage};

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="vi">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <script>{components::reading::HEAD_SCRIPT}</script>
                <AutoReload options=options.clone()/>
                <HydrationLoader options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Loads the WASM and hydrates, like Leptos's `HydrationScripts`, whose
/// resource hints carry the CSP nonce in their `crossorigin` attribute, which
/// is invalid HTML.
#[component]
fn HydrationLoader(options: LeptosOptions) -> impl IntoView {
    let pkg = format!("/{}/{}", options.site_pkg_dir, options.output_name);
    let script = format!(
        "import('{pkg}.js').then(m=>m.default({{module_or_path:'{pkg}.wasm'}}).then(()=>m.hydrate()));"
    );
    view! {
        <link rel="modulepreload" href=format!("{pkg}.js")/>
        <link
            rel="preload"
            href=format!("{pkg}.wasm")
            r#as="fetch"
            r#type="application/wasm"
            crossorigin=""
        />
        <script type="module">{script}</script>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    api::site::provide_identity();
    // Effects run only in the browser, after hydration: end-to-end tests wait
    // for this marker before they click.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/cchc-portal.css"/>
        <Title formatter=|page: String| format!("{page} | Cải cách hành chính TP. Cần Thơ")/>
        <Router>
            <SiteHeader/>
            <main id="noi-dung" class="content" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("tim-kiem") view=SearchPage ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("chuyen-muc"), ParamSegment("slug"))
                        view=CategoryPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("tin-tuc"), ParamSegment("slug"))
                        view=ArticlePage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <aside class="site-aside" aria-label="Thống kê truy cập">
                <VisitorCounter/>
            </aside>
            <SiteFooter/>
        </Router>
    }
}
