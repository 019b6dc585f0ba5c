//! Editors' accounts: passwords (argon2id), server-side sessions in the
//! database (`tower-sessions`), login throttling, and the HTTP side (login,
//! logout, who is signed in, same-origin writes).

pub mod admin;
pub mod http;
pub mod password;
pub mod sessions;
pub mod throttle;
pub mod users;
