//! Delivering one e-mail: over SMTP (lettre) when a server is configured, else as an `.eml`
//! file in the mail folder.

use super::MailPayload;
use crate::config::MailConfig;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;

/// The mail folder's subfolder where a message is written before it is moved into the folder
/// whole, so that whoever reads the folder never sees half a message.
const STAGING: &str = ".writing";

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

impl Mailer {
    /// Builds the transport the config names. Without SMTP the log says where mail goes (the
    /// folder is made with the first message).
    pub fn from_config(c: &MailConfig) -> Result<Mailer, String> {
        let from: Mailbox = c
            .from
            .parse()
            .map_err(|e| format!("mail.from is not an address: {e}"))?;
        let transport = if c.smtp_host.is_empty() {
            let dir = PathBuf::from(&c.folder);
            let shown = std::path::absolute(&dir).unwrap_or(dir.clone());
            tracing::info!(
                folder = %shown.display(),
                "no SMTP server configured: e-mails are written to this folder as .eml files"
            );
            Transport::Folder(AsyncFileTransport::new(dir.join(STAGING)), dir)
        } else {
            Transport::Smtp(smtp(c)?)
        };
        Ok(Mailer { from, transport })
    }

    /// Sends one message; the error says why not (never the password).
    pub async fn send(&self, to: &str, mail: &MailPayload) -> Result<(), String> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| format!("not an e-mail address: {e}"))?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.as_str());
        let mut message = match &mail.html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                mail.text.clone(),
                html.clone(),
            )),
            None => builder
                .header(ContentType::TEXT_PLAIN)
                .body(mail.text.clone()),
        }
        .map_err(|e| format!("could not build the message: {e}"))?;
        for (name, value) in &mail.headers {
            let name = HeaderName::new_from_ascii(name.clone())
                .map_err(|e| format!("bad header name '{name}': {e}"))?;
            message
                .headers_mut()
                .insert_raw(HeaderValue::new(name, value.clone()));
        }
        match &self.transport {
            Transport::Smtp(t) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Transport::Folder(t, dir) => {
                let staging = dir.join(STAGING);
                tokio::fs::create_dir_all(&staging)
                    .await
                    .map_err(|e| format!("could not create mail folder {}: {e}", dir.display()))?;
                let id = t.send(message).await.map_err(|e| e.to_string())?;
                let name = format!("{id}.eml");
                tokio::fs::rename(staging.join(&name), dir.join(&name))
                    .await
                    .map_err(|e| format!("could not move {name} into {}: {e}", dir.display()))
            }
        }
    }
}

fn smtp(c: &MailConfig) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let host = c.smtp_host.as_str();
    let builder = match c.smtp_tls.as_str() {
        "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
        "starttls" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
            .map_err(|e| format!("mail.smtp_host: {e}"))?,
        "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(host)
            .map_err(|e| format!("mail.smtp_host: {e}"))?,
        other => {
            return Err(format!(
                "mail.smtp_tls: '{other}' is not none, starttls or tls"
            ))
        }
    };
    let mut builder = builder
        .port(c.smtp_port)
        .timeout(Some(Duration::from_secs(30)));
    if !c.smtp_user.is_empty() {
        builder = builder.credentials(Credentials::new(
            c.smtp_user.clone(),
            c.smtp_password.clone(),
        ));
    }
    Ok(builder.build())
}
