//! Articles: reading what is published, and the one path that writes.

pub mod editorial;
pub mod read;
pub mod sanitize;
pub mod write;

pub use editorial::EditorialStore;
pub use read::ArticleStore;
