use sea_orm::entity::prelude::*;

/// An editor's account. `role` is `app::model::accounts::Role::as_str`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "app_user")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub username: String,
    pub display_name: String,
    /// argon2id in the PHC string format; never the password.
    #[sea_orm(column_type = "Text")]
    pub password_hash: String,
    pub role: String,
    pub active: bool,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
