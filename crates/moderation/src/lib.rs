//! The checks a new or edited comment goes through, each returning a verdict with reasons, the
//! whole automatic decision built on them, and the built-in toxicity classifier.
#![forbid(unsafe_code)]

pub mod assessment;
pub mod checks;
pub mod decision;
pub mod evaluation;
pub mod neural;
pub mod pipeline;
pub mod toxicity;

pub use assessment::{assess, Assessment, AttributeScore};
pub use pipeline::{Outcome, Pipeline};
