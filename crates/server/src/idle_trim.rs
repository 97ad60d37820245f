//! Gives the heap's free pages back to the system when the server goes quiet after busy spells.
//!
//! glibc's allocator keeps memory freed by requests (thread pages, JSON, SQL rows) in its arenas,
//! one per thread that allocated, so a server that served a burst stays at its peak size while
//! it idles. Once no request has been handled for one tick after some were, this asks the
//! database to drop its connections' page caches and the allocator to release what it holds
//! free (`malloc_trim`). It costs a few milliseconds of one
//! thread at most once per quiet spell; nothing is done while requests keep coming.

use crate::metrics::Metrics;
use std::sync::Arc;
use std::time::Duration;

/// How long the server must have been without requests before the heap is trimmed.
pub const QUIET: Duration = Duration::from_secs(2);

/// Runs forever: trims the heap at the start of each quiet spell.
pub async fn run(metrics: Arc<Metrics>, store: Arc<dyn rostra_core::Store>) {
    let mut tick = tokio::time::interval(QUIET);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut watch = QuietWatch::new(metrics.requests_handled());
    loop {
        tick.tick().await;
        if watch.went_quiet(metrics.requests_handled()) {
            // The database's caches first, so that what they free is trimmed with the rest.
            if let Err(e) = store.release_memory().await {
                tracing::debug!(error = %e, "quiet: database caches not released");
            }
            let released = tokio::task::spawn_blocking(trim).await.unwrap_or(false);
            tracing::debug!(released, "quiet: heap trimmed");
        }
    }
}

/// Tells, from the request count at each tick, when a quiet spell begins after activity.
struct QuietWatch {
    /// The count at the previous tick.
    seen: u64,
    /// The count when the heap was last trimmed.
    trimmed: u64,
}

impl QuietWatch {
    fn new(count: u64) -> Self {
        QuietWatch {
            seen: count,
            trimmed: count,
        }
    }

    /// True when no request came since the last tick but some came since the last trim.
    fn went_quiet(&mut self, count: u64) -> bool {
        let quiet = count == self.seen && count != self.trimmed;
        if quiet {
            self.trimmed = count;
        }
        self.seen = count;
        quiet
    }
}

/// Returns the allocator's free pages to the system; true when some were released.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[expect(unsafe_code, reason = "malloc_trim FFI: no pointers, no preconditions")]
fn trim() -> bool {
    // SAFETY: malloc_trim only walks glibc's own arenas under their locks; it takes no pointers.
    unsafe { libc::malloc_trim(0) == 1 }
}

/// Other allocators return memory on their own.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim() -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_once_at_the_start_of_each_quiet_spell() {
        let mut w = QuietWatch::new(0);
        // Idle from the start: nothing to give back.
        assert!(!w.went_quiet(0));
        // Busy for two ticks, then quiet: one trim, not one per quiet tick.
        assert!(!w.went_quiet(5));
        assert!(!w.went_quiet(9));
        assert!(w.went_quiet(9));
        assert!(!w.went_quiet(9));
        // A single request later, then quiet again: another trim.
        assert!(!w.went_quiet(10));
        assert!(w.went_quiet(10));
    }
}
