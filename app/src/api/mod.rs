//! Server functions, one file per domain.

pub mod articles;
pub mod counter;
pub mod search;
pub mod site;
