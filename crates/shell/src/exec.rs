//! Plans a mission (every command parsed, checked and compiled before any
//! runs) and executes it, producing a transcript of what each command
//! printed and its exit status.

use std::fmt;
use std::path::{Component, Path, PathBuf};

use recon_mission::Mission;

use crate::batch::{Prefetched, StageId};
use crate::grep::{self, CompiledGrep};
use crate::grep_files::run_grep;
use crate::lex::Word;
use crate::program::{CdCommand, Program};
use crate::refusal_kind::RefusalKind;
use crate::regex::PatternError;
use crate::script::{Connector, Pipeline, Script, Stream, parse_script_with};
use crate::walk::Checkout;
use crate::{Refusal, ls, text};
use std::collections::HashMap;

/// What one program printed and its exit status.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Output {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub status: i32,
    /// Where each message written with [`Output::err`] fell: (stdout
    /// length, stderr length) just before it. GNU grep and coreutils flush
    /// stdout before each message, so when both streams land in one pipe
    /// (`2>&1`) they interleave at these points ([`Output::merged`]).
    pub marks: Vec<(usize, usize)>,
}

impl Output {
    /// A program that only printed `message` on stderr and exited `status`.
    pub fn failure(message: String, status: i32) -> Output {
        Output {
            stderr: message.into_bytes(),
            status,
            ..Output::default()
        }
    }

    /// Writes a message to stderr, after what stdout holds so far.
    pub fn err(&mut self, bytes: &[u8]) {
        self.marks.push((self.stdout.len(), self.stderr.len()));
        self.stderr.extend_from_slice(bytes);
    }

    /// Appends the output of a program that ran after this one.
    pub fn append(&mut self, other: Output) {
        let (o, e) = (self.stdout.len(), self.stderr.len());
        // Unmarked messages of `other` came before its stdout.
        self.marks.push((o, e));
        self.marks
            .extend(other.marks.iter().map(|&(a, b)| (a + o, b + e)));
        self.stdout.extend_from_slice(&other.stdout);
        self.stderr.extend_from_slice(&other.stderr);
    }

    /// Both streams as one file descriptor receives them: each message
    /// after the stdout written before it. Messages written without a mark
    /// count as written first.
    pub fn merged(&self) -> Vec<u8> {
        let mut merged = Vec::with_capacity(self.stdout.len() + self.stderr.len());
        let (mut o, mut e) = (0, 0);
        for &(at_out, at_err) in &self.marks {
            let at_out = at_out.clamp(o, self.stdout.len());
            let at_err = at_err.clamp(e, self.stderr.len());
            merged.extend_from_slice(&self.stderr[e..at_err]);
            merged.extend_from_slice(&self.stdout[o..at_out]);
            (o, e) = (at_out, at_err);
        }
        merged.extend_from_slice(&self.stderr[e..]);
        merged.extend_from_slice(&self.stdout[o..]);
        merged
    }
}

/// Options for planning a run.
#[derive(Debug, Default, Clone)]
pub struct RunOptions {
    /// Run only the task with this id (`"2.3"`); its phase's earlier `cd`s
    /// still apply.
    pub task: Option<String>,
    /// Run what is allowed and report each refused command in place
    /// (status 126) instead of refusing the whole mission.
    pub skip_refused: bool,
}

/// Why a mission was refused before anything ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    /// Not tied to a command: an unknown `--task`, an unreadable root.
    Mission(String),
    /// Commands outside the subset, every one of them, in mission order.
    Refused(Vec<RefusedCommand>),
}

/// A command recon will not run, where it is, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedCommand {
    /// The task id (`"1.1"`).
    pub task: String,
    /// The command as written.
    pub text: String,
    /// 1-based line and column in the mission file (the column points at
    /// what is refused).
    pub line: usize,
    pub column: usize,
    pub kind: RefusalKind,
    pub reason: String,
}

impl fmt::Display for RefusedCommand {
    /// `TASK LINE:COL: reason`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}:{}: {}",
            self.task, self.line, self.column, self.reason
        )
    }
}

