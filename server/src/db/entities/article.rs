use sea_orm::entity::prelude::*;

/// The states of the editorial workflow (`app::model::editorial::ArticleStatus`);
/// only `published` is public.
pub const STATUS_PUBLISHED: &str = "published";

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "article")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub excerpt: String,
    #[sea_orm(column_type = "Text")]
    pub body_html: String,
    pub author: String,
    pub category_id: i32,
    pub status: String,
    pub published_at: Option<TimeDateTimeWithTimeZone>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    /// The title folded for search (lower case, no diacritics).
    #[sea_orm(column_type = "Text")]
    pub search_title: String,
    /// The body's text folded for search.
    #[sea_orm(column_type = "Text")]
    pub search_body: String,
    /// Bumped by every save; a save based on an older version is refused.
    pub version: i64,
    /// The account that created it (`None` for seeded articles).
    pub created_by: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub seo_description: String,
    /// A JSON array of strings.
    #[sea_orm(column_type = "Text")]
    pub tags: String,
    pub featured: bool,
    pub in_headlines: bool,
    #[sea_orm(column_type = "Text")]
    pub cover_image: String,
    #[sea_orm(column_type = "Text")]
    pub cover_alt: String,
    /// When a `scheduled` article goes public.
    pub publish_at: Option<TimeDateTimeWithTimeZone>,
    /// When a published article is taken down by itself.
    pub unpublish_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::category::Entity",
        from = "Column::CategoryId",
        to = "super::category::Column::Id"
    )]
    Category,
}

impl Related<super::category::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Category.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
