//! The shell subset of recon missions, parsed into a typed tree and executed
//! natively, byte for byte as `bash -c` + GNU grep + coreutils print it under
//! `LC_ALL=C`. No process is ever started and nothing is ever written.
//!
//! The pieces, in the order a mission goes through them:
//!
//! * [`lex`] splits a command line into words and operators, refusing every
//!   expansion (variables, `$(...)`, backticks, globs, `~`, braces);
//! * [`args`] reads options the way GNU `getopt_long` does;
//! * [`program`] turns each program's words into a typed command
//!   ([`program::GrepCommand`], [`program::LsCommand`], ...);
//! * [`script`] builds the `;` / `&&` / `||` / `|` tree with redirections;
//! * [`exec`] plans a whole mission (refusing it before anything runs if any
//!   command is outside the subset or any path leaves the checkout) and runs
//!   it, sharing one [`walk::Checkout`] so each directory is read once;
//! * [`grep`], [`regex`], [`walk`], [`ls`], [`text`], [`tr`] and [`names`]
//!   are the programs; [`builtins`] are bash's own (`echo`, `printf`,
//!   `test`/`[`, `true`, `false`).
//!
//! ```
//! use recon_shell::exec::{MissionPlan, RunOptions};
//! let mission = recon_mission::parse("m.md", "# M\n## PHASE 1: P\n### Task 1.1 - T\n```bash\nls -1 src\n```\n").unwrap();
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::create_dir(dir.path().join("src")).unwrap();
//! std::fs::write(dir.path().join("src/a.py"), "x\n").unwrap();
//! let plan = MissionPlan::new(&mission, dir.path(), &RunOptions::default()).unwrap();
//! let transcript = plan.run();
//! assert_eq!(transcript.tasks[0].commands[0].stdout, b"a.py\n");
//! ```

pub mod args;
pub mod batch;
pub mod builtins;
pub mod du;
pub mod exec;
pub mod find;
pub mod glob;
pub mod grep;
pub mod grep_files;
pub mod lex;
pub mod ls;
pub mod names;
pub mod program;
pub mod quote;
pub mod refusal_kind;
pub mod regex;
pub mod script;
pub mod stream;
pub mod text;
pub mod tr;
pub mod walk;
pub mod xargs;

/// Why a command line is outside the subset: the 0-based character column
/// in the line, and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub column: usize,
    pub reason: String,
}
