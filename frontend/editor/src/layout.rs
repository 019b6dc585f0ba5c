//! The editors' app's frame: who is signed in (or off to the login form),
//! the menu, and the routes.

use app::api::accounts::who_am_i;
use app::model::accounts::CurrentUser;
use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use crate::documents::DocumentsPage;
use crate::edit::{EditPage, NewArticlePage};
use crate::lists::{ArticlesPage, DashboardPage};
use crate::media::MediaPage;
use crate::pages::PagesPage;
use crate::questions::QuestionsPage;
use crate::settings::SettingsPage;
use crate::users::{AuditPage, UsersPage};

/// The signed-in user, shared with every page.
#[derive(Clone)]
pub struct Me(pub CurrentUser);

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let me = LocalResource::new(who_am_i);
    view! {
        <Title formatter=|page: String| format!("{page} | Quản trị nội dung")/>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(user)) => view! { <SignedIn user/> }.into_any(),
                    Ok(None) => {
                        // Not signed in (or the session ended): to the login form.
                        let _ = window().location().set_href("/dang-nhap?loi=het-han");
                        view! { <p role="status">"Đang chuyển đến trang đăng nhập…"</p> }.into_any()
                    }
                    Err(err) => {
                        view! {
                            <p class="form-error" role="alert">{err.to_string()}</p>
                            <p><a href="/quan-tri/">"Thử lại"</a></p>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn SignedIn(user: CurrentUser) -> impl IntoView {
    let name = user.display_name.clone();
    let role = user.role.label();
    let admin = user.role >= app::model::accounts::Role::Admin;
    let editor = user.role >= app::model::accounts::Role::Editor;
    provide_context(Me(user));
    view! {
        <Router base="/quan-tri">
            <a class="skip-link" href="#noi-dung">"Bỏ qua, đến nội dung chính"</a>
            <header class="admin-header">
                <a class="admin-brand" href="/quan-tri/">"Quản trị nội dung"</a>
                <nav aria-label="Quản trị">
                    <A href="/quan-tri/" exact=true>"Tổng quan"</A>
                    <A href="/quan-tri/bai-viet">"Bài viết"</A>
                    <A href="/quan-tri/bai-viet/moi">"Viết bài mới"</A>
                    <A href="/quan-tri/anh">"Thư viện ảnh"</A>
                    {editor.then(|| view! { <A href="/quan-tri/van-ban">"Văn bản"</A> })}
                    {editor.then(|| view! { <A href="/quan-tri/hoi-dap">"Hỏi đáp"</A> })}
                    {admin.then(|| view! {
                        <A href="/quan-tri/nguoi-dung">"Người dùng"</A>
                        <A href="/quan-tri/nhat-ky">"Nhật ký"</A>
                        <A href="/quan-tri/cau-hinh">"Cấu hình"</A>
                        <A href="/quan-tri/trang">"Trang giới thiệu"</A>
                    })}
                    <a href="/" target="_blank" rel="noopener">"Xem trang"</a>
                </nav>
                <div class="admin-user">
                    <span>{name} " (" {role} ")"</span>
                    <form method="post" action="/dang-xuat">
                        <button type="submit">"Đăng xuất"</button>
                    </form>
                </div>
            </header>
            <main id="noi-dung" tabindex="-1" class="admin-main">
                <Routes fallback=|| view! { <p>"Không tìm thấy trang này."</p> }>
                    <Route path=path!("/") view=DashboardPage/>
                    <Route path=path!("/bai-viet") view=ArticlesPage/>
                    <Route path=path!("/bai-viet/moi") view=NewArticlePage/>
                    <Route path=path!("/bai-viet/:id") view=EditPage/>
                    <Route path=path!("/anh") view=MediaPage/>
                    <Route path=path!("/van-ban") view=DocumentsPage/>
                    <Route path=path!("/hoi-dap") view=QuestionsPage/>
                    <Route path=path!("/nguoi-dung") view=UsersPage/>
                    <Route path=path!("/nhat-ky") view=AuditPage/>
                    <Route path=path!("/cau-hinh") view=SettingsPage/>
                    <Route path=path!("/trang") view=PagesPage/>
                </Routes>
            </main>
        </Router>
    }
}

/// The signed-in user (inside the app).
pub fn me() -> CurrentUser {
    use_context::<Me>()
        .map(|Me(user)| user)
        .expect("pages render only for a signed-in user")
}
