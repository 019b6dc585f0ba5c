pub mod article;
pub mod category;
pub mod home;
pub mod login;
pub mod preview;
pub mod search;
pub mod set_password;