impl fmt::Display for PlanError {
    /// The reason, or one `TASK LINE:COL: reason` line per refused command.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::Mission(reason) => f.write_str(reason),
            PlanError::Refused(refused) => {
                for (i, r) in refused.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\n")?;
                    }
                    write!(f, "{r}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for PlanError {}

/// The compiled patterns of a streamed pipeline's greps (its stages start
/// at index `base` of the command's stages), if all compiled.
fn stream_patterns(
    cmd: &PlannedCommand,
    base: usize,
    len: usize,
) -> Option<crate::stream::StreamPatterns<'_>> {
    let compiled = |i: usize| match cmd.greps.get(i) {
        Some(Some(Ok(c))) => Some(c),
        _ => None,
    };
    let first = compiled(base)?;
    let filters = (base + 1..base + len - 1)
        .map(compiled)
        .collect::<Option<Vec<_>>>()?;
    Some(crate::stream::StreamPatterns { first, filters })
}

/// The pipelines run by [`crate::stream`], each with the index (in
/// [`Script::stages`] order) of its first stage and its `head` count.
fn streamed_pipelines(script: &Script) -> Vec<(usize, &Pipeline, u64)> {
    let mut streamed = Vec::new();
    let mut index = 0;
    for list in &script.lists {
        for pipeline in std::iter::once(&list.first).chain(list.rest.iter().map(|(_, p)| p)) {
            if let Some(lines) = crate::stream::head_limit(pipeline) {
                streamed.push((index, pipeline, lines));
            }
            index += pipeline.stages.len();
        }
    }
    streamed
}

/// What a pipeline needs to know about the command it runs in.
struct StageContext<'a> {
    /// (task, command) indices, with the stage index naming a prefetch.
    ids: (usize, usize),
    prefetched: &'a mut HashMap<StageId, Prefetched>,
    /// False for an unselected task: only its `cd`s run.
    full: bool,
}

/// A stage's compiled grep patterns, or GNU's message for an invalid
/// pattern; None for other programs.
type StagePatterns = Option<Result<CompiledGrep, String>>;

/// One command, parsed and checked, with its grep patterns compiled.
#[derive(Debug)]
pub struct PlannedCommand {
    pub text: String,
    pub line: usize,
    pub column: usize,
    pub script: Script,
    /// Per stage of the script (in [`Script::stages`] order): the compiled
    /// patterns of a grep, or GNU's message for an invalid pattern.
    greps: Vec<StagePatterns>,
    /// With `--skip-refused`: why this command is not run.
    pub refused: Option<RefusedCommand>,
    /// The directory the command runs in when the plan fixes it (and no
    /// `cd` inside the line moves it): its greps can be prefetched.
    fixed_cwd: Option<PathBuf>,
}

/// A task and its planned commands.
#[derive(Debug)]
pub struct PlannedTask {
    pub id: String,
    pub title: String,
    pub phase: String,
    /// Index of its phase in the mission: a new phase starts at the root.
    pub phase_index: usize,
    /// Whether this task is run (`--task` may select one).
    pub selected: bool,
    pub commands: Vec<PlannedCommand>,
}

/// A whole mission, ready to run: nothing in it is outside the subset.
#[derive(Debug)]
pub struct MissionPlan {
    pub title: String,
    pub tasks: Vec<PlannedTask>,
    checkout: Checkout,
}

/// What one command printed, where it ran, and its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandRecord {
    pub command: String,
    /// Where the command ran, relative to the root (`.` or `frontend`).
    pub cwd: String,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub status: i32,
    /// Notes from recon, never part of the command's own output: e.g. a
    /// path that is missing here but exists where an earlier `cd` went.
    pub hints: Vec<String>,
    /// With `--skip-refused`: the command was not run, and why.
    pub refused: Option<RefusedCommand>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRecord {
    pub id: String,
    pub title: String,
    pub phase: String,
    pub commands: Vec<CommandRecord>,
}

/// Everything a run printed, task by task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    pub mission: String,
    pub tasks: Vec<TaskRecord>,
}

