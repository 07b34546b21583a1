//! The A/B subject-line test: a pooled two-proportion z-test, two-sided,
//! on the open rates of a step's variants A and B (subject lines decide
//! whether an email is opened). The same test as statsmodels'
//! `proportions_ztest([x_b, x_a], [n_b, n_a])` with its defaults (pooled
//! variance, two-sided), checked against it in `tests/all/campaigns`.
//!
//! A switch is suggested only when both variants have at least the org's
//! `min_variant_sent` sends and p < α (the org's `alpha`, default 0.05);
//! otherwise the answer is "keep testing", with the sample sizes shown
//! either way.

use schemars::JsonSchema;
use serde::Serialize;

/// One variant's counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Counts {
    /// Emails sent.
    pub n: i64,
    /// Of them, opened (unique).
    pub x: i64,
}

/// The test's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, JsonSchema)]
pub struct ZTest {
    /// (p_B − p_A) / pooled standard error; `None` when undefined (no
    /// sends, or both rates 0 or both 1).
    pub z: Option<f64>,
    /// Two-sided p-value; `None` when `z` is.
    pub p_value: Option<f64>,
}

/// What to do about the test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// B opens significantly more: send B to the rest.
    SwitchToB,
    /// A opens significantly more: keep A, drop B.
    KeepA,
    /// Not (yet) significant, or too few sends.
    KeepTesting,
}

/// The pooled two-proportion z-test of B against A.
pub fn z_test(a: Counts, b: Counts) -> ZTest {
    let none = ZTest {
        z: None,
        p_value: None,
    };
    if a.n <= 0 || b.n <= 0 {
        return none;
    }
    let (na, nb) = (a.n as f64, b.n as f64);
    let (pa, pb) = (a.x as f64 / na, b.x as f64 / nb);
    let pooled = (a.x + b.x) as f64 / (na + nb);
    let se = (pooled * (1.0 - pooled) * (1.0 / na + 1.0 / nb)).sqrt();
    if se.is_nan() || se <= 0.0 {
        return none;
    }
    let z = (pb - pa) / se;
    // P(|Z| ≥ |z|) = erfc(|z| / √2).
    let p = libm::erfc(z.abs() / std::f64::consts::SQRT_2);
    ZTest {
        z: Some(z),
        p_value: Some(p),
    }
}

/// The decision at level `alpha` with at least `min_sent` sends a variant.
pub fn decide(a: Counts, b: Counts, t: &ZTest, alpha: f64, min_sent: i64) -> Decision {
    let enough = a.n >= min_sent && b.n >= min_sent;
    match (t.z, t.p_value) {
        (Some(z), Some(p)) if enough && p < alpha => {
            if z > 0.0 {
                Decision::SwitchToB
            } else {
                Decision::KeepA
            }
        }
        _ => Decision::KeepTesting,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(x: i64, n: i64) -> Counts {
        Counts { n, x }
    }

    #[test]
    fn a_clear_difference_is_significant_and_a_small_one_is_not() {
        // 31% vs 22% of 400 each: statsmodels says z = 2.88397, p = 0.0039269.
        let t = z_test(c(88, 400), c(124, 400));
        let z = t.z.expect("defined");
        assert!((z - 2.883_971_078).abs() < 1e-8, "{z}");
        let p = t.p_value.expect("defined");
        assert!((p - 0.003_926_948_170).abs() < 1e-10, "{p}");
        assert_eq!(
            decide(c(88, 400), c(124, 400), &t, 0.05, 100),
            Decision::SwitchToB
        );
        let t = z_test(c(88, 400), c(96, 400));
        assert_eq!(
            decide(c(88, 400), c(96, 400), &t, 0.05, 100),
            Decision::KeepTesting
        );
    }

    #[test]
    fn too_few_sends_or_no_variance_keeps_testing() {
        let t = z_test(c(2, 30), c(20, 30));
        assert!(t.p_value.is_some_and(|p| p < 0.05));
        assert_eq!(
            decide(c(2, 30), c(20, 30), &t, 0.05, 100),
            Decision::KeepTesting
        );
        assert_eq!(z_test(c(0, 200), c(0, 200)).z, None);
        assert_eq!(z_test(c(0, 0), c(5, 10)).p_value, None);
        let t = z_test(c(130, 400), c(90, 400));
        assert_eq!(
            decide(c(130, 400), c(90, 400), &t, 0.05, 100),
            Decision::KeepA
        );
    }
}
