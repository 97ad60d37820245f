//! Rostra's domain: what a site, a thread and a comment are, the rules they obey, and the storage
//! traits the backends implement. No async runtime, no HTTP, no SQL here.
#![forbid(unsafe_code)]

pub mod account;
pub mod attributes;
pub mod comment;
pub mod desk;
pub mod error;
pub mod events;
pub mod ids;
pub mod interchange;
pub mod lists;
pub mod markdown;
pub mod moderation;
pub mod notification;
pub mod outbox;
pub mod page_url;
pub mod passkey;
pub mod privacy;
pub mod reader_store;
pub mod site;
pub mod store;
pub mod thread;
pub mod tree;
pub mod user;
pub mod validate;

pub use comment::{Comment, CommentEdit, NewComment, NewVote, Sort, Status, VoteTotals};
pub use error::{Error, Result, StoreError};
pub use ids::{AccountId, CommentId, SiteId, ThreadId, UserId};
pub use site::{NewSite, Site};
pub use store::Store;
pub use thread::{Thread, ThreadKey};
