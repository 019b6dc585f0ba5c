use sea_orm::entity::prelude::*;

/// A kept version of an article: explicit saves, workflow steps, restores;
/// the autosaves of one sitting share one revision.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "article_revision")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub article_id: i32,
    pub version: i64,
    pub slug: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub excerpt: String,
    #[sea_orm(column_type = "Text")]
    pub body_html: String,
    pub category_id: i32,
    pub status: String,
    /// save | autosave | submit | return | publish | unpublish | restore | seed
    pub note: String,
    pub saved_by: Option<i32>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
