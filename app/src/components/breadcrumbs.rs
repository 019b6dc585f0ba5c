//! "Vị trí trang": where a page sits, from the home page down.

use leptos::prelude::*;

use crate::i18n::{current_lang, t};

/// The trail after "Trang chủ": linked ancestors, then the current page,
/// in the page's language.
#[component]
pub fn Breadcrumbs(ancestors: Vec<(String, String)>, current: String) -> impl IntoView {
    let words = t(current_lang());
    view! {
        <nav class="breadcrumbs" aria-label=words.breadcrumbs>
            <ol>
                <li>
                    <a href="/">{words.home}</a>
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
