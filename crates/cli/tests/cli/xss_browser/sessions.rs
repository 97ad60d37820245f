//! The XSS test's browser sessions at work: a place's pages shared out among them, opened,
//! checked, and what ran or escaped gathered into one report.

use super::{places::Place, probe, seed::Stored};
use fantoccini::Client;
use std::collections::BTreeMap;

/// What the run found and how much it tried, per place.
#[derive(Default)]
pub struct Report {
    pub problems: Vec<String>,
    pub pages: BTreeMap<&'static str, usize>,
    /// Payload values drawn, per place and field.
    pub shown: BTreeMap<(&'static str, &'static str), usize>,
}

impl Report {
    pub fn count(&mut self, place: &Place, comment: &Stored) {
        for f in &comment.kept {
            if place.shows.contains(f) {
                *self.shown.entry((place.name, f)).or_default() += 1;
            }
        }
    }
}

/// Browser sessions that open a place's pages side by side: each page is a chain of round
/// trips (test, ChromeDriver, Chromium, server), so one session alone leaves a core idle.
pub const SESSIONS: usize = 3;

/// Opens each `(url, expected comment ids)` page of a place, shared out among the browser
/// sessions, checks it, and notes what ran.
pub async fn check_pages(
    sessions: &[Client],
    place: &Place,
    pages: &[(String, Vec<String>)],
    origins: &[String],
    report: &mut Report,
) {
    let share = pages.len().div_ceil(sessions.len()).max(1);
    let runs = sessions
        .iter()
        .zip(pages.chunks(share))
        .map(|(c, part)| check_share(c, place, part, origins));
    for found in futures::future::join_all(runs).await {
        report.problems.extend(found.problems);
        *report.pages.entry(place.name).or_default() += found.pages.values().sum::<usize>();
    }
}

/// One session's share of a place's pages.
async fn check_share(
    c: &Client,
    place: &Place,
    pages: &[(String, Vec<String>)],
    origins: &[String],
) -> Report {
    let mut report = Report::default();
    let wait = place.boxes.shadow_host.is_some();
    for (url, expected) in pages {
        let seen = probe::visit(
            c,
            url,
            &place.boxes,
            wait.then_some(expected.len()),
            origins,
        )
        .await;
        *report.pages.entry(place.name).or_default() += 1;
        for p in seen.problems {
            report.problems.push(format!("{} {url}: {p}", place.name));
        }
        if &seen.ids != expected {
            report.problems.push(format!(
                "{} {url}: boxes {:?}, expected {:?}",
                place.name, seen.ids, expected
            ));
        }
    }
    for h in probe::console_hits(c).await {
        report.problems.push(format!("{}: {h}", place.name));
    }
    report
}
