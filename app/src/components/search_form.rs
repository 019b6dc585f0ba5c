//! The search form: a GET to `/tim-kiem`, so it needs no JavaScript.

use leptos::prelude::*;

/// The form, with `value` written into the server's HTML (not only as a
/// browser-side property), so the query shows with JavaScript off.
#[component]
pub fn SearchForm(
    value: String,
    /// The input's id: the header and the search page each have a form.
    id: &'static str,
) -> impl IntoView {
    view! {
        <form class="search-form" action="/tim-kiem" method="get" role="search">
            <label for=id class="visually-hidden">"Từ khóa tìm kiếm"</label>
            <input
                id=id
                type="search"
                name="q"
                maxlength="200"
                placeholder="Tìm kiếm tin bài…"
                value=value
            />
            <button type="submit">"Tìm"</button>
        </form>
    }
}
