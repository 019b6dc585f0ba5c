//! Data for islands without serialised props.
//!
//! A Leptos island with props sends them as JSON and parses them with
//! `serde_json` when it hydrates, which compiles `serde_json`, serde's error
//! messages and Rust's float formatting into the WASM (about 40 KB before
//! compression, a tenth of the module; issue 9's page-weight budget). So the
//! citizens' islands take no props: the server renders an island's data in
//! a `data-*` attribute of an element just outside it and gives the island
//! the same value through the context; in the browser the island reads the
//! attribute when it hydrates.
//!
//! Each of these islands appears at most once on a page, so the first
//! element with the attribute is the island's.

use leptos::prelude::*;

/// An island's data on the server, provided by the component that renders
/// the island (see [`provide_island_data`]).
#[derive(Clone)]
struct IslandData<T>(T);

/// Gives the islands rendered after this call (in the current component)
/// their data on the server.
pub fn provide_island_data<T: Clone + Send + Sync + 'static>(value: T) {
    provide_context(IslandData(value));
}

/// The island's data: on the server, what [`provide_island_data`] gave; in
/// the browser, the value of `attribute` on the first element of the page
/// that has it, read by `parse`. `None` when there is none or it does not
/// parse.
pub fn island_data<T: Clone + Send + Sync + 'static>(
    attribute: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    #[cfg(feature = "hydrate")]
    {
        document()
            .query_selector(&format!("[{attribute}]"))
            .ok()
            .flatten()
            .and_then(|element| element.get_attribute(attribute))
            .and_then(|value| parse(&value))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (attribute, parse);
        use_context::<IslandData<T>>().map(|data| data.0)
    }
}
