use sea_orm::entity::prelude::*;

/// An uploaded photo; its variants are files under the media directory.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "media")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub token: String,
    pub file_name: String,
    #[sea_orm(column_type = "Text")]
    pub alt: String,
    #[sea_orm(column_type = "Text")]
    pub caption: String,
    pub width: i32,
    pub height: i32,
    /// Comma-separated, smallest first.
    pub widths: String,
    pub bytes: i64,
    pub uploaded_by: Option<i32>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
