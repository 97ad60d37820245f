//! Prometheus metrics: requests by route and status, a latency histogram, comments created.
//! Kept in the app state (no global recorder), rendered in the text exposition format.
//!
//! Every request passes through here, so recording is one short lock, one cheap hash and no
//! allocation: routes are keyed by their pattern (never the raw path), stored once.

use axum::http::Method;
use std::collections::HashMap;
use std::fmt::Write;
use std::hash::BuildHasherDefault;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    total: u64,
}

/// FNV-1a: the keys are the router's own patterns, never a client's text, so they need no
/// defence against chosen collisions, and this is several times cheaper than the default hash.
#[derive(Default)]
struct PatternHasher(u64);

impl std::hash::Hasher for PatternHasher {
    fn write(&mut self, bytes: &[u8]) {
        let start = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        self.0 = bytes.iter().fold(start, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// One route's numbers.
#[derive(Default)]
struct RouteStats {
    latency: Histogram,
    /// Requests by method and status: a handful per route, so a list.
    answered: Vec<(Method, u16, u64)>,
}

#[derive(Default)]
pub struct Metrics {
    /// By route pattern (`/api/threads`, or `unmatched`).
    routes: Mutex<HashMap<Box<str>, RouteStats, BuildHasherDefault<PatternHasher>>>,
    pub comments_created: AtomicU64,
    handled: AtomicU64,
}

impl Metrics {
    /// Requests answered since start, every route and status.
    pub fn requests_handled(&self) -> u64 {
        self.handled.load(Ordering::Relaxed)
    }

    /// Counts one answered request under its route pattern (never the raw path, which would
    /// let clients create unbounded label values) and its time.
    pub fn record(&self, method: Method, route: &str, status: u16, seconds: f64) {
        self.handled.fetch_add(1, Ordering::Relaxed);
        let first = BUCKETS
            .iter()
            .position(|b| seconds <= *b)
            .unwrap_or(BUCKETS.len());
        let mut routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        let stats = match routes.get_mut(route) {
            Some(stats) => stats,
            None => routes.entry(route.into()).or_default(),
        };
        let h = &mut stats.latency;
        for c in &mut h.counts[first..] {
            *c += 1;
        }
        h.sum += seconds;
        h.total += 1;
        match stats
            .answered
            .iter_mut()
            .find(|(m, s, _)| *s == status && *m == method)
        {
            Some((_, _, n)) => *n += 1,
            None => stats.answered.push((method, status, 1)),
        }
    }

    pub fn comment_created(&self) {
        self.comments_created.fetch_add(1, Ordering::Relaxed);
    }

    pub fn render(&self) -> String {
        let routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        let mut requests: Vec<_> = routes
            .iter()
            .flat_map(|(r, stats)| {
                stats
                    .answered
                    .iter()
                    .map(|(m, s, n)| (&**r, m.as_str(), *s, *n))
            })
            .collect();
        requests.sort();
        let mut latency: Vec<_> = routes.iter().map(|(r, s)| (&**r, &s.latency)).collect();
        latency.sort_by_key(|(r, _)| *r);
        let mut out = String::new();
        out.push_str("# HELP rostra_http_requests_total HTTP requests by route and status.\n");
        out.push_str("# TYPE rostra_http_requests_total counter\n");
        for (route, method, status, n) in requests {
            let _ = writeln!(out, "rostra_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}");
        }
        out.push_str("# HELP rostra_http_request_duration_seconds Time to answer, by route.\n");
        out.push_str("# TYPE rostra_http_request_duration_seconds histogram\n");
        for (route, h) in latency {
            for (bound, n) in BUCKETS.iter().zip(h.counts) {
                let _ = writeln!(out, "rostra_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}");
            }
            let _ = writeln!(
                out,
                "rostra_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.total
            );
            let _ = writeln!(
                out,
                "rostra_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "rostra_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.total
            );
        }
        out.push_str("# HELP rostra_comments_created_total Comments accepted.\n");
        out.push_str("# TYPE rostra_comments_created_total counter\n");
        let _ = writeln!(
            out,
            "rostra_comments_created_total {}",
            self.comments_created.load(Ordering::Relaxed)
        );
        out
    }
}
