//! The fixed pages' first text, written when a page is missing (a new
//! database, or one from before the pages existed). They are part of the
//! product, like the office's identity, so they are seeded whether or not
//! demo content is: the office's functions and tasks as the city's
//! standing agency for administrative reform, an organisation chart as
//! nested lists, and the contacts of the stored identity. Admins then edit
//! them; nothing here ever overwrites a stored page.

use app::escape_markup as esc;
use app::i18n::Lang;
use app::model::pages::{ABOUT, ENGLISH};
use app::site::{Phone, SiteIdentity};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};

use crate::db::entities::page;

/// Inserts each fixed page that is missing, with the contacts of the
/// stored identity.
pub async fn seed_missing<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    let site = crate::settings::identity(db).await?;
    let now = time::OffsetDateTime::now_utc();
    for (slug, lang, title, body) in [
        (ABOUT, Lang::Vi, "Giới thiệu", about_html(&site)),
        (
            ENGLISH,
            Lang::En,
            "Administrative Reform of Can Tho City",
            english_html(&site),
        ),
    ] {
        let row = page::ActiveModel {
            slug: Set(slug.to_owned()),
            lang: Set(lang.code().to_owned()),
            title: Set(title.to_owned()),
            body_html: Set(crate::articles::sanitize::sanitize(&body)),
            version: Set(1),
            updated_at: Set(now),
            updated_by: Set(None),
            ..Default::default()
        };
        page::Entity::insert(row)
            .on_conflict_do_nothing_on([page::Column::Slug])
            .exec(db)
            .await?;
    }
    Ok(())
}

fn tel(phone: &Phone, shown: &str) -> String {
    format!("<a href=\"{}\">{}</a>", esc(&phone.href()), esc(shown))
}

fn mail(address: &str) -> String {
    format!(
        "<a href=\"mailto:{address}\">{address}</a>",
        address = esc(address)
    )
}

/// The about page: functions, tasks, organisation chart, contacts.
pub fn about_html(site: &SiteIdentity) -> String {
    let phone = tel(&site.phone, &site.phone.shown);
    let email = mail(&site.email);
    let fax = esc(&site.fax);
    let division = if site.division_name.is_empty() {
        "Phòng Cải cách hành chính".to_owned()
    } else {
        esc(&site.division_name)
    };
    let division_line = division_contacts(site, "Điện thoại: ", "Email: ");
    let hotlines = site
        .hotlines
        .iter()
        .map(|p| tel(p, &p.shown))
        .collect::<Vec<_>>()
        .join(" - ");
    format!(
        "<p>Trang thông tin điện tử Cải cách hành chính thành phố Cần Thơ do Sở Nội vụ \
thành phố Cần Thơ quản lý; {division} của Sở cập nhật nội dung. Trang đưa tin về công tác \
cải cách hành chính của thành phố, các văn bản chỉ đạo, điều hành và kết quả thực hiện.</p>\
<h2>Chức năng</h2>\
<p>Sở Nội vụ là cơ quan chuyên môn thuộc Ủy ban nhân dân thành phố Cần Thơ, tham mưu, giúp \
Ủy ban nhân dân thành phố quản lý nhà nước về công tác nội vụ, trong đó có cải cách hành chính. \
Sở Nội vụ là cơ quan thường trực giúp Ủy ban nhân dân thành phố chỉ đạo, điều hành công tác \
cải cách hành chính trên địa bàn thành phố.</p>\
<p>{division} là phòng chuyên môn của Sở Nội vụ, tham mưu, giúp Giám đốc Sở hướng dẫn, theo dõi, \
đôn đốc và kiểm tra việc thực hiện cải cách hành chính của các cơ quan, đơn vị, địa phương \
trong thành phố.</p>\
<h2>Nhiệm vụ</h2>\
<ul>\
<li>Tham mưu Ủy ban nhân dân thành phố ban hành chương trình, kế hoạch cải cách hành chính \
dài hạn, 5 năm và hằng năm; theo dõi, đôn đốc việc thực hiện.</li>\
<li>Hướng dẫn, kiểm tra các sở, ban, ngành và Ủy ban nhân dân các cấp thực hiện sáu nội dung \
cải cách hành chính: cải cách thể chế; cải cách thủ tục hành chính; cải cách tổ chức bộ máy \
hành chính nhà nước; cải cách chế độ công vụ; cải cách tài chính công; xây dựng và phát triển \
chính quyền điện tử, chính quyền số.</li>\
<li>Theo dõi, hướng dẫn việc thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết \
thủ tục hành chính.</li>\
<li>Xác định Chỉ số cải cách hành chính của các cơ quan, đơn vị; đo lường sự hài lòng của \
người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước; tham mưu giải pháp nâng \
cao Chỉ số Hiệu quả quản trị và hành chính công cấp tỉnh (PAPI).</li>\
<li>Chủ trì, phối hợp tuyên truyền về cải cách hành chính; quản lý Trang thông tin điện tử này.</li>\
<li>Tổng hợp, báo cáo Ủy ban nhân dân thành phố và Bộ Nội vụ về tình hình, kết quả cải cách \
hành chính của thành phố.</li>\
</ul>\
<h2>Sơ đồ tổ chức</h2>\
<ul>\
<li><strong>Ủy ban nhân dân thành phố Cần Thơ</strong>: chỉ đạo, điều hành công tác cải cách \
hành chính của thành phố.\
<ul>\
<li><strong>Sở Nội vụ thành phố Cần Thơ</strong>: cơ quan thường trực về cải cách hành chính. \
Điện thoại: {phone}, Fax: {fax}, Email: {email}.\
<ul>\
<li><strong>Ban Giám đốc Sở</strong>: Giám đốc Sở (chịu trách nhiệm nội dung Trang thông tin \
điện tử) và các Phó Giám đốc Sở.\
<ul>\
<li><strong>{division}</strong>: Trưởng phòng, các Phó Trưởng phòng và chuyên viên. \
{division_line}</li>\
<li><strong>Văn phòng Sở</strong>: tiếp nhận văn bản, hồ sơ gửi đến Sở. Điện thoại: {phone}, \
Email: {email}.</li>\
<li><strong>Các phòng chuyên môn khác của Sở</strong>.</li>\
</ul>\
</li>\
</ul>\
</li>\
<li><strong>Các sở, ban, ngành thành phố và Ủy ban nhân dân các cấp</strong>: thực hiện nhiệm \
vụ cải cách hành chính của cơ quan, địa phương mình.</li>\
</ul>\
</li>\
</ul>\
<h2>Liên hệ</h2>\
<ul>\
<li>Trụ sở: {address}.</li>\
<li>Sở Nội vụ: điện thoại {phone}, fax {fax}, email {email}.</li>\
<li>{division}: {division_contacts_lower}</li>\
<li>Đường dây nóng: {hotlines}.</li>\
</ul>\
<p>Ý kiến phản ánh, kiến nghị về cải cách hành chính và việc giải quyết thủ tục hành chính \
xin gửi về email hoặc đường dây nóng nêu trên.</p>",
        address = esc(&site.address),
        division_contacts_lower = division_contacts(site, "điện thoại ", "email "),
    )
}

