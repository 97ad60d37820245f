//! Import and export between Rostra and other comment systems: one module per format, each
//! reading a file as a stream of normalized records (`rostra_core::interchange`), and writers of
//! our JSON lines format and of WordPress WXR over `Write`.
#![forbid(unsafe_code)]

pub mod comentario;
pub mod commento;
pub mod dates;
pub mod detect;
pub mod disqus;
pub mod isso;
mod json_arrays;
pub mod remark42;
pub mod rostra;
pub mod wxr;
pub mod wxr_export;
mod xml;

pub use rostra_core::interchange::{
    Body, CommentRecord, ImportSummary, Record, RevisionRecord, Skipped, ThreadRecord, VoteRecord,
};
use std::fmt;
use std::io::{BufRead, Seek};

/// Where records go as they are read. An error stops the reading.
pub type Emit<'a> = dyn FnMut(Record) -> Result<(), ReadError> + Send + 'a;

/// A file being read: buffered, and seekable for the formats that need two passes.
pub trait Input: BufRead + Seek + Send {}
impl<T: BufRead + Seek + Send> Input for T {}

/// The formats `rostra import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Disqus,
    Wxr,
    Isso,
    Remark42,
    Commento,
    Comentario,
    Rostra,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Disqus,
        Format::Wxr,
        Format::Isso,
        Format::Remark42,
        Format::Commento,
        Format::Comentario,
        Format::Rostra,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Disqus => "disqus",
            Format::Wxr => "wxr",
            Format::Isso => "isso",
            Format::Remark42 => "remark42",
            Format::Commento => "commento",
            Format::Comentario => "comentario",
            Format::Rostra => "rostra",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// Why reading a file stopped.
#[derive(Debug)]
pub enum ReadError {
    /// The file is not well-formed for its format: where, and what is wrong.
    Malformed {
        at: String,
        message: String,
    },
    /// The format could not be recognized (or the file is of another format than requested).
    Unrecognized(String),
    Io(std::io::Error),
    /// Whoever was taking the records stopped (the import failed for another reason).
    Stopped,
}

impl ReadError {
    pub(crate) fn malformed(at: impl Into<String>, message: impl fmt::Display) -> ReadError {
        ReadError::Malformed {
            at: at.into(),
            message: message.to_string(),
        }
    }

    pub(crate) fn json(e: &serde_json::Error) -> ReadError {
        ReadError::malformed(format!("line {} column {}", e.line(), e.column()), e)
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Malformed { at, message } => write!(f, "malformed file at {at}: {message}"),
            ReadError::Unrecognized(m) => write!(f, "{m}"),
            ReadError::Io(e) => write!(f, "cannot read the file: {e}"),
            ReadError::Stopped => write!(f, "the import stopped"),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// Reads a file of a streaming format (every one but Isso's SQLite database, which
/// [`isso::read_database`] reads from its path), handing each record to `emit`.
pub fn read(format: Format, input: &mut dyn Input, emit: &mut Emit<'_>) -> Result<(), ReadError> {
    match format {
        Format::Disqus => disqus::read(input, emit),
        Format::Wxr => wxr::read(input, emit),
        Format::Isso => isso::read_generic_json(input, emit),
        Format::Remark42 => remark42::read(input, emit),
        Format::Commento => commento::read(input, emit),
        Format::Comentario => comentario::read(input, emit),
        Format::Rostra => rostra::read(input, emit),
    }
}

/// Text that is present and not blank, trimmed.
pub(crate) fn non_blank(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}
