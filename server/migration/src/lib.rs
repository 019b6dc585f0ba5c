//! The database schema, one self-contained migration per change. Migrations
//! never import the server's entities: they describe the schema as it was.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_create_content;
mod m20261129_000002_create_counter;
mod m20261129_000003_article_search;
mod m20261129_000004_site_setting;
mod m20261130_000005_editorial;
mod m20261201_000006_reading_indexes;
mod m20261201_000007_scheduling;
mod m20261201_000008_audit_and_invitations;
mod m20261201_000009_media;
mod m20261202_000010_documents;
mod m20261202_000011_questions;
mod m20261202_000012_pages;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_create_content::Migration),
            Box::new(m20261129_000002_create_counter::Migration),
            Box::new(m20261129_000003_article_search::Migration),
            Box::new(m20261129_000004_site_setting::Migration),
            Box::new(m20261130_000005_editorial::Migration),
            Box::new(m20261201_000006_reading_indexes::Migration),
            Box::new(m20261201_000007_scheduling::Migration),
            Box::new(m20261201_000008_audit_and_invitations::Migration),
            Box::new(m20261201_000009_media::Migration),
            Box::new(m20261202_000010_documents::Migration),
            Box::new(m20261202_000011_questions::Migration),
            Box::new(m20261202_000012_pages::Migration),
        ]
    }
}
