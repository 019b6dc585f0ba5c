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
    POLICY.clean(html).to_string()
}
