//! Prometheus metrics: requests by route and status, a latency histogram, comments created.
//! Kept in the app state (no global recorder), rendered in the text exposition format.
//!
//! Every request passes through here, so recording is one short lock and no allocation: routes
//! are keyed by the router's own shared pattern string.

use axum::extract::MatchedPath;
use axum::http::Method;
use std::collections::HashMap;
use std::fmt::Write;
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

/// A route pattern as a map key: the router's shared string, compared by content.
#[derive(Clone)]
struct Route(Option<MatchedPath>);

impl Route {
    fn name(&self) -> &str {
        self.0.as_ref().map_or("unmatched", |p| p.as_str())
    }
}

impl PartialEq for Route {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}
impl Eq for Route {}
impl std::hash::Hash for Route {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name().hash(state);
    }
}

#[derive(Default)]
struct Tables {
    requests: HashMap<(Method, Route, u16), u64>,
    latency: HashMap<Route, Histogram>,
}

#[derive(Default)]
pub struct Metrics {
    tables: Mutex<Tables>,
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
    pub fn record(&self, method: Method, route: Option<MatchedPath>, status: u16, seconds: f64) {
        let route = Route(route);
        self.handled.fetch_add(1, Ordering::Relaxed);
        let mut t = self.tables.lock().unwrap_or_else(|e| e.into_inner());
        let h = match t.latency.get_mut(&route) {
            Some(h) => h,
            None => t.latency.entry(route.clone()).or_default(),
        };
        let first = BUCKETS
            .iter()
            .position(|b| seconds <= *b)
            .unwrap_or(BUCKETS.len());
        for c in &mut h.counts[first..] {
            *c += 1;
        }
        h.sum += seconds;
        h.total += 1;
        *t.requests.entry((method, route, status)).or_default() += 1;
    }

    pub fn comment_created(&self) {
        self.comments_created.fetch_add(1, Ordering::Relaxed);
    }

    pub fn render(&self) -> String {
        let t = self.tables.lock().unwrap_or_else(|e| e.into_inner());
        let mut requests: Vec<_> = t
            .requests
            .iter()
            .map(|((m, r, s), n)| (r.name(), m.as_str(), *s, *n))
            .collect();
        requests.sort();
        let mut latency: Vec<_> = t.latency.iter().map(|(r, h)| (r.name(), h)).collect();
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
