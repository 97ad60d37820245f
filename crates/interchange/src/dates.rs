//! Dates as the formats write them ("2013-10-10T19:20:29Z", "2017-12-20T15:18:22-06:00",
//! "2005-02-24 04:03:37"), to and from UTC Unix milliseconds.

/// Parses `YYYY-MM-DD[T| ]hh:mm:ss[.fraction][Z|±hh:mm]`; no zone means UTC.
pub fn parse(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 19 || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(range)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    let mut rest = &s[19..];
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        let mut ms = fraction[..digits.min(3)].to_string();
        while ms.len() < 3 {
            ms.push('0');
        }
        millis = ms.parse().ok()?;
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest {
        "" | "Z" | "z" => 0,
        zone => {
            let sign = match zone.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let zone = zone[1..].replace(':', "");
            if zone.len() != 4 || !zone.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let (h, m): (i64, i64) = (zone[..2].parse().ok()?, zone[2..].parse().ok()?);
            sign * (h * 60 + m)
        }
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1000 + millis)
}

/// Formats as `YYYY-MM-DD hh:mm:ss` (UTC), the way WordPress writes dates.
pub fn format_wordpress(ms: i64) -> String {
    let (date, time) = split(ms);
    format!("{date} {time}")
}

/// Formats as RFC 3339 with milliseconds in UTC.
pub fn format_rfc3339(ms: i64) -> String {
    let (date, time) = split(ms);
    format!("{date}T{time}.{:03}Z", ms.rem_euclid(1000))
}

fn split(ms: i64) -> (String, String) {
    let seconds = ms.div_euclid(1000);
    let (days, secs) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    (
        format!("{y:04}-{m:02}-{d:02}"),
        format!(
            "{:02}:{:02}:{:02}",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        ),
    )
}

// Howard Hinnant's algorithms for the proleptic Gregorian calendar.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_formats_in_the_wild_parse() {
        assert_eq!(parse("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse("2013-10-10T19:20:29Z"), Some(1_381_432_829_000));
        assert_eq!(parse("2013-10-10 19:20:29"), Some(1_381_432_829_000));
        assert_eq!(
            parse("2017-12-20T15:18:22-06:00"),
            parse("2017-12-20T21:18:22Z")
        );
        assert_eq!(parse("2023-11-14T20:15:12.371Z"), Some(1_699_992_912_371));
        assert_eq!(
            parse("2018-12-23T02:55:22.472041-06:00").map(|t| t % 1000),
            Some(472)
        );
        assert_eq!(parse("yesterday"), None);
        assert_eq!(parse("2013-13-10T19:20:29Z"), None);
    }

    #[test]
    fn formatting_inverts_parsing() {
        for ms in [0, 1_381_432_829_000, 951_782_400_000, -86_400_000] {
            assert_eq!(parse(&format_wordpress(ms)), Some(ms));
            assert_eq!(parse(&format_rfc3339(ms + 7)), Some(ms + 7));
        }
    }
}
