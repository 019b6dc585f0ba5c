//! Articles: reading what is published, and the one path that writes.

pub mod read;
pub mod sanitize;
pub mod write;

pub use read::ArticleStore;
