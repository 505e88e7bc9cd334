//! Wall-clock times for backups: Unix seconds in the store and in archive
//! names, rendered as UTC (`2026-01-31T12:00:00Z`, or compact
//! `20260131T120000.123Z` in file names so names sort by time). No time-zone
//! database: backups are named and compared in UTC only.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, now.
pub fn now_unix() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        // A clock before 1970 is broken; treat it as the epoch.
        Err(_) => 0,
    }
}

/// Milliseconds since the Unix epoch, now.
pub fn now_millis() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(_) => 0,
    }
}

/// `20260131T120000.123Z`, for file names: fixed width, so names made a
/// millisecond apart still sort in time order.
pub fn compact_millis(unix_ms: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(unix_ms.div_euclid(1000));
    let ms = unix_ms.rem_euclid(1000);
    format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}.{ms:03}Z")
}

/// `2026-01-31T12:00:00Z`.
pub fn rfc3339(unix: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(unix);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// Split Unix seconds into the proleptic Gregorian calendar (UTC).
fn civil(unix: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Count from 0000-03-01 so the leap day is the last day of a year;
    // 146_097 days make one 400-year cycle.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let [month, day, h, m, s] = [month, day, secs / 3600, secs % 3600 / 60, secs % 60].map(|v| v as u32);
    (year, month, day, h, m, s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        let cases = [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_709_251_199, "2024-02-29T23:59:59Z"),
            (4_102_444_800, "2100-01-01T00:00:00Z"),
            (-1, "1969-12-31T23:59:59Z"),
        ];
        for (unix, want) in cases {
            assert_eq!(rfc3339(unix), want, "{unix}");
        }
        assert_eq!(compact_millis(1_709_251_199_007), "20240229T235959.007Z");
        assert!(now_unix() > 1_700_000_000);
    }
}
