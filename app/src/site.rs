//! The office's identity as shown in the header and footer.
//!
//! These are the values of the reference page. They move into an editable
//! site-settings record when editors get a settings screen.

pub const SITE_NAME: &str = "Cải cách hành chính thành phố Cần Thơ";
pub const SITE_TAGLINE: &str = "Trang thông tin điện tử";
pub const ADDRESS: &str = "51 Lý Tự Trọng, phường An Phú, quận Ninh Kiều, thành phố Cần Thơ";
/// Hotlines as printed and as dialled.
pub const HOTLINES: [(&str, &str); 2] = [
    ("0931.015.119", "0931015119"),
    ("0931.016.119", "0931016119"),
];
pub const COPYRIGHT: &str = "© CẢI CÁCH HÀNH CHÍNH THÀNH PHỐ CẦN THƠ";
pub const MANAGING_UNIT: &str = "Cải cách hành chính TPCT";
pub const PHONE: (&str, &str) = ("(0710) 3820715", "02923820715");
pub const FAX: &str = "(0710) 3825228";
pub const EMAIL: &str = "sonoivu@cantho.gov.vn";
pub const REFORM_DIVISION_PHONE: (&str, &str) = ("0710 3730759", "02923730759");
pub const REFORM_DIVISION_EMAIL: &str = "caicachhanhchinh@cantho.gov.vn";
pub const REPUBLISH_NOTICE: &str = "Ghi rõ nguồn: \"Trang Thông tin điện tử Cải Cách Hành Chính Thành Phố Cần Thơ\" khi phát hành thông tin lại từ Trang này.";
