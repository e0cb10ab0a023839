//! What a refused command would have done, so a reader sees at a glance why
//! recon left it alone: the groups `recon run --skip-refused` and `--list`
//! report refusals under.

use crate::Refusal;

/// The kind of a refused command, from the program it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RefusalKind {
    /// `rm`, `cp`, `mv`, `mkdir`, `touch`, `>`, `find -delete`...
    WritesFilesystem,
    /// `python`, `node`, `psql`, `npm`, `pip`, `bash`...
    RunsProgram,
    /// `curl`, `wget`, `ssh`...
    Network,
    /// `git`, `gh`.
    ChangesRepository,
    /// `sudo`, `su`, `doas`.
    NeedsPrivileges,
    /// `export`, `unset`, `source`, `X=1`.
    SetsEnvironment,
    /// Anything else outside the read-only subset (an unsupported flag,
    /// `$(...)`, a path leaving the checkout...).
    OutsideSubset,
}

const WRITES: &[&str] = &[
    "rm", "rmdir", "cp", "mv", "mkdir", "touch", "ln", "chmod", "chown", "tee", "dd", "truncate",
    "install", "rsync", "tar", "unzip", "zip", "gzip", "gunzip", "patch", "shred",
];
const RUNS: &[&str] = &[
    "python",
    "python2",
    "python3",
    "node",
    "deno",
    "bun",
    "npm",
    "npx",
    "pnpm",
    "yarn",
    "pip",
    "pip3",
    "pipx",
    "uv",
    "poetry",
    "psql",
    "mysql",
    "sqlite3",
    "redis-cli",
    "bash",
    "sh",
    "zsh",
    "make",
    "docker",
    "docker-compose",
    "kubectl",
    "cargo",
    "go",
    "ruby",
    "perl",
    "php",
    "java",
    "pytest",
    "alembic",
    "uvicorn",
    "gunicorn",
    "eval",
    "exec",
    "env",
    "timeout",
    "nohup",
];
const NETWORK: &[&str] = &[
    "curl", "wget", "ssh", "scp", "sftp", "nc", "telnet", "ping", "http",
];
const REPOSITORY: &[&str] = &["git", "gh"];
/// git subcommands that only read the repository.
pub(crate) const READ_ONLY_GIT: &[&str] = &[
    "log",
    "ls-files",
    "ls-tree",
    "status",
    "diff",
    "show",
    "blame",
    "grep",
    "shortlog",
    "rev-parse",
    "describe",
    "cat-file",
];
const PRIVILEGES: &[&str] = &["sudo", "su", "doas"];
const ENVIRONMENT: &[&str] = &["export", "unset", "source", ".", "alias", "set", "declare"];

impl RefusalKind {
    /// Every kind, in the order reports group them.
    pub const ALL: [RefusalKind; 7] = [
        RefusalKind::WritesFilesystem,
        RefusalKind::RunsProgram,
        RefusalKind::Network,
        RefusalKind::ChangesRepository,
        RefusalKind::NeedsPrivileges,
        RefusalKind::SetsEnvironment,
        RefusalKind::OutsideSubset,
    ];

