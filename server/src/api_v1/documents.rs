//! `/api/v1/documents` and `/api/v1/documents/{slug}`: the published legal
//! documents of the library, read through [`DocumentLibrary`] (which only
//! ever returns published ones to these calls), with their files as
//! absolute download addresses.

use app::model::documents::{self as model, DocumentQuery};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Answer, ApiError, ApiState, ErrorBody, Paging, bad_query, json, page_count, rfc3339};

/// The longest `q` accepted.
const MAX_QUERY_CHARS: usize = 200;

/// Whether a document is in force today (Vietnam time): `not_yet` (its
/// effective date has not come), `in_force`, `expired` (its expiry date has
/// passed) or `replaced` (another document replaced it).
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// Its effective date has not come.
    NotYet,
    InForce,
    /// Its expiry date has passed.
    Expired,
    /// Another document replaced it.
    Replaced,
}

impl From<model::Validity> for Validity {
    fn from(value: model::Validity) -> Self {
        match value {
            model::Validity::NotYet => Self::NotYet,
            model::Validity::InForce => Self::InForce,
            model::Validity::Expired => Self::Expired,
            model::Validity::Replaced => Self::Replaced,
        }
    }
}

/// A document as lists show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentSummary {
    /// Stable identifier, used in the document's addresses.
    #[schema(example = "1234-qd-ubnd-2026")]
    pub slug: String,
    /// Số/ký hiệu: number and symbol.
    #[schema(example = "1234/QĐ-UBND")]
    pub number: String,
    /// Its form ("Quyết định", "Kế hoạch", …).
    pub form: String,
    /// The issuing body.
    pub issuer: String,
    /// Trích yếu: what it is about.
    pub summary: String,
    /// Date of issue.
    #[schema(format = Date)]
    pub issued_on: String,
    pub validity: Validity,
    /// The validity as the portal shows it, in Vietnamese.
    #[schema(example = "Còn hiệu lực")]
    pub validity_label: String,
    /// The document's page on the portal.
    #[schema(format = "uri")]
    pub url: String,
    /// The document in this API.
    #[schema(format = "uri")]
    pub api_url: String,
}

/// A file of a document.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentFile {
    /// The file's name as published (Vietnamese kept).
    pub name: String,
    /// Its type, from its bytes: `pdf`, `doc`, `docx`, `xls`, `xlsx`, `odt`.
    #[schema(example = "pdf")]
    pub kind: String,
    #[schema(example = "application/pdf")]
    pub content_type: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Absolute download address.
    #[schema(format = "uri")]
    pub url: String,
}

/// A published document in full.
#[derive(Debug, Serialize, ToSchema)]
pub struct Document {
    pub slug: String,
    pub number: String,
    pub form: String,
    pub issuer: String,
    /// Người ký: the signer's title and name, when given.
    #[schema(required = true)]
    pub signer: Option<String>,
    /// Lĩnh vực: its field, when given.
    #[schema(required = true)]
    pub field: Option<String>,
    pub summary: String,
    #[schema(format = Date)]
    pub issued_on: String,
    /// When it takes effect, when given.
    #[schema(required = true, format = Date)]
    pub effective_on: Option<String>,
    /// When it expires, when given.
    #[schema(required = true, format = Date)]
    pub expires_on: Option<String>,
    /// Số/ký hiệu of the document that replaced it, if one did.
    #[schema(required = true)]
    pub replaced_by: Option<String>,
    pub validity: Validity,
    pub validity_label: String,
    /// When its description or files last changed (RFC 3339, Vietnam time).
    #[schema(format = DateTime)]
    pub updated_at: String,
    pub files: Vec<DocumentFile>,
    #[schema(format = "uri")]
    pub url: String,
    #[schema(format = "uri")]
    pub api_url: String,
}

/// One page of documents.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentList {
    pub items: Vec<DocumentSummary>,
    #[schema(minimum = 1)]
    pub page: u64,
    #[schema(minimum = 1, maximum = 100)]
    pub per_page: u64,
    pub total: u64,
    #[schema(minimum = 1)]
    pub total_pages: u64,
}

/// The parameters of `/api/v1/documents`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentListParams {
    /// The page to return, 1-based (default 1).
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000000)]
    page: Option<String>,
    /// Documents per page (default 20, at most 100).
    #[param(value_type = Option<u64>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
    /// Words that must each begin a word of the number, summary, issuer,
    /// signer, form or field, ignoring case and Vietnamese diacritics
    /// (`QĐ 1234`, `qd-ubnd 1234` and `1234` all find `1234/QĐ-UBND`).
    #[param(value_type = Option<String>, max_length = 200)]
    q: Option<String>,
    /// Only documents of this form, exactly as the documents give it
    /// (e.g. `Quyết định`).
    #[param(value_type = Option<String>)]
    form: Option<String>,
    /// Only documents issued this year.
    #[param(value_type = Option<i32>, minimum = 1900, maximum = 9999)]
    year: Option<String>,
}