/// "Điện thoại: …, Email: …." of the division (`phone` and `email` lead
/// each part), with what the identity has.
fn division_contacts(site: &SiteIdentity, phone: &str, email: &str) -> String {
    let mut parts = Vec::new();
    if !site.division_phone.shown.is_empty() {
        parts.push(format!(
            "{phone}{}",
            tel(&site.division_phone, &site.division_phone.shown)
        ));
    }
    if !site.division_email.is_empty() {
        parts.push(format!("{email}{}", mail(&site.division_email)));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}.", parts.join(", "))
    }
}

/// A Vietnamese number as dialled from abroad: `+84 292 3820715` (a
/// landline: its area code, then the number), `+84 931 015 119` (a mobile).
/// Cần Thơ's landline area code 0710 became 0292 in 2017; the reference
/// page still prints the old one, so an old number is written with the new.
pub fn international(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let national = if number.trim_start().starts_with('+') {
        digits.strip_prefix("84").unwrap_or(&digits).to_owned()
    } else if let Some(rest) = digits.strip_prefix("0710") {
        format!("292{rest}")
    } else {
        digits.strip_prefix('0').unwrap_or(&digits).to_owned()
    };
    match national.len() {
        10 if national.starts_with('2') => format!("+84 {} {}", &national[..3], &national[3..]),
        9 => format!(
            "+84 {} {} {}",
            &national[..3],
            &national[3..6],
            &national[6..]
        ),
        _ => format!("+84 {national}"),
    }
}

/// A link to dial `phone` from abroad.
fn tel_international(phone: &Phone) -> String {
    let dial = if phone.dial.is_empty() {
        &phone.shown
    } else {
        &phone.dial
    };
    let shown = international(dial);
    let href: String = shown.chars().filter(|c| *c != ' ').collect();
    format!("<a href=\"tel:{}\">{}</a>", esc(&href), esc(&shown))
}

/// `english` when the identity still holds the reference value `default`;
/// otherwise the stored Vietnamese text, marked as Vietnamese.
fn in_english(stored: &str, default: &str, english: &str) -> String {
    if stored == default {
        esc(english)
    } else {
        format!("<span lang=\"vi\">{}</span>", esc(stored))
    }
}

