//! Scoring throughput of the whole attribute assessment (every head, the frames and the
//! swear words) on one thread: the OLID validation tweets (when the shared fixtures are present)
//! and ~600-character news-style comments, scored repeatedly; and the resident memory after
//! scoring 1,000 comments. Rates are per second of wall-clock time and per second on a CPU
//! (the second is the one to compare on a busy machine); the learned heads alone are measured
//! too, to show what the frames cost.
//!
//! Run: `cargo run -p rostra-moderation --release --example toxicity_bench`

#[path = "common.rs"]
mod common;

use common::{measure, news_comments, olid_val, rss_kib};
use rostra_moderation::toxicity::{AttributeModel, LEARNED};
use std::hint::black_box;

fn main() {
    let before = rss_kib();
    let model = AttributeModel::embedded();
    for comment in news_comments(1_000) {
        black_box(model.assess(&comment));
    }
    println!(
        "resident memory: {:.1} MiB at start, {:.1} MiB after scoring 1,000 comments",
        before as f64 / 1024.0,
        rss_kib() as f64 / 1024.0
    );
    let score = |t: &str| {
        black_box(model.assess(t));
    };
    if let Some(tweets) = olid_val() {
        measure("OLID validation tweets", &tweets, score);
    } else {
        println!("OLID validation set not found (set ROSTRA_FIXTURES); skipping it");
    }
    measure("news-style comments", &news_comments(500), score);
    // The same comments through the learned heads alone (no frames, no swear words), to see
    // what the frames cost.
    let heads: Vec<_> = LEARNED.iter().filter_map(|&a| model.head(a)).collect();
    measure(
        "news-style comments, the heads alone",
        &news_comments(500),
        |t: &str| {
            for head in &heads {
                black_box(head.score(t));
            }
        },
    );
}