    /// What the kind says about the command, as reports print it.
    pub fn label(self) -> &'static str {
        match self {
            RefusalKind::WritesFilesystem => "writes the filesystem",
            RefusalKind::RunsProgram => "runs a program or interpreter",
            RefusalKind::Network => "touches the network",
            RefusalKind::ChangesRepository => "changes the repository",
            RefusalKind::NeedsPrivileges => "needs privileges",
            RefusalKind::SetsEnvironment => "sets the environment",
            RefusalKind::OutsideSubset => "outside the read-only subset",
        }
    }

    /// The kind of one program name (`rm`, `/usr/bin/python3`).
    fn of_program(name: &str) -> Option<RefusalKind> {
        let name = name.rsplit('/').next().unwrap_or(name);
        let tables = [
            (WRITES, RefusalKind::WritesFilesystem),
            (RUNS, RefusalKind::RunsProgram),
            (NETWORK, RefusalKind::Network),
            (REPOSITORY, RefusalKind::ChangesRepository),
            (PRIVILEGES, RefusalKind::NeedsPrivileges),
            (ENVIRONMENT, RefusalKind::SetsEnvironment),
        ];
        tables
            .iter()
            .find(|(names, _)| names.contains(&name))
            .map(|&(_, kind)| kind)
            .or_else(|| {
                // `python3.11`, `pip3.12`
                let base = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
                (base != name && !base.is_empty())
                    .then(|| Self::of_program(base))
                    .flatten()
            })
    }

    /// Classifies a refused command line: first by what stands where the
    /// refusal points (a redirection into a file, `-delete`, a program),
    /// then by the first program of the line that has a kind (`sudo rm`
    /// needs privileges; `find . | xargs rm` writes), an assignment
    /// (`X=1 cmd`), and otherwise [`RefusalKind::OutsideSubset`].
    ///
    /// ```
    /// use recon_shell::{Refusal, refusal_kind::RefusalKind};
    /// let at = |column| Refusal { column, reason: String::new() };
    /// assert_eq!(RefusalKind::of("git mv a b", &at(0)), RefusalKind::ChangesRepository);
    /// assert_eq!(RefusalKind::of("grep x f > out.txt", &at(9)), RefusalKind::WritesFilesystem);
    /// assert_eq!(RefusalKind::of("find . -type f | xargs rm", &at(16)), RefusalKind::WritesFilesystem);
    /// assert_eq!(RefusalKind::of("grep -P x", &at(5)), RefusalKind::OutsideSubset);
    /// ```
    pub fn of(line: &str, refusal: &Refusal) -> RefusalKind {
        let at: String = line.chars().skip(refusal.column).collect();
        let word = at.split_whitespace().next().unwrap_or("");
        // `git log`, `git ls-files`: refused (recon reads no git metadata),
        // but they change nothing.
        if word == "git"
            && at
                .split_whitespace()
                .nth(1)
                .is_some_and(|sub| READ_ONLY_GIT.contains(&sub))
        {
            return RefusalKind::OutsideSubset;
        }
        if word.starts_with('>') || word.starts_with("&>") || word == "-delete" {
            return RefusalKind::WritesFilesystem;
        }
        if let Some(kind) = Self::of_program(word) {
            return kind;
        }
        for program in command_words(line) {
            if let Some(kind) = Self::of_program(program) {
                return kind;
            }
            if program.contains('=') && !program.starts_with('=') && !program.starts_with('-') {
                return RefusalKind::SetsEnvironment;
            }
        }
        RefusalKind::OutsideSubset
    }
}

/// The words in command position of a line, split naively on blanks and
/// `| ; &`: each list's first word, and the program after `xargs` and its
/// options. Good enough to name a kind; never used to run anything.
fn command_words(line: &str) -> Vec<&str> {
    let mut words = Vec::new();
    for segment in line.split(['|', ';', '&']) {
        let mut tokens = segment.split_whitespace();
        let Some(first) = tokens.next() else { continue };
        words.push(first);
        if first == "xargs"
            && let Some(program) = tokens.find(|t| !t.starts_with('-'))
        {
            words.push(program);
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(line: &str) -> RefusalKind {
        RefusalKind::of(
            line,
            &Refusal {
                column: 0,
                reason: String::new(),
            },
        )
    }

    #[test]
    fn kinds_of_the_issue() {
        for (line, want) in [
            ("rm -rf x", RefusalKind::WritesFilesystem),
            ("mkdir -p build", RefusalKind::WritesFilesystem),
            ("python -c \"print(1)\"", RefusalKind::RunsProgram),
            ("python3.11 x.py", RefusalKind::RunsProgram),
            ("psql -c 'select 1'", RefusalKind::RunsProgram),
            ("npm run build", RefusalKind::RunsProgram),
            ("pip install requests", RefusalKind::RunsProgram),
            ("curl -fsSL https://example.com", RefusalKind::Network),
            ("wget x", RefusalKind::Network),
            ("git mv a b", RefusalKind::ChangesRepository),
            ("git log --oneline", RefusalKind::OutsideSubset),
            ("git ls-files | grep py", RefusalKind::OutsideSubset),
            ("sudo ls", RefusalKind::NeedsPrivileges),
            ("export X=1", RefusalKind::SetsEnvironment),
            ("X=1 ls", RefusalKind::SetsEnvironment),
            ("echo hi", RefusalKind::OutsideSubset),
        ] {
            assert_eq!(kind(line), want, "{line}");
        }
    }
}
