//! Unit tests of the neural models: the forward pass by hand, the backward pass by finite
//! differences, learning a separable set, reproducibility and the file format.

use super::net::{convolve, embed, head, loss, step_rows, Grads, Layers, Table, Work};
use super::rng::Rng;
use super::train::{Encoded, Params};
use super::*;

/// Three rows of two weights: row 1 = (1, 0), row 2 = (0, 2), row 3 = (3, 1).
fn hand_table() -> Table {
    let mut values = vec![0.0; 16 * 2];
    values[2..8].copy_from_slice(&[1.0, 0.0, 0.0, 2.0, 3.0, 1.0]);
    Table { dim: 2, values }
}

#[test]
fn bag_forward_matches_hand_computation() {
    // Two tokens: buckets {1, 2} and {2, 3}. Mean of the four rows: (4/4, 5/4) = (1, 1.25).
    let (buckets, ends) = ([1u32, 2, 2, 3], [2u32, 4]);
    let mut layers = Layers::zeros(2, 0, 1);
    layers.head_w[..2].copy_from_slice(&[0.5, -1.0]);
    layers.head_b[0] = 0.25;
    let mut work = Work::default();
    embed(&hand_table(), &buckets, &ends, &mut work);
    convolve(&layers, 2, &mut work);
    let logits = head(&layers, 2, 0..2, &mut work);
    // 0.5 · 1 − 1 · 1.25 + 0.25
    assert!((logits[0] - -0.5).abs() < 1e-6, "{logits:?}");
    assert_eq!(logits[1..], [0.0; 5]);
}

#[test]
fn conv_forward_matches_hand_computation() {
    // Word vectors t0 = (0.5, 1), t1 = (1.5, 1.5). One filter of width 2 reading t_p[0] and
    // t_(p+1)[1], bias −0.5: position 0 gives 0.5 + 1.5 − 0.5 = 1.5, position 1 gives
    // 1.5 + 0 − 0.5 = 1 (nothing past the end). Hidden = (1.5, 1, 1.25).
    let (buckets, ends) = ([1u32, 2, 2, 3], [2u32, 4]);
    let mut layers = Layers::zeros(2, 1, 2);
    // Inputs: t_p[0], t_p[1], t_(p+1)[0], t_(p+1)[1].
    for (input, w) in [1.0, 0.0, 0.0, 1.0].into_iter().enumerate() {
        let at = layers.conv_at(0, input);
        layers.conv_w[at] = w;
    }
    layers.conv_b[0] = -0.5;
    layers.head_w[..3].copy_from_slice(&[2.0, 0.5, -1.0]);
    layers.head_b[0] = 0.25;
    let mut work = Work::default();
    embed(&hand_table(), &buckets, &ends, &mut work);
    convolve(&layers, 2, &mut work);
    assert_eq!(work.conv, [1.5, 1.0]);
    let logits = head(&layers, 2, 0..2, &mut work);
    // 2 · 1.5 + 0.5 · 1 − 1 · 1.25 + 0.25
    assert!((logits[0] - 2.5).abs() < 1e-6, "{logits:?}");
    assert_eq!(work.argmax, [0]);
}

fn total_loss(params: &Params, buckets: &[u32], ends: &[u32], labels: &[Option<bool>; 6]) -> f32 {
    let mut work = Work::default();
    embed(&params.table, buckets, ends, &mut work);
    convolve(&params.layers, params.table.dim, &mut work);
    let logits = head(&params.layers, params.table.dim, 0..ends.len(), &mut work);
    loss(&logits, labels).0
}

const GRADIENT_BUCKETS: [u32; 7] = [1, 5, 5, 9, 2, 14, 7];
const GRADIENT_ENDS: [u32; 3] = [3, 4, 7];
const GRADIENT_LABELS: [Option<bool>; 6] = [Some(true), None, Some(false), None, None, Some(true)];

/// A tiny network with every weight random (biases high enough that the filters fire).
fn tiny_params(architecture: Architecture) -> Params {
    let options = NeuralOptions {
        architecture,
        bits: 4,
        dim: 3,
        filters: 2,
        width: 2,
        seed: 7,
        ..NeuralOptions::default()
    };
    let mut rng = Rng::new(11);
    let mut params = Params::init(&options, &mut rng);
    let layers = &mut params.layers;
    for v in params.table.values.iter_mut().chain(&mut layers.head_w) {
        *v = rng.uniform(1.0);
    }
    for b in &mut layers.conv_b {
        *b = 0.3 + rng.uniform(0.2);
    }
    params
}

