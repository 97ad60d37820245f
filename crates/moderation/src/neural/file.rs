//! The trained neural model as stored and scored: one signed byte per embedding weight with a
//! one-byte logarithmic scale per row, and the small layers in f32.
//!
//! File format (little-endian): magic `RSTXNN01`, then `u32`s: format version, architecture (0
//! bag, 1 conv), hash bits, dim, filters, width, and a mask of the trained outputs; then the
//! `2^bits × dim` weight bytes, the `2^bits` row-scale bytes, the convolution weights and
//! biases, the output weights and biases (f32), and an FNV-1a 64 checksum of all before it.
//! A row's weight `q` stands for `q · 2^((e − 224) / 8)` where `e` is the row's scale byte.

use super::net::{Layers, Rows, Table};
use super::train::{Architecture, MAX_BITS, MAX_DIM, MAX_FILTERS, MAX_WIDTH, MIN_BITS};
use super::OUTPUTS;
use std::borrow::Cow;

const MAGIC: &[u8; 8] = b"RSTXNN01";
const FORMAT_VERSION: u32 = 1;
const HEADER_LEN: usize = 8 + 7 * 4;

/// Embedding rows of one byte per weight.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ByteTable {
    pub dim: usize,
    /// The weights as stored: each byte an `i8`. Borrowed when read in place from a file that
    /// lives as long as the program (one embedded in the binary), so only the rows in use are
    /// paged in.
    pub codes: Cow<'static, [u8]>,
    pub exponents: Cow<'static, [u8]>,
    /// What each scale byte stands for.
    pub scales: Vec<f32>,
}

fn scale_of(exponent: u8) -> f32 {
    ((f32::from(exponent) - 224.0) / 8.0).exp2()
}

impl ByteTable {
    fn quantize(table: &Table) -> ByteTable {
        let scales: Vec<f32> = (0..=255u8).map(scale_of).collect();
        let dim = table.dim;
        let mut codes = Vec::with_capacity(table.values.len());
        let mut exponents = Vec::with_capacity(table.values.len() / dim);
        for row in table.values.chunks_exact(dim) {
            let largest = row.iter().fold(0.0f32, |m, v| m.max(v.abs()));
            // The smallest scale that keeps the largest weight within ±127.
            let e = scales
                .iter()
                .position(|&s| s * 127.0 >= largest)
                .unwrap_or(255);
            exponents.push(e as u8);
            let inv = 1.0 / scales[e];
            codes.extend(
                row.iter()
                    .map(|v| (v * inv).round().clamp(-127.0, 127.0) as i8 as u8),
            );
        }
        ByteTable {
            dim,
            codes: Cow::Owned(codes),
            exponents: Cow::Owned(exponents),
            scales,
        }
    }
}

impl Rows for ByteTable {
    fn dim(&self) -> usize {
        self.dim
    }

    #[inline]
    fn add_row(&self, r: usize, acc: &mut [f32]) {
        let scale = self.scales[usize::from(self.exponents[r])];
        let row = &self.codes[r * self.dim..(r + 1) * self.dim];
        acc.iter_mut()
            .zip(row)
            .for_each(|(a, &q)| *a += scale * f32::from(q as i8));
    }
}

/// A trained neural model. See the module documentation for its file format.
#[derive(Debug, Clone, PartialEq)]
pub struct NeuralModel {
    pub(crate) architecture: Architecture,
    pub(crate) bits: u32,
    pub(crate) table: ByteTable,
    pub(crate) layers: Layers,
    /// Outputs that had labels in training; the others always score 0.
    pub(crate) trained: [bool; OUTPUTS],
}

/// Why bytes could not be read as a neural model.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NeuralModelError {
    #[error("not a Rostra neural model (bad magic bytes)")]
    BadMagic,
    #[error(
        "neural model format version {0} is not supported (this build reads {FORMAT_VERSION})"
    )]
    UnsupportedVersion(u32),
    #[error("neural model header out of range: {0}")]
    BadHeader(&'static str),
    #[error("neural model file is {actual} bytes, expected {expected}")]
    Length { expected: usize, actual: usize },
    #[error("neural model checksum mismatch (file damaged)")]
    Checksum,
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl NeuralModel {
    pub(crate) fn quantize(
        architecture: Architecture,
        bits: u32,
        table: &Table,
        layers: Layers,
        trained: [bool; OUTPUTS],
    ) -> NeuralModel {
        NeuralModel {
            architecture,
            bits,
            table: ByteTable::quantize(table),
            layers,
            trained,
        }
    }

    pub fn architecture(&self) -> Architecture {
        self.architecture
    }

    /// Writes the model file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + self.table.codes.len() * 9 / 8 + 64);
        out.extend_from_slice(MAGIC);
        let mask = self
            .trained
            .iter()
            .enumerate()
            .fold(0u32, |m, (k, &t)| m | (u32::from(t) << k));
        let arch = match self.architecture {
            Architecture::Bag => 0u32,
            Architecture::Conv => 1,
        };
        let header = [
            FORMAT_VERSION,
            arch,
            self.bits,
            self.table.dim as u32,
            self.layers.filters as u32,
            self.layers.width as u32,
            mask,
        ];
        header
            .iter()
            .for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
        out.extend_from_slice(&self.table.codes);
        out.extend_from_slice(&self.table.exponents);
        let l = &self.layers;
        for v in l
            .conv_w
            .iter()
            .chain(&l.conv_b)
            .chain(&l.head_w)
            .chain(&l.head_b)
        {
            out.extend_from_slice(&v.to_le_bytes());
        }
        let checksum = fnv1a(&out);
        out.extend_from_slice(&checksum.to_le_bytes());
        out
    }

    /// Reads a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<NeuralModel, NeuralModelError> {
        let parsed = Parsed::read(bytes)?;
        let (codes, exponents) = (parsed.codes.to_vec(), parsed.exponents.to_vec());
        Ok(parsed.into_model(Cow::Owned(codes), Cow::Owned(exponents)))
    }

    /// Reads a model file that lives as long as the program (one embedded with
    /// `include_bytes!`), keeping the embedding bytes where they are instead of copying them.
    pub fn from_static(bytes: &'static [u8]) -> Result<NeuralModel, NeuralModelError> {
        let parsed = Parsed::read(bytes)?;
        let (codes, exponents) = (parsed.codes, parsed.exponents);
        Ok(parsed.into_model(Cow::Borrowed(codes), Cow::Borrowed(exponents)))
    }
}

