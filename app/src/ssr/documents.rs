//! The legal-documents library, for server functions (the role is checked
//! before the editors' methods are called).

use async_trait::async_trait;

use super::StoreError;
use crate::model::Paged;
use crate::model::accounts::CurrentUser;
use crate::model::documents::{
    Document, DocumentFacets, DocumentInput, DocumentQuery, DocumentSummary,
};

#[async_trait]
pub trait DocumentLibrary: Send + Sync + 'static {
    /// Published documents matching `query` (every word of `q` must begin a
    /// word of the number, summary, issuer, signer, form or field,
    /// insensitive to case and diacritics: "1234", "qd-ubnd 1234" and
    /// "QĐ 1234" all find `1234/QĐ-UBND`), one page in its order.
    async fn search(
        &self,
        query: &DocumentQuery,
        per_page: u64,
    ) -> Result<Paged<DocumentSummary>, StoreError>;

    /// The forms, issuing bodies, fields and years published documents have.
    async fn facets(&self) -> Result<DocumentFacets, StoreError>;

    /// A published document by its slug, or `None`.
    async fn by_slug(&self, slug: &str) -> Result<Option<Document>, StoreError>;

    /// Every document, published or not, matching `q`, newest issue first
    /// (the editors' list; at most 500).
    async fn list_for_editors(&self, q: String) -> Result<Vec<DocumentSummary>, StoreError>;

    /// Any document by id, for editing.
    async fn get(&self, id: i32) -> Result<Document, StoreError>;

    /// Checks and stores a document (new when `input.id` is `None`). It
    /// stays as published or not as it was (new ones are not).
    /// [`StoreError::Invalid`] names each field to fix; nothing is stored then.
    async fn save(&self, by: &CurrentUser, input: DocumentInput) -> Result<Document, StoreError>;

    /// Shows it to readers, or withdraws it. Publishing needs at least one file.
    async fn set_published(
        &self,
        by: &CurrentUser,
        id: i32,
        published: bool,
    ) -> Result<Document, StoreError>;

    /// Deletes the document and its files.
    async fn delete(&self, by: &CurrentUser, id: i32) -> Result<(), StoreError>;

    /// Removes one attached file; returns the document as it is then.
    async fn delete_file(&self, by: &CurrentUser, file_id: i32) -> Result<Document, StoreError>;
}
