//! The model itself: hashed feature weights, its file format, and the copy embedded in the binary.
//!
//! File format (little-endian): magic `RSTXMDL1`, format version `u32`, hash bits `u32`, bias
//! `f32`, weight scale `f32`, then `2^bits` weights of one byte each, then an FNV-1a 64 checksum
//! of everything before it. A weight byte `q` (an `i8`) stands for `sign(q) · 32767 · (q/127)²`
//! units of the scale: square-root companding keeps the many small weights fine-grained (a step
//! of 2 units near zero) and the few large ones within 1.6 %, in half the bytes of 16-bit
//! weights (512 KiB at 2^19 buckets, all paged in once comments are scored). No vocabulary
//! strings are stored: the features are hashed, and the weights cannot be turned back into the
//! training text.

use std::borrow::Cow;

const MAGIC: &[u8; 8] = b"RSTXMDL1";
/// Bumped whenever feature extraction, normalization or the weights' encoding changes meaning.
/// Version 2: one companded byte per weight (version 1 had 16-bit weights). Version 3: group
/// names hashed as one word.
const FORMAT_VERSION: u32 = 3;
/// The largest weight, in units of the scale.
const UNITS: i32 = 32767;
/// The largest weight byte.
const CODES: i32 = 127;

/// What each weight byte stands for, in units of the scale (indexed by the byte as `u8`).
static DECODE: [i16; 256] = decode_table();

const fn decode_table() -> [i16; 256] {
    let mut table = [0i16; 256];
    let mut byte = 0;
    while byte < 256 {
        let q = (byte as u8) as i8 as i32;
        let magnitude = (UNITS * q * q + CODES * CODES / 2) / (CODES * CODES);
        table[byte] = if q < 0 { -magnitude } else { magnitude } as i16;
        byte += 1;
    }
    table
}

/// The byte standing for `units` (−32767..=32767): the inverse of [`DECODE`], rounded.
fn encode(units: f32) -> u8 {
    let q = (units.abs() / UNITS as f32).sqrt() * CODES as f32;
    let q = q.round().min(CODES as f32) as i8;
    (if units < 0.0 { -q } else { q }) as u8
}
const HEADER_LEN: usize = 8 + 4 + 4 + 4 + 4;
pub(crate) const MIN_BITS: u32 = 10;
pub(crate) const MAX_BITS: u32 = 22;

/// A linear model over hashed word and character n-grams. See [`Model::score`].
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub(crate) bits: u32,
    pub(crate) bias: f32,
    pub(crate) scale: f32,
    /// The weight bytes, as in the file: for the embedded model, the binary's own bytes, read
    /// in place. Empty for the model that scores everything 0.
    pub(crate) weights: Cow<'static, [u8]>,
}

/// Why bytes could not be read as a model.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ModelError {
    #[error("not a Rostra toxicity model (bad magic bytes)")]
    BadMagic,
    #[error("model format version {0} is not supported (this build reads {FORMAT_VERSION})")]
    UnsupportedVersion(u32),
    #[error("model declares {0} hash bits; supported are {MIN_BITS}..={MAX_BITS}")]
    BadBits(u32),
    #[error("model file is {actual} bytes, expected {expected}")]
    Length { expected: usize, actual: usize },
    #[error("model checksum mismatch (file damaged)")]
    Checksum,
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn read_u32(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(word)
}

impl Model {
    /// The toxicity head of the model shipped inside the binary (see
    /// [`super::AttributeModel::embedded`]); the zero model if it has none.
    pub fn embedded() -> &'static Model {
        static ZERO: std::sync::OnceLock<Model> = std::sync::OnceLock::new();
        super::AttributeModel::embedded()
            .head(rostra_core::attributes::Attribute::Toxicity)
            .unwrap_or_else(|| ZERO.get_or_init(Model::zero))
    }

    /// A model that scores every text 0.
    pub fn zero() -> Model {
        Model {
            bits: MIN_BITS,
            bias: 0.0,
            scale: 0.0,
            weights: Cow::Borrowed(&[]),
        }
    }

    /// The weight in one hash bucket.
    pub(crate) fn weight(&self, bucket: usize) -> i16 {
        DECODE[usize::from(self.weights[bucket])]
    }

    /// Whether this is the model that scores everything 0.
    pub(crate) fn is_zero(&self) -> bool {
        self.weights.is_empty()
    }

    /// Builds a model from real-valued weights, quantizing them to one byte each.
    pub(crate) fn from_weights(bits: u32, bias: f32, weights: &[f32]) -> Model {
        let largest = weights.iter().fold(0.0f32, |m, w| m.max(w.abs()));
        let scale = if largest > 0.0 {
            largest / UNITS as f32
        } else {
            1.0
        };
        let weights = weights
            .iter()
            .map(|w| encode(w / scale))
            .collect::<Vec<u8>>()
            .into();
        Model {
            bits,
            bias,
            scale,
            weights,
        }
    }

    /// Reads a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let (bits, bias, scale, weights) = parse(bytes, true)?;
        Ok(Model {
            bits,
            bias,
            scale,
            weights: Cow::Owned(weights.to_vec()),
        })
    }

    /// Reads a model that lives as long as the program, keeping its weights where they are. The
    /// checksum is not recomputed (that would page in every weight): the crate's tests check
    /// the embedded file's.
    pub(crate) fn borrowed(bytes: &'static [u8]) -> Result<Model, ModelError> {
        let (bits, bias, scale, weights) = parse(bytes, false)?;
        Ok(Model {
            bits,
            bias,
            scale,
            weights: Cow::Borrowed(weights),
        })
    }

    /// Writes the model file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + (1usize << self.bits) + 8);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&self.bias.to_bits().to_le_bytes());
        out.extend_from_slice(&self.scale.to_bits().to_le_bytes());
        if self.weights.len() == 1 << self.bits {
            out.extend_from_slice(&self.weights);
        } else {
            out.resize(out.len() + (1usize << self.bits), 0);
        }
        let checksum = fnv1a(&out);
        out.extend_from_slice(&checksum.to_le_bytes());
        out
    }

    /// Number of hash buckets (`2^bits`).
    pub fn buckets(&self) -> usize {
        1 << self.bits
    }
}

