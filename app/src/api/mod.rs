//! Server functions, one file per domain.

pub mod accounts;
pub mod articles;
pub mod counter;
pub mod documents;
pub mod editorial;
pub mod media;
pub mod pages;
pub mod questions;
pub mod search;
pub mod site;
pub mod users;
