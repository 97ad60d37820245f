//! The tweet formats: TweetEval's line-aligned text and label files, and the cleanup Davidson's
//! raw tweets need (HTML entities, retweet markers).

use super::{parse_flag, Dataset, DatasetError, Example, Format};
use std::path::Path;

pub(super) fn load_tweeteval(path: &Path, stem: &str) -> Result<Dataset, DatasetError> {
    let sibling = |suffix: &str| path.with_file_name(format!("{stem}{suffix}"));
    let (text_path, labels_path) = (sibling("_text.txt"), sibling("_labels.txt"));
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|source| DatasetError::Io {
            path: p.to_path_buf(),
            source,
        })
    };
    let texts = read(&text_path)?;
    let labels = read(&labels_path)?;
    let texts: Vec<&str> = texts.lines().collect();
    let labels: Vec<&str> = labels.lines().filter(|l| !l.trim().is_empty()).collect();
    if texts.len() != labels.len() {
        return Err(DatasetError::LineCount {
            path: text_path,
            labels_path,
            texts: texts.len(),
            labels: labels.len(),
        });
    }
    let mut examples = Vec::with_capacity(texts.len());
    for (record, (text, label)) in texts.iter().zip(&labels).enumerate() {
        let label = parse_flag(label).ok_or_else(|| DatasetError::BadValue {
            path: labels_path.clone(),
            record: record + 1,
            column: "label",
            value: label.to_string(),
        })?;
        examples.push(Example::plain(text.to_string(), label));
    }
    Ok(Dataset {
        format: Format::TweetEval,
        examples,
    })
}

/// Davidson's tweets carry HTML entities and retweet markers; decode the one, drop the other.
pub(crate) fn clean_tweet(raw: &str) -> String {
    let decoded = decode_entities(raw);
    decoded
        .split(' ')
        .filter(|w| *w != "RT")
        .collect::<Vec<_>>()
        .join(" ")
}

fn decode_entities(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let entity = rest
            .find(';')
            .filter(|&end| end <= 10)
            .map(|end| (&rest[1..end], end));
        let decoded = entity.and_then(|(name, end)| {
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => name
                    .strip_prefix("#x")
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_entities_and_drops_retweet_markers() {
        assert_eq!(
            clean_tweet("RT @a: x &amp; y &#8220;z&#8221; &bogus; & ok"),
            "@a: x & y “z” &bogus; & ok"
        );
    }
}
