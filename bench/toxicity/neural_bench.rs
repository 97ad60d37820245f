//! Neural toxicity model throughput on one thread and its memory: the OLID validation tweets
//! (when the shared fixtures are present) and ~620-character news-style comments, scored
//! repeatedly; then the process's resident memory before loading the model, after loading it,
//! and after scoring 1,000 comments.
//!
//! Run: `cargo run -p rostra-moderation --release --example neural_bench -- MODEL_FILE`
//! (a file written by the `neural_train` example).

#[path = "common.rs"]
mod common;

use common::{measure, news_comments, olid_val, rss_kib};
use rostra_moderation::neural::NeuralModel;
use std::hint::black_box;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: neural_bench MODEL_FILE")?;
    let comments = news_comments(1000);
    let before = rss_kib();
    let model = NeuralModel::from_bytes(&std::fs::read(&path)?)?;
    let loaded = rss_kib();
    for comment in &comments {
        black_box(model.score(comment));
    }
    let scored = rss_kib();
    println!(
        "resident memory: {before} KiB before loading, {loaded} KiB loaded (+{}), {scored} KiB after scoring 1,000 comments (+{} over no model)",
        loaded.saturating_sub(before),
        scored.saturating_sub(before)
    );
    let score = |t: &str| {
        black_box(model.score(t));
    };
    if let Some(tweets) = olid_val() {
        measure("OLID validation tweets", &tweets, score);
    } else {
        println!("OLID validation set not found (set ROSTRA_FIXTURES); skipping it");
    }
    measure("news-style comments", &comments[..500], score);
    Ok(())
}
