//! Training of the linear sentiment models: L2-regularized logistic
//! regression, minimized exactly with L-BFGS (the objective is smooth and
//! convex, so the optimum does not depend on example order or a learning
//! rate). Pure; the driver that reads data files is `examples/train_sentiment.rs`.

/// One training example: sparse (index, value) features and a label.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub features: Vec<(u32, f32)>,
    pub positive: bool,
}

/// A fitted model: weights and an unregularized intercept.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub weights: Vec<f32>,
    pub bias: f32,
    pub iterations: usize,
    pub objective: f64,
}

impl Fit {
    pub fn margin(&self, features: &[(u32, f32)]) -> f32 {
        self.bias + features.iter().map(|&(i, v)| self.weights.get(i as usize).copied().unwrap_or(0.0) * v).sum::<f32>()
    }
}

/// Minimizes `C·Σ log(1 + exp(−yᵢ·(w·xᵢ + b))) + ½‖w‖²` over `dim` weights.
pub fn fit_logistic(examples: &[Example], dim: usize, c: f64, max_iter: usize) -> Fit {
    let n = dim + 1; // the last parameter is the intercept
    let eval = |w: &[f64], grad: &mut [f64]| -> f64 {
        let mut f = 0.0;
        for (g, wi) in grad[..dim].iter_mut().zip(&w[..dim]) {
            *g = *wi;
            f += 0.5 * wi * wi;
        }
        grad[dim] = 0.0;
        for ex in examples {
            let y = if ex.positive { 1.0 } else { -1.0 };
            let z = w[dim] + ex.features.iter().map(|&(i, v)| w[i as usize] * f64::from(v)).sum::<f64>();
            let yz = y * z;
            // log(1 + e^(−yz)) computed without overflow.
            f += c * if yz > 0.0 { (-yz).exp().ln_1p() } else { -yz + yz.exp().ln_1p() };
            let d = -c * y / (1.0 + yz.exp()); // derivative of the loss by z
            for &(i, v) in &ex.features {
                grad[i as usize] += d * f64::from(v);
            }
            grad[dim] += d;
        }
        f
    };
    let (w, iterations, objective) = lbfgs(n, max_iter, eval);
    Fit { weights: w[..dim].iter().map(|&x| x as f32).collect(), bias: w[dim] as f32, iterations, objective }
}

/// Compact feature ids for the buckets seen in training, so a fit optimizes
/// only those (a hashed space is mostly empty).
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    id: std::collections::HashMap<u32, u32>,
    /// The bucket of each compact id.
    pub bucket: Vec<u32>,
}

impl Vocab {
    pub fn new<'a>(texts: impl IntoIterator<Item = &'a [u32]>) -> Vocab {
        let mut v = Vocab::default();
        for buckets in texts {
            for &b in buckets {
                v.id.entry(b).or_insert_with(|| {
                    v.bucket.push(b);
                    (v.bucket.len() - 1) as u32
                });
            }
        }
        v
    }

    /// The sparse vector of a text's buckets as the models score it: every
    /// bucket counts in the L2 norm, unseen ones carry no weight.
    pub fn vector(&self, buckets: &[u32]) -> Vec<(u32, f32)> {
        let v = 1.0 / (buckets.len().max(1) as f32).sqrt();
        buckets.iter().filter_map(|b| self.id.get(b).map(|&i| (i, v))).collect()
    }
}

/// One logistic model per label column (one-vs-rest), on two threads: the
/// columns are independent. `labels[i][k]`: example `i` has label `k`.
/// Returns per column its weights (compact ids) and bias.
pub fn fit_columns(xs: &[Vec<(u32, f32)>], labels: &[Vec<bool>], dim: usize, c: f64) -> Vec<(Vec<f32>, f32)> {
    let k = labels.first().map_or(0, Vec::len);
    let fit_column = |a: usize| {
        let ex: Vec<Example> =
            xs.iter().zip(labels).map(|(x, l)| Example { features: x.clone(), positive: l[a] }).collect();
        let fit = fit_logistic(&ex, dim, c, 500);
        (a, fit.weights, fit.bias)
    };
    let mut out: Vec<(usize, Vec<f32>, f32)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|t| s.spawn(move || (0..k).filter(|a| a % 2 == t).map(fit_column).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    });
    out.sort_by_key(|r| r.0);
    out.into_iter().map(|(_, w, b)| (w, b)).collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// L-BFGS (memory 8) with a backtracking Armijo line search, from zero.
