//! A comment's score for every attribute (toxicity, insult, identity attack, threat,
//! dehumanization, profanity), each with the words or phrase that raised it.

use rostra_core::attributes::Attribute;
use rostra_core::moderation::Span;
use serde::Serialize;

/// One attribute's score and the stretches of the text behind it (byte offsets into the
/// original text, highest weight first).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributeScore {
    pub attribute: Attribute,
    pub score: f32,
    pub spans: Vec<Span>,
}

/// Every attribute's score for one text, in [`Attribute::ALL`] order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub attributes: Vec<AttributeScore>,
}

impl Assessment {
    /// All attributes at 0 with no spans.
    pub fn zero() -> Assessment {
        Assessment {
            attributes: Attribute::ALL
                .into_iter()
                .map(|attribute| AttributeScore {
                    attribute,
                    score: 0.0,
                    spans: Vec::new(),
                })
                .collect(),
        }
    }

    pub fn get(&self, attribute: Attribute) -> &AttributeScore {
        &self.attributes[attribute.index()]
    }

    pub fn score(&self, attribute: Attribute) -> f32 {
        self.get(attribute).score
    }
}

/// Scores `text` for every attribute with the built-in model and rules.
pub fn assess(text: &str) -> Assessment {
    crate::toxicity::AttributeModel::embedded().assess(text)
}
