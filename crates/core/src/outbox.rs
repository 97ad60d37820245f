//! The outbox: messages to deliver outside Rostra (e-mail now; webhooks may reuse it), stored
//! before delivery so that none is lost to a restart, and retried with growing delays.

use serde::Serialize;

/// A message waiting for delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutboxItem {
    /// What delivers it: `mail` (others may come, such as `webhook`).
    pub kind: String,
    /// The address it goes to (an e-mail address, a URL).
    pub recipient: String,
    /// What the deliverer needs, as JSON text.
    pub payload: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxItem {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub payload: String,
    /// Deliveries tried so far.
    pub attempts: i64,
    /// When the next try is due; `None` once sent or given up.
    pub next_attempt_at: Option<i64>,
    pub sent_at: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
}

/// The delay before try number `attempts + 1`: `base_ms` doubled for each failed try, at most
/// a day.
pub fn retry_delay_ms(base_ms: u64, attempts: u32) -> i64 {
    const DAY_MS: u64 = 86_400_000;
    let factor = 1u64 << attempts.min(30);
    base_ms.saturating_mul(factor).min(DAY_MS) as i64
}

#[cfg(test)]
mod tests {
    #[test]
    fn delays_double_and_are_capped() {
        assert_eq!(super::retry_delay_ms(1000, 0), 1000);
        assert_eq!(super::retry_delay_ms(1000, 3), 8000);
        assert_eq!(super::retry_delay_ms(1000, 200), 86_400_000);
    }
}
