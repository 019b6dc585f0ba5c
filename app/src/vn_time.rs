//! Vietnam time (Asia/Ho_Chi_Minh): UTC+7 all year, no daylight saving.

use time::{OffsetDateTime, UtcOffset, macros::format_description, macros::offset};

pub const VIETNAM: UtcOffset = offset!(+7);

/// The portal's way of showing a moment: `16:33 - 01/12/2017`, Vietnam time.
pub fn format_datetime(at: OffsetDateTime) -> String {
    at.to_offset(VIETNAM)
        .format(format_description!(
            "[hour]:[minute] - [day]/[month]/[year]"
        ))
        .unwrap_or_default()
}

/// The machine-readable form for `<time datetime=…>`, in Vietnam time.
pub fn iso_datetime(at: OffsetDateTime) -> String {
    at.to_offset(VIETNAM)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn formats_the_reference_article_time() {
        let at = datetime!(2017-12-01 09:33:00 UTC);
        assert_eq!(format_datetime(at), "16:33 - 01/12/2017");
        assert_eq!(iso_datetime(at), "2017-12-01T16:33:00+07:00");
    }

    #[test]
    fn crosses_the_date_line_at_17_utc() {
        assert_eq!(
            format_datetime(datetime!(2017-11-30 16:59:00 UTC)),
            "23:59 - 30/11/2017"
        );
        assert_eq!(
            format_datetime(datetime!(2017-11-30 17:00:00 UTC)),
            "00:00 - 01/12/2017"
        );
    }
}
