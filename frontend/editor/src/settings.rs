//! `/quan-tri/cau-hinh` (admins): the office's identity on every public
//! page (banner, contacts, footer, linked websites, the monitoring script)
//! and the order of the main menu. The server checks the role and every
//! field; a change shows on the public pages at once.

use app::api::articles::list_categories;
use app::api::site::{load_site_identity, save_menu_order, save_site_settings};
use app::model::Category;
use app::model::accounts::Role;
use app::site::{Phone, SiteIdentity, SiteLink};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::layout::me;

/// Hotlines as the form shows them: one per line, `shown | dial` (the
/// number to dial may be left out: it is read from the digits).
fn hotlines_text(phones: &[Phone]) -> String {
    phones
        .iter()
        .map(|p| format!("{} | {}", p.shown, p.dial))
        .collect::<Vec<_>>()
        .join("\n")
}

fn parse_hotlines(text: &str) -> Vec<Phone> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| match line.split_once('|') {
            Some((shown, dial)) => Phone::new(shown.trim(), dial.trim()),
            None => Phone::new(line.trim(), ""),
        })
        .collect()
}

/// Linked websites as the form shows them: `Name | https://address`.
fn links_text(links: &[SiteLink]) -> String {
    links
        .iter()
        .map(|l| format!("{} | {}", l.name, l.url))
        .collect::<Vec<_>>()
        .join("\n")
}

