//! SeaORM entities: today's schema as Rust types.

pub mod article;
pub mod category;
