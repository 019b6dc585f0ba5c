//! The legal-documents library ("Văn bản"): the public list and pages, and
//! the editors' management (editors and admins). Files are uploaded to
//! [`UPLOAD_PATH`] (raw bytes, for progress bars) and downloaded from
//! `/van-ban/tep/{id}/{name}`, both handled by the server's documents module.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
use crate::model::documents::{
    Document, DocumentInput, DocumentListing, DocumentQuery, DocumentSummary,
};
// Used only in the server functions' bodies, which the browser's build leaves out.
#[cfg(feature = "ssr")]
use crate::model::{accounts::Role, documents::DOCUMENTS_PAGE_SIZE};

/// Where an editor sends a file for document `?van-ban={id}`: its bytes as
/// the body, its name (percent-encoded) in `x-ten-tep`.
pub const UPLOAD_PATH: &str = "/api/quan-tri/van-ban/tep";

/// The longest words query or filter value read; longer input is cut.
#[cfg(feature = "ssr")]
const MAX_QUERY_CHARS: usize = 200;

#[cfg(feature = "ssr")]
fn cut(text: String) -> String {
    text.chars().take(MAX_QUERY_CHARS).collect()
}

/// One page of published documents for `query`, with the filters' choices.
#[server]
pub async fn list_documents(query: DocumentQuery) -> Result<DocumentListing, AppError> {
    let library = crate::ssr::app_state()?.documents.clone();
    let query = DocumentQuery {
        q: cut(query.q),
        form: cut(query.form),
        issuer: cut(query.issuer),
        field: cut(query.field),
        page: crate::model::clamp_page(query.page),
        ..query
    };
    let page = library.search(&query, DOCUMENTS_PAGE_SIZE).await?;
    let facets = library.facets().await?;
    Ok(DocumentListing { page, facets })
}

/// A published document by slug; `None` when there is no such document.
#[server]
pub async fn document_by_slug(slug: String) -> Result<Option<Document>, AppError> {
    if slug.len() > crate::api::articles::MAX_SLUG_LEN {
        return Ok(None);
    }
    Ok(crate::ssr::app_state()?.documents.by_slug(&slug).await?)
}

/// Every document for the editors' list (editors and admins).
#[server(prefix = "/api/quan-tri", endpoint = "van-ban", input = Json)]
pub async fn editor_documents(query: String) -> Result<Vec<DocumentSummary>, AppError> {
    crate::ssr::answer(
        async move {
            crate::ssr::require_role(Role::Editor).await?;
            Ok(crate::ssr::app_state()?
                .documents
                .list_for_editors(cut(query))
                .await?)
        }
        .await,
    )
}

/// One document, published or not, for editing.
#[server(prefix = "/api/quan-tri", endpoint = "mo-van-ban", input = Json)]
pub async fn editor_document(id: i32) -> Result<Document, AppError> {
    crate::ssr::answer(
        async move {
            crate::ssr::require_role(Role::Editor).await?;
            Ok(crate::ssr::app_state()?.documents.get(id).await?)
        }
        .await,
    )
}

/// Saves a document's details (new when `input.id` is `None`).
#[server(prefix = "/api/quan-tri", endpoint = "luu-van-ban", input = Json)]
pub async fn save_document(input: DocumentInput) -> Result<Document, AppError> {
    crate::ssr::answer(
        async move {
            let user = crate::ssr::require_role(Role::Editor).await?;
            Ok(crate::ssr::app_state()?
                .documents
                .save(&user, input)
                .await?)
        }
        .await,
    )
}

/// Publishes a document (it needs a file) or withdraws it from readers.
#[server(prefix = "/api/quan-tri", endpoint = "cong-bo-van-ban", input = Json)]
pub async fn publish_document(id: i32, published: bool) -> Result<Document, AppError> {
    crate::ssr::answer(
        async move {
            let user = crate::ssr::require_role(Role::Editor).await?;
            Ok(crate::ssr::app_state()?
                .documents
                .set_published(&user, id, published)
                .await?)
        }
        .await,
    )
}

/// Deletes a document and its files.
#[server(prefix = "/api/quan-tri", endpoint = "xoa-van-ban", input = Json)]
pub async fn delete_document(id: i32) -> Result<(), AppError> {
    crate::ssr::answer(
        async move {
            let user = crate::ssr::require_role(Role::Editor).await?;
            Ok(crate::ssr::app_state()?.documents.delete(&user, id).await?)
        }
        .await,
    )
}

/// Removes one file from a document.
#[server(prefix = "/api/quan-tri", endpoint = "xoa-tep-van-ban", input = Json)]
pub async fn delete_document_file(file_id: i32) -> Result<Document, AppError> {
    crate::ssr::answer(
        async move {
            let user = crate::ssr::require_role(Role::Editor).await?;
            Ok(crate::ssr::app_state()?
                .documents
                .delete_file(&user, file_id)
                .await?)
        }
        .await,
    )
}
