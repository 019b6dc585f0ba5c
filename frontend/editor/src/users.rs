//! Users and the audit log (admins): invite with a one-time link, change a
//! role, deactivate or reactivate, issue a password reset link; read who
//! did what. The server checks the admin role on every call.

use app::api::users::{
    audit_log, change_user_role, invite_user, list_users, reset_user_password, set_user_active,
};
use app::error::AppError;
use app::model::accounts::{NewUser, PasswordLink, Role, UserSummary};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::layout::me;

/// The one-time link just made, to copy and hand over.
#[component]
fn LinkBox(link: PasswordLink, who: String) -> impl IntoView {
    let url = link.url.clone();
    view! {
        <div class="offer link-box" role="status">
            <p>
                "Liên kết đặt mật khẩu cho " <strong>{who}</strong> " (dùng được một lần, đến "
                {app::vn_time::format_datetime(link.expires_at)} "). Hãy gửi cho người đó qua kênh an toàn; liên kết chỉ hiện một lần:"
            </p>
            <input class="link-url" readonly prop:value=url aria-label="Liên kết đặt mật khẩu"
                on:focus=move |e| {
                    use wasm_bindgen::JsCast;
                    if let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                        input.select();
                    }
                }/>
        </div>
    }
}

/// `/quan-tri/nguoi-dung`.
#[component]
pub fn UsersPage() -> impl IntoView {
    let user = me();
    if user.role < Role::Admin {
        return view! { <p class="form-error" role="alert">"Chỉ quản trị viên xem được trang này."</p> }
            .into_any();
    }
    let reload = RwSignal::new(0u32);
    let users = LocalResource::new(move || {
        reload.get();
        list_users()
    });
    let message = RwSignal::new(None::<String>);
    // Mistakes in the invitation are shown beside its form.
    let invite_message = RwSignal::new(None::<String>);
    let link = RwSignal::new(None::<(PasswordLink, String)>);
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let invite = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let new = NewUser {
            username: username.get_untracked(),
            display_name: display_name.get_untracked(),
            role: Role::parse(&role.get_untracked()),
        };
        let who = new.display_name.clone();
        leptos::task::spawn_local(async move {
            match invite_user(new).await {
                Ok(made) => {
                    link.set(Some((made, who)));
                    message.set(None);
                    invite_message.set(None);
                    username.set(String::new());
                    display_name.set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(err) => invite_message.set(Some(err.explain())),
            }
        });
    };
    let act = move |future: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<String, AppError>>>,
    >| {
        leptos::task::spawn_local(async move {
            match future.await {
                Ok(done) => message.set(Some(done)),
                Err(err) => message.set(Some(err.explain())),
            }
            reload.update(|n| *n += 1);
        });
    };
    let me_id = user.id;
    let row = move |u: UserSummary| {
        let id = u.id;
        let name = u.display_name.clone();
        let name_for_reset = name.clone();
        let active = u.active;
        let on_role = move |e: leptos::ev::Event| {
            if let Some(new_role) = Role::parse(&event_target_value(&e)) {
                act(Box::pin(async move {
                    change_user_role(id, new_role).await?;
                    Ok(format!("Đã đổi vai trò thành “{}”.", new_role.label()))
                }));
            }
        };
        let toggle = move |_| {
            act(Box::pin(async move {
                set_user_active(id, !active).await?;
                Ok(if active {
                    "Đã khóa tài khoản; các phiên đăng nhập của người này đã kết thúc.".to_owned()
                } else {
                    "Đã mở lại tài khoản.".to_owned()
                })
            }));
        };
        let reset = move |_| {
            let who = name_for_reset.clone();
            leptos::task::spawn_local(async move {
                match reset_user_password(id).await {
                    Ok(made) => link.set(Some((made, who))),
                    Err(err) => message.set(Some(err.explain())),
                }
            });
        };
        let select_id = format!("vai-tro-{id}");
        view! {
            <tr class:inactive=!active>
                <td>{u.display_name.clone()}<br/><small>{u.username.clone()}</small></td>
                <td>
                    <label class="visually-hidden" for=select_id.clone()>"Vai trò của " {name.clone()}</label>
                    <select id=select_id prop:value=u.role.as_str() on:change=on_role>
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=r == u.role>{r.label()}</option>
                        }).collect_view()}
                    </select>
                </td>
                <td>
                    {match (u.active, u.invited) {
                        (false, _) => "Đã khóa",
                        (true, true) => "Chưa đặt mật khẩu",
                        (true, false) => "Đang hoạt động",
                    }}
                </td>
                <td class="row-actions">
                    {(id != me_id).then(|| view! {
                        <button type="button" on:click=toggle>{if active { "Khóa" } else { "Mở lại" }}</button>
                    })}
                    {active.then(|| view! {
                        <button type="button" on:click=reset.clone()>"Cấp liên kết đặt mật khẩu"</button>
                    })}
                </td>
            </tr>
        }
    };
    view! {
        <Title text="Người dùng"/>
        <h1>"Người dùng"</h1>
        {move || link.get().map(|(link, who)| view! { <LinkBox link who/> })}
        {move || message.get().map(|m| view! { <p class="message" role="status">{m}</p> })}
        <Suspense fallback=|| view! { <p class="loading" role="status">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(list) => view! {
                        <div class="table-wrap">
                            <table class="data-table">
                                <thead><tr>
                                    <th scope="col">"Họ tên"</th>
                                    <th scope="col">"Vai trò"</th>
                                    <th scope="col">"Trạng thái"</th>
                                    <th scope="col">"Thao tác"</th>
                                </tr></thead>
                                <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(err) => view! { <p class="form-error" role="alert">{err.explain()}</p> }.into_any(),
                }
            })}
        </Suspense>
        <section class="schedule-box" aria-labelledby="moi-nguoi-dung">
            <h2 id="moi-nguoi-dung">"Mời người dùng mới"</h2>
            <form class="field-row schedule-row" on:submit=invite>
                <label>
                    "Tên đăng nhập"
                    <input id="moi-ten-dang-nhap" required autocapitalize="none" spellcheck="false" maxlength="50"
                        prop:value=username on:input=move |e| username.set(event_target_value(&e))/>
                </label>
                <label>
                    "Họ tên"
                    <input id="moi-ho-ten" required maxlength="200"
                        prop:value=display_name on:input=move |e| display_name.set(event_target_value(&e))/>
                </label>
                <label>
                    "Vai trò"
                    <select id="moi-vai-tro" required on:change=move |e| role.set(event_target_value(&e))>
                        <option value="">"— Chọn —"</option>
                        {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{r.label()}</option> }).collect_view()}
                    </select>
                </label>
                <button type="submit" class="primary">"Tạo liên kết mời"</button>
            </form>
            {move || invite_message.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        </section>
    }
    .into_any()
}

