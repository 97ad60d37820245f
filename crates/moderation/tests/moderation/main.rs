//! Integration tests of rostra-moderation: one test binary, one module per area.

mod fixtures;
mod toxicity_datasets;
mod toxicity_model;
mod quality;
mod attributes;
mod toxicity_training;
