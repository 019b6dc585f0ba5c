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

/// The value of an `<input type="datetime-local">` for `at`, in Vietnam
/// time: `2026-12-02T08:00`.
pub fn input_value(at: OffsetDateTime) -> String {
    at.to_offset(VIETNAM)
        .format(format_description!("[year]-[month]-[day]T[hour]:[minute]"))
        .unwrap_or_default()
}

/// An `<input type="datetime-local">` value (`2026-12-02T08:00`, seconds
/// optional) read as Vietnam time, whatever the device's own time zone;
/// `None` when empty or malformed.
pub fn parse_input(value: &str) -> Option<OffsetDateTime> {
    let value = value.trim();
    let minutes = format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let seconds = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    time::PrimitiveDateTime::parse(value, minutes)
        .or_else(|_| time::PrimitiveDateTime::parse(value, seconds))
        .ok()
        .map(|local| local.assume_offset(VIETNAM))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn reads_and_writes_the_browsers_date_time_field_in_vietnam_time() {
        let eight = datetime!(2026-12-02 08:00:00 +07:00);
        assert_eq!(parse_input("2026-12-02T08:00"), Some(eight));
        assert_eq!(parse_input(" 2026-12-02T08:00:00 "), Some(eight));
        assert_eq!(
            input_value(datetime!(2026-12-02 01:00:00 UTC)),
            "2026-12-02T08:00"
        );
        assert_eq!(parse_input(&input_value(eight)), Some(eight));
        for bad in ["", "02/12/2026 08:00", "2026-13-02T08:00", "2026-12-02"] {
            assert_eq!(parse_input(bad), None, "{bad}");
        }
    }

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
