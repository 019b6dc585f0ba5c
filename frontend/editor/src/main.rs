//! The editors' app (`/quan-tri/`): client-rendered Leptos, built by Trunk
//! from the top-level `Trunk.toml` into `target/editor/`, served by the
//! portal's server. It shares the article types and the server functions of
//! `app`; none of its code or its editor library ships to citizens.

mod documents;
mod drafts;
mod edit;
mod layout;
mod lists;
mod media;
mod pages;
mod questions;
mod settings;
mod tiptap;
mod upload;
mod users;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(layout::App);
}
