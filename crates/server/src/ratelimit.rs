//! Rate limits on writes: a token bucket per (action, client address hash), in memory.

use crate::config::RateLimitsConfig;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Comment,
    /// Checking a draft before posting it (`POST /api/comments/check`): its own bucket, with
    /// the limits of posting.
    Check,
    Edit,
    Vote,
    Report,
    Login,
    /// Reader account writes: sign-up, e-mailed links, password and name changes.
    Account,
    /// Machine imports and exports with a site token.
    Import,
}

#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub per_minute: u32,
    pub burst: u32,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

pub struct RateLimiter {
    rules: HashMap<Action, Rule>,
    buckets: Mutex<HashMap<(Action, String), Bucket>>,
}

/// Buckets kept before idle ones are swept.
const SWEEP_AT: usize = 100_000;

impl RateLimiter {
    pub fn new(rules: impl IntoIterator<Item = (Action, Rule)>) -> RateLimiter {
        RateLimiter {
            rules: rules.into_iter().collect(),
            buckets: Mutex::default(),
        }
    }

    /// The limits the configuration sets: checking a draft has posting's.
    pub fn from_config(r: &RateLimitsConfig) -> RateLimiter {
        let rule = |per_minute, burst| Rule { per_minute, burst };
        RateLimiter::new([
            (
                Action::Comment,
                rule(r.comments_per_minute, r.comments_burst),
            ),
            (Action::Check, rule(r.comments_per_minute, r.comments_burst)),
            (Action::Edit, rule(r.edits_per_minute, r.edits_per_minute)),
            (Action::Vote, rule(r.votes_per_minute, r.votes_per_minute)),
            (
                Action::Report,
                rule(r.reports_per_minute, r.reports_per_minute),
            ),
            (
                Action::Login,
                rule(r.logins_per_minute, r.logins_per_minute),
            ),
            (
                Action::Account,
                rule(r.accounts_per_minute, r.accounts_per_minute),
            ),
            (
                Action::Import,
                rule(r.imports_per_minute, r.imports_per_minute),
            ),
        ])
    }

    /// Takes one token; on refusal, the seconds until one is available.
    pub fn check(&self, action: Action, client: &str) -> Result<(), u64> {
        self.check_at(action, client, Instant::now())
    }

    fn check_at(&self, action: Action, client: &str, now: Instant) -> Result<(), u64> {
        let Some(rule) = self.rules.get(&action) else {
            return Ok(());
        };
        let rate = f64::from(rule.per_minute) / 60.0;
        let burst = f64::from(rule.burst.max(1));
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= SWEEP_AT {
            buckets.retain(|_, b| now.duration_since(b.at).as_secs_f64() * rate < burst);
        }
        let bucket = buckets
            .entry((action, client.to_string()))
            .or_insert(Bucket {
                tokens: burst,
                at: now,
            });
        let refill = now.duration_since(bucket.at).as_secs_f64() * rate;
        bucket.tokens = (bucket.tokens + refill).min(burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - bucket.tokens) / rate).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn burst_then_refill() {
        let rl = RateLimiter::new([(
            Action::Comment,
            Rule {
                per_minute: 6,
                burst: 2,
            },
        )]);
        let t0 = Instant::now();
        assert!(rl.check_at(Action::Comment, "a", t0).is_ok());
        assert!(rl.check_at(Action::Comment, "a", t0).is_ok());
        assert_eq!(rl.check_at(Action::Comment, "a", t0), Err(10));
        assert!(
            rl.check_at(Action::Comment, "b", t0).is_ok(),
            "clients are separate"
        );
        assert!(
            rl.check_at(Action::Vote, "a", t0).is_ok(),
            "unlimited actions pass"
        );
        assert!(rl
            .check_at(Action::Comment, "a", t0 + Duration::from_secs(10))
            .is_ok());
    }
}
