//! The languages of the readers' pages, and the fixed words of the frame
//! around them, in one place.
//!
//! The portal is Vietnamese; `/en` (Decree 42/2022/NĐ-CP art. 7.2) is the
//! one English page. The document's language (`<html lang>`) follows the
//! page ([`Lang::of_path`], set by [`DocumentLanguage`]); the skip link,
//! the breadcrumbs and the page itself speak it too. The header, side
//! column and footer stay Vietnamese on every page ([`FRAME`]), marked
//! `lang="vi"` inside an English page ([`frame_lang_attr`]), because most of
//! what they hold (categories, headlines, the counter, the office's
//! identity) is Vietnamese content.
//!
//! Every language fills the whole [`Strings`] (the compiler checks it), so
//! adding one means: a variant here, its `Strings`, its addresses in
//! `of_path`, and its pages; a fully English frame means English strings
//! for the remaining components and `FRAME` following the page.

use leptos::prelude::*;
use leptos_meta::Html;
use leptos_router::hooks::use_location;
use serde::{Deserialize, Serialize};

/// A language a page is written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    /// The BCP 47 code, for `lang` and `hreflang` (and the database).
    pub fn code(self) -> &'static str {
        match self {
            Self::Vi => "vi",
            Self::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|lang| lang.code() == code)
    }

    /// The language of the page at `path`: English under `/en`,
    /// Vietnamese everywhere else.
    pub fn of_path(path: &str) -> Self {
        if path == "/en" || path.starts_with("/en/") {
            Self::En
        } else {
            Self::Vi
        }
    }

    /// This language's fixed words.
    pub fn strings(self) -> &'static Strings {
        match self {
            Self::Vi => &VI,
            Self::En => &EN,
        }
    }
}

/// The words for [`Lang`] `lang`.
pub fn t(lang: Lang) -> &'static Strings {
    lang.strings()
}

/// The language of the frame (header, side column, footer): Vietnamese
/// until every component of the frame takes its words from here.
pub const FRAME: Lang = Lang::Vi;

/// The language of the page being rendered, from its address (inside the
/// `<Router>`).
pub fn current_lang() -> Lang {
    Lang::of_path(&use_location().pathname.get_untracked())
}

/// The frame's `lang` attribute: only where it differs from the page's.
pub fn frame_lang_attr() -> Option<&'static str> {
    (current_lang() != FRAME).then(|| FRAME.code())
}

/// A link to the portal in another language.
#[derive(Debug)]
pub struct LanguageLink {
    /// The language's own name ("English", "Tiếng Việt").
    pub label: &'static str,
    pub lang: Lang,
    pub href: &'static str,
}

/// The fixed words of the frame and of the fixed pages, one language.
#[derive(Debug)]
pub struct Strings {
    /// The header's link to the portal in the other language.
    pub other_language: LanguageLink,
    pub skip_link: &'static str,
    pub main_nav: &'static str,
    pub menu_button: &'static str,
    pub home: &'static str,
    /// The about page's entry in the main menu.
    pub about: &'static str,
    /// The legal documents library's entry in the main menu.
    pub documents: &'static str,
    /// The citizens' questions' entry in the main menu.
    pub questions: &'static str,
    pub address: &'static str,
    pub hotlines: &'static str,
    pub aside: &'static str,
    pub managing_unit: &'static str,
    pub responsible_person: &'static str,
    pub head_office: &'static str,
    pub phone: &'static str,
    pub fax: &'static str,
    pub email: &'static str,
    pub breadcrumbs: &'static str,
    /// Before the date a fixed page was last changed.
    pub updated: &'static str,
    /// The months' names for dates in running text; empty: dates as `02/12/2026`.
    pub months: [&'static str; 12],
}

impl Strings {
    /// A date for running text: `02/12/2026`, or `2 December 2026`.
    pub fn date(&self, date: time::Date) -> String {
        if self.months[0].is_empty() {
            format!(
                "{:02}/{:02}/{}",
                date.day(),
                u8::from(date.month()),
                date.year()
            )
        } else {
            let month = self.months[usize::from(u8::from(date.month())) - 1];
            format!("{} {month} {}", date.day(), date.year())
        }
    }
}

pub const VI: Strings = Strings {
    other_language: LanguageLink {
        label: "English",
        lang: Lang::En,
        href: "/en",
    },
    skip_link: "Bỏ qua, đến nội dung chính",
    main_nav: "Điều hướng chính",
    menu_button: "Chuyên mục",
    home: "Trang chủ",
    about: "Giới thiệu",
    documents: "Văn bản",
    questions: "Hỏi đáp",
    address: "Địa chỉ: ",
    hotlines: "Đường dây nóng:",
    aside: "Thống kê và liên kết",
    managing_unit: "Đơn vị quản lý: ",
    responsible_person: "Chịu trách nhiệm nội dung: ",
    head_office: "Trụ sở: ",
    phone: "Điện thoại: ",
    fax: " - Fax: ",
    email: ", Email: ",
    breadcrumbs: "Vị trí trang",
    updated: "Cập nhật lần cuối: ",
    months: [""; 12],
};

pub const EN: Strings = Strings {
    other_language: LanguageLink {
        label: "Tiếng Việt",
        lang: Lang::Vi,
        // The same page in Vietnamese.
        href: "/gioi-thieu",
    },
    skip_link: "Skip to main content",
    main_nav: "Main navigation",
    menu_button: "Menu",
    home: "Home",
    about: "About us",
    documents: "Legal documents",
    questions: "Questions and answers",
    address: "Address: ",
    hotlines: "Hotlines:",
    aside: "Statistics and links",
    managing_unit: "Managed by: ",
    responsible_person: "Responsible for content: ",
    head_office: "Head office: ",
    phone: "Phone: ",
    fax: " - Fax: ",
    email: ", Email: ",
    breadcrumbs: "You are here",
    updated: "Last updated: ",
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
};

/// Sets `<html lang>` from the page's address. The shell writes `<html>`
/// without it, so the document has exactly one `lang`, from here.
#[component]
pub fn DocumentLanguage() -> impl IntoView {
    view! { <Html {..} lang=current_lang().code()/> }
}

/// The header's link to the portal in the other language, named in that
/// language and marked with it (`lang`, `hreflang`).
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let link = &t(current_lang()).other_language;
    view! {
        <a class="language-link" href=link.href lang=link.lang.code() hreflang=link.lang.code()>
            {link.label}
        </a>
    }
}

#[cfg(test)]
mod tests {
    use super::{Lang, t};

    #[test]
    fn languages_round_trip_and_follow_the_address() {
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
            assert_ne!(t(lang).other_language.lang, lang);
        }
        assert_eq!(Lang::of_path("/en"), Lang::En);
        assert_eq!(Lang::of_path("/en/lien-he"), Lang::En);
        assert_eq!(Lang::of_path("/"), Lang::Vi);
        assert_eq!(Lang::of_path("/gioi-thieu"), Lang::Vi);
        assert_eq!(Lang::of_path("/english"), Lang::Vi);
    }

    #[test]
    fn dates_read_as_each_language_writes_them() {
        let date = time::macros::date!(2026 - 12 - 02);
        assert_eq!(t(Lang::Vi).date(date), "02/12/2026");
        assert_eq!(t(Lang::En).date(date), "2 December 2026");
    }
}
