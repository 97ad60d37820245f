//! The toxicity classifier: features, model, training, evaluation.
//!
//! A linear model over hashed word 1–2-grams and in-word character 2–5-grams of normalized text,
//! naive-Bayes weighted and fitted by logistic regression ([`train`]). The shipped model is
//! embedded in the binary ([`Model::embedded`]) and scores a comment in microseconds
//! ([`Model::score`]), saying which words raised the score. See `MODERATION.md` at the top of the
//! repository for how it was trained and how well it does.

mod assess;
pub mod corpus;
pub mod datasets;
mod evaluate;
mod features;
mod frames;
mod groups;
mod heads;
mod lbfgs;
mod model;
mod score;
mod swearing;
pub(crate) mod text;
mod train;

pub use evaluate::{evaluate, roc_auc, Evaluation, ThresholdMetrics, DEFAULT_HOLD, DEFAULT_REJECT};
pub use heads::{AttributeModel, BundleError};
pub use model::{Model, ModelError};
pub use score::{Score, Term};
pub use train::{train, train_attributes, LabeledText, TrainOptions, LEARNED};
