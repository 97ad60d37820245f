//! The network, shared by training (f32 embeddings) and scoring (byte embeddings): the forward
//! pass from hashed buckets to six logits, and the backward pass of one example.
//!
//! Per token `i`: `s_i` = sum of its buckets' embedding rows, `n_i` their count. The bag is
//! `Σ s_i / Σ n_i`. The convolution (when there is one) reads the word vectors `t_i = s_i / n_i`:
//! filter `f` at position `p` is `b_f + Σ_j W_f,j · t_(p+j)` (`j < width`, zero past the end),
//! and the hidden vector is `[relu(max_p conv_f,p) for each f] ++ bag`. Logits are
//! `head_w · hidden + head_b`.

use super::OUTPUTS;

/// Read access to embedding rows, whatever their storage.
pub(crate) trait Rows {
    fn dim(&self) -> usize;
    /// Adds row `r` to `acc` (length `dim`).
    fn add_row(&self, r: usize, acc: &mut [f32]);
}

/// Embedding rows in f32, as trained.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    pub dim: usize,
    pub values: Vec<f32>,
}

impl Rows for Table {
    fn dim(&self) -> usize {
        self.dim
    }

    #[inline]
    fn add_row(&self, r: usize, acc: &mut [f32]) {
        let row = &self.values[r * self.dim..(r + 1) * self.dim];
        acc.iter_mut().zip(row).for_each(|(a, v)| *a += v);
    }
}

/// Everything but the embeddings: the convolution (when `filters > 0`) and the output layer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layers {
    pub filters: usize,
    pub width: usize,
    /// In blocks of eight filters (the last padded with zeros): the weight of input `c` of word
    /// `j` of the window for filter `f` is at [`Layers::conv_at`]`(f, j · dim + c)`.
    pub conv_w: Vec<f32>,
    pub conv_b: Vec<f32>,
    /// `OUTPUTS × (filters + dim)`.
    pub head_w: Vec<f32>,
    pub head_b: [f32; OUTPUTS],
}

impl Layers {
    pub fn zeros(dim: usize, filters: usize, width: usize) -> Layers {
        Layers {
            filters,
            width,
            conv_w: vec![0.0; filters.div_ceil(8) * 8 * width * dim],
            conv_b: vec![0.0; filters],
            head_w: vec![0.0; OUTPUTS * (filters + dim)],
            head_b: [0.0; OUTPUTS],
        }
    }
}

impl Layers {
    /// Where the weight of window input `input` (of `width · dim`) for filter `f` is.
    #[inline]
    pub fn conv_at(&self, f: usize, input: usize) -> usize {
        let inputs = self.conv_w.len() / self.filters.div_ceil(8).max(1) / 8;
        (f / 8) * inputs * 8 + input * 8 + f % 8
    }
}

/// Scratch space of one forward pass, kept for the backward pass.
#[derive(Debug, Default, Clone)]
pub(crate) struct Work {
    /// Per token: the sum of its rows (`tokens × dim`) and their count.
    pub sums: Vec<f32>,
    pub counts: Vec<f32>,
    /// Per token: its word vector, the mean of its rows (`tokens × dim`; convolution only).
    pub vectors: Vec<f32>,
    /// Per position and filter: the convolution before the relu (`tokens × filters`).
    pub conv: Vec<f32>,
    pub hidden: Vec<f32>,
    /// Per filter: the position of its maximum in the last pooled range.
    pub argmax: Vec<usize>,
}

/// Sums each token's embedding rows into `work.sums`.
pub(crate) fn embed<R: Rows>(rows: &R, buckets: &[u32], ends: &[u32], work: &mut Work) {
    let dim = rows.dim();
    work.sums.clear();
    work.sums.resize(ends.len() * dim, 0.0);
    work.counts.clear();
    let mut start = 0usize;
    for (i, &end) in ends.iter().enumerate() {
        let acc = &mut work.sums[i * dim..(i + 1) * dim];
        for &b in &buckets[start..end as usize] {
            rows.add_row(b as usize, acc);
        }
        work.counts.push((end as usize - start) as f32);
        start = end as usize;
    }
}

