//! Checking what a commenter sends before anything is stored: lengths, names, e-mail, website.

use crate::error::Error;
use url::Url;

/// The limits a comment must fit in (from config; the defaults suit a news site).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub body_min_chars: usize,
    pub body_max_chars: usize,
    pub name_max_chars: usize,
    pub title_max_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_min_chars: 1,
            body_max_chars: 10_000,
            name_max_chars: 64,
            title_max_chars: 300,
        }
    }
}

const EMAIL_MAX: usize = 254;
const AUTHOR_URL_MAX: usize = 2048;

/// What a commenter typed, before checking.
#[derive(Debug, Clone, Default)]
pub struct AuthorInput<'a> {
    pub name: Option<&'a str>,
    pub email: Option<&'a str>,
    pub url: Option<&'a str>,
}

/// The author fields after checking: trimmed, empty ones gone.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Author {
    pub name: Option<String>,
    pub email: Option<String>,
    pub url: Option<String>,
}

/// Trims and length-checks a comment body. NUL characters are dropped: no reader typed them,
/// and PostgreSQL text cannot hold them.
pub fn body(raw: &str, limits: &Limits) -> Result<String, Error> {
    let without_nul;
    let raw = if raw.contains('\0') {
        without_nul = raw.replace('\0', "");
        without_nul.as_str()
    } else {
        raw
    };
    let body = raw.trim();
    let chars = body.chars().count();
    if chars == 0 {
        return Err(Error::BodyEmpty);
    }
    if chars < limits.body_min_chars {
        return Err(Error::BodyTooShort(limits.body_min_chars));
    }
    if chars > limits.body_max_chars {
        return Err(Error::BodyTooLong(limits.body_max_chars));
    }
    Ok(body.to_string())
}

/// Checks the optional author fields. An empty name shows as "Anonymous".
pub fn author(input: &AuthorInput<'_>, limits: &Limits) -> Result<Author, Error> {
    let name = non_empty(input.name).map(|n| collapse_whitespace(&n));
    if name
        .as_ref()
        .is_some_and(|n| n.chars().count() > limits.name_max_chars)
    {
        return Err(Error::NameTooLong(limits.name_max_chars));
    }
    let email = non_empty(input.email);
    if let Some(e) = &email {
        if !looks_like_email(e) {
            return Err(Error::InvalidEmail);
        }
    }
    let url = non_empty(input.url);
    let url = match url {
        None => None,
        Some(u) => Some(author_url(&u)?),
    };
    Ok(Author { name, email, url })
}

/// Trims a page title and checks its length; an empty title is no title.
pub fn title(raw: Option<&str>, limits: &Limits) -> Result<Option<String>, Error> {
    let title = non_empty(raw).map(|t| collapse_whitespace(&t));
    if title
        .as_ref()
        .is_some_and(|t| t.chars().count() > limits.title_max_chars)
    {
        return Err(Error::TitleTooLong(limits.title_max_chars));
    }
    Ok(title)
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Newlines and control characters have no place in a name or title.
fn collapse_whitespace(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn looks_like_email(e: &str) -> bool {
    let Some((local, domain)) = e.rsplit_once('@') else {
        return false;
    };
    e.len() <= EMAIL_MAX
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"'()[]\\,;".contains(c))
}

/// A website must be an absolute http(s) URL; anything else (`javascript:`, `data:`) is refused.
fn author_url(raw: &str) -> Result<String, Error> {
    if raw.len() > AUTHOR_URL_MAX {
        return Err(Error::InvalidAuthorUrl);
    }
    let with_scheme = if raw.contains("://") {
        raw.to_string()
    } else {
        format!("https://{raw}")
    };
    let url = Url::parse(&with_scheme).map_err(|_| Error::InvalidAuthorUrl)?;
    match url.scheme() {
        "http" | "https" if url.host_str().is_some_and(|h| !h.is_empty()) => Ok(url.to_string()),
        _ => Err(Error::InvalidAuthorUrl),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_limits() {
        let l = Limits::default();
        assert_eq!(body("  hi  ", &l).unwrap(), "hi");
        assert!(matches!(body(" \n\t ", &l), Err(Error::BodyEmpty)));
        assert!(matches!(
            body(&"x".repeat(10_001), &l),
            Err(Error::BodyTooLong(10_000))
        ));
        assert!(
            body(&"é".repeat(10_000), &l).is_ok(),
            "limits count characters, not bytes"
        );
        assert_eq!(body("a\0b", &l).unwrap(), "ab");
        let strict = Limits {
            body_min_chars: 5,
            ..l
        };
        assert!(matches!(body("abc", &strict), Err(Error::BodyTooShort(5))));
    }

    #[test]
    fn author_fields() {
        let l = Limits::default();
        let a = author(
            &AuthorInput {
                name: Some("  Ada \n Lovelace "),
                email: Some(" "),
                url: Some("ada.example"),
            },
            &l,
        )
        .unwrap();
        assert_eq!(a.name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(a.email, None);
        assert_eq!(a.url.as_deref(), Some("https://ada.example/"));
        let long = "n".repeat(65);
        assert!(matches!(
            author(
                &AuthorInput {
                    name: Some(&long),
                    ..Default::default()
                },
                &l
            ),
            Err(Error::NameTooLong(64))
        ));
    }

    #[test]
    fn rejects_bad_email_and_urls() {
        let l = Limits::default();
        for e in ["nope", "a@b", "<x>@y.z", "a b@c.de"] {
            let r = author(
                &AuthorInput {
                    email: Some(e),
                    ..Default::default()
                },
                &l,
            );
            assert!(matches!(r, Err(Error::InvalidEmail)), "{e}");
        }
        for u in [
            "javascript:alert(1)",
            "data:text/html,x",
            "ftp://x.example",
            "https://",
        ] {
            let r = author(
                &AuthorInput {
                    url: Some(u),
                    ..Default::default()
                },
                &l,
            );
            assert!(matches!(r, Err(Error::InvalidAuthorUrl)), "{u}");
        }
    }
}