fn parse_links(text: &str) -> Vec<SiteLink> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let (name, url) = line.rsplit_once('|').unwrap_or((line, ""));
            SiteLink {
                name: name.trim().to_owned(),
                url: url.trim().to_owned(),
            }
        })
        .collect()
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    if me().role < Role::Admin {
        return view! { <p class="form-error" role="alert">"Chỉ quản trị viên xem được trang này."</p> }
            .into_any();
    }
    let stored = LocalResource::new(load_site_identity);
    view! {
        <Title text="Cấu hình trang"/>
        <h1>"Cấu hình trang"</h1>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match stored.await {
                    Ok(identity) => view! { <IdentityForm identity/> <MenuOrder/> }.into_any(),
                    Err(err) => view! { <p class="form-error" role="alert">{err.explain()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn IdentityForm(identity: SiteIdentity) -> impl IntoView {
    let text = |value: &str| RwSignal::new(value.to_owned());
    let tagline = text(&identity.tagline);
    let name = text(&identity.name);
    let managing_unit = text(&identity.managing_unit);
    let responsible_person = text(&identity.responsible_person);
    let address = text(&identity.address);
    let hotlines = RwSignal::new(hotlines_text(&identity.hotlines));
    let phone_shown = text(&identity.phone.shown);
    let phone_dial = text(&identity.phone.dial);
    let fax = text(&identity.fax);
    let email = text(&identity.email);
    let division_name = text(&identity.division_name);
    let division_phone_shown = text(&identity.division_phone.shown);
    let division_phone_dial = text(&identity.division_phone.dial);
    let division_email = text(&identity.division_email);
    let copyright = text(&identity.copyright);
    let republish_notice = text(&identity.republish_notice);
    let banner = text(&identity.banner);
    let banner_mobile = text(&identity.banner_mobile);
    let banner_alt = text(&identity.banner_alt);
    let linked_sites = RwSignal::new(links_text(&identity.linked_sites));
    let monitoring_script = text(&identity.monitoring_script);
    let message = RwSignal::new(None::<(bool, String)>);
    let saving = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let identity = SiteIdentity {
            tagline: tagline.get_untracked(),
            name: name.get_untracked(),
            managing_unit: managing_unit.get_untracked(),
            responsible_person: responsible_person.get_untracked(),
            address: address.get_untracked(),
            hotlines: parse_hotlines(&hotlines.get_untracked()),
            phone: Phone::new(&phone_shown.get_untracked(), &phone_dial.get_untracked()),
            fax: fax.get_untracked(),
            email: email.get_untracked(),
            division_name: division_name.get_untracked(),
            division_phone: Phone::new(
                &division_phone_shown.get_untracked(),
                &division_phone_dial.get_untracked(),
            ),
            division_email: division_email.get_untracked(),
            copyright: copyright.get_untracked(),
            republish_notice: republish_notice.get_untracked(),
            banner: banner.get_untracked(),
            banner_mobile: banner_mobile.get_untracked(),
            banner_alt: banner_alt.get_untracked(),
            linked_sites: parse_links(&linked_sites.get_untracked()),
            monitoring_script: monitoring_script.get_untracked(),
        };
        saving.set(true);
        leptos::task::spawn_local(async move {
            match save_site_settings(identity).await {
                Ok(saved) => {
                    hotlines.set(hotlines_text(&saved.hotlines));
                    phone_dial.set(saved.phone.dial.clone());
                    division_phone_dial.set(saved.division_phone.dial.clone());
                    linked_sites.set(links_text(&saved.linked_sites));
                    message.set(Some((
                        true,
                        "Đã lưu. Các trang công khai đã hiển thị thông tin mới.".to_owned(),
                    )));
                }
                Err(err) => message.set(Some((false, err.explain()))),
            }
            saving.set(false);
        });
    };
    let field = |id: &'static str, label: &'static str, signal: RwSignal<String>| {
        view! {
            <label for=id>{label}</label>
            <input id=id prop:value=signal on:input=move |e| signal.set(event_target_value(&e))/>
        }
    };
    let area = |id: &'static str, label: &'static str, signal: RwSignal<String>, rows: u32| {
        view! {
            <label for=id>{label}</label>
            <textarea id=id rows=rows prop:value=signal on:input=move |e| signal.set(event_target_value(&e))></textarea>
        }
    };
    view! {
        <form class="settings-form" on:submit=submit>
            <fieldset>
                <legend>"Tên và đơn vị (Nghị định 42/2022, điều 7)"</legend>
                {field("cfg-tagline", "Dòng giới thiệu", tagline)}
                {field("cfg-name", "Tên trang", name)}
                {field("cfg-unit", "Đơn vị quản lý", managing_unit)}
                {field("cfg-responsible", "Người chịu trách nhiệm nội dung", responsible_person)}
            </fieldset>
            <fieldset>
                <legend>"Liên hệ"</legend>
                {field("cfg-address", "Địa chỉ", address)}
                {area("cfg-hotlines", "Đường dây nóng (mỗi số một dòng; có thể thêm “| số để gọi”)", hotlines, 3)}
                <div class="field-row">
                    <div class="stack">{field("cfg-phone", "Điện thoại", phone_shown)}</div>
                    <div class="stack">{field("cfg-phone-dial", "Số để gọi (để trống: lấy các chữ số)", phone_dial)}</div>
                    <div class="stack">{field("cfg-fax", "Fax", fax)}</div>
                </div>
                {field("cfg-email", "Email", email)}
                {field("cfg-division", "Phòng phụ trách", division_name)}
                <div class="field-row">
                    <div class="stack">{field("cfg-division-phone", "Điện thoại của phòng", division_phone_shown)}</div>
                    <div class="stack">{field("cfg-division-dial", "Số để gọi của phòng", division_phone_dial)}</div>
                    <div class="stack">{field("cfg-division-email", "Email của phòng", division_email)}</div>
                </div>
            </fieldset>
            <fieldset>
                <legend>"Banner"</legend>
                {field("cfg-banner", "Ảnh banner cho màn hình rộng (địa chỉ trên cổng, ví dụ /banner.svg)", banner)}
                {field("cfg-banner-mobile", "Ảnh banner cho điện thoại", banner_mobile)}
                {field("cfg-banner-alt", "Mô tả ảnh banner (bắt buộc, dành cho người khiếm thị)", banner_alt)}
            </fieldset>
            <fieldset>
                <legend>"Chân trang và liên kết"</legend>
                {field("cfg-copyright", "Dòng bản quyền", copyright)}
                {area("cfg-notice", "Ghi chú khi phát hành lại thông tin", republish_notice, 2)}
                {area("cfg-links", "Liên kết website (mỗi dòng: Tên | https://địa-chỉ)", linked_sites, 5)}
            </fieldset>
            <fieldset>
                <legend>"Giám sát (Thông tư 22/2023)"</legend>
                {field("cfg-monitoring", "Địa chỉ https của mã theo dõi do hệ thống giám sát cấp (để trống nếu chưa có)", monitoring_script)}
            </fieldset>
            {move || message.get().map(|(ok, text)| view! {
                <p class=if ok { "message" } else { "form-error" } role=if ok { "status" } else { "alert" }>{text}</p>
            })}
            <button type="submit" class="primary" prop:disabled=saving>"Lưu cấu hình"</button>
        </form>
    }
}

/// The main menu's order: move a category up or down, then save.
#[component]
fn MenuOrder() -> impl IntoView {
    let loaded = LocalResource::new(list_categories);
    let order = RwSignal::new(Vec::<Category>::new());
    let message = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(categories)) = loaded.get() {
            order.set(categories);
        }
    });
    let step = move |index: usize, up: bool| {
        order.update(|list| {
            let other = if up {
                index.checked_sub(1)
            } else {
                Some(index + 1)
            };
            if let Some(other) = other.filter(|o| *o < list.len()) {
                list.swap(index, other);
            }
        });
    };
    let save = move |_| {
        let ids: Vec<i32> = order.get_untracked().iter().map(|c| c.id).collect();
        leptos::task::spawn_local(async move {
            message.set(Some(match save_menu_order(ids).await {
                Ok(()) => "Đã lưu thứ tự chuyên mục.".to_owned(),
                Err(err) => err.explain(),
            }));
        });
    };
    view! {
        <section class="schedule-box" aria-labelledby="thu-tu-menu">
            <h2 id="thu-tu-menu">"Thứ tự chuyên mục trên menu"</h2>
            <ol class="menu-order">
                {move || {
                    let list = order.get();
                    let last = list.len().saturating_sub(1);
                    list.into_iter()
                        .enumerate()
                        .map(|(index, category)| {
                            let name = category.name.clone();
                            view! {
                                <li>
                                    <span>{category.name.clone()}</span>
                                    <button type="button" prop:disabled=index == 0
                                        aria-label=format!("Đưa “{name}” lên")
                                        on:click=move |_| step(index, true)>"↑"</button>
                                    <button type="button" prop:disabled=index == last
                                        aria-label=format!("Đưa “{name}” xuống")
                                        on:click=move |_| step(index, false)>"↓"</button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
            <button type="button" on:click=save>"Lưu thứ tự"</button>
            {move || message.get().map(|m| view! { <p class="message" role="status">{m}</p> })}
        </section>
    }
}