/// Runs the convolution at every position (needs [`embed`] first).
pub(crate) fn convolve(layers: &Layers, dim: usize, work: &mut Work) {
    let (filters, width) = (layers.filters, layers.width);
    let tokens = work.counts.len();
    work.conv.clear();
    work.vectors.clear();
    if filters == 0 {
        return;
    }
    work.vectors.resize(tokens * dim, 0.0);
    for i in 0..tokens {
        let inv = 1.0 / work.counts[i].max(1.0);
        let (sum, vector) = (
            &work.sums[i * dim..(i + 1) * dim],
            &mut work.vectors[i * dim..(i + 1) * dim],
        );
        vector.iter_mut().zip(sum).for_each(|(t, s)| *t = s * inv);
    }
    work.conv.resize(tokens * filters, 0.0);
    for p in 0..tokens {
        let inputs = &work.vectors[p * dim..(p + width).min(tokens) * dim];
        let out = &mut work.conv[p * filters..(p + 1) * filters];
        let block_len = layers.conv_w.len() / filters.div_ceil(8);
        for (block, weights) in layers.conv_w.chunks_exact(block_len).enumerate() {
            let sums = eight_filters(weights, inputs);
            let lanes = (filters - 8 * block).min(8);
            let out = &mut out[8 * block..8 * block + lanes];
            for ((o, s), b) in out.iter_mut().zip(sums).zip(&layers.conv_b[8 * block..]) {
                *o = b + s;
            }
        }
    }
}

/// The sums of one block of eight filters over `inputs` (its weights: eight per input): four
/// independent running sums, so the additions do not wait on each other.
#[inline]
fn eight_filters(weights: &[f32], inputs: &[f32]) -> [f32; 8] {
    let mut acc = [[0.0f32; 8]; 4];
    let (xs4, ws4) = (inputs.chunks_exact(4), weights.chunks_exact(32));
    let (rest_x, rest_w) = (xs4.remainder(), &weights[inputs.len() / 4 * 32..]);
    for (xs, ws) in xs4.zip(ws4) {
        for (lane, (&x, w)) in xs.iter().zip(ws.chunks_exact(8)).enumerate() {
            for k in 0..8 {
                acc[lane][k] += x * w[k];
            }
        }
    }
    for (&x, w) in rest_x.iter().zip(rest_w.chunks_exact(8)) {
        for k in 0..8 {
            acc[0][k] += x * w[k];
        }
    }
    std::array::from_fn(|k| (acc[0][k] + acc[1][k]) + (acc[2][k] + acc[3][k]))
}

#[inline]
pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    // Eight running sums let the compiler use vector registers.
    let mut acc = [0.0f32; 8];
    let (a8, b8) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a8
        .remainder()
        .iter()
        .zip(b8.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in a8.zip(b8) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// Fills `work.hidden` for the tokens in `range` (pooled filters, then the bag) and returns
/// the logits.
pub(crate) fn head(
    layers: &Layers,
    dim: usize,
    range: std::ops::Range<usize>,
    work: &mut Work,
) -> [f32; OUTPUTS] {
    let filters = layers.filters;
    work.hidden.clear();
    work.hidden.resize(filters + dim, 0.0);
    work.argmax.clear();
    work.argmax.resize(filters, range.start);
    if filters > 0 && !range.is_empty() {
        let mut best = vec![f32::NEG_INFINITY; filters];
        for p in range.clone() {
            let row = &work.conv[p * filters..(p + 1) * filters];
            for f in 0..filters {
                if row[f] > best[f] {
                    best[f] = row[f];
                    work.argmax[f] = p;
                }
            }
        }
        for (h, b) in work.hidden.iter_mut().zip(&best) {
            *h = b.max(0.0);
        }
    }
    let count: f32 = work.counts[range.clone()].iter().sum();
    let inv = 1.0 / count.max(1.0);
    let bag = &mut work.hidden[filters..];
    for i in range {
        let sum = &work.sums[i * dim..(i + 1) * dim];
        bag.iter_mut().zip(sum).for_each(|(b, s)| *b += s * inv);
    }
    let width = filters + dim;
    let mut logits = layers.head_b;
    for (k, logit) in logits.iter_mut().enumerate() {
        *logit += dot(&layers.head_w[k * width..(k + 1) * width], &work.hidden);
    }
    logits
}

/// The gradient of one example's loss: for the layers, and for the embedding rows (every bucket
/// row of token `i` gets `bag + tokens[i]`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Grads {
    pub layers: Layers,
    pub bag: Vec<f32>,
    pub tokens: Vec<f32>,
}

impl Grads {
    pub fn new(dim: usize, layers: &Layers) -> Grads {
        Grads {
            layers: Layers::zeros(dim, layers.filters, layers.width),
            bag: vec![0.0; dim],
            tokens: Vec::new(),
        }
    }
}

