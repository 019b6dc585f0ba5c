//! `/dat-mat-khau?ma=…`: where an invited user, or one whose password an
//! admin reset, sets a password with their one-time link. Server-rendered,
//! a plain POST form (works without JavaScript and with password managers);
//! the server handles the POST and comes back here with `?loi=…` on a
//! mistake, or goes on to the login form.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::api::users::password_link_owner;

/// The message for `?loi=…`.
pub fn set_password_error(code: &str) -> Option<&'static str> {
    match code {
        "ngan" => Some("Mật khẩu cần ít nhất 10 ký tự."),
        "khac" => Some("Hai lần nhập mật khẩu không giống nhau."),
        "ban" => Some("Hệ thống đang bận, xin vui lòng thử lại sau ít phút."),
        _ => None,
    }
}

#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let token = query.get("ma").unwrap_or_default();
    let error = query.get("loi").and_then(|code| set_password_error(&code));
    let owner = Resource::new_blocking(
        move || token.clone(),
        |token| async move {
            if token.is_empty() {
                return Ok(None);
            }
            password_link_owner(token).await
        },
    );
    let token = query.get("ma").unwrap_or_default();
    view! {
        <Title text="Đặt mật khẩu"/>
        <Meta name="robots" content="noindex"/>
        <Meta name="referrer" content="no-referrer"/>
        <section class="login" aria-labelledby="dat-mat-khau">
            <h1 id="dat-mat-khau" class="section-title page-title">"Đặt mật khẩu"</h1>
            <Suspense fallback=|| ()>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        match owner.await {
                            Ok(Some(name)) => view! {
                                <p>"Tài khoản: " <strong>{name}</strong></p>
                                {error.map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
                                <form class="login-form" method="post" action="/dat-mat-khau">
                                    <input type="hidden" name="ma" value=token/>
                                    <label for="mat-khau-moi">"Mật khẩu mới (ít nhất 10 ký tự)"</label>
                                    <input id="mat-khau-moi" name="mat_khau" type="password"
                                        autocomplete="new-password" required minlength="10" maxlength="200"/>
                                    <label for="nhap-lai">"Nhập lại mật khẩu"</label>
                                    <input id="nhap-lai" name="nhap_lai" type="password"
                                        autocomplete="new-password" required minlength="10" maxlength="200"/>
                                    <button type="submit">"Đặt mật khẩu"</button>
                                </form>
                            }.into_any(),
                            Ok(None) => view! {
                                <p class="form-error" role="alert">
                                    "Liên kết này không còn dùng được (đã dùng, đã hết hạn sau 72 giờ, hoặc không đúng). "
                                    "Xin vui lòng liên hệ quản trị viên của cơ quan để được cấp liên kết mới."
                                </p>
                            }.into_any(),
                            Err(err) => view! { <p class="form-error" role="alert">{err.to_string()}</p> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::set_password_error;

    #[test]
    fn messages_say_what_to_fix() {
        assert!(set_password_error("ngan").unwrap().contains("10 ký tự"));
        assert!(set_password_error("khac").unwrap().contains("không giống"));
        assert_eq!(set_password_error("x"), None);
    }
}