/// The English page: functions, tasks and contacts (Decree 42/2022 art. 7.2).
pub fn english_html(site: &SiteIdentity) -> String {
    let reference = SiteIdentity::default();
    let address = in_english(
        &site.address,
        &reference.address,
        "51 Ly Tu Trong Street, An Phu Ward, Ninh Kieu District, Can Tho City",
    );
    let responsible = in_english(
        &site.responsible_person,
        &reference.responsible_person,
        "the Director of the Department of Home Affairs of Can Tho City",
    );
    let phone = tel_international(&site.phone);
    let fax = if site.fax.is_empty() {
        String::new()
    } else {
        format!(", fax {}", esc(&international(&site.fax)))
    };
    let email = mail(&site.email);
    let mut division = Vec::new();
    if !site.division_phone.shown.is_empty() {
        division.push(format!("phone {}", tel_international(&site.division_phone)));
    }
    if !site.division_email.is_empty() {
        division.push(format!("email {}", mail(&site.division_email)));
    }
    let division = if division.is_empty() {
        String::new()
    } else {
        format!(
            "<li>Administrative Reform Division: {}.</li>",
            division.join(", ")
        )
    };
    let hotlines = site
        .hotlines
        .iter()
        .map(tel_international)
        .collect::<Vec<_>>()
        .join(", ");
    let hotlines = if hotlines.is_empty() {
        String::new()
    } else {
        format!("<li>Hotlines: {hotlines}.</li>")
    };
    format!(
        "<p>This is the website of the administrative reform programme of Can Tho City, \
Viet Nam. It is managed by the Department of Home Affairs of Can Tho City \
(<span lang=\"vi\">Sở Nội vụ thành phố Cần Thơ</span>); its Administrative Reform Division \
(<span lang=\"vi\">Phòng Cải cách hành chính</span>) publishes the content. The person \
responsible for the content is {responsible}.</p>\
<h2>Functions</h2>\
<p>The Department of Home Affairs is a specialised agency of the People’s Committee of Can Tho \
City. It advises and assists the People’s Committee in the state management of home affairs, \
public administration reform included, and is the standing agency that helps the People’s \
Committee direct and coordinate administrative reform throughout the city.</p>\
<p>The Administrative Reform Division advises the Director of the Department on guiding, \
monitoring, urging and inspecting the administrative reform work of the city’s agencies and \
local authorities.</p>\
<h2>Tasks</h2>\
<ul>\
<li>Drafting the city’s long-term, five-year and annual administrative reform plans for the \
People’s Committee, and monitoring their implementation.</li>\
<li>Guiding and inspecting the city’s departments and the local People’s Committees in the six \
areas of reform: institutions; administrative procedures; the organisation of the state \
administrative apparatus; the civil service; public finance; and e-government and digital \
government.</li>\
<li>Overseeing the one-stop-shop mechanism through which citizens and businesses file and \
collect administrative procedures.</li>\
<li>Assessing the Administrative Reform Index of the city’s agencies, surveying citizens’ and \
organisations’ satisfaction with public administrative services, and proposing ways to improve \
the Provincial Governance and Public Administration Performance Index (PAPI).</li>\
<li>Informing the public about administrative reform and managing this website.</li>\
<li>Reporting on the city’s administrative reform to the People’s Committee and the Ministry of \
Home Affairs.</li>\
</ul>\
<h2>Contacts</h2>\
<ul>\
<li>Address: {address}, Viet Nam.</li>\
<li>Department of Home Affairs: phone {phone}{fax}, email {email}.</li>\
{division}{hotlines}\
</ul>\
<p>Office hours are Monday to Friday, Viet Nam time (UTC+7). The rest of this website, \
including its news and legal documents, is in Vietnamese.</p>"
    )
}

#[cfg(test)]
mod tests {
    use super::{about_html, english_html, international};
    use app::site::SiteIdentity;

    #[test]
    fn numbers_are_written_for_callers_abroad() {
        assert_eq!(international("+842923820715"), "+84 292 3820715");
        assert_eq!(international("0931015119"), "+84 931 015 119");
        assert_eq!(international("(0710) 3825228"), "+84 292 3825228");
    }

    #[test]
    fn the_pages_carry_the_identity_contacts() {
        let site = SiteIdentity::default();
        let about = about_html(&site);
        for expected in [
            "<h2>Sơ đồ tổ chức</h2>",
            "caicachhanhchinh@cantho.gov.vn",
            "tel:+842923730759",
            "0931.015.119",
            "51 Lý Tự Trọng",
        ] {
            assert!(about.contains(expected), "{expected}");
        }
        let english = english_html(&site);
        for expected in [
            "<h2>Contacts</h2>",
            "+84 292 3820715",
            "tel:+84931015119",
            "51 Ly Tu Trong Street",
            "sonoivu@cantho.gov.vn",
        ] {
            assert!(english.contains(expected), "{expected}");
        }
    }
}