/// Checks a model file's header, length and (if asked) checksum; returns bits, bias, scale and
/// the weight bytes.
fn parse(bytes: &[u8], verify: bool) -> Result<(u32, f32, f32, &[u8]), ModelError> {
    if bytes.len() < HEADER_LEN + 8 || &bytes[..8] != MAGIC {
        return Err(ModelError::BadMagic);
    }
    let version = read_u32(bytes, 8);
    if version != FORMAT_VERSION {
        return Err(ModelError::UnsupportedVersion(version));
    }
    let bits = read_u32(bytes, 12);
    if !(MIN_BITS..=MAX_BITS).contains(&bits) {
        return Err(ModelError::BadBits(bits));
    }
    let expected = HEADER_LEN + (1usize << bits) + 8;
    if bytes.len() != expected {
        return Err(ModelError::Length {
            expected,
            actual: bytes.len(),
        });
    }
    let body = &bytes[..expected - 8];
    let mut stored = [0u8; 8];
    stored.copy_from_slice(&bytes[expected - 8..]);
    if verify && fnv1a(body) != u64::from_le_bytes(stored) {
        return Err(ModelError::Checksum);
    }
    let bias = f32::from_bits(read_u32(bytes, 16));
    let scale = f32::from_bits(read_u32(bytes, 20));
    Ok((bits, bias, scale, &body[HEADER_LEN..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_bytes() {
        let weights: Vec<f32> = (0..1 << MIN_BITS)
            .map(|i| (i as f32 - 500.0) / 100.0)
            .collect();
        let model = Model::from_weights(MIN_BITS, -0.25, &weights);
        let bytes = model.to_bytes();
        assert_eq!(Model::from_bytes(&bytes), Ok(model));
    }

    #[test]
    fn embedded_toxicity_head_is_read_in_place() {
        assert!(!Model::embedded().is_zero());
        assert!(matches!(Model::embedded().weights, Cow::Borrowed(_)));
    }

    #[test]
    fn weight_bytes_decode_near_what_was_encoded() {
        assert_eq!(DECODE[usize::from(encode(0.0))], 0);
        assert_eq!(DECODE[usize::from(encode(32767.0))], 32767);
        assert_eq!(DECODE[usize::from(encode(-32767.0))], -32767);
        for units in [
            -30000.0f32,
            -5000.0,
            -40.0,
            -1.5,
            2.0,
            17.0,
            900.0,
            12345.0,
            32000.0,
        ] {
            let back = f32::from(DECODE[usize::from(encode(units))]);
            // Within half a step of the code it rounded to: steps grow with the magnitude.
            let step = 2.0 * (units.abs() * 32767.0).sqrt() / 127.0 + 1.0;
            assert!((back - units).abs() <= step, "{units} came back as {back}");
            assert_eq!(back.signum(), units.signum(), "{units}");
        }
    }

    #[test]
    fn rejects_damaged_files() {
        let mut bytes = Model::from_weights(MIN_BITS, 0.0, &[0.5; 1 << MIN_BITS]).to_bytes();
        assert_eq!(Model::from_bytes(b"nope"), Err(ModelError::BadMagic));
        assert!(matches!(
            Model::from_bytes(&bytes[..100]),
            Err(ModelError::Length { .. })
        ));
        bytes[40] ^= 1;
        assert_eq!(Model::from_bytes(&bytes), Err(ModelError::Checksum));
    }
}
