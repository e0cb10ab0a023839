//! Rules shared by several languages: what a URL literal and its host are,
//! which environment variable names are alert or model-provider settings,
//! where a source position is after a region was re-parsed on its own, how
//! far a received WebSocket message is followed through a file's functions.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;
use tree_sitter::Node;

/// The URL of a literal whose (leading) text starts with `http://` or
/// `https://` (scheme compared ASCII case-insensitively) and has a non-empty
/// host: `(url, host)`.
pub fn url_and_host(text: &str) -> Option<(String, String)> {
    // Compared as bytes: the 8th byte may be inside a character
    // (`http://éffbot.org`), where slicing the `str` would fail.
    let starts = |scheme: &str| {
        text.as_bytes()
            .get(..scheme.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(scheme.as_bytes()))
    };
    let rest = if starts("https://") {
        &text[8..]
    } else if starts("http://") {
        &text[7..]
    } else {
        return None;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = match authority.rfind('@') {
        Some(at) => &authority[at + 1..],
        None => authority,
    };
    let host = if authority.starts_with('[') {
        match authority.find(']') {
            Some(end) => &authority[..=end],
            None => authority,
        }
    } else {
        authority.split(':').next().unwrap_or("")
    };
    if host.is_empty() {
        return None;
    }
    Some((text.to_owned(), host.to_ascii_lowercase()))
}

/// Model providers by API host.
pub const PROVIDER_HOSTS: &[(&str, &str)] = &[
    ("api.openai.com", "openai"),
    ("api.anthropic.com", "anthropic"),
    ("api.x.ai", "xai"),
    ("api.deepinfra.com", "deepinfra"),
];

/// The provider whose API host `host` is.
pub fn provider_of_host(host: &str) -> Option<&'static str> {
    PROVIDER_HOSTS
        .iter()
        .find(|(h, _)| *h == host)
        .map(|(_, p)| *p)
}

/// Model name prefixes and their providers.
pub const MODEL_PREFIXES: &[(&str, &str)] = &[
    ("gpt-", "openai"),
    ("chatgpt-", "openai"),
    ("text-embedding-", "openai"),
    ("claude-", "anthropic"),
    ("grok-", "xai"),
];

/// The provider of a model name literal (`"grok-3-mini"` gives `xai`).
pub fn provider_of_model(value: &str) -> Option<&'static str> {
    MODEL_PREFIXES
        .iter()
        .find(|(prefix, _)| value.starts_with(prefix))
        .map(|(_, p)| *p)
}

/// Words that make an environment variable an alerting setting (substring
/// of the upper-cased name).
pub const NOTIFICATION_ENV_WORDS: &[&str] =
    &["SMTP", "MAIL", "SLACK", "WEBHOOK", "NOTIFY", "ALERT"];

/// Whether an environment variable name is an alerting setting.
pub fn is_notification_env(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    NOTIFICATION_ENV_WORDS.iter().any(|w| upper.contains(w))
}

/// `_`-separated components of an environment variable name that name a
/// model provider.
pub const PROVIDER_ENV_WORDS: &[(&str, &str)] = &[
    ("OPENAI", "openai"),
    ("ANTHROPIC", "anthropic"),
    ("XAI", "xai"),
    ("GROK", "xai"),
    ("DEEPINFRA", "deepinfra"),
];

/// The provider an environment variable belongs to: its first `_`-separated
/// component (upper-cased) that names one.
pub fn provider_of_env(name: &str) -> Option<&'static str> {
    name.split('_').find_map(|part| {
        let upper = part.to_ascii_uppercase();
        PROVIDER_ENV_WORDS
            .iter()
            .find(|(w, _)| *w == upper)
            .map(|(_, p)| *p)
    })
}

/// Whether a URL is a webhook URL: host `hooks.slack.com`, or `webhook` in
/// the URL (ASCII case-insensitive).
pub fn is_webhook_url(url: &str, host: &str) -> bool {
    host == "hooks.slack.com" || url.to_ascii_lowercase().contains("webhook")
}

/// Line starts (shared with the semantic model, which reads the same
/// tokens).
pub use recon_semantic::LineIndex;

/// Where the pieces of a virtual document (regions of a file copied one after
/// the other, with glue text between them) came from.
#[derive(Debug, Clone, Default)]
pub struct PosMap {
    /// `(virtual start, original start, length)` of each copied region, by
    /// virtual start.
    regions: Vec<(usize, usize, usize)>,
    index: LineIndex,
}

impl PosMap {
    pub fn new(original: &str) -> Self {
        PosMap {
            regions: Vec::new(),
            index: LineIndex::new(original),
        }
    }

    /// Record that `len` bytes at `original` were copied to `virtual_start`.
    pub fn push(&mut self, virtual_start: usize, original: usize, len: usize) {
        self.regions.push((virtual_start, original, len));
    }

    /// The original byte offset of a virtual one. Glue text maps to the start
    /// of the next region (or the end of the last one).
    pub fn original(&self, virtual_offset: usize) -> usize {
        let i = self
            .regions
            .partition_point(|(start, _, _)| *start <= virtual_offset);
        if i > 0 {
            let (start, original, len) = self.regions[i - 1];
            if virtual_offset < start + len {
                return original + (virtual_offset - start);
            }
        }
        match self.regions.get(i) {
            Some((_, original, _)) => *original,
            None => self
                .regions
                .last()
                .map_or(0, |(_, original, len)| original + len),
        }
    }

