//! The normalized records imports read and exports write: threads, comments and skipped items,
//! whatever comment system a file came from.

use crate::comment::Status;

/// A thread as a source file describes it. `url` may be a path ("/posts/1/"); it is then joined
/// to the site's first origin.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadRecord {
    pub source_id: String,
    pub url: String,
    /// An explicit identifier (Disqus' `disqus_identifier`); the thread is keyed by it.
    pub identifier: Option<String>,
    pub title: Option<String>,
    pub created_at: Option<i64>,
    pub closed: bool,
}

/// A comment body as the source holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// HTML (Disqus, WordPress, Remark42): sanitized on import.
    Html(String),
    /// Markdown (Isso, Commento, ours): rendered on import.
    Markdown(String),
    /// Ours: the Markdown source and the HTML that was stored with it.
    Both { markdown: String, html: String },
    /// What is stored: the editable source and the sanitized HTML (see [`Body::prepared`]).
    Prepared { source: String, html: String },
}

impl Body {
    /// The source and sanitized HTML a comment is stored with, by the same rules as new
    /// comments. Importers call this on the thread that reads the file, so that sanitizing (the
    /// costliest step per comment) runs beside the database writes rather than before them.
    pub fn prepared(self) -> Body {
        match self {
            Body::Html(h) => Body::Prepared {
                source: crate::markdown::html_to_text(&h),
                html: crate::markdown::sanitize_html(&h),
            },
            Body::Markdown(m) => Body::Prepared {
                html: crate::markdown::render(&m),
                source: m,
            },
            Body::Both { markdown, html } => Body::Prepared {
                source: markdown,
                html: crate::markdown::sanitize_html(&html),
            },
            ready @ Body::Prepared { .. } => ready,
        }
    }
}

/// A previous text of an edited comment.
#[derive(Debug, Clone, PartialEq)]
pub struct RevisionRecord {
    pub body: String,
    pub replaced_at: i64,
}

/// One reader's vote (only our own format carries them one by one).
#[derive(Debug, Clone, PartialEq)]
pub struct VoteRecord {
    pub voter_hash: Option<String>,
    pub ip_hash: String,
    pub value: i8,
    pub voted_at: i64,
}

/// A comment as a source file describes it. Its thread and parent are named by source ids.
#[derive(Debug, Clone, PartialEq)]
pub struct CommentRecord {
    pub source_id: String,
    pub thread_source_id: String,
    pub parent_source_id: Option<String>,
    pub author_name: Option<String>,
    pub author_email: Option<String>,
    pub author_url: Option<String>,
    pub body: Body,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub status: Status,
    pub upvotes: i64,
    pub downvotes: i64,
    pub revisions: Vec<RevisionRecord>,
    pub votes: Vec<VoteRecord>,
}

/// Something in the file that cannot be mapped, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    pub item: String,
    pub reason: String,
}

/// One item of an import stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Thread(ThreadRecord),
    Comment(Box<CommentRecord>),
    Skipped(Skipped),
}

/// What an import did (as JSON, the answer of `POST /api/admin/import`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    pub threads_imported: u64,
    /// Threads of the file that already existed on the site (by key or by an earlier import).
    pub threads_matched: u64,
    pub comments_imported: u64,
    /// Comments an earlier import of the same format already brought in.
    pub comments_already_imported: u64,
    /// Distinct authors (by e-mail, else by name) among the comments imported.
    pub authors_imported: u64,
    /// Replies whose parent never appeared in the file: imported at the top level.
    pub orphans_attached_top_level: u64,
    pub skipped: Vec<Skipped>,
}

/// Records as a file reader hands them over: `Some(Ok(Some(record)))` for each, `Some(Ok(None))`
/// once the whole file was read, `Some(Err(message))` when reading failed; `None` when the
/// reader went away without finishing.
#[async_trait::async_trait]
pub trait RecordSource: Send {
    async fn next(&mut self) -> Option<Result<Option<Record>, String>>;
}

/// Where an export's records go, with the site they belong to.
pub type ExportSink<'a> = dyn FnMut(&crate::Site, Record) -> std::io::Result<()> + Send + 'a;

/// Import into and export out of the database, for the admin pages (the backends implement it
/// over their own connection, outside the server's writer).
#[async_trait::async_trait]
pub trait Interchange: Send + Sync {
    /// Imports a stream of records into a site, all or nothing; `progress` hears the comments
    /// read so far.
    async fn import(
        &self,
        site_key: &str,
        format: &str,
        records: &mut dyn RecordSource,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<ImportSummary, crate::Error>;

    /// Hands every thread and comment of a site to `sink`, each thread before its comments.
    async fn export(
        &self,
        site_key: &str,
        sink: &mut ExportSink<'_>,
    ) -> Result<crate::Site, crate::Error>;
}
