//! Integration tests of rostra-moderation: one test binary, one module per area.

mod attributes;
mod fixtures;
mod quality;
mod toxicity_datasets;
mod toxicity_model;
mod toxicity_training;