/// Back-propagates `dz` (the loss's derivative by each logit) through [`head`] over all tokens,
/// [`convolve`] and [`embed`]; overwrites `grads`.
pub(crate) fn backward(
    layers: &Layers,
    dim: usize,
    work: &Work,
    dz: &[f32; OUTPUTS],
    grads: &mut Grads,
) {
    let (filters, width) = (layers.filters, layers.width);
    let hidden_len = filters + dim;
    let tokens = work.counts.len();
    let g = &mut grads.layers;
    let mut dh = vec![0.0f32; hidden_len];
    for (k, &d) in dz.iter().enumerate() {
        g.head_b[k] = d;
        let w = &layers.head_w[k * hidden_len..(k + 1) * hidden_len];
        let gw = &mut g.head_w[k * hidden_len..(k + 1) * hidden_len];
        for j in 0..hidden_len {
            gw[j] = d * work.hidden[j];
            dh[j] += d * w[j];
        }
    }
    let total: f32 = work.counts.iter().sum();
    let inv_total = 1.0 / total.max(1.0);
    for (b, d) in grads.bag.iter_mut().zip(&dh[filters..]) {
        *b = d * inv_total;
    }
    grads.tokens.clear();
    grads.tokens.resize(tokens * dim, 0.0);
    g.conv_w.iter_mut().for_each(|w| *w = 0.0);
    g.conv_b.iter_mut().for_each(|b| *b = 0.0);
    for (f, &d) in dh[..filters].iter().enumerate() {
        // The relu passes the gradient only when the pooled maximum was positive.
        if work.hidden[f] <= 0.0 || tokens == 0 {
            continue;
        }
        let p = work.argmax[f];
        g.conv_b[f] += d;
        for j in 0..width.min(tokens - p) {
            let i = p + j;
            let inv = 1.0 / work.counts[i].max(1.0);
            let vector = &work.vectors[i * dim..(i + 1) * dim];
            let gt = &mut grads.tokens[i * dim..(i + 1) * dim];
            for c in 0..dim {
                let at = layers.conv_at(f, j * dim + c);
                g.conv_w[at] += d * vector[c];
                gt[c] += d * layers.conv_w[at] * inv;
            }
        }
    }
}

/// `layers -= rate · grads`.
pub(crate) fn step_layers(layers: &mut Layers, grads: &Layers, rate: f32) {
    let pairs = [
        (&mut layers.conv_w, &grads.conv_w),
        (&mut layers.conv_b, &grads.conv_b),
        (&mut layers.head_w, &grads.head_w),
    ];
    for (values, g) in pairs {
        values.iter_mut().zip(g).for_each(|(v, d)| *v -= rate * d);
    }
    for (b, d) in layers.head_b.iter_mut().zip(&grads.head_b) {
        *b -= rate * d;
    }
}

/// `rows -= rate · gradient` for every bucket of the example.
pub(crate) fn step_rows(
    table: &mut Table,
    buckets: &[u32],
    ends: &[u32],
    grads: &Grads,
    rate: f32,
) {
    let dim = table.dim;
    let mut start = 0usize;
    let mut delta = vec![0.0f32; dim];
    for (i, &end) in ends.iter().enumerate() {
        let token = &grads.tokens[i * dim..(i + 1) * dim];
        for c in 0..dim {
            delta[c] = rate * (grads.bag[c] + token[c]);
        }
        for &b in &buckets[start..end as usize] {
            let row = &mut table.values[b as usize * dim..(b as usize + 1) * dim];
            row.iter_mut().zip(&delta).for_each(|(v, d)| *v -= d);
        }
        start = end as usize;
    }
}

/// The masked binary cross-entropy of `logits` against `labels` (unknown labels add nothing),
/// and its derivative by each logit.
pub(crate) fn loss(
    logits: &[f32; OUTPUTS],
    labels: &[Option<bool>; OUTPUTS],
) -> (f32, [f32; OUTPUTS]) {
    let mut total = 0.0;
    let mut dz = [0.0; OUTPUTS];
    for k in 0..OUTPUTS {
        let Some(label) = labels[k] else { continue };
        let (z, y) = (logits[k], if label { 1.0 } else { 0.0 });
        // log(1 + e^z) − y·z without overflow.
        let softplus = z.max(0.0) + (-z.abs()).exp().ln_1p();
        total += softplus - y * z;
        dz[k] = sigmoid(z) - y;
    }
    (total, dz)
}

pub(crate) fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}
