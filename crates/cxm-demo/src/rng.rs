//! A tiny, fast, deterministic PRNG (SplitMix64) with the few distributions
//! the generator needs. Owning the algorithm keeps the demo data byte-for-byte
//! stable across dependency upgrades.

/// SplitMix64 generator (Steele, Lea & Flood 2014).
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng { state: mix(seed ^ 0x5DEE_CE66_D1CE_4E5B) }
    }

    /// An independent stream for a (seed, domain, a, b) tuple.
    pub fn stream(seed: u64, domain: u64, a: u64, b: u64) -> Self {
        let mut h = mix(seed.wrapping_add(GOLDEN));
        h = mix(h ^ domain.wrapping_mul(0xD6E8_FEB8_6659_FD93));
        h = mix(h ^ a.wrapping_mul(0xA076_1D64_78BD_642F));
        h = mix(h ^ b.wrapping_mul(0xE703_7ED1_A0B4_28DB));
        Rng { state: h }
    }

    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN);
        mix(self.state)
    }

    /// Uniform in [0, 1).
    #[inline]
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform integer in [0, n); returns 0 when n == 0.
    #[inline]
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform integer in [lo, hi] (inclusive); lo when hi < lo.
    #[inline]
    pub fn range_i64(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u64 + 1;
        lo + ((self.next_u64() as u128 * span as u128) >> 64) as i64
    }

    #[inline]
    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// Standard normal (Box–Muller, one value per call).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.f64(); // (0, 1]
        let u2 = self.f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Poisson-distributed count (Knuth for small means, normal approximation above 40).
    pub fn poisson(&mut self, mean: f64) -> usize {
        if !mean.is_finite() || mean <= 0.0 {
            return 0;
        }
        if mean > 40.0 {
            let v = (mean + mean.sqrt() * self.normal()).round();
            return if v < 0.0 { 0 } else { v as usize };
        }
        let limit = (-mean).exp();
        let mut k = 0usize;
        let mut p = self.f64();
        while p > limit {
            k += 1;
            p *= self.f64();
        }
        k
    }

    /// A uniformly chosen element; `None` only for an empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() { None } else { items.get(self.below(items.len())) }
    }

    /// Index chosen with probability proportional to `weights` (0 when all weights are 0).
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().filter(|w| **w > 0.0).sum();
        if total <= 0.0 {
            return 0;
        }
        let mut x = self.f64() * total;
        for (i, w) in weights.iter().enumerate() {
            if *w > 0.0 {
                if x < *w {
                    return i;
                }
                x -= *w;
            }
        }
        weights.len().saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_and_normal_moments() {
        let mut r = Rng::new(7);
        let n = 200_000;
        let (mut s, mut s2, mut u) = (0.0, 0.0, 0.0);
        for _ in 0..n {
            let z = r.normal();
            s += z;
            s2 += z * z;
            u += r.f64();
        }
        let n = n as f64;
        assert!((s / n).abs() < 0.01);
        assert!((s2 / n - 1.0).abs() < 0.02);
        assert!((u / n - 0.5).abs() < 0.01);
        let mean: f64 = (0..50_000).map(|_| r.poisson(2.0) as f64).sum::<f64>() / 50_000.0;
        assert!((mean - 2.0).abs() < 0.05);
    }

    #[test]
    fn streams_differ() {
        let a = Rng::stream(1, 2, 3, 4).next_u64();
        let b = Rng::stream(1, 2, 3, 5).next_u64();
        let c = Rng::stream(2, 2, 3, 4).next_u64();
        assert!(a != b && a != c && b != c);
    }
}
