use sea_orm::entity::prelude::*;

/// A fixed page (`gioi-thieu`, `en`): a title and a sanitised HTML body.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "page")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    /// `app::i18n::Lang::code`.
    pub lang: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub body_html: String,
    pub version: i64,
    pub updated_at: TimeDateTimeWithTimeZone,
    pub updated_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
