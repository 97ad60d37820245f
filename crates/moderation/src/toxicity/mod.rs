//! The toxicity classifier: features, model, training, evaluation.
