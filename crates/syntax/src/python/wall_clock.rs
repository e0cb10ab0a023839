//! `wall_clock_durations`: subtractions of two wall-clock values (the rule
//! is on [`recon_findings::WallClockDuration`]; `recon check` OBS006 flags
//! each one).

use recon_findings::WallClockDuration;
use rustc_hash::FxHashMap;
use tree_sitter::{Node, Query, QueryMatch};

use super::imports::Raw as ImportBinding;
use super::text::{dotted_name, enclosing_function, unparenthesize};
use super::{Document, WithColumn, capture, node};

/// The wall-clock reads: callees, as their dotted name is written.
pub(super) const WALL_CLOCKS: [&str; 2] = ["time.time", "time.time_ns"];

/// The names a module's imports bind to a wall-clock read without alias
/// (`from time import time` binds `time`, the read's last name): called
/// bare, they read it.
pub(super) fn bare_clocks(imports: &[ImportBinding]) -> impl Iterator<Item = &'static str> + '_ {
    WALL_CLOCKS
        .iter()
        .filter(|clock| {
            imports
                .iter()
                .any(|i| i.unaliased_target() == Some(**clock))
        })
        .filter_map(|clock| clock.rsplit('.').next())
}

pub(super) struct Captures {
    subtraction: u32,
    assignment: u32,
}

impl Captures {
    pub(super) fn new(query: &Query) -> Result<Self, String> {
        Ok(Captures {
            subtraction: capture(query, "wall_clock.subtraction")?,
            assignment: capture(query, "wall_clock.assignment")?,
        })
    }
}

pub(super) enum Raw<'t> {
    Subtraction(Node<'t>),
    Assignment(Node<'t>),
}

pub(super) fn collect<'t>(caps: &Captures, m: &QueryMatch<'_, 't>, _src: &str) -> Option<Raw<'t>> {
    match node(m, caps.subtraction) {
        Some(subtraction) => Some(Raw::Subtraction(subtraction)),
        None => node(m, caps.assignment).map(Raw::Assignment),
    }
}

/// One assignment of a wall-clock read to a name.
struct Binding {
    /// The innermost function around the assignment (its node id), `None`
    /// at module level; unused for attributes, which are file-wide.
    scope: Option<usize>,
    /// Where the assignment's statement ends.
    end_byte: usize,
}

/// What the module says a wall-clock value is.
struct Clock<'a> {
    src: &'a str,
    /// [`bare_clocks`].
    bare: Vec<&'static str>,
    /// Names bound to a wall-clock read, by the target's dotted name.
    bindings: FxHashMap<String, Vec<Binding>>,
}

impl Clock<'_> {
    /// A wall-clock read (parentheses dropped).
    fn is_read(&self, node: Node<'_>) -> bool {
        let node = unparenthesize(node);
        if node.kind() != "call" {
            return false;
        }
        let Some(name) = node
            .child_by_field_name("function")
            .and_then(|f| dotted_name(f, self.src))
        else {
            return false;
        };
        WALL_CLOCKS.contains(&name.as_str()) || self.bare.contains(&name.as_str())
    }

    /// A wall-clock value: a read, or a name bound to one where
    /// `subtraction` can see it.
    fn is_value(&self, operand: Node<'_>, subtraction: Node<'_>) -> bool {
        let operand = unparenthesize(operand);
        if self.is_read(operand) {
            return true;
        }
        let Some(bindings) = dotted_name(operand, self.src).and_then(|n| self.bindings.get(&n))
        else {
            return false;
        };
        if operand.kind() == "attribute" {
            return true;
        }
        // The functions around the subtraction, innermost first, then the
        // module.
        let mut scopes = Vec::new();
        let mut current = enclosing_function(subtraction);
        while let Some(function) = current {
            scopes.push(Some(function.id()));
            current = enclosing_function(function);
        }
        scopes.push(None);
        bindings
            .iter()
            .any(|b| scopes.contains(&b.scope) && b.end_byte <= subtraction.start_byte())
    }
}

pub(super) fn extract(
    raws: &[Raw<'_>],
    imports: &[ImportBinding],
    ctx: &Document<'_>,
) -> Vec<WithColumn<WallClockDuration>> {
    let mut clock = Clock {
        src: ctx.src,
        bare: bare_clocks(imports).collect(),
        bindings: FxHashMap::default(),
    };
    for raw in raws {
        let Raw::Assignment(assignment) = raw else {
            continue;
        };
        // `a = b = f()`: the value at the end of the chain.
        let mut value = assignment.child_by_field_name("right");
        while let Some(v) = value.filter(|v| v.kind() == "assignment") {
            value = v.child_by_field_name("right");
        }
        if !value.is_some_and(|v| clock.is_read(v)) {
            continue;
        }
        let Some(target) = assignment.child_by_field_name("left") else {
            continue;
        };
        let Some(name) = dotted_name(target, ctx.src) else {
            continue;
        };
        let scope = match target.kind() {
            "attribute" => None,
            _ => enclosing_function(*assignment).map(|f| f.id()),
        };
        clock.bindings.entry(name).or_default().push(Binding {
            scope,
            end_byte: statement_end(*assignment),
        });
    }
    raws.iter()
        .filter_map(|raw| match raw {
            Raw::Subtraction(subtraction) => Some(*subtraction),
            Raw::Assignment(_) => None,
        })
        .filter(|subtraction| {
            let operands = (
                subtraction.child_by_field_name("left"),
                subtraction.child_by_field_name("right"),
            );
            let (Some(left), Some(right)) = operands else {
                return false;
            };
            clock.is_value(left, *subtraction) && clock.is_value(right, *subtraction)
        })
        .map(|subtraction| {
            (
                subtraction.start_position().column,
                WallClockDuration {
                    file: ctx.file.to_owned(),
                    line: ctx.line(subtraction),
                },
            )
        })
        .collect()
}

/// The end of the statement an assignment is part of (the outermost
/// assignment of a chain, or its expression statement).
fn statement_end(mut node: Node<'_>) -> usize {
    while let Some(parent) = node.parent() {
        if matches!(parent.kind(), "assignment" | "expression_statement") {
            node = parent;
        } else {
            break;
        }
    }
    node.end_byte()
}
