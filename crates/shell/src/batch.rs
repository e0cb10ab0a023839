//! Reads each file once for all the greps of a mission.
//!
//! Before a run, every grep stage whose inputs are known from the plan (it
//! reads files, not a pipe, and its working directory does not depend on a
//! `cd` earlier in the same line) lists its inputs. The distinct files are
//! then read once each, in parallel, and every grep that reads a file
//! searches the same bytes. When the run reaches such a grep it prints the
//! stored results instead of searching again. Results are only output
//! bytes, never file contents, so memory stays bounded by the largest file
//! per thread plus what the mission prints.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::grep::CompiledGrep;
use crate::grep_files::{GrepInput, InputResult, inputs, read_input, search_data, search_input};
use crate::program::GrepCommand;
use crate::walk::{Checkout, io_message};

/// Identifies a grep stage in a plan: (task, command, stage) indices.
pub type StageId = (usize, usize, usize);

/// A grep stage to prefetch.
pub struct Job<'a> {
    pub id: StageId,
    pub cmd: &'a GrepCommand,
    pub compiled: &'a CompiledGrep,
    /// Working directory, relative to the root.
    pub cwd: PathBuf,
}

/// The inputs of a prefetched grep and the result for each.
pub struct Prefetched {
    pub inputs: Vec<GrepInput>,
    pub results: Vec<InputResult>,
}

/// Lists every job's inputs, reads each distinct file once, and searches it
/// for every job that reads it.
pub fn prefetch(checkout: &Checkout, jobs: &[Job<'_>]) -> HashMap<StageId, Prefetched> {
    let job_inputs: Vec<Vec<GrepInput>> = jobs
        .iter()
        .map(|j| inputs(j.cmd, checkout, &checkout.root().join(&j.cwd)))
        .collect();
    // Distinct files in first-seen order, each with the (job, input) pairs
    // that read it.
    let mut index: HashMap<&PathBuf, usize> = HashMap::new();
    let mut files: Vec<(&PathBuf, Vec<(usize, usize)>)> = Vec::new();
    for (j, list) in job_inputs.iter().enumerate() {
        for (k, input) in list.iter().enumerate() {
            if let GrepInput::File { path, .. } = input {
                let slot = *index.entry(path).or_insert_with(|| {
                    files.push((path, Vec::new()));
                    files.len() - 1
                });
                files[slot].1.push((j, k));
            }
        }
    }
    let searched: Vec<Vec<(usize, usize, InputResult)>> = files
        .par_iter()
        .map(|(path, readers)| {
            let data = read_input(path);
            readers
                .iter()
                .map(|&(j, k)| {
                    let input = &job_inputs[j][k];
                    let result = match &data {
                        Ok(bytes) => Ok(search_data(jobs[j].cmd, jobs[j].compiled, input, bytes)),
                        Err(e) => {
                            let display = match input {
                                GrepInput::File { display, .. } => display.as_slice(),
                                _ => b"",
                            };
                            Err(String::from_utf8_lossy(&io_message(display, e)).into_owned())
                        }
                    };
                    (j, k, result)
                })
                .collect()
        })
        .collect();
    let mut results: Vec<Vec<Option<InputResult>>> =
        job_inputs.iter().map(|l| vec![None; l.len()]).collect();
    for (j, k, r) in searched.into_iter().flatten() {
        results[j][k] = Some(r);
    }
    jobs.iter()
        .zip(job_inputs)
        .zip(results)
        .map(|((job, inputs), results)| {
            // Inputs that are not files (messages, directory operands) are
            // answered without reading anything.
            let results = results
                .into_iter()
                .zip(&inputs)
                .map(|(r, input)| {
                    r.unwrap_or_else(|| search_input(job.cmd, job.compiled, input, &[]))
                })
                .collect();
            (job.id, Prefetched { inputs, results })
        })
        .collect()
}
