//! "Vị trí trang": where a page sits, from the home page down.

use leptos::prelude::*;

/// The trail after "Trang chủ": linked ancestors, then the current page.
#[component]
pub fn Breadcrumbs(ancestors: Vec<(String, String)>, current: String) -> impl IntoView {
    view! {
        <nav class="breadcrumbs" aria-label="Vị trí trang">
            <ol>
                <li>
                    <a href="/">"Trang chủ"</a>
                </li>
                {ancestors
                    .into_iter()
                    .map(|(href, label)| {
                        view! {
                            <li>
                                <a href=href>{label}</a>
                            </li>
                        }
                    })
                    .collect_view()}
                <li aria-current="page">{current}</li>
            </ol>
        </nav>
    }
}