/// A relative path inside the checkout, normalized lexically.
fn normalize(base: &Path, rel: &str) -> Option<PathBuf> {
    let mut out = base.to_path_buf();
    for c in Path::new(rel).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(n) => out.push(n),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

fn display_rel(rel: &Path) -> String {
    if rel.as_os_str().is_empty() {
        ".".into()
    } else {
        rel.to_string_lossy().into_owned()
    }
}

impl MissionPlan {
    /// Plans `mission` over the checkout at `root`. Refuses the whole
    /// mission, naming every command outside the subset, unless
    /// `options.skip_refused` keeps them in the plan as refused.
    pub fn new(
        mission: &Mission,
        root: &Path,
        options: &RunOptions,
    ) -> Result<MissionPlan, PlanError> {
        let checkout = Checkout::new(root).map_err(|e| {
            PlanError::Mission(format!("{}: {}", root.display(), crate::walk::strerror(&e)))
        })?;
        if let Some(id) = &options.task
            && !mission.tasks().any(|t| &t.id == id)
        {
            return Err(PlanError::Mission(format!("no task `{id}` in the mission")));
        }
        let mut tasks = Vec::new();
        let mut refused_commands = Vec::new();
        for (phase_index, phase) in mission.phases.iter().enumerate() {
            // Every directory the phase may be in when a command runs.
            let mut cwds: Vec<PathBuf> = vec![PathBuf::new()];
            for task in &phase.tasks {
                let mut commands = Vec::new();
                for cmd in &task.commands {
                    let before = (cwds.len() == 1).then(|| cwds[0].clone());
                    match plan_command(&checkout, &mut cwds, &cmd.text) {
                        Ok((script, greps)) => commands.push(PlannedCommand {
                            fixed_cwd: before.filter(|_| {
                                !script.stages().any(|s| matches!(s.program, Program::Cd(_)))
                            }),
                            text: cmd.text.clone(),
                            line: cmd.line,
                            column: cmd.column,
                            script,
                            greps,
                            refused: None,
                        }),
                        Err(r) => {
                            let refused = RefusedCommand {
                                task: task.id.clone(),
                                text: cmd.text.clone(),
                                line: cmd.line,
                                column: cmd.column + r.column,
                                kind: RefusalKind::of(&cmd.text, &r),
                                reason: r.reason,
                            };
                            refused_commands.push(refused.clone());
                            commands.push(PlannedCommand {
                                text: cmd.text.clone(),
                                line: cmd.line,
                                column: cmd.column,
                                script: Script { lists: Vec::new() },
                                greps: Vec::new(),
                                refused: Some(refused),
                                fixed_cwd: None,
                            });
                        }
                    }
                }
                let selected = options.task.as_ref().is_none_or(|id| id == &task.id);
                tasks.push(PlannedTask {
                    id: task.id.clone(),
                    title: task.title.clone(),
                    phase: phase.number.clone(),
                    phase_index,
                    selected,
                    commands,
                });
            }
        }
        if !options.skip_refused && !refused_commands.is_empty() {
            return Err(PlanError::Refused(refused_commands));
        }
        Ok(MissionPlan {
            title: mission.title.clone(),
            tasks,
            checkout,
        })
    }

    /// Runs every selected task, in order.
    pub fn run(&self) -> Transcript {
        let mut records = Vec::new();
        let mut phase: Option<usize> = None;
        let mut cwd = PathBuf::new();
        // Directories any earlier command `cd`'d into, for path hints.
        let mut visited: Vec<PathBuf> = Vec::new();
        let jobs = self.prefetch_jobs();
        let mut prefetched = crate::batch::prefetch(&self.checkout, &jobs);
        for (t, task) in self.tasks.iter().enumerate() {
            if phase != Some(task.phase_index) {
                phase = Some(task.phase_index);
                cwd = PathBuf::new();
            }
            let mut commands = Vec::new();
            for (c, cmd) in task.commands.iter().enumerate() {
                let before = display_rel(&cwd);
                let ran_in = cwd.clone();
                let out = match &cmd.refused {
                    Some(refused) => Output::failure(
                        format!("refused: {}: {}\n", refused.kind.label(), refused.reason),
                        126,
                    ),
                    None => self.run_command(cmd, (t, c), &mut cwd, task.selected, &mut prefetched),
                };
                // Any path operand missing here but present where the
                // mission went earlier: even when a `2>/dev/null` hid the
                // error or a pipeline's status is `head`'s 0.
                let hints = if cmd.refused.is_none() {
                    path_hints(&self.checkout, cmd, &ran_in, &visited)
                } else {
                    Vec::new()
                };
                if !cwd.as_os_str().is_empty() && !visited.contains(&cwd) {
                    visited.push(cwd.clone());
                }
                if task.selected {
                    commands.push(CommandRecord {
                        command: cmd.text.clone(),
                        cwd: before,
                        stdout: out.stdout,
                        stderr: out.stderr,
                        status: out.status,
                        hints,
                        refused: cmd.refused.clone(),
                    });
                }
            }
            if task.selected {
                records.push(TaskRecord {
                    id: task.id.clone(),
                    title: task.title.clone(),
                    phase: task.phase.clone(),
                    commands,
                });
            }
        }
        Transcript {
            mission: self.title.clone(),
            tasks: records,
        }
    }

    /// The grep stages whose inputs are known before the run: selected
    /// tasks, a working directory fixed at plan time, files not a pipe.
    fn prefetch_jobs(&self) -> Vec<crate::batch::Job<'_>> {
        let mut jobs = Vec::new();
        for (t, task) in self.tasks.iter().enumerate() {
            if !task.selected {
                continue;
            }
            for (c, cmd) in task.commands.iter().enumerate() {
                let Some(cwd) = &cmd.fixed_cwd else { continue };
                let streamed = streamed_pipelines(&cmd.script);
                for (s, (stage, compiled)) in cmd.script.stages().zip(&cmd.greps).enumerate() {
                    let stream = match streamed.iter().find(|(first, _, _)| *first == s) {
                        Some((first, pipeline, lines)) => {
                            match stream_patterns(cmd, *first, pipeline.stages.len()) {
                                Some(patterns) => Some((*pipeline, *lines, patterns)),
                                // Patterns GNU rejects: run it at its turn.
                                None => continue,
                            }
                        }
                        None => None,
                    };
                    let (Program::Grep(g), Some(Ok(compiled))) = (&stage.program, compiled) else {
                        continue;
                    };
                    let reads_stdin = g.files.iter().any(|w| w.text == "-")
                        || g.files.is_empty() && g.recursion.is_none();
                    if !reads_stdin {
                        jobs.push(crate::batch::Job {
                            id: (t, c, s),
                            cmd: g,
                            compiled,
                            cwd: cwd.clone(),
                            stream,
                        });
                    }
                }
            }
        }
        jobs
    }

    /// Runs one command line. When `full` is false (an unselected task),
    /// only its `cd`s are carried out.
    fn run_command(
        &self,
        cmd: &PlannedCommand,
        ids: (usize, usize),
        cwd: &mut PathBuf,
        full: bool,
        prefetched: &mut HashMap<StageId, Prefetched>,
    ) -> Output {
        let mut out = Output::default();
        let mut grep_index = 0;
        let mut ctx = StageContext {
            ids,
            prefetched,
            full,
        };
        for list in &cmd.script.lists {
            let mut status =
                self.run_pipeline(cmd, &list.first, &mut grep_index, cwd, &mut out, &mut ctx);
            for (connector, pipeline) in &list.rest {
                let runs = match connector {
                    Connector::And => status == 0,
                    Connector::Or => status != 0,
                };
                if runs {
                    status =
                        self.run_pipeline(cmd, pipeline, &mut grep_index, cwd, &mut out, &mut ctx);
                } else {
                    grep_index += pipeline.stages.len();
                }
            }
            out.status = status;
        }
        out
    }

    /// Runs one pipeline; `! PIPELINE` inverts its status.
    fn run_pipeline(
        &self,
        cmd: &PlannedCommand,
        pipeline: &Pipeline,
        grep_index: &mut usize,
        cwd: &mut PathBuf,
        out: &mut Output,
        ctx: &mut StageContext<'_>,
    ) -> i32 {
        let status = self.run_stages(cmd, pipeline, grep_index, cwd, out, ctx);
        if pipeline.negated {
            i32::from(status == 0)
        } else {
            status
        }
    }

    fn run_stages(
        &self,
        cmd: &PlannedCommand,
        pipeline: &Pipeline,
        grep_index: &mut usize,
        cwd: &mut PathBuf,
        out: &mut Output,
        ctx: &mut StageContext<'_>,
    ) -> i32 {
        if ctx.full
            && let Some(lines) = crate::stream::head_limit(pipeline)
            && let Some(patterns) = stream_patterns(cmd, *grep_index, pipeline.stages.len())
        {
            let id = (ctx.ids.0, ctx.ids.1, *grep_index);
            *grep_index += pipeline.stages.len();
            let result = match ctx.prefetched.remove(&id) {
                Some(Prefetched::Streamed(output)) => output,
                _ => crate::stream::run(
                    pipeline,
                    lines,
                    &patterns,
                    &self.checkout,
                    &self.checkout.root().join(&*cwd),
                ),
            };
            out.stdout.extend_from_slice(&result.stdout);
            out.err(&result.stderr);
            // The status of `head`.
            return 0;
        }
        let mut stdin: Vec<u8> = Vec::new();
        let mut status = 0;
        let last = pipeline.stages.len() - 1;
        for (i, stage) in pipeline.stages.iter().enumerate() {
            let compiled = cmd.greps.get(*grep_index).and_then(|g| g.as_ref());
            let id = (ctx.ids.0, ctx.ids.1, *grep_index);
            *grep_index += 1;
            let result = match &stage.program {
                // In a pipeline, bash runs `cd` in a subshell: no effect.
                Program::Cd(c) => cd(c, cwd, &self.checkout, pipeline.stages.len() == 1),
                _ if !ctx.full => Output::default(),
                Program::Grep(g) if ctx.prefetched.contains_key(&id) => {
                    match (ctx.prefetched.remove(&id), compiled) {
                        (Some(Prefetched::Results { inputs, results }), Some(Ok(c))) => {
                            crate::grep_files::assemble(g, c, &inputs, results)
                        }
                        _ => run_program(&stage.program, compiled, &self.checkout, cwd, &stdin),
                    }
                }
                program => run_program(program, compiled, &self.checkout, cwd, &stdin),
            };
            status = result.status;
            // Route both streams. When both land in one stream, they
            // interleave as written: the tools flush stdout before each
            // message.
            let mut piped = Vec::new();
            let routes: Vec<(Vec<u8>, Stream)> = if stage.stderr == stage.stdout {
                vec![(result.merged(), stage.stdout)]
            } else {
                vec![(result.stderr, stage.stderr), (result.stdout, stage.stdout)]
            };
            for (bytes, stream) in routes {
                match stream {
                    Stream::Null => {}
                    Stream::Stderr => out.stderr.extend_from_slice(&bytes),
                    Stream::Stdout if i == last => out.stdout.extend_from_slice(&bytes),
                    Stream::Stdout => piped.extend_from_slice(&bytes),
                }
            }
            stdin = piped;
        }
        status
    }
}

