//! Which Atom feeds the XSS test opens and what each must list: every batch's thread feed,
//! each site's feed, and the titled threads' feeds.

use super::feeds;
use super::seed::{self, Stored};
use super::BATCH;

/// The Atom feeds to check: each batch's thread feed and each site's feed, opened one by one,
/// then the titled threads' feeds, BATCH to a feed reader page. A held comment is in no feed.
pub(super) fn feed_groups<'a>(
    batches: &'a [(String, Vec<Stored>)],
    titled: &'a [Stored],
) -> Vec<feeds::Group<'a>> {
    let newest_first = |list: &'a [Stored]| -> Vec<&'a Stored> {
        let mut v: Vec<_> = list.iter().collect();
        v.sort_by_key(|c| std::cmp::Reverse(c.id));
        v
    };
    let thread = |c: &Stored| format!("site={}&url={}", c.site, seed::encode(&c.url));
    let alone = |query: String, comments: Vec<&'a Stored>, count: bool| feeds::Group {
        feeds: vec![feeds::Expected {
            query,
            comments,
            count,
        }],
        open_as_text: true,
    };
    let mut groups = Vec::new();
    for (_, stored) in batches {
        groups.push(alone(thread(&stored[0]), newest_first(stored), true));
    }
    let mut latest: Vec<&Stored> = batches.iter().flat_map(|b| &b.1).collect();
    latest.sort_by_key(|c| std::cmp::Reverse(c.id));
    latest.truncate(BATCH);
    groups.push(alone("site=xss".into(), latest, false));
    groups.push(alone("site=xssheld".into(), Vec::new(), false));
    for chunk in titled.chunks(BATCH) {
        let query = format!("site={}", chunk[0].site);
        groups.push(alone(query, newest_first(chunk), true));
    }
    for chunk in titled.chunks(BATCH) {
        groups.push(feeds::Group {
            feeds: chunk
                .iter()
                .map(|t| feeds::Expected {
                    query: thread(t),
                    comments: vec![t],
                    count: false,
                })
                .collect(),
            open_as_text: false,
        });
    }
    groups
}
