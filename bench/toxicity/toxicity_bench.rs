//! Scoring throughput of the whole attribute assessment (every head, the frames and the
//! swear words) on one thread: the OLID validation tweets (when the shared fixtures are present)
//! and ~600-character news-style comments, scored repeatedly; and the resident memory after
//! scoring 1,000 comments.
//!
//! Run: `cargo run -p rostra-moderation --release --example toxicity_bench`

#[path = "common.rs"]
mod common;

use common::{measure, news_comments, olid_val, rss_kib};
use rostra_moderation::toxicity::AttributeModel;
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
}
