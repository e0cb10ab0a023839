//! Reads each file once for all the greps of a mission.
//!
//! Before a run, every grep stage whose inputs are known from the plan (it
//! reads files, not a pipe, and its working directory does not depend on a
//! `cd` earlier in the same line) lists its inputs. The distinct files, in
//! first-seen walk order, are then read in chunks, in parallel, and every
//! grep that reads a file searches the same bytes. Greps that feed a
//! `| head -N` ([`crate::stream`]) consume their results in their own walk
//! order and drop out once grep would have been stopped; a file no running
//! grep needs is never read. When the run reaches a prefetched grep it prints
//! the stored results instead of searching again. Results are only output
//! bytes, never file contents, so memory stays bounded by a chunk of files
//! plus what the mission prints.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::exec::Output;
use crate::grep::CompiledGrep;
use crate::grep_files::{
    GrepInput, InputResult, InputSpec, inputs, read_failure, read_input, search_data, search_input,
};
use crate::program::GrepCommand;
use crate::script::Pipeline;
use crate::stream::{StreamPatterns, StreamState};
use crate::walk::Checkout;

/// Identifies a grep stage in a plan: (task, command, stage) indices.
pub type StageId = (usize, usize, usize);

/// Files read and searched per parallel step.
const CHUNK: usize = 256;

/// A grep stage to prefetch.
pub struct Job<'a> {
    pub id: StageId,
    pub cmd: &'a GrepCommand,
    pub compiled: &'a CompiledGrep,
    /// Working directory, relative to the root.
    pub cwd: PathBuf,
    /// Set when the grep feeds `| ... | head -N`: the pipeline, N, and the
    /// patterns of its greps.
    pub stream: Option<(&'a Pipeline, u64, StreamPatterns<'a>)>,
}

/// What the run prints for a prefetched grep.
pub enum Prefetched {
    /// A grep's inputs and the result for each.
    Results {
        inputs: Arc<Vec<GrepInput>>,
        results: Vec<InputResult>,
    },
    /// A whole streamed pipeline's stdout and stderr.
    Streamed(Output),
}

/// How one job consumes results.
enum Consumer<'a> {
    All(Vec<Option<InputResult>>),
    Stream {
        state: Box<StreamState<'a>>,
        /// The next input (in the job's own order) to push.
        next: usize,
        /// Results that arrived before their turn.
        pending: HashMap<usize, InputResult>,
    },
}

