//! The legal-documents library ("Văn bản"): what Decree 42/2022/NĐ-CP
//! art. 7.3 asks a portal to publish about each document an office issues
//! or applies: its form, số/ký hiệu (number and symbol), issuing body,
//! signer, dates, field and trích yếu (summary), with the files themselves.

use serde::{Deserialize, Serialize};

use super::Paged;

/// The forms an editor picks from (Decree 30/2020/NĐ-CP art. 7 for
/// administrative documents; Law 80/2015/QH13 art. 4 for legal normative
/// ones), most used first.
pub const DOCUMENT_FORMS: [&str; 14] = [
    "Quyết định",
    "Kế hoạch",
    "Công văn",
    "Thông báo",
    "Báo cáo",
    "Chỉ thị",
    "Nghị quyết",
    "Hướng dẫn",
    "Chương trình",
    "Tờ trình",
    "Nghị định",
    "Thông tư",
    "Luật",
    "Văn bản khác",
];

/// How many documents a page of the public list shows.
pub const DOCUMENTS_PAGE_SIZE: u64 = 20;

/// The file types a document may attach, as `(extension, Content-Type)`;
/// the type is read from the file's bytes, never trusted from its name.
pub const ATTACHMENT_TYPES: [(&str, &str); 6] = [
    ("pdf", "application/pdf"),
    ("doc", "application/msword"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("xls", "application/vnd.ms-excel"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
];

/// Whether a document is in force on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Validity {
    /// Its effective date has not come.
    NotYet,
    InForce,
    /// Its expiry date has passed.
    Expired,
    /// Another document replaced it.
    Replaced,
}

impl Validity {
    pub fn label(self) -> &'static str {
        match self {
            Self::NotYet => "Chưa có hiệu lực",
            Self::InForce => "Còn hiệu lực",
            Self::Expired => "Hết hiệu lực",
            Self::Replaced => "Đã bị thay thế",
        }
    }

    /// A CSS class for its badge.
    pub fn class(self) -> &'static str {
        match self {
            Self::NotYet => "validity validity-not-yet",
            Self::InForce => "validity validity-in-force",
            Self::Expired | Self::Replaced => "validity validity-ended",
        }
    }

    /// From the document's ISO dates (`YYYY-MM-DD`, empty when not set) on
    /// `today` (ISO, Vietnam time).
    pub fn on(today: &str, effective_on: &str, expires_on: &str, replaced_by: &str) -> Self {
        if !replaced_by.trim().is_empty() {
            Self::Replaced
        } else if !expires_on.is_empty() && expires_on < today {
            Self::Expired
        } else if !effective_on.is_empty() && effective_on > today {
            Self::NotYet
        } else {
            Self::InForce
        }
    }
}

/// What the list shows of a document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSummary {
    pub id: i32,
    pub slug: String,
    /// Số/ký hiệu: `1234/QĐ-UBND`.
    pub number: String,
    pub form: String,
    pub issuer: String,
    /// Trích yếu.
    pub summary: String,
    /// ISO date, `YYYY-MM-DD`.
    pub issued_on: String,
    pub validity: Validity,
    /// Whether readers see it (editors' lists show both).
    pub published: bool,
}

impl DocumentSummary {
    pub fn path(&self) -> String {
        document_path(&self.slug)
    }
}

/// A file attached to a document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentFile {
    pub id: i32,
    /// The name it was uploaded with (Vietnamese kept), which downloads keep.
    pub file_name: String,
    /// The extension its bytes showed: `pdf`, `docx`, …
    pub kind: String,
    pub bytes: u64,
}

impl DocumentFile {
    /// The download address: `/van-ban/tep/{id}/{name}`.
    pub fn href(&self) -> String {
        format!(
            "/van-ban/tep/{}/{}",
            self.id,
            crate::url::encode_component(&self.file_name)
        )
    }

    /// `PDF, 245 KB`.
    pub fn description(&self) -> String {
        format!("{}, {}", self.kind.to_uppercase(), format_bytes(self.bytes))
    }
}

/// A size as people read it: `812 byte`, `245 KB`, `1,3 MB`.
pub fn format_bytes(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} byte")
    } else if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
        format!("{},{} MB", tenths / 10, tenths % 10)
    }
}

/// A document in full.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub id: i32,
    pub slug: String,
    pub number: String,
    pub form: String,
    pub issuer: String,
    /// Người ký: the signer's title and name.
    pub signer: String,
    /// Lĩnh vực.
    pub field: String,
    pub summary: String,
    /// ISO dates, `YYYY-MM-DD`; `effective_on` and `expires_on` empty when
    /// not set.
    pub issued_on: String,
    pub effective_on: String,
    pub expires_on: String,
    /// Số/ký hiệu of the document that replaced it, empty when none.
    pub replaced_by: String,
    pub validity: Validity,
    pub published: bool,
    pub files: Vec<DocumentFile>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: time::OffsetDateTime,
}

impl Document {
    pub fn path(&self) -> String {
        document_path(&self.slug)
    }

    /// A title for the page: `Quyết định 1234/QĐ-UBND`.
    pub fn title(&self) -> String {
        format!("{} {}", self.form, self.number)
    }
}

/// The public address of a document.
pub fn document_path(slug: &str) -> String {
    format!("/van-ban/{slug}")
}

/// `2026-03-05` → `05/03/2026`; anything else as it is.
pub fn format_date(iso: &str) -> String {
    let mut parts = iso.splitn(3, '-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d)) if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            format!("{d}/{m}/{y}")
        }
        _ => iso.to_owned(),
    }
}

