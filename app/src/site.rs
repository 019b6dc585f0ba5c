//! The office's identity: what the banner, the header and the footer show,
//! and what Decree 15/2020 art. 99 asks a homepage to state. Stored in the
//! database (the `identity` site setting); these are the reference page's
//! values, seeded on first start and used if the setting cannot be read.

use serde::{Deserialize, Serialize};

/// A phone number as printed, and as dialled (`tel:`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone {
    pub shown: String,
    pub dial: String,
}

impl Phone {
    pub fn new(shown: &str, dial: &str) -> Self {
        Self {
            shown: shown.to_owned(),
            dial: dial.to_owned(),
        }
    }

    pub fn href(&self) -> String {
        format!("tel:{}", self.dial)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteIdentity {
    pub tagline: String,
    pub name: String,
    /// The managing organisation ("Đơn vị quản lý").
    pub managing_unit: String,
    /// The person responsible for the content ("Người chịu trách nhiệm nội dung").
    pub responsible_person: String,
    pub address: String,
    pub hotlines: Vec<Phone>,
    pub phone: Phone,
    pub fax: String,
    pub email: String,
    pub division_name: String,
    pub division_phone: Phone,
    pub division_email: String,
    pub copyright: String,
    pub republish_notice: String,
    /// Banner images: wide (desktop) and tall (phones), with one text alternative.
    pub banner: String,
    pub banner_mobile: String,
    pub banner_alt: String,
    /// Other agencies' portals for the "Liên kết website" block (Decree
    /// 42/2022 art. 7). Identities stored before the field existed get the
    /// defaults.
    #[serde(default = "SiteLink::defaults")]
    pub linked_sites: Vec<SiteLink>,
    /// The address (https) of the monitoring script an operator is given
    /// when connecting the portal to the state's monitoring system
    /// (Circular 22/2023/TT-BTTTT); loaded `async` on every public page.
    /// Set by admins only; empty for none.
    #[serde(default)]
    pub monitoring_script: String,
}

/// A link to another agency's website.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteLink {
    pub name: String,
    pub url: String,
}

impl SiteLink {
    fn new(name: &str, url: &str) -> Self {
        Self {
            name: name.to_owned(),
            url: url.to_owned(),
        }
    }

    /// The portals a city's reform office links to by default.
    pub fn defaults() -> Vec<Self> {
        vec![
            Self::new(
                "Cổng thông tin điện tử thành phố Cần Thơ",
                "https://www.cantho.gov.vn/",
            ),
            Self::new("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn/"),
            Self::new("Cổng thông tin điện tử Chính phủ", "https://chinhphu.vn/"),
            Self::new("Bộ Nội vụ", "https://moha.gov.vn/"),
        ]
    }
}

impl Default for SiteIdentity {
    fn default() -> Self {
        Self {
            tagline: "Trang thông tin điện tử".into(),
            name: "Cải cách hành chính thành phố Cần Thơ".into(),
            managing_unit: "Cải cách hành chính TPCT".into(),
            responsible_person: "Giám đốc Sở Nội vụ thành phố Cần Thơ".into(),
            address: "51 Lý Tự Trọng, phường An Phú, quận Ninh Kiều, thành phố Cần Thơ".into(),
            hotlines: vec![
                Phone::new("0931.015.119", "0931015119"),
                Phone::new("0931.016.119", "0931016119"),
            ],
            phone: Phone::new("(0710) 3820715", "+842923820715"),
            fax: "(0710) 3825228".into(),
            email: "sonoivu@cantho.gov.vn".into(),
            division_name: "Phòng Cải cách Hành chính".into(),
            division_phone: Phone::new("0710 3730759", "+842923730759"),
            division_email: "caicachhanhchinh@cantho.gov.vn".into(),
            copyright: "© CẢI CÁCH HÀNH CHÍNH THÀNH PHỐ CẦN THƠ".into(),
            republish_notice: "Ghi rõ nguồn: \"Trang Thông tin điện tử Cải Cách Hành Chính Thành Phố Cần Thơ\" khi phát hành thông tin lại từ Trang này.".into(),
            banner: "/banner.svg".into(),
            banner_mobile: "/banner-mobile.svg".into(),
            banner_alt: "Trang thông tin điện tử Cải cách hành chính thành phố Cần Thơ".into(),
            linked_sites: SiteLink::defaults(),
            monitoring_script: String::new(),
        }
    }
}
