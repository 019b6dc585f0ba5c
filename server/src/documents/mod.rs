//! The legal-documents library ("Văn bản", Decree 42/2022/NĐ-CP art. 7.3):
//! the rows that describe documents, their attached files under
//! `CCHC_DOCUMENTS_DIR`, the upload and download routes and the RSS feed.
//!
//! Search: every word of a query must begin a word of the document's
//! number, summary, issuer, signer, form or field, folded like the
//! articles' search ([`crate::search::fold`]), so `1234/QĐ-UBND` is found
//! by "1234", "qd-ubnd 1234" and "QĐ 1234". The folded words are kept in
//! `search_text`, each preceded by a space, and matched with
//! `LIKE '% word%'` on both databases: a library holds thousands of
//! documents, not millions.
//!
//! Files are written under a hidden name and renamed into place, and their
//! row is inserted last: a failed upload leaves nothing half-written.

pub mod files;
pub mod seed;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use app::error::FieldError;
use app::model::Paged;
use app::model::accounts::{AuditAction, CurrentUser, Role};
use app::model::documents::{
    DOCUMENT_FORMS, Document, DocumentFacets, DocumentFile, DocumentInput, DocumentQuery,
    DocumentSort, DocumentSummary, Validity,
};
use app::ssr::{DocumentLibrary, StoreError};
use async_trait::async_trait;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use time::OffsetDateTime;

use crate::audit::Event;
use crate::changes::PublicChanges;
use crate::db::entities::{document, document_file};
use crate::media::answer;

/// The most files one document may carry.
pub const MAX_FILES: usize = 20;
/// The most documents the editors' list shows.
pub const EDITOR_LIST_LIMIT: u64 = 500;
/// How many documents the RSS feed carries.
const FEED_ITEMS: u64 = 30;

fn storage(err: impl std::fmt::Display) -> StoreError {
    StoreError::storage(err)
}

fn invalid(field: &str, message: &str) -> StoreError {
    StoreError::Invalid(vec![FieldError::new(field, message)])
}

/// Today in Vietnam, ISO (`2026-12-01`): documents take effect and expire
/// by the calendar of the office that issued them.
pub fn today() -> String {
    iso(OffsetDateTime::now_utc()
        .to_offset(app::vn_time::VIETNAM)
        .date())
}

