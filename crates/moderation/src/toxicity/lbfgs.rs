//! A small limited-memory BFGS minimizer with a backtracking (Armijo) line search, enough to fit
//! an L2-regularized logistic regression to its optimum deterministically.

/// Minimizes `f` from `x` in place; `f(x, gradient)` returns the objective and fills the gradient.
/// Stops after `max_iterations` or when the gradient norm falls below `tolerance`.
pub(crate) fn minimize(
    x: &mut [f64],
    max_iterations: usize,
    tolerance: f64,
    mut f: impl FnMut(&[f64], &mut [f64]) -> f64,
) {
    const HISTORY: usize = 8;
    let n = x.len();
    let mut gradient = vec![0.0; n];
    let mut value = f(x, &mut gradient);
    let mut steps: Vec<(Vec<f64>, Vec<f64>, f64)> = Vec::new(); // (s, y, 1 / y·s)
    let mut direction = vec![0.0; n];
    let mut candidate = vec![0.0; n];
    let mut candidate_gradient = vec![0.0; n];
    for iteration in 0..max_iterations {
        if dot(&gradient, &gradient).sqrt() < tolerance {
            break;
        }
        two_loop(&gradient, &steps, &mut direction);
        let mut slope = dot(&direction, &gradient);
        if slope >= 0.0 {
            // Not a descent direction (curvature went bad): restart from steepest descent.
            steps.clear();
            direction
                .iter_mut()
                .zip(&gradient)
                .for_each(|(d, g)| *d = -g);
            slope = -dot(&gradient, &gradient);
        }
        let mut step = if iteration == 0 {
            1.0 / dot(&gradient, &gradient).sqrt().max(1.0)
        } else {
            1.0
        };
        let mut accepted = false;
        for _ in 0..30 {
            candidate
                .iter_mut()
                .zip(x.iter().zip(&direction))
                .for_each(|(c, (xi, d))| *c = xi + step * d);
            let candidate_value = f(&candidate, &mut candidate_gradient);
            if candidate_value <= value + 1e-4 * step * slope {
                let s: Vec<f64> = candidate
                    .iter()
                    .zip(x.iter())
                    .map(|(c, xi)| c - xi)
                    .collect();
                let y: Vec<f64> = candidate_gradient
                    .iter()
                    .zip(&gradient)
                    .map(|(cg, g)| cg - g)
                    .collect();
                let ys = dot(&y, &s);
                if ys > 1e-12 {
                    if steps.len() == HISTORY {
                        steps.remove(0);
                    }
                    steps.push((s, y, 1.0 / ys));
                }
                x.copy_from_slice(&candidate);
                gradient.copy_from_slice(&candidate_gradient);
                value = candidate_value;
                accepted = true;
                break;
            }
            step *= 0.5;
        }
        if !accepted {
            break;
        }
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The L-BFGS two-loop recursion: `direction = -H·gradient`.
fn two_loop(gradient: &[f64], steps: &[(Vec<f64>, Vec<f64>, f64)], direction: &mut [f64]) {
    direction
        .iter_mut()
        .zip(gradient)
        .for_each(|(d, g)| *d = -g);
    let mut alphas = Vec::with_capacity(steps.len());
    for (s, y, rho) in steps.iter().rev() {
        let alpha = rho * dot(s, direction);
        direction
            .iter_mut()
            .zip(y)
            .for_each(|(d, yi)| *d -= alpha * yi);
        alphas.push(alpha);
    }
    if let Some((s, y, _)) = steps.last() {
        let gamma = dot(s, y) / dot(y, y);
        direction.iter_mut().for_each(|d| *d *= gamma);
    }
    for ((s, y, rho), alpha) in steps.iter().zip(alphas.iter().rev()) {
        let beta = rho * dot(y, direction);
        direction
            .iter_mut()
            .zip(s)
            .for_each(|(d, si)| *d += (alpha - beta) * si);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_minimum_of_a_quadratic() {
        let mut x = vec![5.0, -3.0];
        minimize(&mut x, 100, 1e-9, |x, g| {
            g[0] = 2.0 * (x[0] - 1.0);
            g[1] = 20.0 * (x[1] + 2.0);
            (x[0] - 1.0).powi(2) + 10.0 * (x[1] + 2.0).powi(2)
        });
        assert!(
            (x[0] - 1.0).abs() < 1e-6 && (x[1] + 2.0).abs() < 1e-6,
            "{x:?}"
        );
    }
}
