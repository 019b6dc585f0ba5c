//! The HTML article bodies may contain: an allow-list (`ammonia`). Bodies
//! are cleaned when they are written and again on the way out, so that
//! nothing in the database reaches a reader unsanitised, whoever wrote it.

/// The HTML that article bodies may contain: an allow-list, applied on the
/// way out so that nothing in the database reaches a reader unsanitised.
pub fn sanitize(html: &str) -> String {
    static POLICY: std::sync::LazyLock<ammonia::Builder<'static>> =
        std::sync::LazyLock::new(|| {
            let mut builder = ammonia::Builder::default();
            builder
                .add_tags(["figure", "figcaption"])
                .add_tag_attributes("img", ["width", "height", "loading"])
                .add_tag_attributes("td", ["colspan", "rowspan"])
                .add_tag_attributes("th", ["colspan", "rowspan", "scope"])
                .link_rel(Some("noopener"));
            builder
        });
    // A pass can write markup that parses into another tree (an `<a>` that
    // was inside an `<a>` after a `<select>` comes back as its sibling), so
    // the output is cleaned again until it is stable: what is stored is what
    // a browser builds from it, and cleaning it once more changes nothing.
    let mut clean = POLICY.clean(html).to_string();
    for _ in 0..MAX_EXTRA_PASSES {
        let again = POLICY.clean(&clean).to_string();
        if again == clean {
            break;
        }
        clean = again;
    }
    clean
}

/// Enough for any input the property tests have found; each pass is a full
/// clean, so stopping early is still safe.
const MAX_EXTRA_PASSES: usize = 4;

#[cfg(test)]
mod tests {
    use super::sanitize;

    /// Found by the property tests (`server/tests/properties.rs`).
    #[test]
    fn nested_links_after_a_select_are_stable() {
        let html =
            "<a href=\"javascript:alert(1)\"><select><option><a href=\"javascript:alert(1)\">";
        let clean = sanitize(html);
        assert_eq!(clean, "<a rel=\"noopener\"></a><a rel=\"noopener\"></a>");
        assert_eq!(sanitize(&clean), clean);
    }
}
