//! What the toxicity benchmarks share: news-style comments built from sentences written for
//! them, the OLID validation tweets, a two-second scoring loop, and the resident memory.

use rostra_moderation::toxicity::datasets;
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

pub fn news_comments(count: usize) -> Vec<String> {
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

pub fn olid_val() -> Option<Vec<String>> {
    let root = std::env::var_os("ROSTRA_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures")
        });
    let path = root.join("toxicity/tweeteval-offensive/val_text.txt");
    let data = datasets::load(&path).ok()?;
    Some(data.examples.into_iter().map(|e| e.text).collect())
}

/// Scores every text with `score`, repeatedly for at least two seconds after a warm-up pass,
/// and prints the rate per second of wall-clock time and per second this thread spent on a CPU
/// (Linux; the rate per core that other processes on a busy machine do not dilute).
pub fn measure(name: &str, texts: &[String], score: impl Fn(&str)) {
    let chars: usize = texts.iter().map(|t| t.chars().count()).sum();
    texts.iter().for_each(|t| score(t));
    let (start, cpu_start) = (Instant::now(), cpu_ns());
    let mut scored = 0usize;
    while start.elapsed() < Duration::from_secs(2) {
        for text in texts {
            score(black_box(text));
        }
        scored += texts.len();
    }
    let seconds = start.elapsed().as_secs_f64();
    let on_cpu = match (cpu_start, cpu_ns()) {
        (Some(a), Some(b)) if b > a => {
            let cpu = (b - a) as f64 / 1e9;
            format!(
                "; on-CPU {:.0} comments/s ({:.0} % of the wall time on a CPU)",
                scored as f64 / cpu,
                100.0 * cpu / seconds
            )
        }
        _ => String::new(),
    };
    println!(
        "{name}: {} comments of {:.0} characters on average: {:.0} comments/s, {:.1} µs each{on_cpu}",
        texts.len(),
        chars as f64 / texts.len().max(1) as f64,
        scored as f64 / seconds,
        1e6 * seconds / scored as f64
    );
}

/// Nanoseconds this thread has run on a CPU (Linux `schedstat`), if known.
fn cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Resident memory of this process in KiB (Linux), 0 elsewhere.
pub fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
