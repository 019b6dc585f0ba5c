//! Vietnam-time calendar: days start at 17:00 UTC, weeks on Monday.

use app::vn_time::VIETNAM;
use time::{Date, Duration, OffsetDateTime};

/// The Vietnam calendar day of a moment.
pub fn vn_day(at: OffsetDateTime) -> Date {
    at.to_offset(VIETNAM).date()
}

/// The Monday that starts the week of `day`.
pub fn week_start(day: Date) -> Date {
    day - Duration::days(i64::from(day.weekday().number_days_from_monday()))
}

/// The first day of the month of `day`.
pub fn month_start(day: Date) -> Date {
    day.replace_day(1).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn the_vietnam_day_starts_at_17_utc() {
        assert_eq!(
            vn_day(datetime!(2026-11-28 16:59:59 UTC)),
            date!(2026 - 11 - 28)
        );
        assert_eq!(
            vn_day(datetime!(2026-11-28 17:00:00 UTC)),
            date!(2026 - 11 - 29)
        );
    }

    #[test]
    fn weeks_start_on_monday() {
        // 2026-11-29 is a Sunday, 2026-11-30 a Monday.
        assert_eq!(week_start(date!(2026 - 11 - 29)), date!(2026 - 11 - 23));
        assert_eq!(week_start(date!(2026 - 11 - 30)), date!(2026 - 11 - 30));
        assert_eq!(week_start(date!(2026 - 12 - 06)), date!(2026 - 11 - 30));
        // Sunday 23:59:59 in Vietnam is 16:59:59 UTC; one second later it is Monday.
        let sunday = vn_day(datetime!(2026-11-29 16:59:59 UTC));
        let monday = vn_day(datetime!(2026-11-29 17:00:00 UTC));
        assert_eq!(week_start(sunday), date!(2026 - 11 - 23));
        assert_eq!(week_start(monday), date!(2026 - 11 - 30));
    }

    #[test]
    fn months_and_years_roll_over_in_vietnam_time() {
        let last = vn_day(datetime!(2026-11-30 16:59:59 UTC));
        let first = vn_day(datetime!(2026-11-30 17:00:00 UTC));
        assert_eq!(
            (last, month_start(last)),
            (date!(2026 - 11 - 30), date!(2026 - 11 - 01))
        );
        assert_eq!(
            (first, month_start(first)),
            (date!(2026 - 12 - 01), date!(2026 - 12 - 01))
        );
        let year_end = vn_day(datetime!(2026-12-31 16:59:59 UTC));
        let new_year = vn_day(datetime!(2026-12-31 17:00:00 UTC));
        assert_eq!(year_end, date!(2026 - 12 - 31));
        assert_eq!(new_year, date!(2027 - 01 - 01));
        assert_eq!(month_start(new_year), date!(2027 - 01 - 01));
    }
}
