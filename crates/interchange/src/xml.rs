//! A streaming XML walker for the XML formats: it reads the file event by event and hands back
//! small subtrees (one post, one comment) as nodes, so memory stays bounded by the largest item.

use crate::ReadError;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::io::{BufRead, Read};

/// Counts the lines a buffered reader has handed out, so errors can name a line.
pub(crate) struct LineCounter<R> {
    inner: R,
    lines: u64,
}

impl<R: BufRead> Read for LineCounter<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(out)?;
        self.lines += out[..n].iter().filter(|b| **b == b'\n').count() as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineCounter<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let end = amt.min(buf.len());
            self.lines += buf[..end].iter().filter(|b| **b == b'\n').count() as u64;
        }
        self.inner.consume(amt);
    }
}

/// An element with its attributes, text and children (names without namespace prefixes).
#[derive(Debug, Default)]
pub(crate) struct Node {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Node>,
    /// The line the element starts on.
    pub line: u64,
}

impl Node {
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The trimmed text of a child, when present and not blank.
    pub fn text_of(&self, name: &str) -> Option<String> {
        crate::non_blank(self.child(name).map(|c| c.text.as_str()))
    }

    /// The text of a child as it is (bodies keep their whitespace).
    pub fn raw_text_of(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }

    pub fn attr(&self, name: &str) -> Option<String> {
        crate::non_blank(
            self.attrs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str()),
        )
    }

    pub fn flag(&self, name: &str) -> bool {
        self.text_of(name).is_some_and(|t| t == "true" || t == "1")
    }
}

/// What the walker found next.
pub(crate) enum Item {
    /// An element that was not captured opened; `depth` counts from 1 for the root.
    Open {
        name: String,
        depth: usize,
    },
    /// A captured element, read whole.
    Element(Node),
    Close {
        name: String,
        depth: usize,
    },
    End,
}

pub(crate) struct Walker<R: BufRead> {
    reader: Reader<LineCounter<R>>,
    buf: Vec<u8>,
    /// Names of the open elements outside any captured one.
    path: Vec<String>,
    seen_root: bool,
}

impl<R: BufRead> Walker<R> {
    pub fn new(input: R) -> Walker<R> {
        let mut reader = Reader::from_reader(LineCounter {
            inner: input,
            lines: 0,
        });
        reader.config_mut().expand_empty_elements = true;
        reader.config_mut().check_end_names = true;
        Walker {
            reader,
            buf: Vec::new(),
            path: Vec::new(),
            seen_root: false,
        }
    }

    pub fn line(&self) -> u64 {
        self.reader.get_ref().lines + 1
    }

    fn error(&self, message: impl std::fmt::Display) -> ReadError {
        let inside = if self.path.is_empty() {
            String::new()
        } else {
            format!(" (inside <{}>)", self.path.join("><"))
        };
        ReadError::malformed(format!("line {}{inside}", self.line()), message)
    }

    /// The next item; elements for which `capture(path, name)` holds are read whole.
    pub fn next(&mut self, capture: &dyn Fn(&[String], &str) -> bool) -> Result<Item, ReadError> {
        loop {
            self.buf.clear();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(e) => e.into_owned(),
                Err(e) => return Err(self.error(e)),
            };
            match event {
                Event::Start(start) => {
                    if self.path.is_empty() && self.seen_root {
                        return Err(self.error("a second root element"));
                    }
                    self.seen_root = true;
                    let name = local(start.local_name().as_ref());
                    let attrs = self.attributes(&start)?;
                    if capture(&self.path, &name) {
                        let line = self.line();
                        let node = self.read_node(name, attrs, line)?;
                        return Ok(Item::Element(node));
                    }
                    self.path.push(name.clone());
                    return Ok(Item::Open {
                        name,
                        depth: self.path.len(),
                    });
                }
                Event::End(_) => {
                    let depth = self.path.len();
                    let name = self.path.pop().unwrap_or_default();
                    return Ok(Item::Close { name, depth });
                }
                Event::Text(t) if self.path.is_empty() => {
                    let text = String::from_utf8_lossy(&t).to_string();
                    if !text.trim().is_empty() {
                        return Err(self.error(format!(
                            "text outside the root element: {:?}",
                            text.trim().chars().take(20).collect::<String>()
                        )));
                    }
                }
                Event::Eof => {
                    if !self.path.is_empty() {
                        return Err(self.error("the file ends before its elements are closed"));
                    }
                    if !self.seen_root {
                        return Err(self.error("no root element"));
                    }
                    return Ok(Item::End);
                }
                _ => {}
            }
        }
    }

    fn attributes(
        &self,
        start: &quick_xml::events::BytesStart<'_>,
    ) -> Result<Vec<(String, String)>, ReadError> {
        let mut attrs = Vec::new();
        for a in start.attributes() {
            let a = a.map_err(|e| self.error(e))?;
            let value = a.unescape_value().map_err(|e| self.error(e))?;
            attrs.push((local(a.key.local_name().as_ref()), value.into_owned()));
        }
        Ok(attrs)
    }

    /// Reads the rest of an element whose start was just read.
    fn read_node(
        &mut self,
        name: String,
        attrs: Vec<(String, String)>,
        line: u64,
    ) -> Result<Node, ReadError> {
        let mut stack = vec![Node {
            name,
            attrs,
            line,
            ..Node::default()
        }];
        loop {
            self.buf.clear();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(e) => e.into_owned(),
                Err(e) => return Err(self.error(e)),
            };
            match event {
                Event::Start(start) => {
                    let attrs = self.attributes(&start)?;
                    stack.push(Node {
                        name: local(start.local_name().as_ref()),
                        attrs,
                        line: self.line(),
                        ..Node::default()
                    });
                }
                Event::End(_) => {
                    let done = stack.pop().unwrap_or_default();
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(done),
                        None => return Ok(done),
                    }
                }
                Event::Text(t) => {
                    let text = t.unescape().map_err(|e| self.error(e))?;
                    if let Some(top) = stack.last_mut() {
                        top.text.push_str(&text);
                    }
                }
                Event::CData(c) => {
                    let text = String::from_utf8_lossy(&c.into_inner()).into_owned();
                    if let Some(top) = stack.last_mut() {
                        top.text.push_str(&text);
                    }
                }
                Event::Eof => {
                    return Err(self.error(format!(
                        "the file ends inside <{}>",
                        stack.first().map_or("", |n| n.name.as_str())
                    )))
                }
                _ => {}
            }
        }
    }
}

fn local(name: &[u8]) -> String {
    String::from_utf8_lossy(name).into_owned()
}
