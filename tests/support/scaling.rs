//! How a cost grows with the size of the input, told without a time limit:
//! the same work at two sizes, timed alternately in one test, compared as a
//! ratio. Load on the machine slows both sizes alike (each size's fastest of
//! several runs is kept), so the ratio tells linear from quadratic growth
//! where a bound in seconds would only tell a quiet machine from a busy one.

use std::time::{Duration, Instant};

/// The fastest of `runs` alternate runs of `small` and of `large`, and their
/// ratio (large / small).
pub fn ratio(runs: usize, mut small: impl FnMut(), mut large: impl FnMut()) -> (Duration, Duration, f64) {
    let time = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        f();
        start.elapsed()
    };
    let (mut s, mut l) = (Duration::MAX, Duration::MAX);
    for _ in 0..runs {
        s = s.min(time(&mut small));
        l = l.min(time(&mut large));
    }
    (s, l, l.as_secs_f64() / s.as_secs_f64().max(1e-9))
}
