//! Neural toxicity model throughput on one thread and its memory: the OLID validation tweets
//! (when the shared fixtures are present) and ~620-character news-style comments, scored
//! repeatedly; then the process's resident memory before loading the model, after loading it,
//! and after scoring 1,000 comments.
//!
//! Run: `cargo run -p rostra-moderation --release --example neural_bench -- MODEL_FILE`
//! (a file written by the `neural_train` example).

use rostra_moderation::neural::NeuralModel;
use rostra_moderation::toxicity::datasets;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Sentences written for this benchmark; comments are built by cycling through them.
const SENTENCES: &[&str] = &[
    "The article leaves out how long the waiting list for the clinic has been growing this year.",
    "We walked along the river path on Sunday and the new lights make it feel much safer at night.",
    "I am not convinced the parking fees will cover the cost, but the plan deserves a fair hearing.",
    "Whoever approved this contract must be an idiot, and the rest of the board let it happen.",
    "My son plays in the youth league and the coaches there give up every weekend for the kids.",
    "A chart of the rents over the last ten years would have made the argument much clearer.",
    "The school should publish its inspection report instead of asking parents to trust them.",
    "Is there a recording of the debate for those of us who work evenings and could not attend?",
];

fn news_comments(count: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            let mut comment = String::new();
            let mut k = i;
            while comment.len() < 620 {
                comment.push_str(SENTENCES[k % SENTENCES.len()]);
                comment.push(' ');
                k += 3;
            }
            comment
        })
        .collect()
}

fn olid_val() -> Option<Vec<String>> {
    let root = std::env::var_os("ROSTRA_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures")
        });
    let path = root.join("toxicity/tweeteval-offensive/val_text.txt");
    let data = datasets::load(&path).ok()?;
    Some(data.examples.into_iter().map(|e| e.text).collect())
}

fn measure(name: &str, model: &NeuralModel, texts: &[String]) {
    let chars: usize = texts.iter().map(|t| t.chars().count()).sum();
    texts.iter().for_each(|t| {
        black_box(model.score(t));
    });
    let start = Instant::now();
    let mut scored = 0usize;
    while start.elapsed() < Duration::from_secs(2) {
        for text in texts {
            black_box(model.score(black_box(text)));
        }
        scored += texts.len();
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{name}: {} comments of {:.0} characters on average: {:.0} comments/s, {:.1} µs each",
        texts.len(),
        chars as f64 / texts.len().max(1) as f64,
        scored as f64 / seconds,
        1e6 * seconds / scored as f64
    );
}

/// Resident memory of this process in KiB (Linux), 0 elsewhere.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

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
    if let Some(tweets) = olid_val() {
        measure("OLID validation tweets", &model, &tweets);
    } else {
        println!("OLID validation set not found (set ROSTRA_FIXTURES); skipping it");
    }
    measure("news-style comments", &model, &comments[..500]);
    Ok(())
}