fn iso(date: time::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// A date field: empty, or a real calendar date written `YYYY-MM-DD`.
fn parse_date(value: &str) -> Result<Option<String>, ()> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    time::Date::parse(
        value,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map(|date| Some(iso(date)))
    .map_err(|_| ())
}

/// The folded words of `texts`, each preceded by a space (`" 1234 qd ubnd"`);
/// a number written with leading zeros also without them (`05` → `05 5`).
pub fn search_text(texts: &[&str]) -> String {
    let mut out = String::new();
    for text in texts {
        for word in crate::search::fold(text).split(|c: char| !c.is_alphanumeric()) {
            if !word.is_empty() {
                out.push(' ');
                out.push_str(word);
                let bare = without_leading_zeros(word);
                if bare != word {
                    out.push(' ');
                    out.push_str(bare);
                }
            }
        }
    }
    out
}

/// `"05"` → `"5"`; other words as they are (`"0"` stays).
fn without_leading_zeros(word: &str) -> &str {
    if word.len() > 1 && word.bytes().all(|b| b.is_ascii_digit()) {
        let bare = word.trim_start_matches('0');
        if bare.is_empty() { "0" } else { bare }
    } else {
        word
    }
}

/// A query's words for the documents' `search_text`: numbers without
/// leading zeros match both spellings.
fn query_words(q: &str) -> Vec<String> {
    crate::search::tokens(q)
        .iter()
        .map(|w| without_leading_zeros(w).to_owned())
        .collect()
}

fn summary_of(model: &document::Model, today: &str) -> DocumentSummary {
    DocumentSummary {
        id: model.id,
        slug: model.slug.clone(),
        number: model.number.clone(),
        form: model.form.clone(),
        issuer: model.issuer.clone(),
        summary: model.summary.clone(),
        issued_on: model.issued_on.clone(),
        validity: validity(model, today),
        published: model.published,
    }
}

fn validity(model: &document::Model, today: &str) -> Validity {
    Validity::on(
        today,
        &model.effective_on,
        &model.expires_on,
        &model.replaced_by,
    )
}

fn file_of(model: document_file::Model) -> DocumentFile {
    DocumentFile {
        id: model.id,
        file_name: model.file_name,
        kind: model.kind,
        bytes: u64::try_from(model.bytes).unwrap_or(0),
    }
}

fn new_token() -> Result<String, StoreError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Storage(format!("no randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The checked fields of a document.
struct Checked {
    number: String,
    form: String,
    issuer: String,
    signer: String,
    field: String,
    summary: String,
    issued_on: String,
    effective_on: String,
    expires_on: String,
    replaced_by: String,
}

/// Checks what an editor typed; every mistake is named at once.
fn check(input: &DocumentInput) -> Result<Checked, StoreError> {
    let mut problems = Vec::new();
    let mut text = |field: &str, value: &str, max: usize, required: Option<&str>| -> String {
        let value: String = crate::text::nfc(value.trim())
            .chars()
            .filter(|c| !c.is_control() || *c == '\n')
            .collect();
        if value.is_empty()
            && let Some(message) = required
        {
            problems.push(FieldError::new(field, message));
        } else if value.chars().count() > max {
            problems.push(FieldError::new(
                field,
                &format!("Xin vui lòng rút gọn còn tối đa {max} ký tự."),
            ));
        }
        value
    };
    let number = text(
        "number",
        &input.number,
        100,
        Some("Nhập số/ký hiệu của văn bản, ví dụ 1234/QĐ-UBND."),
    )
    .replace('\n', " ");
    let form = text("form", &input.form, 100, None);
    let issuer = text(
        "issuer",
        &input.issuer,
        255,
        Some("Nhập cơ quan ban hành văn bản."),
    )
    .replace('\n', " ");
    let signer = text("signer", &input.signer, 255, None).replace('\n', " ");
    let field = text("field", &input.field, 255, None).replace('\n', " ");
    let summary = text(
        "summary",
        &input.summary,
        2000,
        Some("Nhập trích yếu nội dung văn bản."),
    );
    let replaced_by = text("replaced_by", &input.replaced_by, 100, None).replace('\n', " ");
    if !DOCUMENT_FORMS.contains(&form.as_str()) {
        problems.push(FieldError::new(
            "form",
            "Chọn hình thức văn bản trong danh sách.",
        ));
    }
    let mut date = |field: &str, value: &str, label: &str| match parse_date(value) {
        Ok(date) => date.unwrap_or_default(),
        Err(()) => {
            problems.push(FieldError::new(
                field,
                &format!("{label} chưa đúng; xin vui lòng chọn lại ngày."),
            ));
            String::new()
        }
    };
    let issued_on = date("issued_on", &input.issued_on, "Ngày ban hành");
    let effective_on = date("effective_on", &input.effective_on, "Ngày hiệu lực");
    let expires_on = date("expires_on", &input.expires_on, "Ngày hết hiệu lực");
    if issued_on.is_empty() && input.issued_on.trim().is_empty() {
        problems.push(FieldError::new("issued_on", "Chọn ngày ban hành."));
    }
    if !effective_on.is_empty() && !issued_on.is_empty() && effective_on < issued_on {
        problems.push(FieldError::new(
            "effective_on",
            "Ngày hiệu lực không thể trước ngày ban hành.",
        ));
    }
    let starts = if effective_on.is_empty() {
        &issued_on
    } else {
        &effective_on
    };
    if !expires_on.is_empty() && !starts.is_empty() && expires_on <= *starts {
        problems.push(FieldError::new(
            "expires_on",
            "Ngày hết hiệu lực phải sau ngày hiệu lực.",
        ));
    }
    if !replaced_by.is_empty() && replaced_by == number {
        problems.push(FieldError::new(
            "replaced_by",
            "Một văn bản không thể thay thế chính nó.",
        ));
    }
    if problems.is_empty() {
        Ok(Checked {
            number,
            form,
            issuer,
            signer,
            field,
            summary,
            issued_on,
            effective_on,
            expires_on,
            replaced_by,
        })
    } else {
        Err(StoreError::Invalid(problems))
    }
}

#[derive(Clone)]
pub struct DocumentStore {
    db: DatabaseConnection,
    dir: PathBuf,
    changes: Arc<PublicChanges>,
}

impl DocumentStore {
    /// The library with its files in `dir`, created if missing; leftovers
    /// of interrupted uploads are removed, and the demo documents' files
    /// are written if their rows exist without them.
    pub async fn new(
        db: DatabaseConnection,
        dir: PathBuf,
        changes: Arc<PublicChanges>,
    ) -> std::io::Result<Self> {
        std::fs::create_dir_all(&dir)?;
        for entry in std::fs::read_dir(&dir)?.flatten() {
            if entry.file_name().to_string_lossy().starts_with(".tai-len-") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        let store = Self { db, dir, changes };
        seed::write_demo_files(&store.db, &store.dir)
            .await
            .map_err(std::io::Error::other)?;
        Ok(store)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    async fn files_of(&self, document_id: i32) -> Result<Vec<DocumentFile>, StoreError> {
        Ok(document_file::Entity::find()
            .filter(document_file::Column::DocumentId.eq(document_id))
            .order_by_asc(document_file::Column::Position)
            .order_by_asc(document_file::Column::Id)
            .all(&self.db)
            .await
            .map_err(storage)?
            .into_iter()
            .map(file_of)
            .collect())
    }

    async fn full(&self, model: document::Model) -> Result<Document, StoreError> {
        let files = self.files_of(model.id).await?;
        let today = today();
        Ok(Document {
            validity: validity(&model, &today),
            id: model.id,
            slug: model.slug,
            number: model.number,
            form: model.form,
            issuer: model.issuer,
            signer: model.signer,
            field: model.field,
            summary: model.summary,
            issued_on: model.issued_on,
            effective_on: model.effective_on,
            expires_on: model.expires_on,
            replaced_by: model.replaced_by,
            published: model.published,
            files,
            updated_at: model.updated_at,
        })
    }

    /// A slug for `number` issued in `year` that no other document has.
    async fn free_slug<C: ConnectionTrait>(
        db: &C,
        number: &str,
        issued_on: &str,
        own_id: Option<i32>,
    ) -> Result<String, StoreError> {
        let year = issued_on.get(..4).unwrap_or_default();
        let mut base = crate::slug::slugify(number);
        if base.is_empty() {
            base = "van-ban".to_owned();
        }
        base.truncate(150);
        let base = format!("{}-{year}", base.trim_end_matches('-'));
        for n in 1..1000 {
            let slug = if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            let taken = document::Entity::find()
                .filter(document::Column::Slug.eq(&slug))
                .one(db)
                .await
                .map_err(storage)?;
            match taken {
                Some(other) if Some(other.id) != own_id => continue,
                _ => return Ok(slug),
            }
        }
        Err(StoreError::Storage("no free slug".into()))
    }

    /// Ends a write: audit line, notification, commit; then this server's
    /// page cache drops public pages when readers' content changed.
    async fn finish(
        &self,
        txn: sea_orm::DatabaseTransaction,
        by: &CurrentUser,
        action: AuditAction,
        target: &str,
        detail: &str,
        public: bool,
    ) -> Result<(), StoreError> {
        let event = Event {
            actor: Some(by.id),
            action,
            target,
            detail,
            ip: None,
        };
        crate::changes::commit_with_audit(txn, event, public, Some(&self.changes)).await
    }

    /// Checks and stores a file for document `document_id`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] without such a document; [`StoreError::Invalid`]
    /// (field `file`) for a type not accepted or too many files;
    /// [`StoreError::Storage`] when the disk or database fails, with nothing
    /// left behind.
    pub async fn upload(
        &self,
        by: &CurrentUser,
        document_id: i32,
        file_name: &str,
        bytes: Bytes,
    ) -> Result<Document, StoreError> {
        let model = document::Entity::find_by_id(document_id)
            .one(&self.db)
            .await
            .map_err(storage)?
            .ok_or(StoreError::NotFound)?;
        let Some(kind) = files::kind_of(&bytes) else {
            return Err(invalid(
                "file",
                "Tệp này không phải là PDF, Word (DOC, DOCX), Excel (XLS, XLSX) hoặc ODT; \
                 xin vui lòng chọn đúng tệp văn bản.",
            ));
        };
        let existing = self.files_of(document_id).await?;
        if existing.len() >= MAX_FILES {
            return Err(invalid(
                "file",
                &format!("Một văn bản có tối đa {MAX_FILES} tệp đính kèm."),
            ));
        }
        let name = files::clean_file_name(file_name, kind);
        let token = new_token()?;
        let staging = self.dir.join(format!(".tai-len-{token}"));
        let path = self.dir.join(&token);
        let written = async {
            tokio::fs::write(&staging, &bytes).await?;
            tokio::fs::rename(&staging, &path).await
        }
        .await;
        if let Err(err) = written {
            let _ = tokio::fs::remove_file(&staging).await;
            return Err(crate::media::disk_refusal(&err, "tệp"));
        }
        let now = OffsetDateTime::now_utc();
        let saved = async {
            let txn = crate::db::begin_write(&self.db).await.map_err(storage)?;
            document_file::ActiveModel {
                document_id: Set(document_id),
                token: Set(token.clone()),
                file_name: Set(name.clone()),
                kind: Set(kind.to_owned()),
                bytes: Set(bytes.len() as i64),
                position: Set(existing.len() as i32),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .map_err(storage)?;
            let mut active = model.clone().into_active_model();
            active.updated_at = Set(now);
            active.update(&txn).await.map_err(storage)?;
            self.finish(
                txn,
                by,
                AuditAction::DocumentSaved,
                &model.number,
                &format!("Thêm tệp {name}"),
                model.published,
            )
            .await
        }
        .await;
        if let Err(err) = saved {
            let _ = tokio::fs::remove_file(&path).await;
            return Err(err);
        }
        self.get(document_id).await
    }

    /// The file `id` for download, with where it lies: only a published
    /// document's, unless `editor` (an editor's session) may see drafts.
    pub async fn download(
        &self,
        id: i32,
        editor: bool,
    ) -> Result<Option<(DocumentFile, PathBuf, bool)>, StoreError> {
        let Some((file, Some(doc))) = document_file::Entity::find_by_id(id)
            .find_also_related(document::Entity)
            .one(&self.db)
            .await
            .map_err(storage)?
        else {
            return Ok(None);
        };
        if !doc.published && !editor {
            return Ok(None);
        }
        let path = self.dir.join(&file.token);
        Ok(Some((file_of(file), path, doc.published)))
    }

    /// The newest published documents (by issue date), for the feed.
    pub async fn newest(&self, limit: u64) -> Result<Vec<document::Model>, StoreError> {
        document::Entity::find()
            .filter(document::Column::Published.eq(true))
            .order_by_desc(document::Column::IssuedOn)
            .order_by_desc(document::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await
            .map_err(storage)
    }
}

#[async_trait]
impl DocumentLibrary for DocumentStore {
    async fn search(
        &self,
        query: &DocumentQuery,
        per_page: u64,
    ) -> Result<Paged<DocumentSummary>, StoreError> {
        let mut condition = Condition::all().add(document::Column::Published.eq(true));
        for word in query_words(&query.q) {
            condition = condition.add(document::Column::SearchText.like(format!("% {word}%")));
        }
        let form = crate::text::nfc(query.form.trim()).into_owned();
        if !form.is_empty() {
            condition = condition.add(document::Column::Form.eq(form));
        }
        let issuer = crate::text::nfc(query.issuer.trim()).into_owned();
        if !issuer.is_empty() {
            condition = condition.add(document::Column::Issuer.eq(issuer));
        }
        let field = crate::text::nfc(query.field.trim()).into_owned();
        if !field.is_empty() {
            condition = condition.add(document::Column::Field.eq(field));
        }
        if let Some(year) = query.year.filter(|y| (1900..=9999).contains(y)) {
            condition = condition.add(document::Column::IssuedOn.like(format!("{year:04}-%")));
        }
        let select = document::Entity::find().filter(condition);
        let total = select.clone().count(&self.db).await.map_err(storage)?;
        let select = match query.sort {
            DocumentSort::Newest => select
                .order_by_desc(document::Column::IssuedOn)
                .order_by_desc(document::Column::Id),
            DocumentSort::Oldest => select
                .order_by_asc(document::Column::IssuedOn)
                .order_by_asc(document::Column::Id),
            // By the number's leading digits as a number (05, 78, 210,
            // 1234), then as text.
            DocumentSort::Number => select
                .order_by(
                    sea_orm::sea_query::Expr::cust(match self.db.get_database_backend() {
                        sea_orm::DbBackend::Postgres => {
                            "CAST(NULLIF(substring(number from '^[0-9]+'), '') AS BIGINT)"
                        }
                        _ => "CAST(number AS INTEGER)",
                    }),
                    sea_orm::Order::Asc,
                )
                .order_by_asc(document::Column::Number)
                .order_by_asc(document::Column::Id),
        };
        let page = app::model::clamp_page(query.page);
        let rows = select
            .offset((page - 1).saturating_mul(per_page))
            .limit(per_page)
            .all(&self.db)
            .await
            .map_err(storage)?;
        let today = today();
        Ok(Paged {
            items: rows.iter().map(|m| summary_of(m, &today)).collect(),
            page,
            per_page,
            total,
        })
    }

    async fn facets(&self) -> Result<DocumentFacets, StoreError> {
        let rows: Vec<(String, String, String, String)> = document::Entity::find()
            .select_only()
            .column(document::Column::Form)
            .column(document::Column::Issuer)
            .column(document::Column::Field)
            .column(document::Column::IssuedOn)
            .filter(document::Column::Published.eq(true))
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(storage)?;
        let mut facets = DocumentFacets::default();
        for (form, issuer, field, issued_on) in rows {
            if !facets.forms.contains(&form) {
                facets.forms.push(form);
            }
            if !facets.issuers.contains(&issuer) {
                facets.issuers.push(issuer);
            }
            if !field.is_empty() && !facets.fields.contains(&field) {
                facets.fields.push(field);
            }
            if let Some(year) = issued_on.get(..4).and_then(|y| y.parse().ok())
                && !facets.years.contains(&year)
            {
                facets.years.push(year);
            }
        }
        // Forms in the order editors pick them; the rest alphabetically.
        facets.forms.sort_by_key(|f| {
            DOCUMENT_FORMS
                .iter()
                .position(|known| known == f)
                .unwrap_or(usize::MAX)
        });
        facets.issuers.sort();
        facets.fields.sort();
        facets.years.sort_unstable_by(|a, b| b.cmp(a));
        Ok(facets)
    }

    async fn by_slug(&self, slug: &str) -> Result<Option<Document>, StoreError> {
        let Some(model) = document::Entity::find()
            .filter(document::Column::Slug.eq(slug))
            .filter(document::Column::Published.eq(true))
            .one(&self.db)
            .await
            .map_err(storage)?
        else {
            return Ok(None);
        };
        Ok(Some(self.full(model).await?))
    }

    async fn list_for_editors(&self, q: String) -> Result<Vec<DocumentSummary>, StoreError> {
        let mut condition = Condition::all();
        for word in query_words(&q) {
            condition = condition.add(document::Column::SearchText.like(format!("% {word}%")));
        }
        let rows = document::Entity::find()
            .filter(condition)
            .order_by_desc(document::Column::IssuedOn)
            .order_by_desc(document::Column::Id)
            .limit(EDITOR_LIST_LIMIT)
            .all(&self.db)
            .await
            .map_err(storage)?;
        let today = today();
        Ok(rows.iter().map(|m| summary_of(m, &today)).collect())
    }

    async fn get(&self, id: i32) -> Result<Document, StoreError> {
        let model = document::Entity::find_by_id(id)
            .one(&self.db)
            .await
            .map_err(storage)?
            .ok_or(StoreError::NotFound)?;
        self.full(model).await
    }

    async fn save(&self, by: &CurrentUser, input: DocumentInput) -> Result<Document, StoreError> {
        if by.role < Role::Editor {
            return Err(StoreError::Forbidden);
        }
        let checked = check(&input)?;
        let txn = crate::db::begin_write(&self.db).await.map_err(storage)?;
        // One document per number, issuer and year: a second entry of the
        // same document is a mistake, not a new document.
        let year_prefix = format!("{}-%", checked.issued_on.get(..4).unwrap_or_default());
        let twin = document::Entity::find()
            .filter(document::Column::Number.eq(&checked.number))
            .filter(document::Column::Issuer.eq(&checked.issuer))
            .filter(document::Column::IssuedOn.like(year_prefix))
            .one(&txn)
            .await
            .map_err(storage)?;
        if let Some(twin) = twin
            && Some(twin.id) != input.id
        {
            return Err(invalid(
                "number",
                &format!(
                    "Đã có văn bản số {} của {} ban hành năm {}.",
                    twin.number,
                    twin.issuer,
                    twin.issued_on.get(..4).unwrap_or_default()
                ),
            ));
        }
        let now = OffsetDateTime::now_utc();
        let search = search_text(&[
            &checked.number,
            &checked.summary,
            &checked.issuer,
            &checked.signer,
            &checked.form,
            &checked.field,
        ]);
        let (saved, was_public) = match input.id {
            None => {
                let slug = Self::free_slug(&txn, &checked.number, &checked.issued_on, None).await?;
                let model = document::ActiveModel {
                    slug: Set(slug),
                    number: Set(checked.number),
                    form: Set(checked.form),
                    issuer: Set(checked.issuer),
                    signer: Set(checked.signer),
                    field: Set(checked.field),
                    summary: Set(checked.summary),
                    issued_on: Set(checked.issued_on),
                    effective_on: Set(checked.effective_on),
                    expires_on: Set(checked.expires_on),
                    replaced_by: Set(checked.replaced_by),
                    search_text: Set(search),
                    published: Set(false),
                    created_by: Set(Some(by.id)),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await
                .map_err(storage)?;
                (model, false)
            }
            Some(id) => {
                let old = document::Entity::find_by_id(id)
                    .one(&txn)
                    .await
                    .map_err(storage)?
                    .ok_or(StoreError::NotFound)?;
                let slug = if old.number == checked.number
                    && old.issued_on.get(..4) == checked.issued_on.get(..4)
                {
                    old.slug.clone()
                } else {
                    Self::free_slug(&txn, &checked.number, &checked.issued_on, Some(id)).await?
                };
                let published = old.published;
                let mut active = old.into_active_model();
                active.slug = Set(slug);
                active.number = Set(checked.number);
                active.form = Set(checked.form);
                active.issuer = Set(checked.issuer);
                active.signer = Set(checked.signer);
                active.field = Set(checked.field);
                active.summary = Set(checked.summary);
                active.issued_on = Set(checked.issued_on);
                active.effective_on = Set(checked.effective_on);
                active.expires_on = Set(checked.expires_on);
                active.replaced_by = Set(checked.replaced_by);
                active.search_text = Set(search);
                active.updated_at = Set(now);
                (active.update(&txn).await.map_err(storage)?, published)
            }
        };
        self.finish(
            txn,
            by,
            AuditAction::DocumentSaved,
            &saved.number,
            "",
            was_public,
        )
        .await?;
        self.full(saved).await
    }

    async fn set_published(
        &self,
        by: &CurrentUser,
        id: i32,
        published: bool,
    ) -> Result<Document, StoreError> {
        if by.role < Role::Editor {
            return Err(StoreError::Forbidden);
        }
        let txn = crate::db::begin_write(&self.db).await.map_err(storage)?;
        let model = document::Entity::find_by_id(id)
            .one(&txn)
            .await
            .map_err(storage)?
            .ok_or(StoreError::NotFound)?;
        if published {
            let files = document_file::Entity::find()
                .filter(document_file::Column::DocumentId.eq(id))
                .count(&txn)
                .await
                .map_err(storage)?;
            if files == 0 {
                return Err(invalid(
                    "file",
                    "Văn bản cần có ít nhất một tệp đính kèm trước khi công bố.",
                ));
            }
        }
        if model.published == published {
            drop(txn);
            return self.full(model).await;
        }
        let number = model.number.clone();
        let mut active = model.into_active_model();
        active.published = Set(published);
        active.updated_at = Set(OffsetDateTime::now_utc());
        let saved = active.update(&txn).await.map_err(storage)?;
        let action = if published {
            AuditAction::DocumentPublished
        } else {
            AuditAction::DocumentUnpublished
        };
        self.finish(txn, by, action, &number, "", true).await?;
        self.full(saved).await
    }

    async fn delete(&self, by: &CurrentUser, id: i32) -> Result<(), StoreError> {
        if by.role < Role::Editor {
            return Err(StoreError::Forbidden);
        }
        let txn = crate::db::begin_write(&self.db).await.map_err(storage)?;
        let model = document::Entity::find_by_id(id)
            .one(&txn)
            .await
            .map_err(storage)?
            .ok_or(StoreError::NotFound)?;
        let tokens: Vec<String> = document_file::Entity::find()
            .filter(document_file::Column::DocumentId.eq(id))
            .all(&txn)
            .await
            .map_err(storage)?
            .into_iter()
            .map(|f| f.token)
            .collect();
        document_file::Entity::delete_many()
            .filter(document_file::Column::DocumentId.eq(id))
            .exec(&txn)
            .await
            .map_err(storage)?;
        document::Entity::delete_by_id(id)
            .exec(&txn)
            .await
            .map_err(storage)?;
        self.finish(
            txn,
            by,
            AuditAction::DocumentDeleted,
            &model.number,
            "",
            model.published,
        )
        .await?;
        for token in tokens {
            if let Err(err) = tokio::fs::remove_file(self.dir.join(&token)).await {
                tracing::warn!(%err, %token, "a deleted document's file stays on disk");
            }
        }
        Ok(())
    }

    async fn delete_file(&self, by: &CurrentUser, file_id: i32) -> Result<Document, StoreError> {
        if by.role < Role::Editor {
            return Err(StoreError::Forbidden);
        }
        let txn = crate::db::begin_write(&self.db).await.map_err(storage)?;
        let Some((file, Some(doc))) = document_file::Entity::find_by_id(file_id)
            .find_also_related(document::Entity)
            .one(&txn)
            .await
            .map_err(storage)?
        else {
            return Err(StoreError::NotFound);
        };
        if doc.published {
            let count = document_file::Entity::find()
                .filter(document_file::Column::DocumentId.eq(doc.id))
                .count(&txn)
                .await
                .map_err(storage)?;
            if count <= 1 {
                return Err(invalid(
                    "file",
                    "Đây là tệp duy nhất của một văn bản đang công bố. Hãy tải tệp thay thế lên trước, \
                     hoặc ngừng công bố văn bản.",
                ));
            }
        }
        document_file::Entity::delete_by_id(file_id)
            .exec(&txn)
            .await
            .map_err(storage)?;
        let mut active = doc.clone().into_active_model();
        active.updated_at = Set(OffsetDateTime::now_utc());
        active.update(&txn).await.map_err(storage)?;
        self.finish(
            txn,
            by,
            AuditAction::DocumentSaved,
            &doc.number,
            &format!("Xóa tệp {}", file.file_name),
            doc.published,
        )
        .await?;
        if let Err(err) = tokio::fs::remove_file(self.dir.join(&file.token)).await {
            tracing::warn!(%err, token = %file.token, "a deleted file stays on disk");
        }
        self.get(doc.id).await
    }
}

/// The upload route, downloads and the feed.
pub fn routes<S: Clone + Send + Sync + 'static>(
    store: DocumentStore,
    max_bytes: usize,
    feed: crate::feeds::FeedState,
) -> Router<S> {
    Router::new()
        .route(
            app::api::documents::UPLOAD_PATH,
            post(upload).layer(DefaultBodyLimit::max(max_bytes)),
        )
        .route("/van-ban/tep/{id}/{name}", get(download))
        .with_state(UploadState {
            store: store.clone(),
            max_bytes,
        })
        .merge(
            Router::new()
                .route("/van-ban/rss.xml", get(feed_route))
                .with_state((store, feed)),
        )
}

#[derive(Clone)]
struct UploadState {
    store: DocumentStore,
    max_bytes: usize,
}

#[derive(serde::Deserialize)]
struct UploadTarget {
    #[serde(rename = "van-ban")]
    document: Option<i32>,
}

/// `POST /api/quan-tri/van-ban/tep?van-ban={id}`: the file's bytes as the
/// body, its name in `x-ten-tep`. 200 with the document as JSON; 401/403
/// without an editor's session; 404 without such a document; 413 over the
/// size limit; 422 saying what is wrong with the file; 507 when the disk is
/// full or read-only.
async fn upload(
    State(state): State<UploadState>,
    signed_in: Option<axum::Extension<app::ssr::SignedIn>>,
    unavailable: Option<axum::Extension<app::ssr::SessionsUnavailable>>,
    target: Result<Query<UploadTarget>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let Some(axum::Extension(signed_in)) = signed_in else {
        return crate::media::not_signed_in(unavailable);
    };
    if signed_in.user.role < Role::Editor {
        return answer(
            StatusCode::FORBIDDEN,
            "Bạn không có quyền tải tệp văn bản lên.",
        );
    }
    let Some(document_id) = target.ok().and_then(|Query(t)| t.document) else {
        return answer(StatusCode::NOT_FOUND, "Không tìm thấy văn bản để đính kèm.");
    };
    let bytes = match crate::media::upload_body(body, state.max_bytes) {
        Ok(bytes) => bytes,
        Err(response) => return response,
    };
    let name = headers
        .get(app::api::media::FILE_NAME_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("van-ban");
    match state
        .store
        .upload(&signed_in.user, document_id, name, bytes)
        .await
    {
        Ok(document) => axum::Json(document).into_response(),
        Err(StoreError::NotFound) => {
            answer(StatusCode::NOT_FOUND, "Không tìm thấy văn bản để đính kèm.")
        }
        Err(err) => crate::media::refusal(err, "tệp"),
    }
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Không tìm thấy tệp này. Có thể văn bản đã được gỡ hoặc thay tệp khác.",
    )
        .into_response()
}

/// `GET /van-ban/tep/{id}/{name}`: a published document's file (an
/// editor's session may also fetch unpublished ones), as a download named
/// as it was uploaded, whatever `{name}` says. Ranges and conditional
/// requests are answered by `tower_http`'s `ServeFile`.
async fn download(
    State(state): State<UploadState>,
    UrlPath((id, _name)): UrlPath<(String, String)>,
    signed_in: Option<axum::Extension<app::ssr::SignedIn>>,
    request: axum::extract::Request,
) -> Response {
    use tower::ServiceExt;
    let Ok(id) = id.parse::<i32>() else {
        return not_found();
    };
    let editor = signed_in.is_some_and(|axum::Extension(s)| s.user.role >= Role::Editor);
    let (file, path, published) = match state.store.download(id, editor).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(),
        Err(err) => {
            tracing::error!(%err, "cannot look up a document's file");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "Hệ thống đang bận, xin vui lòng thử lại sau.",
            )
                .into_response();
        }
    };
    let served = tower_http::services::ServeFile::new(&path)
        .oneshot(request)
        .await;
    let mut response = match served {
        Ok(response) if response.status() == StatusCode::NOT_FOUND => {
            tracing::error!(path = %path.display(), "a document's file is missing on disk");
            return not_found();
        }
        Ok(response) => response.map(axum::body::Body::new),
        Err(err) => {
            tracing::error!(%err, "cannot read a document's file");
            return not_found();
        }
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(files::content_type(&file.kind)),
    );
    if let Ok(value) = HeaderValue::from_str(&files::content_disposition(&file.file_name)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if published {
            "public, max-age=300"
        } else {
            "private, no-store"
        }),
    );
    response
}

/// `GET /van-ban/rss.xml`: the newest published documents.
async fn feed_route(
    State((store, feed)): State<(DocumentStore, crate::feeds::FeedState)>,
) -> Response {
    let site = feed.settings.site_identity().await.unwrap_or_default();
    match store.newest(FEED_ITEMS).await {
        Ok(rows) => {
            let body = crate::feeds::documents_rss(&feed.public_url, &site, &rows);
            (
                [
                    (header::CONTENT_TYPE, "application/rss+xml; charset=utf-8"),
                    (header::CACHE_CONTROL, "public, max-age=300"),
                ],
                body,
            )
                .into_response()
        }
        Err(err) => {
            tracing::error!(%err, "cannot build the documents feed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "Hệ thống đang bận, xin vui lòng thử lại sau.",
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_found_however_they_are_typed() {
        let text = search_text(&[
            "1234/QĐ-UBND",
            "Về việc ban hành Kế hoạch cải cách hành chính",
        ]);
        assert!(text.starts_with(" 1234 qd ubnd ve viec"), "{text}");
        for query in [
            "1234",
            "qd-ubnd 1234",
            "QĐ 1234",
            "1234/QĐ-UBND",
            "cải cách",
        ] {
            let words = crate::search::tokens(query);
            assert!(!words.is_empty());
            for word in words {
                assert!(text.contains(&format!(" {word}")), "{query}: {word}");
            }
        }
        assert!(!text.contains(" 123 ") && !text.contains(" 34"));
        // Leading zeros: "5/CT-UBND" finds 05/CT-UBND, and "05" still does.
        let text = search_text(&["05/CT-UBND"]);
        for query in ["5/CT-UBND", "05 ct", "0005"] {
            for word in query_words(query) {
                assert!(
                    text.contains(&format!(" {word}")),
                    "{query}: {word} in {text}"
                );
            }
        }
    }

    #[test]
    fn every_mistake_is_named_and_dates_are_checked() {
        let Err(StoreError::Invalid(problems)) = check(&DocumentInput {
            form: "Sắc lệnh".into(),
            issued_on: "2026-02-30".into(),
            expires_on: "2020-01-01".into(),
            ..Default::default()
        }) else {
            panic!("an empty document was accepted");
        };
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        for field in ["number", "issuer", "summary", "form", "issued_on"] {
            assert!(fields.contains(&field), "{field} not named: {fields:?}");
        }
        let ok = check(&DocumentInput {
            number: " 1234/QĐ-UBND ".into(),
            form: "Quyết định".into(),
            issuer: "UBND thành phố Cần Thơ".into(),
            summary: "Ban hành Kế hoạch".into(),
            issued_on: "2026-03-05".into(),
            effective_on: "2026-03-05".into(),
            expires_on: "2026-03-04".into(),
            ..Default::default()
        });
        let Err(StoreError::Invalid(problems)) = ok else {
            panic!("expiry before effect was accepted");
        };
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "expires_on");
    }
}
