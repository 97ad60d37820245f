//! Recognizing a file's format from its first bytes, for `rostra import` without `--format`.

use crate::{isso, Format, Input, ReadError};
use std::io::{Read, SeekFrom};

/// How much of the file is looked at.
const HEAD: u64 = 64 * 1024;

/// The format a file is in, judged from its beginning; the input is rewound afterwards.
pub fn detect(input: &mut dyn Input) -> Result<Format, ReadError> {
    let mut head = Vec::new();
    (&mut *input).take(HEAD).read_to_end(&mut head)?;
    input.seek(SeekFrom::Start(0))?;
    from_head(&head).ok_or_else(|| {
        ReadError::Unrecognized(
            "the file's format is not recognized; name it with --format (disqus, wxr, isso, \
             remark42, commento, comentario, rostra)"
                .into(),
        )
    })
}

/// The format the first bytes of a file show.
pub fn from_head(head: &[u8]) -> Option<Format> {
    if isso::is_sqlite(head) {
        return Some(Format::Isso);
    }
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    // A stray character before the XML still shows what the file means to be; reading it then
    // reports the defect.
    let xml = text.trim_start_matches('`').trim_start();
    if xml.starts_with('<') {
        if xml.contains("<disqus") {
            return Some(Format::Disqus);
        }
        if xml.contains("<rss") && xml.contains("wordpress.org/export/") {
            return Some(Format::Wxr);
        }
        return None;
    }
    if text.starts_with('[') {
        return Some(Format::Isso);
    }
    if !text.starts_with('{') {
        return None;
    }
    let first_line = text.lines().next().unwrap_or("");
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if first_line.contains("\"type\":\"rostra\"") {
        Some(Format::Rostra)
    } else if compact.contains("\"version\":3") || compact.contains("\"pages\":[") {
        Some(Format::Comentario)
    } else if compact.contains("\"commentHex\"") || compact.contains("\"commenters\"") {
        Some(Format::Commento)
    } else if first_line.contains("\"users\"") || first_line.contains("\"posts\"") {
        Some(Format::Remark42)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_say_their_format() {
        assert_eq!(from_head(b"SQLite format 3\0..."), Some(Format::Isso));
        assert_eq!(
            from_head(b"`<?xml version=\"1.0\"?><disqus>"),
            Some(Format::Disqus)
        );
        assert_eq!(
            from_head(b"<?xml?><rss xmlns:wp=\"http://wordpress.org/export/1.2/\">"),
            Some(Format::Wxr)
        );
        assert_eq!(
            from_head(b"{\"type\":\"rostra\",\"version\":1}\n"),
            Some(Format::Rostra)
        );
        assert_eq!(
            from_head(b"{\"version\": 3, \"pages\": []}"),
            Some(Format::Comentario)
        );
        assert_eq!(
            from_head(b"{\"version\":1,\"comments\":[{\"commentHex\""),
            Some(Format::Commento)
        );
        assert_eq!(
            from_head(b"{\"version\":1,\"users\":[],\"posts\":[]}\n{}"),
            Some(Format::Remark42)
        );
        assert_eq!(from_head(b"[{\"id\": \"/a/\"}]"), Some(Format::Isso));
        assert_eq!(from_head(b"hello"), None);
    }
}
