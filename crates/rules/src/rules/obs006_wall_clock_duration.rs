//! OBS006: a duration measured with the wall clock.

use recon_syntax::ModuleFindings;

use crate::checker::Report;
use crate::rules::{Rule, Violation};

violation! {
    /// ## What it does
    ///
    /// Flags each duration the scan finds measured with the wall clock (its
    /// `wall_clock_durations`: a subtraction `A - B` whose operands are both
    /// `time.time()` / `time.time_ns()` reads or names bound to one where
    /// the subtraction sees them; the exact rule is on
    /// `recon_findings::WallClockDuration`, and `recon scan` lists the same
    /// lines in its `wall-clock-duration` gap). The subtraction is reported
    /// where it starts.
    ///
    /// ## Why it matters
    ///
    /// `time.time()` follows the system clock, which NTP slews and steps and
    /// an operator can set: a duration computed from it can be negative or
    /// off by seconds, and `time.time()` has coarse resolution on some
    /// platforms. Latency metrics and timeouts built on it lie exactly when
    /// the system is under stress.
    ///
    /// ## Example
    ///
    /// ```python
    /// start = time.time()
    /// result = search(query)
    /// search_ms = (time.time() - start) * 1000
    /// ```
    ///
    /// ## Use instead
    ///
    /// ```python
    /// start = time.perf_counter()
    /// result = search(query)
    /// search_ms = (time.perf_counter() - start) * 1000
    /// ```
    ///
    /// (`time.monotonic()` for timeouts and deadlines.)
    #[rule(code = "OBS006", name = "wall-clock-duration", summary = "duration measured with time.time()")]
    pub struct WallClockDuration {}
}

impl Violation for WallClockDuration {
    const RULE: Rule = Rule::Obs006;
    fn message(&self) -> String {
        "duration measured with `time.time()`; use `time.perf_counter()` (or `time.monotonic()`)"
            .to_owned()
    }
}

/// The scan's `wall_clock_durations`.
pub(crate) fn check(module: &ModuleFindings, out: &mut Report<'_>) {
    for (at, _) in &module.wall_clock_durations {
        out.add(*at, &WallClockDuration {});
    }
}