    /// 1-based line and byte column in the original file.
    pub fn position(&self, virtual_offset: usize) -> (usize, usize) {
        self.index.position(self.original(virtual_offset))
    }
}

/// How many calls deep a received WebSocket message is followed into the
/// functions of its file: the handler's dispatcher and the function it
/// dispatches to.
pub const MESSAGE_HOPS: usize = 2;

/// A function body the following reached.
struct Reached<'t, N> {
    body: Node<'t>,
    /// What its parameters hold, from the calls that pass it something.
    seeds: BTreeSet<N>,
    /// Calls from a receiving body to this one (the fewest).
    hops: usize,
    /// Its names holding something received, seeds included (as of the
    /// last time it was read).
    names: BTreeSet<N>,
}

/// The function bodies of one file a received WebSocket message reaches,
/// each with its names that hold something of it.
///
/// `starts` are the bodies where a message comes in (with what their
/// parameters hold from the start). `read(body, seeds, pass_on)` is the
/// language's reading of one body: the names holding something received
/// (`seeds` included) and, when `pass_on`, the calls that pass some of it
/// to a function of the file: each callee's body with what its parameters
/// then hold. Callees are followed up to [`MESSAGE_HOPS`] calls deep. Names
/// are per body; a name is anything ordered (a language's `(name, what it
/// holds)`).
pub fn follow_messages<'t, N: Ord + Clone>(
    starts: impl IntoIterator<Item = (Node<'t>, BTreeSet<N>)>,
    mut read: impl FnMut(Node<'t>, &BTreeSet<N>, bool) -> (BTreeSet<N>, Vec<(Node<'t>, BTreeSet<N>)>),
) -> Vec<(Node<'t>, BTreeSet<N>)> {
    let mut reached: Vec<Reached<'t, N>> = Vec::new();
    let mut index: FxHashMap<usize, usize> = FxHashMap::default();
    let mut work: Vec<usize> = Vec::new();
    // Each body is read again when what reaches it grows or comes fewer
    // calls deep; both only move one way, so this ends.
    let mut arrive = |reached: &mut Vec<Reached<'t, N>>,
                      work: &mut Vec<usize>,
                      body: Node<'t>,
                      seeds: BTreeSet<N>,
                      hops: usize| {
        let at = *index.entry(body.id()).or_insert_with(|| {
            reached.push(Reached {
                body,
                seeds: BTreeSet::new(),
                hops,
                names: BTreeSet::new(),
            });
            work.push(reached.len() - 1);
            reached.len() - 1
        });
        let target = &mut reached[at];
        let before = (target.seeds.len(), target.hops);
        target.seeds.extend(seeds);
        target.hops = target.hops.min(hops);
        if (target.seeds.len(), target.hops) != before && !work.contains(&at) {
            work.push(at);
        }
    };
    for (body, seeds) in starts {
        arrive(&mut reached, &mut work, body, seeds, 0);
    }
    while let Some(at) = work.pop() {
        let (body, hops) = (reached[at].body, reached[at].hops);
        let (names, passed) = read(body, &reached[at].seeds, hops < MESSAGE_HOPS);
        reached[at].names = names;
        for (callee, seeds) in passed {
            arrive(&mut reached, &mut work, callee, seeds, hops + 1);
        }
    }
    reached.into_iter().map(|r| (r.body, r.names)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        let host = |t: &str| url_and_host(t).map(|(_, h)| h);
        assert_eq!(host("https://API.x.ai/v1").as_deref(), Some("api.x.ai"));
        assert_eq!(host("http://u:p@h:8000/x").as_deref(), Some("h"));
        assert_eq!(host("HTTP://h?q").as_deref(), Some("h"));
        assert_eq!(host("http://[::1]:80/").as_deref(), Some("[::1]"));
        assert_eq!(host("http://"), None);
        assert_eq!(host("https:/x"), None);
        assert_eq!(host("ftp://x"), None);
        assert_eq!(host(" http://x"), None);
        // A multi-byte character right after the scheme (found by the
        // CPython oracle on the stdlib: these URLs were missed).
        assert_eq!(host("http://éffbot.org/ns").as_deref(), Some("éffbot.org"));
        assert_eq!(
            host("http://\u{30d5}\u{309a}:80").as_deref(),
            Some("\u{30d5}\u{309a}")
        );
        assert_eq!(host("https://é").as_deref(), Some("é"));
        assert_eq!(host("httpé"), None);
    }

    #[test]
    fn env_names() {
        assert!(is_notification_env("SLACK_WEBHOOK_URL"));
        assert!(is_notification_env("alert_email"));
        assert!(!is_notification_env("DATABASE_URL"));
        assert_eq!(provider_of_env("XAI_API_KEY"), Some("xai"));
        assert_eq!(provider_of_env("MAXAI_KEY"), None);
        assert_eq!(provider_of_env("my_openai_key"), Some("openai"));
    }

    #[test]
    fn positions() {
        let index = LineIndex::new("ab\ncd\n\nx");
        assert_eq!(index.position(0), (1, 0));
        assert_eq!(index.position(3), (2, 0));
        assert_eq!(index.position(4), (2, 1));
        assert_eq!(index.position(7), (4, 0));
        let mut map = PosMap::new("0123\n5678\n");
        map.push(1, 5, 4); // "(5678"
        assert_eq!(map.position(0), (2, 0));
        assert_eq!(map.position(2), (2, 1));
        assert_eq!(map.position(9), (2, 4));
    }
}
