//! The visitor counter: its numbers, and telling the server about pages
//! opened by client-side navigation (full page loads are counted by the
//! server when it renders them).

use leptos::prelude::*;

use crate::model::{ArticleSummary, VisitorStats};

/// `POST` the path of a page opened by client-side navigation.
pub const BEACON_PATH: &str = "/api/luot-truy-cap";
/// Server-sent events with the live numbers.
pub const STREAM_PATH: &str = "/api/luot-truy-cap/truc-tiep";

#[server]
pub async fn load_visitor_stats() -> Result<VisitorStats, ServerFnError> {
    use crate::ssr::{app_state, public_error};
    app_state()?
        .stats
        .visitor_stats()
        .await
        .map_err(public_error)
}

/// "Tin đọc nhiều": the most viewed articles of the last 30 days.
#[server]
pub async fn most_read_articles() -> Result<Vec<ArticleSummary>, ServerFnError> {
    use crate::ssr::{app_state, public_error};
    app_state()?
        .content
        .most_read(30, 5)
        .await
        .map_err(public_error)
}

#[cfg(feature = "hydrate")]
thread_local! {
    static LANDING_PATH: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Remembers the path of the page the browser loaded, which the server has
/// already counted. Called once, before hydration.
#[cfg(feature = "hydrate")]
pub fn remember_landing_page() {
    let path = window().location().pathname().ok();
    LANDING_PATH.with(|landing| *landing.borrow_mut() = path);
}

/// Call in a page component once its content has loaded: counts the view if
/// the page was opened by client-side navigation. The page the browser
/// loaded (counted by the server) and error pages are not reported.
pub fn track_page_view() {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let Ok(path) = window().location().pathname() else {
            return;
        };
        let landing = LANDING_PATH.with(|landing| landing.borrow_mut().take());
        if landing.as_deref() == Some(path.as_str()) {
            return;
        }
        let _ = window()
            .navigator()
            .send_beacon_with_opt_str(BEACON_PATH, Some(&path));
    });
}

/// Renders nothing; counts the page it is part of (see [`track_page_view`]).
#[component]
pub fn PageView() -> impl IntoView {
    track_page_view();
}
