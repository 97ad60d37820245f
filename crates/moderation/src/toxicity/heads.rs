//! The attribute model: one linear head per learned attribute over the same hashed features,
//! in one file, embedded in the binary.
//!
//! File format (little-endian): magic `RSTXATT1`, format version `u32`, head count `u32`, then
//! per head its attribute (`u32`, the index in `Attribute::ALL`), its length (`u32`) and a
//! single-head model file ([`Model::to_bytes`], checksummed), all heads with the same hash bits.

use super::model::{Model, ModelError};
use rostra_core::attributes::Attribute;
use std::sync::OnceLock;

const MAGIC: &[u8; 8] = b"RSTXATT1";
const FORMAT_VERSION: u32 = 1;

static EMBEDDED_BYTES: &[u8] = include_bytes!("../../models/attributes.bin");

/// A head per learned attribute (profanity is a word list and has none).
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeModel {
    pub(crate) heads: Vec<(Attribute, Model)>,
}

/// Why bytes could not be read as an attribute model.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BundleError {
    #[error("not a Rostra attribute model (bad magic bytes)")]
    BadMagic,
    #[error(
        "attribute model format version {0} is not supported (this build reads {FORMAT_VERSION})"
    )]
    UnsupportedVersion(u32),
    #[error("attribute model is cut short")]
    Truncated,
    #[error("unknown attribute number {0}")]
    UnknownAttribute(u32),
    #[error("heads with different hash bits")]
    MixedBits,
    #[error("head {attribute}: {source}")]
    Head {
        attribute: Attribute,
        source: ModelError,
    },
}

fn read_u32(bytes: &[u8], at: usize) -> Result<u32, BundleError> {
    let word = bytes.get(at..at + 4).ok_or(BundleError::Truncated)?;
    Ok(u32::from_le_bytes([word[0], word[1], word[2], word[3]]))
}

impl AttributeModel {
    /// The model shipped inside the binary, parsed on first use (heads read in place). If it
    /// cannot be parsed (a build bug, caught by the crate's tests), every text scores 0.
    pub fn embedded() -> &'static AttributeModel {
        static MODEL: OnceLock<AttributeModel> = OnceLock::new();
        MODEL.get_or_init(|| {
            AttributeModel::parse(EMBEDDED_BYTES, Model::borrowed).unwrap_or_default()
        })
    }

    pub fn embedded_bytes() -> &'static [u8] {
        EMBEDDED_BYTES
    }

    /// Reads a model file, checking every head's checksum.
    pub fn from_bytes(bytes: &[u8]) -> Result<AttributeModel, BundleError> {
        AttributeModel::parse(bytes, Model::from_bytes)
    }

    fn parse<'b>(
        bytes: &'b [u8],
        head: impl Fn(&'b [u8]) -> Result<Model, ModelError>,
    ) -> Result<AttributeModel, BundleError> {
        if bytes.len() < 16 || &bytes[..8] != MAGIC {
            return Err(BundleError::BadMagic);
        }
        let version = read_u32(bytes, 8)?;
        if version != FORMAT_VERSION {
            return Err(BundleError::UnsupportedVersion(version));
        }
        let count = read_u32(bytes, 12)? as usize;
        let (mut at, mut heads) = (16, Vec::with_capacity(count));
        for _ in 0..count {
            let index = read_u32(bytes, at)?;
            let attribute = *Attribute::ALL
                .get(index as usize)
                .ok_or(BundleError::UnknownAttribute(index))?;
            let len = read_u32(bytes, at + 4)? as usize;
            let body = bytes
                .get(at + 8..at + 8 + len)
                .ok_or(BundleError::Truncated)?;
            let model = head(body).map_err(|source| BundleError::Head { attribute, source })?;
            heads.push((attribute, model));
            at += 8 + len;
        }
        if at != bytes.len() {
            return Err(BundleError::Truncated);
        }
        if heads.windows(2).any(|w| w[0].1.bits != w[1].1.bits) {
            return Err(BundleError::MixedBits);
        }
        Ok(AttributeModel { heads })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(self.heads.len() as u32).to_le_bytes());
        for (attribute, model) in &self.heads {
            let body = model.to_bytes();
            out.extend_from_slice(&(attribute.index() as u32).to_le_bytes());
            out.extend_from_slice(&(body.len() as u32).to_le_bytes());
            out.extend_from_slice(&body);
        }
        out
    }

    /// The head of one attribute, if the model has one.
    pub fn head(&self, attribute: Attribute) -> Option<&Model> {
        self.heads
            .iter()
            .find(|(a, _)| *a == attribute)
            .map(|(_, m)| m)
    }

    /// The hash bits all heads share.
    pub(crate) fn bits(&self) -> u32 {
        self.heads
            .first()
            .map_or(super::model::MIN_BITS, |(_, m)| m.bits)
    }
}

impl Default for AttributeModel {
    /// No heads: every learned attribute scores 0.
    fn default() -> Self {
        AttributeModel { heads: Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_damage() {
        let weights: Vec<f32> = (0..1 << 10).map(|i| (i as f32 - 500.0) / 100.0).collect();
        let model = AttributeModel {
            heads: vec![
                (Attribute::Toxicity, Model::from_weights(10, -1.0, &weights)),
                (Attribute::Threat, Model::from_weights(10, -2.0, &weights)),
            ],
        };
        let mut bytes = model.to_bytes();
        assert_eq!(AttributeModel::from_bytes(&bytes), Ok(model.clone()));
        assert_eq!(
            AttributeModel::from_bytes(&bytes[..bytes.len() - 1]),
            Err(BundleError::Truncated)
        );
        let last = bytes.len() - 20;
        bytes[last] ^= 1;
        assert!(matches!(
            AttributeModel::from_bytes(&bytes),
            Err(BundleError::Head {
                attribute: Attribute::Threat,
                ..
            })
        ));
    }

    #[test]
    fn embedded_model_is_intact() {
        let parsed = AttributeModel::from_bytes(EMBEDDED_BYTES).expect("embedded model parses");
        assert!(parsed.head(Attribute::Toxicity).is_some());
        assert_eq!(AttributeModel::embedded(), &parsed);
    }
}
