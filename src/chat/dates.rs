//! Time for chat: the clock in milliseconds since the Unix epoch (what the
//! store keeps), RFC 3339 in UTC for people and the UI, and calendar days
//! for usage reports. The proleptic Gregorian conversion follows Howard
//! Hinnant's `civil_from_days`; it is exact for every date the store can hold.

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// Now, in milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// (year, month, day) of the day `days` after 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `YYYY-MM-DD` of the day `days` after 1970-01-01.
pub fn day_string(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `2026-03-02T08:00:00Z` (seconds precision, UTC).
pub fn rfc3339(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    format!("{}T{:02}:{:02}:{:02}Z", day_string(days), rem / 3600, rem % 3600 / 60, rem % 60)
}

/// The day number (days since 1970-01-01) of `ms`, with days starting at
/// midnight `offset_minutes` east of UTC.
pub fn local_day(ms: i64, offset_minutes: i32) -> i64 {
    (ms + i64::from(offset_minutes) * 60_000).div_euclid(DAY_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates_format() {
        let cases = [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400_000, "2000-02-29T00:00:00Z"),
            (1_772_438_400_000, "2026-03-02T08:00:00Z"),
            (-1_000, "1969-12-31T23:59:59Z"),
            (4_102_444_799_000, "2099-12-31T23:59:59Z"),
        ];
        for (ms, want) in cases {
            assert_eq!(rfc3339(ms), want, "{ms}");
        }
    }

    #[test]
    fn days_follow_the_offset() {
        let late_utc = 10 * DAY_MS + 23 * 3_600_000;
        assert_eq!(local_day(late_utc, 0), 10);
        assert_eq!(local_day(late_utc, 120), 11, "01:00 SAST is the next day");
        assert_eq!(local_day(0, -60), -1);
        assert_eq!(day_string(local_day(late_utc, 120)), "1970-01-12");
    }

    #[test]
    fn every_day_of_four_centuries_round_trips_through_its_string() {
        let mut prev = String::new();
        for days in (-146_097..146_097).step_by(97) {
            let s = day_string(days);
            assert!(s > prev || prev.is_empty(), "{s} after {prev}");
            let (y, m, d) = civil_from_days(days);
            assert!((1..=12).contains(&m) && (1..=31).contains(&d), "{y}-{m}-{d}");
            prev = s;
        }
    }
}