/// `/quan-tri/nhat-ky`: the audit log, newest first, 50 lines a page.
#[component]
pub fn AuditPage() -> impl IntoView {
    let user = me();
    if user.role < Role::Admin {
        return view! { <p class="form-error" role="alert">"Chỉ quản trị viên xem được trang này."</p> }
            .into_any();
    }
    let before = RwSignal::new(None::<i64>);
    let lines = LocalResource::new(move || audit_log(before.get()));
    view! {
        <Title text="Nhật ký hoạt động"/>
        <h1>"Nhật ký hoạt động"</h1>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match lines.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">"Chưa có hoạt động nào."</p> }.into_any(),
                    Ok(list) => {
                        let oldest = list.last().map(|l| l.id);
                        let full = list.len() as u64 >= 50;
                        view! {
                            <div class="table-wrap">
                                <table class="data-table audit-table">
                                    <thead><tr>
                                        <th scope="col">"Thời điểm"</th>
                                        <th scope="col">"Người thực hiện"</th>
                                        <th scope="col">"Hoạt động"</th>
                                        <th scope="col">"Đối tượng"</th>
                                        <th scope="col">"Chi tiết"</th>
                                        <th scope="col">"Địa chỉ"</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|l| view! {
                                            <tr>
                                                <td><time>{app::vn_time::format_datetime(l.at)}</time></td>
                                                <td>{l.actor.unwrap_or_else(|| "Hệ thống".to_owned())}</td>
                                                <td>{l.action.label()}</td>
                                                <td>{l.target}</td>
                                                <td>{l.detail}</td>
                                                <td>{l.ip.unwrap_or_default()}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <p class="pager">
                                {move || before.get().is_some().then(|| view! {
                                    <button type="button" on:click=move |_| before.set(None)>"Mới nhất"</button>
                                })}
                                {(full && oldest.is_some()).then(|| view! {
                                    <button type="button" on:click=move |_| before.set(oldest)>"Cũ hơn"</button>
                                })}
                            </p>
                        }.into_any()
                    }
                    Err(err) => view! { <p class="form-error" role="alert">{err.explain()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}