/// The list's order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentSort {
    /// Newest issue date first.
    #[default]
    Newest,
    Oldest,
    /// By số/ký hiệu, as text.
    Number,
}

impl DocumentSort {
    pub const ALL: [DocumentSort; 3] = [Self::Newest, Self::Oldest, Self::Number];

    /// The value in the address: `?sap-xep=cu-nhat`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Newest => "moi-nhat",
            Self::Oldest => "cu-nhat",
            Self::Number => "so-ky-hieu",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Newest => "Ngày ban hành, mới nhất trước",
            Self::Oldest => "Ngày ban hành, cũ nhất trước",
            Self::Number => "Số/ký hiệu",
        }
    }

    /// Unknown values mean the default.
    pub fn parse(value: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .unwrap_or_default()
    }
}

/// What a reader asked the list for (the address's query string).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentQuery {
    /// Words of the number, summary, issuer or signer (`?q=`).
    pub q: String,
    /// `?loai=`: a form, empty for all.
    pub form: String,
    /// `?co-quan=`: an issuing body, empty for all.
    pub issuer: String,
    /// `?linh-vuc=`: a field, empty for all.
    pub field: String,
    /// `?nam=`: the year of issue.
    pub year: Option<i32>,
    pub sort: DocumentSort,
    /// 1-based (`?trang=`).
    pub page: u64,
}

impl DocumentQuery {
    /// The address of this query at `page` (empty parts left out).
    pub fn href(&self, page: u64) -> String {
        use crate::url::encode_component as enc;
        let mut parts: Vec<String> = Vec::new();
        for (name, value) in [
            ("q", self.q.as_str()),
            ("loai", self.form.as_str()),
            ("co-quan", self.issuer.as_str()),
            ("linh-vuc", self.field.as_str()),
        ] {
            if !value.is_empty() {
                parts.push(format!("{name}={}", enc(value)));
            }
        }
        if let Some(year) = self.year {
            parts.push(format!("nam={year}"));
        }
        if self.sort != DocumentSort::Newest {
            parts.push(format!("sap-xep={}", self.sort.as_str()));
        }
        if page > 1 {
            parts.push(format!("trang={page}"));
        }
        if parts.is_empty() {
            "/van-ban".to_owned()
        } else {
            format!("/van-ban?{}", parts.join("&"))
        }
    }

    /// Whether any filter or words narrow the list.
    pub fn is_filtered(&self) -> bool {
        self.q.chars().any(char::is_alphanumeric)
            || !self.form.is_empty()
            || !self.issuer.is_empty()
            || !self.field.is_empty()
            || self.year.is_some()
    }
}

/// The values the list's filters offer: those published documents have.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentFacets {
    pub forms: Vec<String>,
    pub issuers: Vec<String>,
    pub fields: Vec<String>,
    /// Newest first.
    pub years: Vec<i32>,
}

/// One page of the public list, with its filters' choices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentListing {
    pub page: Paged<DocumentSummary>,
    pub facets: DocumentFacets,
}

/// What an editor saves. `id` is `None` for a new document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInput {
    pub id: Option<i32>,
    pub number: String,
    pub form: String,
    pub issuer: String,
    pub signer: String,
    pub field: String,
    pub summary: String,
    pub issued_on: String,
    pub effective_on: String,
    pub expires_on: String,
    pub replaced_by: String,
}

impl From<&Document> for DocumentInput {
    fn from(d: &Document) -> Self {
        Self {
            id: Some(d.id),
            number: d.number.clone(),
            form: d.form.clone(),
            issuer: d.issuer.clone(),
            signer: d.signer.clone(),
            field: d.field.clone(),
            summary: d.summary.clone(),
            issued_on: d.issued_on.clone(),
            effective_on: d.effective_on.clone(),
            expires_on: d.expires_on.clone(),
            replaced_by: d.replaced_by.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_follows_the_dates() {
        let today = "2026-12-01";
        assert_eq!(Validity::on(today, "", "", ""), Validity::InForce);
        assert_eq!(
            Validity::on(today, "2026-12-01", "2026-12-01", ""),
            Validity::InForce
        );
        assert_eq!(Validity::on(today, "2026-12-02", "", ""), Validity::NotYet);
        assert_eq!(
            Validity::on(today, "2025-01-01", "2026-11-30", ""),
            Validity::Expired
        );
        assert_eq!(
            Validity::on(today, "2025-01-01", "", "99/QĐ-UBND"),
            Validity::Replaced
        );
    }

    #[test]
    fn sizes_and_dates_read_the_vietnamese_way() {
        assert_eq!(format_bytes(812), "812 byte");
        assert_eq!(format_bytes(250_000), "245 KB");
        assert_eq!(format_bytes(1_363_149), "1,3 MB");
        assert_eq!(format_date("2026-03-05"), "05/03/2026");
        assert_eq!(format_date(""), "");
    }

    #[test]
    fn a_query_writes_its_own_address() {
        let query = DocumentQuery {
            q: "QĐ 1234".into(),
            form: "Quyết định".into(),
            year: Some(2026),
            sort: DocumentSort::Oldest,
            ..Default::default()
        };
        assert_eq!(
            query.href(2),
            "/van-ban?q=Q%C4%90%201234&loai=Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh&nam=2026&sap-xep=cu-nhat&trang=2"
        );
        assert_eq!(DocumentQuery::default().href(1), "/van-ban");
        assert_eq!(DocumentSort::parse("nonsense"), DocumentSort::Newest);
    }
}
