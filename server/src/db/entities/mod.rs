//! SeaORM entities: today's schema as Rust types.

pub mod app_user;
pub mod article;
pub mod article_editor;
pub mod article_rating;
pub mod article_revision;
pub mod article_transition;
pub mod audit_event;
pub mod category;
pub mod document;
pub mod document_file;
pub mod login_attempt;
pub mod media;
pub mod page;
pub mod password_link;
pub mod question;
pub mod user_session;