/// A checked model file: its header, the embedding bytes where they lie, and the small layers.
struct Parsed<'a> {
    header: Header,
    codes: &'a [u8],
    exponents: &'a [u8],
    layers: Layers,
}

impl<'a> Parsed<'a> {
    fn read(bytes: &'a [u8]) -> Result<Parsed<'a>, NeuralModelError> {
        let header = Header::parse(bytes)?;
        let (rows, dim, filters) = (1usize << header.bits, header.dim, header.filters);
        let expected = header.file_len();
        if bytes.len() != expected {
            return Err(NeuralModelError::Length {
                expected,
                actual: bytes.len(),
            });
        }
        let body = &bytes[..expected - 8];
        let stored = u64::from_le_bytes(bytes[expected - 8..].try_into().unwrap_or_default());
        if fnv1a(body) != stored {
            return Err(NeuralModelError::Checksum);
        }
        let codes = &body[HEADER_LEN..HEADER_LEN + rows * dim];
        let exponents = &body[HEADER_LEN + rows * dim..HEADER_LEN + rows * dim + rows];
        let mut at = HEADER_LEN + rows * dim + rows;
        let mut next = |n: usize| -> Vec<f32> {
            let values = body[at..at + 4 * n]
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            at += 4 * n;
            values
        };
        let conv_w = next(header.conv_weights());
        let conv_b = next(filters);
        let head_w = next(OUTPUTS * (filters + dim));
        let mut head_b = [0.0; OUTPUTS];
        head_b.copy_from_slice(&next(OUTPUTS));
        let layers = Layers {
            filters,
            width: header.width,
            conv_w,
            conv_b,
            head_w,
            head_b,
        };
        Ok(Parsed {
            header,
            codes,
            exponents,
            layers,
        })
    }

    fn into_model(self, codes: Cow<'static, [u8]>, exponents: Cow<'static, [u8]>) -> NeuralModel {
        let mask = self.header.mask;
        NeuralModel {
            architecture: self.header.architecture,
            bits: self.header.bits,
            table: ByteTable {
                dim: self.header.dim,
                codes,
                exponents,
                scales: (0..=255u8).map(scale_of).collect(),
            },
            layers: self.layers,
            trained: std::array::from_fn(|k| mask & (1 << k) != 0),
        }
    }
}

/// The fixed-size start of a model file, checked.
struct Header {
    architecture: Architecture,
    bits: u32,
    dim: usize,
    filters: usize,
    width: usize,
    mask: u32,
}

impl Header {
    fn parse(bytes: &[u8]) -> Result<Header, NeuralModelError> {
        if bytes.len() < HEADER_LEN + 8 || &bytes[..8] != MAGIC {
            return Err(NeuralModelError::BadMagic);
        }
        let word = |i: usize| {
            let at = 8 + 4 * i;
            u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        if word(0) != FORMAT_VERSION {
            return Err(NeuralModelError::UnsupportedVersion(word(0)));
        }
        let bad = NeuralModelError::BadHeader;
        let architecture = match word(1) {
            0 => Architecture::Bag,
            1 => Architecture::Conv,
            _ => return Err(bad("architecture")),
        };
        let header = Header {
            architecture,
            bits: word(2),
            dim: word(3) as usize,
            filters: word(4) as usize,
            width: word(5) as usize,
            mask: word(6),
        };
        if !(MIN_BITS..=MAX_BITS).contains(&header.bits) {
            return Err(bad("bits"));
        }
        let (dim, filters, width) = (header.dim, header.filters, header.width);
        if dim == 0 || dim > MAX_DIM || filters > MAX_FILTERS || !(1..=MAX_WIDTH).contains(&width) {
            return Err(bad("dim, filters or width"));
        }
        if (architecture == Architecture::Bag) != (filters == 0) {
            return Err(bad("filters"));
        }
        Ok(header)
    }

    /// Convolution weights, filters padded to blocks of eight.
    fn conv_weights(&self) -> usize {
        self.filters.div_ceil(8) * 8 * self.width * self.dim
    }

    fn file_len(&self) -> usize {
        let rows = 1usize << self.bits;
        let floats = self.conv_weights() + self.filters + OUTPUTS * (self.filters + self.dim);
        HEADER_LEN + rows * self.dim + rows + 4 * (floats + OUTPUTS) + 8
    }
}