/// For a failed command: each path operand missing from `cwd` that exists
/// under a directory an earlier command `cd`'d into, or under a direct
/// subdirectory of the root.
fn path_hints(
    checkout: &Checkout,
    cmd: &PlannedCommand,
    cwd: &Path,
    visited: &[PathBuf],
) -> Vec<String> {
    let root = checkout.root();
    let mut hints = Vec::new();
    let mut subdirs: Vec<PathBuf> = match checkout.list(root).as_ref() {
        Ok(entries) => entries
            .iter()
            .filter(|e| {
                e.kind == crate::walk::EntryKind::Dir
                    && !e.name.as_encoded_bytes().starts_with(b".")
            })
            .map(|e| PathBuf::from(&e.name))
            .collect(),
        Err(_) => Vec::new(),
    };
    subdirs.sort();
    for stage in cmd.script.stages() {
        let is_cd = matches!(stage.program, Program::Cd(_));
        for word in stage.program.path_operands() {
            if std::fs::symlink_metadata(root.join(cwd).join(&word.text)).is_ok() {
                continue;
            }
            let earlier = visited.iter().map(|d| (d, true));
            let candidates = earlier.chain(subdirs.iter().map(|d| (d, false)));
            for (dir, was_cd) in candidates {
                if dir == cwd {
                    continue;
                }
                let Some(rel) = normalize(dir, &word.text) else {
                    continue;
                };
                if std::fs::symlink_metadata(root.join(&rel)).is_ok() {
                    let how = if was_cd {
                        format!(" (an earlier command ran `cd {}`)", dir.display())
                    } else {
                        String::new()
                    };
                    hints.push(format!(
                        "`{}` does not exist in `{}`, but `{}` does{how}",
                        word.text,
                        display_rel(cwd),
                        rel.display()
                    ));
                    break;
                }
            }
        }
        // After a `cd`, later operands are relative to somewhere else.
        if is_cd {
            break;
        }
    }
    hints
}

