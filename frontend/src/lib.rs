//! The browser entry point. Citizens' pages are server-rendered; only the
//! `#[island]` components of `app` (text size, headlines, article tools,
//! the live counter) are hydrated, by Leptos's island loader, right after
//! this function returns.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Readable panics in the console while developing; release builds
    // leave the hook (and its formatting code) out.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    app::mark_hydrated_when_islands_are_ready();
}
