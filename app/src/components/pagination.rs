//! Numbered pagination that works as plain links, with or without JavaScript.

use leptos::prelude::*;

/// The page numbers to show: the first, the last, and two on each side of
/// the current one; `None` marks a gap.
pub fn page_window(current: u64, last: u64) -> Vec<Option<u64>> {
    let mut pages = Vec::new();
    for page in 1..=last {
        let near = page + 2 >= current && page <= current + 2;
        if page == 1 || page == last || near {
            pages.push(Some(page));
        } else if pages.last() != Some(&None) {
            pages.push(None);
        }
    }
    pages
}

/// The address of page `page` of the list at `base` (which may carry a
/// query): the first page is `base` itself.
pub fn page_href(base: &str, page: u64) -> String {
    let separator = if base.contains('?') { '&' } else { '?' };
    if page <= 1 {
        base.to_owned()
    } else {
        format!("{base}{separator}trang={page}")
    }
}

/// The canonical address of page `page` of the list at `base`: absolute,
/// as search engines require (`CCHC_PUBLIC_URL` + [`page_href`]).
pub fn canonical_href(base: &str, page: u64) -> String {
    let path = page_href(base, page);
    #[cfg(feature = "ssr")]
    if let Ok(state) = crate::ssr::app_state() {
        return format!("{}{path}", state.public_url);
    }
    path
}

/// A paginated page's title: `"Tin tức - Sự kiện – Trang 2"`; the first
/// page keeps the list's own title.
pub fn page_title(title: &str, page: u64) -> String {
    if page > 1 {
        format!("{title} – Trang {page}")
    } else {
        title.to_owned()
    }
}

#[component]
pub fn Pagination(
    /// The list's address without a query, e.g. `/` or `/chuyen-muc/tin-tuc-su-kien`.
    base: String,
    current: u64,
    last: u64,
) -> impl IntoView {
    if last <= 1 {
        return ().into_any();
    }
    let prev = (current > 1).then(|| page_href(&base, current.min(last + 1) - 1));
    let next = (current < last).then(|| page_href(&base, current + 1));
    let items = page_window(current, last)
        .into_iter()
        .map(|page| match page {
            Some(page) if page == current => view! {
                <li>
                    <span class="page current" aria-current="page">{page}</span>
                </li>
            }
            .into_any(),
            Some(page) => {
                let label = format!("Trang {page}");
                view! {
                    <li>
                        <a class="page" href=page_href(&base, page) aria-label=label>
                            {page}
                        </a>
                    </li>
                }
                .into_any()
            }
            None => view! {
                <li>
                    <span class="page gap" aria-hidden="true">"…"</span>
                </li>
            }
            .into_any(),
        })
        .collect_view();
    view! {
        <nav class="pagination" aria-label="Phân trang">
            <ul>
                {prev
                    .map(|href| {
                        view! {
                            <li>
                                <a class="page" href=href rel="prev">"‹ Trước"</a>
                            </li>
                        }
                    })}
                {items}
                {next
                    .map(|href| {
                        view! {
                            <li>
                                <a class="page" href=href rel="next">"Sau ›"</a>
                            </li>
                        }
                    })}
            </ul>
        </nav>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::{page_href, page_title, page_window};

    #[test]
    fn pages_name_themselves() {
        assert_eq!(page_href("/", 1), "/");
        assert_eq!(page_href("/", 2), "/?trang=2");
        assert_eq!(
            page_href("/tim-kiem?q=can+tho", 3),
            "/tim-kiem?q=can+tho&trang=3"
        );
        assert_eq!(page_title("Trang chủ", 1), "Trang chủ");
        assert_eq!(page_title("Trang chủ", 2), "Trang chủ – Trang 2");
    }

    #[test]
    fn shows_ends_neighbours_and_gaps() {
        assert_eq!(page_window(1, 1), vec![Some(1)]);
        assert_eq!(page_window(1, 3), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(
            page_window(6, 12),
            vec![
                Some(1),
                None,
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                None,
                Some(12)
            ]
        );
        assert_eq!(
            page_window(1, 10),
            vec![Some(1), Some(2), Some(3), None, Some(10)]
        );
    }
}