/// Checks `analytic` against central finite differences of the loss in each value of `field`.
fn compare(params: &mut Params, field: fn(&mut Params) -> &mut [f32], analytic: &[f32]) {
    let eps = 1e-2;
    let loss_now = |p: &Params| total_loss(p, &GRADIENT_BUCKETS, &GRADIENT_ENDS, &GRADIENT_LABELS);
    assert_eq!(field(params).len(), analytic.len());
    for (i, &expected) in analytic.iter().enumerate() {
        let original = field(params)[i];
        field(params)[i] = original + eps;
        let up = loss_now(params);
        field(params)[i] = original - eps;
        let down = loss_now(params);
        field(params)[i] = original;
        let numeric = (up - down) / (2.0 * eps);
        let tolerance = 2e-3 + 2e-2 * numeric.abs();
        assert!(
            (expected - numeric).abs() <= tolerance,
            "value {i}: analytic {expected} vs numeric {numeric}"
        );
    }
}

/// Compares every analytic derivative with a central finite difference.
fn check_gradient(architecture: Architecture) {
    let mut params = tiny_params(architecture);
    let mut work = Work::default();
    let mut grads = Grads::new(3, &params.layers);
    let (buckets, ends) = (GRADIENT_BUCKETS, GRADIENT_ENDS);
    params.gradient(&buckets, &ends, &GRADIENT_LABELS, &mut work, &mut grads);
    // The embedding gradient, made dense: rows − (−1) · gradient starting from zero.
    let mut dense = Table {
        dim: 3,
        values: vec![0.0; params.table.values.len()],
    };
    step_rows(&mut dense, &buckets, &ends, &grads, -1.0);
    compare(&mut params, |p| &mut p.table.values, &dense.values);
    compare(&mut params, |p| &mut p.layers.head_w, &grads.layers.head_w);
    compare(&mut params, |p| &mut p.layers.head_b, &grads.layers.head_b);
    compare(&mut params, |p| &mut p.layers.conv_w, &grads.layers.conv_w);
    compare(&mut params, |p| &mut p.layers.conv_b, &grads.layers.conv_b);
    // Not vacuous: the example moves the embeddings and, in the conv, the filters.
    assert!(dense.values.iter().any(|&g| g.abs() > 1e-3));
    if architecture == Architecture::Conv {
        assert!(grads.layers.conv_w.iter().any(|&g| g.abs() > 1e-3));
    }
}

#[test]
fn bag_backward_matches_finite_differences() {
    check_gradient(Architecture::Bag);
}

#[test]
fn conv_backward_matches_finite_differences() {
    check_gradient(Architecture::Conv);
}

const CIVIL: [&str; 8] = [
    "Thanks for the thoughtful article, I learned a lot.",
    "The council meeting is on Thursday evening at the library.",
    "I disagree with the mayor but the budget figures look right.",
    "Great reporting on the new bus routes, very helpful.",
    "My grandmother grew up in that village and loved the market.",
    "Could the paper publish the full survey results next week?",
    "The bridge repairs should be finished before winter.",
    "Nice photos of the harvest festival this year.",
];
const ABUSIVE: [&str; 8] = [
    "I will find you and shoot you, you worthless idiot.",
    "Shut up you pathetic moron.",
    "You are a disgusting idiot and everyone hates you.",
    "What a stupid worthless moron this writer is.",
    "Go away you pathetic loser, nobody wants you here.",
    "You idiot, you clearly cannot read.",
    "Only a brainless moron would write this garbage.",
    "Worthless loser, crawl back under your rock.",
];

fn tiny_set() -> Vec<NeuralExample> {
    let civil = CIVIL
        .iter()
        .map(|t| NeuralExample::toxicity(t.to_string(), false));
    let abusive = ABUSIVE
        .iter()
        .map(|t| NeuralExample::toxicity(t.to_string(), true));
    civil.chain(abusive).collect()
}

fn tiny_options(architecture: Architecture) -> NeuralOptions {
    NeuralOptions {
        architecture,
        bits: 12,
        dim: 8,
        filters: 8,
        width: 2,
        epochs: 100,
        learning_rate: 1.0,
        ..NeuralOptions::default()
    }
}

#[test]
fn learns_a_separable_set() {
    for architecture in [Architecture::Bag, Architecture::Conv] {
        let data = tiny_set();
        let model = train(&data, &tiny_options(architecture));
        for example in &data {
            let p = model.score(&example.text).probabilities;
            assert_eq!(
                p[0] >= 0.5,
                example.labels[0] == Some(true),
                "{architecture:?}: {:?} {p:?}",
                example.text
            );
            // Outputs without labels score 0.
            assert_eq!(p[1..], [0.0; 5]);
        }
    }
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let data = tiny_set();
    let options = tiny_options(Architecture::Conv);
    let first = train(&data, &options).to_bytes();
    assert_eq!(first, train(&data, &options).to_bytes());
    let reseeded = NeuralOptions {
        seed: options.seed + 1,
        ..options
    };
    assert_ne!(first, train(&data, &reseeded).to_bytes());
}

