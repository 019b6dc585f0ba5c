//! Pages and notices for when there is nothing to show.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The "not found" page. On the server it also sets the HTTP status to 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::set_not_found();
    view! {
        <Title text="Không tìm thấy trang"/>
        <Meta name="robots" content="noindex"/>
        <section class="status-page" aria-labelledby="status-title">
            <h1 id="status-title">"Không tìm thấy trang"</h1>
            <p>
                "Xin lỗi, trang bạn tìm không tồn tại hoặc đã được chuyển đi. "
                "Có thể đường dẫn bị gõ sai, hoặc bài viết đã được gỡ xuống."
            </p>
            <p>
                <a href="/">"Về trang chủ"</a>
                " để xem các tin mới nhất."
            </p>
        </section>
    }
}

/// Shown when the server could not answer (a storage failure, not the reader's fault).
#[component]
pub fn ServiceUnavailable() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::set_status(http::StatusCode::SERVICE_UNAVAILABLE);
    view! {
        <Title text="Hệ thống đang bận"/>
        <section class="status-page" aria-labelledby="status-title">
            <h1 id="status-title">"Hệ thống đang bận"</h1>
            <p>"Xin lỗi, chúng tôi chưa tải được nội dung. Xin vui lòng thử lại sau ít phút."</p>
            <p>
                <a href="/">"Về trang chủ"</a>
            </p>
        </section>
    }
}

/// A page number past the end of a list (`?trang=9999`): a 404 that search
/// engines do not index, with a link to the first page of the same list.
#[component]
pub fn PageBeyondEnd(
    page: u64,
    /// The first page of this list, e.g. `/chuyen-muc/tin-tuc-su-kien` or
    /// `/tim-kiem?q=can+tho`.
    first_page: String,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::set_not_found();
    view! {
        <Meta name="robots" content="noindex"/>
        <p class="empty page-beyond-end">
            "Trang " {page} " không có bài viết nào. " <a href=first_page>"Về trang đầu"</a> "."
        </p>
    }
}

/// What a reader sees while content loads.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">"Đang tải…"</p> }
}