/// Lists every job's inputs, reads each distinct file once, and searches it
/// for every job that still needs it.
pub fn prefetch<'a>(checkout: &Checkout, jobs: &'a [Job<'a>]) -> HashMap<StageId, Prefetched> {
    // A grep's inputs depend on its cwd, operands and file filters only,
    // and greps that share them share one listing (19 of the seed
    // mission's 34 are `grep -rn ... --include="*.py"` from the root).
    // Distinct listings walk the tree in parallel (directory listings are
    // cached in the checkout).
    let mut listing_of: HashMap<(&Path, InputSpec<'_>), usize> = HashMap::new();
    let mut listed_by: Vec<&Job<'_>> = Vec::new();
    let listing_ids: Vec<usize> = jobs
        .iter()
        .map(|job| {
            let key = (job.cwd.as_path(), InputSpec::of(job.cmd));
            *listing_of.entry(key).or_insert_with(|| {
                listed_by.push(job);
                listed_by.len() - 1
            })
        })
        .collect();
    let listings: Vec<Arc<Vec<GrepInput>>> = listed_by
        .par_iter()
        .map(|j| Arc::new(inputs(j.cmd, checkout, &checkout.root().join(&j.cwd))))
        .collect();
    // Distinct files in first-seen order, each with the (job, input) pairs
    // that read it; a listing's files are looked up once, not once a job.
    let mut index: HashMap<&PathBuf, usize> = HashMap::new();
    let mut files: Vec<(&PathBuf, Vec<(usize, usize)>)> = Vec::new();
    let slots: Vec<Vec<Option<usize>>> = listings
        .iter()
        .map(|list| {
            list.iter()
                .map(|input| match input {
                    GrepInput::File { path, .. } => Some(*index.entry(path).or_insert_with(|| {
                        files.push((path, Vec::new()));
                        files.len() - 1
                    })),
                    _ => None,
                })
                .collect()
        })
        .collect();
    for (j, &listing) in listing_ids.iter().enumerate() {
        for (k, slot) in slots[listing].iter().enumerate() {
            if let Some(slot) = slot {
                files[*slot].1.push((j, k));
            }
        }
    }
    let job_inputs: Vec<Arc<Vec<GrepInput>>> = listing_ids
        .iter()
        .map(|&listing| Arc::clone(&listings[listing]))
        .collect();
    let mut consumers: Vec<Consumer<'a>> = jobs
        .iter()
        .zip(&job_inputs)
        .map(|(job, list)| match &job.stream {
            Some((pipeline, lines, patterns)) => match StreamState::new(pipeline, *lines, patterns)
            {
                Some(state) => Consumer::Stream {
                    state: Box::new(state),
                    next: 0,
                    pending: HashMap::new(),
                },
                None => Consumer::All(vec![None; list.len()]),
            },
            None => Consumer::All(vec![None; list.len()]),
        })
        .collect();
    // Streams may finish before reading anything (`head -0`, messages only).
    for (j, consumer) in consumers.iter_mut().enumerate() {
        advance(consumer, &jobs[j], &job_inputs[j]);
    }
    for chunk in files.chunks(CHUNK) {
        let wanted = |consumers: &[Consumer<'_>], j: usize| match &consumers[j] {
            Consumer::All(_) => true,
            Consumer::Stream { state, .. } => state.wants_more(),
        };
        let work: Vec<(&PathBuf, Vec<(usize, usize)>)> = chunk
            .iter()
            .map(|(path, readers)| {
                (
                    *path,
                    readers
                        .iter()
                        .copied()
                        .filter(|&(j, _)| wanted(&consumers, j))
                        .collect(),
                )
            })
            .filter(|(_, readers): &(&PathBuf, Vec<(usize, usize)>)| !readers.is_empty())
            .collect();
        if work.is_empty() {
            continue;
        }
        let searched: Vec<Vec<(usize, usize, InputResult)>> = work
            .par_iter()
            .map(|(path, readers)| {
                let data = read_input(path);
                readers
                    .iter()
                    .map(|&(j, k)| {
                        let input = &job_inputs[j][k];
                        let result = match &data {
                            Ok(bytes) => {
                                Ok(search_data(jobs[j].cmd, jobs[j].compiled, input, bytes))
                            }
                            Err(e) => Err(read_failure(input, e)),
                        };
                        (j, k, result)
                    })
                    .collect()
            })
            .collect();
        for (j, k, result) in searched.into_iter().flatten() {
            match &mut consumers[j] {
                Consumer::All(results) => results[k] = Some(result),
                Consumer::Stream { pending, .. } => {
                    pending.insert(k, result);
                }
            }
        }
        for (j, consumer) in consumers.iter_mut().enumerate() {
            advance(consumer, &jobs[j], &job_inputs[j]);
        }
    }
    jobs.iter()
        .zip(job_inputs)
        .zip(consumers)
        .map(|((job, inputs), consumer)| {
            let done = match consumer {
                Consumer::All(results) => {
                    // Inputs that are not files (messages, directory
                    // operands) are answered without reading anything.
                    let results = results
                        .into_iter()
                        .zip(inputs.iter())
                        .map(|(r, input)| {
                            r.unwrap_or_else(|| search_input(job.cmd, job.compiled, input, &[]))
                        })
                        .collect();
                    Prefetched::Results { inputs, results }
                }
                Consumer::Stream { state, .. } => Prefetched::Streamed(state.finish()),
            };
            (job.id, done)
        })
        .collect()
}

/// Feeds a streamed job every result that is its turn; non-file inputs are
/// answered on the spot.
fn advance(consumer: &mut Consumer<'_>, job: &Job<'_>, inputs: &[GrepInput]) {
    let Consumer::Stream {
        state,
        next,
        pending,
    } = consumer
    else {
        return;
    };
    while state.wants_more() && *next < inputs.len() {
        let input = &inputs[*next];
        let result = match input {
            GrepInput::File { .. } => match pending.remove(next) {
                Some(r) => r,
                None => return,
            },
            _ => search_input(job.cmd, job.compiled, input, &[]),
        };
        state.push(input, result);
        *next += 1;
    }
    pending.clear();
}