/// `""` as `None`.
fn given(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

impl ApiState {
    fn document_api_url(&self, slug: &str) -> String {
        format!("{}/api/v1/documents/{slug}", self.public_url)
    }
}

/// Published documents, newest issue first.
#[utoipa::path(
    get,
    path = "/api/v1/documents",
    operation_id = "list_documents",
    tag = "documents",
    params(DocumentListParams),
    responses(
        (status = 200, description = "One page of published documents.", body = DocumentList,
            headers(
                ("ETag" = String, description = "Weak validator of the body."),
                ("Cache-Control" = String, description = "`public, max-age=60`."),
            )),
        (status = 304, description = "Not modified: `If-None-Match` matched the current `ETag`."),
        (status = 400, description = "A malformed `page`, `per_page`, `q` or `year`.", body = ErrorBody),
        (status = 503, description = "The database is unavailable.", body = ErrorBody),
    )
)]
pub async fn list(
    State(api): State<ApiState>,
    headers: HeaderMap,
    query: Result<Query<DocumentListParams>, QueryRejection>,
) -> Answer {
    let Query(params) = query.map_err(bad_query)?;
    let paging = Paging::parse(params.page.as_deref(), params.per_page.as_deref())?;
    let q = params.q.unwrap_or_default();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::bad_request(format!(
            "Từ khóa tìm kiếm (q) dài quá {MAX_QUERY_CHARS} ký tự; xin vui lòng rút gọn."
        )));
    }
    let year = match params
        .year
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        None => None,
        Some(value) => Some(
            value
                .parse::<i32>()
                .ok()
                .filter(|y| (1900..=9999).contains(y))
                .ok_or_else(|| {
                    ApiError::bad_request("Tham số year phải là một năm, ví dụ 2026.")
                })?,
        ),
    };
    let query = DocumentQuery {
        q,
        form: params.form.unwrap_or_default(),
        year,
        page: paging.page,
        ..DocumentQuery::default()
    };
    let found = api.documents.search(&query, paging.per_page).await?;
    let items = found
        .items
        .into_iter()
        // The library only finds published documents; this says so twice.
        .filter(|document| document.published)
        .map(|document| DocumentSummary {
            url: api.absolute(&document.path()),
            api_url: api.document_api_url(&document.slug),
            validity: document.validity.into(),
            validity_label: document.validity.label().to_owned(),
            slug: document.slug,
            number: document.number,
            form: document.form,
            issuer: document.issuer,
            summary: document.summary,
            issued_on: document.issued_on,
        })
        .collect();
    json(
        &headers,
        &DocumentList {
            items,
            page: paging.page,
            per_page: paging.per_page,
            total: found.total,
            total_pages: page_count(found.total, paging.per_page),
        },
    )
}

/// A published document by its slug, with its files.
#[utoipa::path(
    get,
    path = "/api/v1/documents/{slug}",
    operation_id = "get_document",
    tag = "documents",
    params(("slug" = String, Path, description = "The document's slug, as in its `url`.")),
    responses(
        (status = 200, description = "The document.", body = Document,
            headers(
                ("ETag" = String, description = "Weak validator of the body."),
                ("Cache-Control" = String, description = "`public, max-age=60`."),
            )),
        (status = 304, description = "Not modified: `If-None-Match` matched the current `ETag`."),
        (status = 404, description = "No published document has this slug.", body = ErrorBody),
        (status = 503, description = "The database is unavailable.", body = ErrorBody),
    )
)]
pub async fn detail(
    State(api): State<ApiState>,
    headers: HeaderMap,
    slug: Result<Path<String>, PathRejection>,
) -> Answer {
    // A slug that is not even UTF-8 names nothing.
    let slug = slug.map(|Path(slug)| slug).unwrap_or_default();
    let Some(document) = api
        .documents
        .by_slug(&slug)
        .await?
        .filter(|document| document.published)
    else {
        return Err(ApiError::not_found(
            "Không tìm thấy văn bản này. Có thể văn bản đã được gỡ hoặc đổi địa chỉ.",
        ));
    };
    let files = document
        .files
        .iter()
        .map(|file| DocumentFile {
            url: api.absolute(&file.href()),
            content_type: crate::documents::files::content_type(&file.kind).to_owned(),
            name: file.file_name.clone(),
            kind: file.kind.clone(),
            bytes: file.bytes,
        })
        .collect();
    json(
        &headers,
        &Document {
            url: api.absolute(&document.path()),
            api_url: api.document_api_url(&document.slug),
            validity: document.validity.into(),
            validity_label: document.validity.label().to_owned(),
            updated_at: rfc3339(document.updated_at),
            signer: given(&document.signer),
            field: given(&document.field),
            effective_on: given(&document.effective_on),
            expires_on: given(&document.expires_on),
            replaced_by: given(&document.replaced_by),
            files,
            slug: document.slug,
            number: document.number,
            form: document.form,
            issuer: document.issuer,
            summary: document.summary,
            issued_on: document.issued_on,
        },
    )
}
