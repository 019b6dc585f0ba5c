use sea_orm::entity::prelude::*;

/// A citizen's question. `name` and `contact` are personal data.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "question")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub contact: String,
    pub topic: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub consent: bool,
    /// `received`, `in_progress` or `answered`.
    pub status: String,
    pub assignee_id: Option<i32>,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub public_body: String,
    #[sea_orm(column_type = "Text")]
    pub answer: String,
    pub published: bool,
    #[sea_orm(column_type = "Text")]
    pub search_text: String,
    pub source: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    pub answered_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
