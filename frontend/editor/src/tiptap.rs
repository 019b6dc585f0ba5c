//! The bridge to TipTap (ProseMirror), bundled by esbuild from `js/src/`
//! into `js/dist/tiptap.js` (Trunk's pre-build hook runs `npm run build`).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/dist/tiptap.js")]
extern "C" {
    /// A TipTap `Editor`.
    pub type Editor;

    #[wasm_bindgen(js_name = createEditor)]
    pub fn create_editor(
        element: &web_sys::Element,
        html: &str,
        on_change: &js_sys::Function,
    ) -> Editor;

    /// [`create_editor`], its text box named `label` for screen readers
    /// (`create_editor`'s is an article's body).
    #[wasm_bindgen(js_name = createEditor)]
    pub fn create_labelled_editor(
        element: &web_sys::Element,
        html: &str,
        on_change: &js_sys::Function,
        label: &str,
    ) -> Editor;

    #[wasm_bindgen(js_name = getHtml)]
    pub fn get_html(editor: &Editor) -> String;

    #[wasm_bindgen(js_name = setHtml)]
    pub fn set_html(editor: &Editor, html: &str);

    pub fn destroy(editor: &Editor);

    /// Puts the cursor in the text.
    pub fn focus(editor: &Editor);

    /// Read-only (`false`) for someone who may not change the article.
    #[wasm_bindgen(js_name = setEditable)]
    pub fn set_editable(editor: &Editor, editable: bool);

    /// Runs a toolbar command (`bold`, `heading` with `"2"`, `link` with an
    /// address, `figure` with JSON `{src, alt, caption}`, …).
    pub fn run(editor: &Editor, name: &str, arg: &str) -> bool;

    #[wasm_bindgen(js_name = isActive)]
    pub fn is_active(editor: &Editor, name: &str, level: &str) -> bool;
}