/// Parses, expands and checks one command line and compiles its patterns.
fn plan_command(
    checkout: &Checkout,
    cwds: &mut Vec<PathBuf>,
    text: &str,
) -> Result<(Script, Vec<StagePatterns>), Refusal> {
    let script = parse_script_with(
        text,
        &mut GlobExpander {
            checkout,
            cwds: cwds.clone(),
        },
    )?;
    check_paths(checkout, &script, cwds)?;
    let greps = script
        .stages()
        .map(|stage| match &stage.program {
            Program::Grep(g) => match grep::compile(g) {
                Ok(c) => Ok(Some(Ok(c))),
                Err(PatternError::Invalid(msg)) => Ok(Some(Err(msg))),
                Err(PatternError::Unsupported(msg)) => Err(Refusal {
                    column: stage.column,
                    reason: msg,
                }),
            },
            _ => Ok(None),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((script, greps))
}

/// Runs one program (not `cd`) in `cwd` (relative to the root).
pub(crate) fn run_program(
    program: &Program,
    compiled: Option<&Result<CompiledGrep, String>>,
    checkout: &Checkout,
    cwd: &Path,
    stdin: &[u8],
) -> Output {
    let abs_cwd = checkout.root().join(cwd);
    match program {
        Program::Grep(g) => match compiled {
            Some(Ok(c)) => run_grep(g, c, checkout, &abs_cwd, stdin),
            Some(Err(msg)) => Output::failure(format!("grep: {msg}\n"), 2),
            // Under xargs the patterns are compiled per invocation.
            None => match grep::compile(g) {
                Ok(c) => run_grep(g, &c, checkout, &abs_cwd, stdin),
                Err(PatternError::Invalid(msg) | PatternError::Unsupported(msg)) => {
                    Output::failure(format!("grep: {msg}\n"), 2)
                }
            },
        },
        Program::Cat(c) => text::cat(&c.files, &abs_cwd, stdin),
        Program::Ls(l) => ls::run(l, checkout, &abs_cwd),
        Program::Head(h) => text::head(h, &abs_cwd, stdin),
        Program::Tail(t) => text::tail(t, &abs_cwd, stdin),
        Program::Wc(w) => text::wc(w, &abs_cwd, stdin),
        Program::Sort(s) => text::sort(s, &abs_cwd, stdin),
        Program::Uniq(u) => text::uniq(u, &abs_cwd, stdin),
        Program::Cut(c) => text::cut(c, &abs_cwd, stdin),
        Program::Find(f) => crate::find::run(f, checkout, &abs_cwd),
        Program::Du(d) => crate::du::run(d, checkout, &abs_cwd),
        Program::Xargs(x) => crate::xargs::run(x, checkout, cwd, stdin),
        Program::Echo(e) => crate::builtins::echo(e),
        Program::Printf(p) => crate::builtins::printf(p),
        Program::Test(t) => crate::builtins::test(t, &abs_cwd),
        Program::Status(status) => Output {
            status: *status,
            ..Output::default()
        },
        Program::Tr(t) => crate::tr::run(t, stdin),
        Program::Basename(b) => crate::names::basename(b),
        Program::Dirname(d) => crate::names::dirname(d),
        // `cd` only runs as a pipeline stage; xargs refuses it.
        Program::Cd(_) => Output::default(),
    }
}

/// `cd DIR`: messages as bash prints them for `bash -c`.
fn cd(c: &CdCommand, cwd: &mut PathBuf, checkout: &Checkout, effective: bool) -> Output {
    let fail = |msg: String| Output::failure(format!("bash: line 1: cd: {msg}\n"), 1);
    if c.extra {
        return fail("too many arguments".into());
    }
    let Some(dir) = &c.dir else {
        return Output::default();
    };
    let Some(target) = normalize(cwd, &dir.text) else {
        return fail(format!("{}: No such file or directory", dir.text));
    };
    match std::fs::metadata(checkout.root().join(&target)) {
        Ok(m) if m.is_dir() => match enterable(&checkout.root().join(&target)) {
            Ok(()) => {
                if effective {
                    *cwd = target;
                }
                Output::default()
            }
            Err(e) => fail(format!("{}: {}", dir.text, crate::walk::strerror(&e))),
        },
        Ok(_) => fail(format!("{}: Not a directory", dir.text)),
        Err(e) => fail(format!("{}: {}", dir.text, crate::walk::strerror(&e))),
    }
}

/// Whether `chdir` into the directory `dir` would succeed: it needs search
/// permission, which resolving `dir/.` checks without changing directory.
fn enterable(dir: &Path) -> std::io::Result<()> {
    std::fs::metadata(dir.join(".")).map(|_| ())
}

/// Whether `cd` into `target` (relative to the root) succeeds.
fn can_cd(checkout: &Checkout, target: &Path) -> bool {
    let path = checkout.root().join(target);
    path.is_dir() && enterable(&path).is_ok()
}

/// Refuses any path operand that leaves the checkout from any directory the
/// command may run in, and tracks where `cd` may take the phase.
fn check_paths(
    checkout: &Checkout,
    script: &Script,
    cwds: &mut Vec<PathBuf>,
) -> Result<(), Refusal> {
    for list in &script.lists {
        let pipelines = std::iter::once(&list.first).chain(list.rest.iter().map(|(_, p)| p));
        for (index, pipeline) in pipelines.enumerate() {
            // A lone `cd` at the head of a list runs for certain, and whether
            // it succeeds is known now: nothing in a run changes the tree.
            let certain = index == 0 && pipeline.stages.len() == 1;
            for stage in &pipeline.stages {
                check_operands(checkout, &stage.program, cwds)?;
                if let Program::Cd(c) = &stage.program {
                    let Some(dir) = &c.dir else {
                        return Err(Refusal {
                            column: stage.column,
                            reason: "`cd` without a directory goes to $HOME, outside the checkout"
                                .into(),
                        });
                    };
                    let mut next: Vec<PathBuf> = Vec::new();
                    for cwd in cwds.iter() {
                        let target = normalize(cwd, &dir.text).filter(|t| can_cd(checkout, t));
                        let succeeds = target.is_some();
                        if let Some(t) = target
                            && !next.contains(&t)
                        {
                            next.push(t);
                        }
                        if !(next.contains(cwd) || certain && succeeds) {
                            next.push(cwd.clone());
                        }
                    }
                    *cwds = next;
                }
            }
        }
    }
    Ok(())
}

pub(crate) fn check_operands(
    checkout: &Checkout,
    program: &Program,
    cwds: &[PathBuf],
) -> Result<(), Refusal> {
    for word in program.path_operands() {
        if word.text.starts_with('/') {
            return Err(Refusal {
                column: word.column,
                reason: format!("absolute path `{}` is outside the checkout", word.text),
            });
        }
        for cwd in cwds {
            let Some(rel) = normalize(cwd, &word.text) else {
                return Err(Refusal {
                    column: word.column,
                    reason: format!("path `{}` leaves the checkout", word.text),
                });
            };
            if !contains_resolved(checkout, &rel) {
                return Err(Refusal {
                    column: word.column,
                    reason: format!(
                        "path `{}` resolves outside the checkout (symlink)",
                        word.text
                    ),
                });
            }
        }
    }
    Ok(())
}

/// Whether `rel`'s longest existing prefix resolves inside the checkout.
fn contains_resolved(checkout: &Checkout, rel: &Path) -> bool {
    let mut path = checkout.root().join(rel);
    loop {
        if std::fs::symlink_metadata(&path).is_ok() {
            return checkout.contains(&path)
                || std::fs::metadata(&path).is_err() && {
                    // A dangling symlink: judge by where it points.
                    std::fs::read_link(&path)
                        .map(|t| !t.is_absolute() && !t.starts_with(".."))
                        .unwrap_or(false)
                };
        }
        if !path.pop() {
            return true;
        }
    }
}

/// Expands globs from every directory a command may be in at that word.
struct GlobExpander<'a> {
    checkout: &'a Checkout,
    cwds: Vec<PathBuf>,
}

impl crate::script::Expander for GlobExpander<'_> {
    fn expand(&mut self, word: &Word) -> Result<Vec<Word>, Refusal> {
        expand_glob(self.checkout, &self.cwds, word)
    }

    /// Where a `cd` in the line goes, if it succeeds (it does whenever the
    /// directory exists: nothing changes the tree during a run).
    fn cd(&mut self, dir: &str) {
        let mut next: Vec<PathBuf> = Vec::new();
        for cwd in &self.cwds {
            let target = normalize(cwd, dir).filter(|t| can_cd(self.checkout, t));
            let t = target.unwrap_or_else(|| cwd.clone());
            if !next.contains(&t) {
                next.push(t);
            }
        }
        self.cwds = next;
    }
}

