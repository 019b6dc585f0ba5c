use sea_orm::entity::prelude::*;

/// A server-side session (`tower-sessions` record): the id is the cookie's
/// value, `data` the record as JSON, `user_id` copied out of it so that a
/// user's sessions can be ended together.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_session")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub user_id: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub data: String,
    pub expires_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