fn lbfgs(n: usize, max_iter: usize, mut eval: impl FnMut(&[f64], &mut [f64]) -> f64) -> (Vec<f64>, usize, f64) {
    const MEMORY: usize = 8;
    let mut w = vec![0.0; n];
    let mut g = vec![0.0; n];
    let mut f = eval(&w, &mut g);
    let mut history: std::collections::VecDeque<(Vec<f64>, Vec<f64>, f64)> = std::collections::VecDeque::new();
    let mut w_new = vec![0.0; n];
    let mut g_new = vec![0.0; n];
    let mut iter = 0;
    while iter < max_iter {
        iter += 1;
        let gnorm = dot(&g, &g).sqrt();
        if gnorm < 1e-6 * dot(&w, &w).sqrt().max(1.0) {
            break;
        }
        // Two-loop recursion: d = −H·g.
        let mut q = g.clone();
        let mut alphas = Vec::with_capacity(history.len());
        for (s, y, rho) in history.iter().rev() {
            let a = rho * dot(s, &q);
            q.iter_mut().zip(y).for_each(|(qi, yi)| *qi -= a * yi);
            alphas.push(a);
        }
        let gamma = history.back().map_or(1.0 / gnorm, |(s, y, _)| dot(s, y) / dot(y, y));
        q.iter_mut().for_each(|x| *x *= gamma);
        for ((s, y, rho), a) in history.iter().zip(alphas.iter().rev()) {
            let b = rho * dot(y, &q);
            q.iter_mut().zip(s).for_each(|(qi, si)| *qi += (a - b) * si);
        }
        let mut d = q;
        d.iter_mut().for_each(|x| *x = -*x);
        let mut slope = dot(&g, &d);
        if slope >= 0.0 {
            // Not a descent direction (numerical trouble): restart from steepest descent.
            history.clear();
            d = g.iter().map(|x| -x / gnorm).collect();
            slope = dot(&g, &d);
        }
        let mut step = 1.0;
        let mut accepted = false;
        for _ in 0..40 {
            w_new.iter_mut().zip(&w).zip(&d).for_each(|((wn, wi), di)| *wn = wi + step * di);
            let f_new = eval(&w_new, &mut g_new);
            if f_new <= f + 1e-4 * step * slope {
                let s: Vec<f64> = w_new.iter().zip(&w).map(|(a, b)| a - b).collect();
                let y: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
                let sy = dot(&s, &y);
                if sy > 1e-12 {
                    if history.len() == MEMORY {
                        history.pop_front();
                    }
                    history.push_back((s, y, 1.0 / sy));
                }
                let rel = (f - f_new) / f.abs().max(1.0);
                std::mem::swap(&mut w, &mut w_new);
                std::mem::swap(&mut g, &mut g_new);
                f = f_new;
                accepted = true;
                if rel < 1e-9 {
                    return (w, iter, f);
                }
                break;
            }
            step *= 0.5;
        }
        if !accepted {
            break;
        }
    }
    (w, iter, f)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference: scikit-learn 1.9.1 `LogisticRegression(C=1.0, solver="lbfgs",
    /// tol=1e-12, max_iter=10000)` on X = [[0],[1],[2],[3],[1],[2]],
    /// y = [0,0,1,1,1,0] (its intercept is unpenalized, as here):
    /// coef_ = 0.65494666, intercept_ = −0.98241999.
    #[test]
    fn matches_scikit_learn_on_a_small_problem() {
        let xs = [0.0f32, 1.0, 2.0, 3.0, 1.0, 2.0];
        let ys = [false, false, true, true, true, false];
        let examples: Vec<Example> =
            xs.iter().zip(ys).map(|(&x, y)| Example { features: vec![(0, x)], positive: y }).collect();
        let fit = fit_logistic(&examples, 1, 1.0, 500);
        assert!((f64::from(fit.weights[0]) - 0.654_946_66).abs() < 1e-4, "{:?}", fit);
        assert!((f64::from(fit.bias) + 0.982_42).abs() < 1e-4, "{:?}", fit);
    }

    #[test]
    fn separates_a_sparse_toy_problem() {
        let mut examples = Vec::new();
        for i in 0..50u32 {
            examples.push(Example { features: vec![(0, 1.0), (2 + i % 5, 0.5)], positive: true });
            examples.push(Example { features: vec![(1, 1.0), (2 + i % 5, 0.5)], positive: false });
        }
        let fit = fit_logistic(&examples, 8, 10.0, 200);
        assert!(fit.weights[0] > 1.0 && fit.weights[1] < -1.0, "{:?}", fit.weights);
        assert!(examples.iter().all(|e| (fit.margin(&e.features) > 0.0) == e.positive));
    }
}
