//! Outgoing e-mail: messages go into the outbox table and a worker delivers them over SMTP, or
//! into a folder of `.eml` files when no SMTP server is configured. A request never waits for
//! delivery.

pub mod transport;

use crate::state::{now_ms, AppState};
use rostra_core::outbox::NewOutboxItem;
use serde::{Deserialize, Serialize};

pub use transport::Mailer;

/// The mail feature's state: the mailer (SMTP or a folder), or why there is none; each message
/// that meets the error waits in the outbox for a retry.
pub struct MailState(pub Result<Mailer, String>);

/// The mailer the server started with, or why it has none.
pub fn mailer(state: &AppState) -> Result<&Mailer, String> {
    match state.features.get::<MailState>() {
        Some(MailState(Ok(mailer))) => Ok(mailer),
        Some(MailState(Err(why))) => Err(why.clone()),
        None => Err("this server was started without mail".into()),
    }
}

/// The outbox kind of e-mail.
pub const KIND: &str = "mail";

/// What the outbox keeps of an e-mail: the recipient is the item's, the sender the config's.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct MailPayload {
    pub subject: String,
    pub text: String,
    /// An HTML alternative to `text`, when the message has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// Extra headers (such as `List-Unsubscribe`), as name and value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
}

/// Queues an e-mail and wakes the outbox worker; answers the outbox id.
pub async fn enqueue(
    state: &AppState,
    to: &str,
    subject: &str,
    text: &str,
) -> Result<i64, rostra_core::Error> {
    let payload = MailPayload {
        subject: subject.into(),
        text: text.into(),
        ..MailPayload::default()
    };
    enqueue_payload(state, to, &payload).await
}

/// Queues an e-mail with everything a payload may carry (HTML, extra headers).
pub async fn enqueue_payload(
    state: &AppState,
    to: &str,
    payload: &MailPayload,
) -> Result<i64, rostra_core::Error> {
    let item = NewOutboxItem {
        kind: KIND.into(),
        recipient: to.into(),
        payload: serde_json::to_string(payload).unwrap_or_default(),
    };
    let id = state.store.enqueue(item, now_ms()).await?;
    state.outbox_wake.notify_one();
    Ok(id)
}