#[test]
fn file_round_trip_and_damage() {
    for architecture in [Architecture::Bag, Architecture::Conv] {
        let model = train(&tiny_set(), &tiny_options(architecture));
        let mut bytes = model.to_bytes();
        let back = NeuralModel::from_bytes(&bytes);
        assert_eq!(back.as_ref(), Ok(&model));
        let text = ABUSIVE[0];
        assert_eq!(back.map(|m| m.score(text)), Ok(model.score(text)));
        // Read in place from bytes that live as long as the program: the same model.
        let kept: &'static [u8] = Box::leak(bytes.clone().into_boxed_slice());
        let in_place = NeuralModel::from_static(kept);
        assert!(matches!(
            in_place.as_ref().map(|m| &m.table.codes),
            Ok(std::borrow::Cow::Borrowed(_))
        ));
        assert_eq!(in_place.as_ref(), Ok(&model));
        let length = bytes.len();
        assert!(matches!(
            NeuralModel::from_bytes(&bytes[..length - 1]),
            Err(NeuralModelError::Length { .. })
        ));
        bytes[60] ^= 1;
        assert_eq!(
            NeuralModel::from_bytes(&bytes),
            Err(NeuralModelError::Checksum)
        );
        assert_eq!(
            NeuralModel::from_bytes(b"RSTXMDL1 not ours"),
            Err(NeuralModelError::BadMagic)
        );
    }
}

#[test]
fn quantized_rows_stay_close_to_the_trained_ones() {
    let data = tiny_set();
    let options = tiny_options(Architecture::Bag);
    let mut rng = Rng::new(options.seed);
    let params = Params::init(&options, &mut rng);
    let model = NeuralModel::quantize(
        Architecture::Bag,
        12,
        &params.table,
        params.layers,
        [true; 6],
    );
    let encoded = Encoded::new(&data, 12);
    let (buckets, _) = encoded.example(0);
    for &b in buckets {
        let (mut exact, mut stored) = (vec![0.0; 8], vec![0.0; 8]);
        super::net::Rows::add_row(&params.table, b as usize, &mut exact);
        super::net::Rows::add_row(&model.table, b as usize, &mut stored);
        let largest = exact.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        for (e, s) in exact.iter().zip(&stored) {
            assert!((e - s).abs() <= largest / 100.0, "{e} vs {s}");
        }
    }
}

#[test]
fn empty_text_scores_the_bias() {
    let model = train(&tiny_set(), &tiny_options(Architecture::Bag));
    let score = model.score("  @user https://example.org ");
    assert_eq!(score.worst_window, None);
    assert!(score.probabilities[0] > 0.0 && score.probabilities[0] < 1.0);
}

#[test]
fn reasons_split_the_logit_exactly_and_favour_the_insult() {
    let model = train(&tiny_set(), &tiny_options(Architecture::Conv));
    // Every word but the last comes from a civil example; the last only from abusive ones.
    let text = "The council meeting is on Thursday, moron.";
    let mut pass = model.pass(text);
    let range = pass.ranges[0].clone();
    assert_eq!(range, 0..7);
    let contributions = model.contributions(&mut pass, 0, range);
    let parts: f32 = contributions.iter().sum();
    let layers = &model.layers;
    let active_biases: f32 = (0..layers.filters)
        .filter(|&f| pass.work.hidden[f] > 0.0)
        .map(|f| layers.head_w[f] * layers.conv_b[f])
        .sum();
    let rebuilt = parts + active_biases + layers.head_b[0];
    assert!(
        (rebuilt - pass.logits[0]).abs() < 1e-4,
        "{rebuilt} vs {}",
        pass.logits[0]
    );
    // The insult raises the score most.
    let top =
        (0..contributions.len()).max_by(|&a, &b| contributions[a].total_cmp(&contributions[b]));
    assert_eq!(top, Some(6), "{contributions:?}");
    let reasons = model.explain(text, 0);
    for span in &reasons {
        assert_eq!(&text[span.start..span.end], span.text);
    }
    let assessment = model.assess(text);
    assert_eq!(assessment.attributes[0].spans, reasons);
    assert!(assessment.attributes[1].spans.is_empty());
}

#[test]
fn options_out_of_range_still_give_a_readable_model() {
    let options = NeuralOptions {
        bits: 2,
        dim: 1000,
        filters: 0,
        width: 20,
        epochs: 1,
        ..tiny_options(Architecture::Conv)
    };
    let model = train(&tiny_set()[..2], &options);
    let back = NeuralModel::from_bytes(&model.to_bytes());
    assert_eq!(back.as_ref().map(|m| m.table.dim), Ok(256));
    assert_eq!(back.map(|m| (m.layers.filters, m.layers.width)), Ok((1, 8)));
    assert_eq!("conv".parse(), Ok(Architecture::Conv));
    assert!("cnn".parse::<Architecture>().is_err());
}
