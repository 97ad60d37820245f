//! Scoring throughput of the whole attribute assessment (every head, the frames and the
//! profanity list) on one thread: the OLID validation tweets (when the shared
//! fixtures are present) and ~600-character news-style comments, scored repeatedly.
//!
//! Run: `cargo run -p rostra-moderation --release --example toxicity_bench`

use rostra_moderation::toxicity::{datasets, AttributeModel};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Sentences written for this benchmark; comments are built by cycling through them.
const SENTENCES: &[&str] = &[
    "I read the whole article twice and I still think the council is missing the point here.",
    "The new bus schedule looks fine on paper, but nobody asked the people who ride at night.",
    "My neighbour has run the bakery on the corner for thirty years and never raised prices like this.",
    "If the budget really has a surplus, the library hours should be the first thing restored.",
    "Honestly, this is a stupid decision and whoever signed off on it should be embarrassed.",
    "Thanks to the reporter for including the actual numbers instead of just the press release.",
    "We tried the same thing in our town in 2015 and the traffic got worse within a month.",
    "Does anyone know whether the public hearing on Thursday will be streamed online?",
];

fn news_comments(count: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            let mut comment = String::new();
            let mut k = i;
            while comment.len() < 600 {
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

fn measure(name: &str, model: &AttributeModel, texts: &[String]) {
    let chars: usize = texts.iter().map(|t| t.chars().count()).sum();
    // Warm up, then score for at least two seconds.
    texts.iter().for_each(|t| {
        black_box(model.assess(t));
    });
    let start = Instant::now();
    let mut scored = 0usize;
    while start.elapsed() < Duration::from_secs(2) {
        for text in texts {
            black_box(model.assess(black_box(text)));
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

/// The process's resident memory, from /proc (Linux), in MiB.
fn rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let before = rss_mib();
    let model = AttributeModel::embedded();
    for comment in news_comments(1_000) {
        black_box(model.assess(&comment));
    }
    if let (Some(before), Some(after)) = (before, rss_mib()) {
        println!("resident memory: {before:.1} MiB at start, {after:.1} MiB after scoring 1,000 comments");
    }
    if let Some(tweets) = olid_val() {
        measure("OLID validation tweets", model, &tweets);
    } else {
        println!("OLID validation set not found (set ROSTRA_FIXTURES); skipping it");
    }
    measure("news-style comments", model, &news_comments(500));
}