/// Expands a glob word from every directory the command may run in; the
/// expansion must not depend on which (a run never changes the tree, so it
/// is the same at run time).
fn expand_glob(checkout: &Checkout, cwds: &[PathBuf], word: &Word) -> Result<Vec<Word>, Refusal> {
    let Some(pattern) = &word.glob else {
        return Ok(vec![word.clone()]);
    };
    let mut result: Option<Vec<String>> = None;
    for cwd in cwds {
        let texts = crate::glob::expand(pattern, checkout, &checkout.root().join(cwd))
            .unwrap_or_else(|| vec![crate::glob::literal(pattern)]);
        match &result {
            Some(previous) if previous != &texts => {
                return Err(Refusal {
                    column: word.column,
                    reason: "glob expands differently depending on whether an earlier `cd` ran"
                        .into(),
                });
            }
            _ => result = Some(texts),
        }
    }
    Ok(result
        .unwrap_or_default()
        .into_iter()
        .map(|text| Word {
            text,
            column: word.column,
            quoted: true,
            glob: None,
        })
        .collect())
}

#[cfg(test)]
mod output_tests {
    use super::Output;

    #[test]
    fn merged_interleaves_messages_where_they_were_written() {
        let mut out = Output::default();
        out.stdout.extend_from_slice(b"a\n");
        out.err(b"e1\n");
        out.err(b"e2\n");
        out.stdout.extend_from_slice(b"b\n");
        out.err(b"e3\n");
        assert_eq!(out.merged(), b"a\ne1\ne2\nb\ne3\n");
        assert_eq!(out.stderr, b"e1\ne2\ne3\n");
    }

    #[test]
    fn unmarked_messages_come_first_and_append_shifts_marks() {
        let mut first = Output::default();
        first.stderr.extend_from_slice(b"raw\n");
        first.stdout.extend_from_slice(b"x\n");
        let mut second = Output::default();
        second.stdout.extend_from_slice(b"y\n");
        second.err(b"late\n");
        first.append(second);
        assert_eq!(first.merged(), b"raw\nx\ny\nlate\n");
    }
}
