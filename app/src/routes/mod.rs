pub mod article;
pub mod home;
