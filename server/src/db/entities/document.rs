use sea_orm::entity::prelude::*;

/// A legal document of the library ("Văn bản").
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "document")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub number: String,
    pub form: String,
    pub issuer: String,
    pub signer: String,
    pub field: String,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    /// ISO dates (`YYYY-MM-DD`), empty when not set.
    pub issued_on: String,
    pub effective_on: String,
    pub expires_on: String,
    pub replaced_by: String,
    /// Folded words, each preceded by a space (see `crate::documents`).
    #[sea_orm(column_type = "Text")]
    pub search_text: String,
    pub published: bool,
    pub created_by: Option<i32>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::document_file::Entity")]
    DocumentFile,
}

impl Related<super::document_file::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::DocumentFile.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
