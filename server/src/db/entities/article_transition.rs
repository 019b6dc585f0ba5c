use sea_orm::entity::prelude::*;

/// A recorded step of the workflow: who moved an article from what to what, and why.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "article_transition")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub article_id: i32,
    pub from_status: String,
    pub to_status: String,
    pub user_id: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub comment: String,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
