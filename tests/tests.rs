//! The integration tests: one binary (`cargo test --release --test tests`),
//! a module per area, the shared helpers in `util`. Cargo's test discovery
//! is off (`autotests = false` in `Cargo.toml`): a new file here runs once
//! it is declared below. Run one area with a filter on its module path,
//! e.g. `cargo test --release --test tests -- scan_python::`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod util;

mod check_precommit;
mod check_rules;
mod hostile_checkout;
mod hostile_missions;
mod hostile_permissions;
mod parity;
mod report_formats;
mod report_md;
mod run_cli;
mod run_shapes;
mod scan_frontend;
mod scan_oracle;
mod scan_prefilter;
mod scan_python;
mod scan_semantic;
mod scan_sql;
