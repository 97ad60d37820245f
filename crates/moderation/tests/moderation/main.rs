//! Integration tests of rostra-moderation: one test binary, one module per area.

mod fixtures;
mod toxicity_datasets;
mod toxicity_model;
mod toxicity_quality;
mod toxicity_training;
