//! The browser entry point: hydrates the HTML the server rendered.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // The server counted this page when it rendered it.
    app::api::counter::remember_landing_page();
    leptos::mount::hydrate_body(app::App);
}
