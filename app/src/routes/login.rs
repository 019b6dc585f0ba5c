//! `/dang-nhap`: the editors' login form. Server-rendered, a plain POST
//! form (works without JavaScript and with password managers); the server
//! handles the POST and comes back here with `?loi=…` when it fails.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// The message for `?loi=…`: wrong password, too many attempts, or busy.
pub fn login_error(code: &str, wait_secs: Option<u64>) -> Option<String> {
    match code {
        "sai" => Some("Tên đăng nhập hoặc mật khẩu không đúng.".to_owned()),
        "nhieu" => {
            let minutes = wait_secs.unwrap_or(900).div_ceil(60).max(1);
            Some(format!(
                "Bạn đã đăng nhập sai quá nhiều lần. Xin vui lòng thử lại sau {minutes} phút."
            ))
        }
        "ban" => Some("Hệ thống đang bận, xin vui lòng thử lại sau ít phút.".to_owned()),
        "het-han" => Some(
            "Phiên làm việc đã kết thúc (hết hạn, hoặc tài khoản vừa được thay đổi). Xin vui lòng đăng nhập lại."
                .to_owned(),
        ),
        "khoa" => Some(
            "Tài khoản này đã bị khóa. Xin vui lòng liên hệ quản trị viên của cơ quan.".to_owned(),
        ),
        _ => None,
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let error = query
        .get("loi")
        .and_then(|code| login_error(&code, query.get("sau").and_then(|s| s.parse().ok())));
    let signed_out = query.get("da-dang-xuat").is_some();
    let password_set = query.get("da-dat-mat-khau").is_some();
    let username = query.get("ten").unwrap_or_default();
    view! {
        <Title text="Đăng nhập"/>
        <Meta name="robots" content="noindex"/>
        <section class="login" aria-labelledby="dang-nhap">
            <h1 id="dang-nhap" class="section-title page-title">"Đăng nhập quản trị"</h1>
            {signed_out
                .then(|| view! { <p class="notice" role="status">"Bạn đã đăng xuất."</p> })}
            {password_set
                .then(|| view! { <p class="notice" role="status">"Đã đặt mật khẩu. Xin mời đăng nhập."</p> })}
            {error.map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
            <form class="login-form" method="post" action="/dang-nhap">
                <label for="ten-dang-nhap">"Tên đăng nhập"</label>
                <input
                    id="ten-dang-nhap"
                    name="ten_dang_nhap"
                    type="text"
                    autocomplete="username"
                    autocapitalize="none"
                    spellcheck="false"
                    required
                    maxlength="50"
                    value=username
                />
                <label for="mat-khau">"Mật khẩu"</label>
                <input
                    id="mat-khau"
                    name="mat_khau"
                    type="password"
                    autocomplete="current-password"
                    required
                    maxlength="200"
                />
                <button type="submit">"Đăng nhập"</button>
            </form>
            <p class="login-help">
                "Quên mật khẩu? Xin vui lòng liên hệ quản trị viên của cơ quan để được cấp lại."
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::login_error;

    #[test]
    fn messages_say_what_happened() {
        assert!(login_error("sai", None).unwrap().contains("không đúng"));
        assert!(login_error("nhieu", Some(61)).unwrap().contains("2 phút"));
        assert!(login_error("nhieu", Some(10)).unwrap().contains("1 phút"));
        assert_eq!(login_error("gì-đó", None), None);
    }
}
