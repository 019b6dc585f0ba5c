//! Unsaved work kept in the browser (`localStorage`): written on every
//! change, removed once the server has it, offered back after a reload, a
//! crash or an offline spell.

use app::model::editorial::ArticleDraft;
use serde::{Deserialize, Serialize};

/// A copy of an article's unsaved content.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocalDraft {
    /// The version the changes were made on.
    pub base_version: i64,
    pub draft: ArticleDraft,
    /// When it was kept, as shown to the editor (`HH:MM dd/mm`).
    pub kept_at: String,
}

fn key(id: i32) -> String {
    format!("cchc-ban-nhap-{id}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn keep(id: i32, copy: &LocalDraft) {
    if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(copy)) {
        let _ = storage.set_item(&key(id), &json);
    }
}

pub fn load(id: i32) -> Option<LocalDraft> {
    let json = storage()?.get_item(&key(id)).ok().flatten()?;
    serde_json::from_str(&json).ok()
}

pub fn forget(id: i32) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&key(id));
    }
}

/// Now, as the editor reads it.
pub fn now_label() -> String {
    let date = js_sys::Date::new_0();
    format!(
        "{:02}:{:02} {:02}/{:02}",
        date.get_hours(),
        date.get_minutes(),
        date.get_date(),
        date.get_month() + 1
    )
}
