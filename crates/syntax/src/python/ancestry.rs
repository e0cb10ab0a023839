//! Where nodes sit in their module, for many nodes in one walk.
//!
//! tree-sitter nodes do not store their parent: `Node::parent()` searches
//! down from the root, so walking up from every call of a large module costs
//! depth squared times the siblings on the way, per call (that was most of
//! `recon scan` on the CPython stdlib, and quadratic on a 100k-term `+`
//! chain). Instead the extractors name the nodes they need to place (calls,
//! strings, definitions...), and [`Ancestry::new`] makes one pre-order walk
//! with a cursor, carrying what each rule asks about the ancestors (the
//! innermost function body, class, `except` block, `__main__` block) down a
//! stack, so each question costs O(1) per node visited. Subtrees that hold
//! no target are skipped.

use rustc_hash::FxHashMap;
use tree_sitter::Node;

use super::text::{named_children, string_value, text, unparenthesize};

/// What the extractors ask about one node's ancestors.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Place<'t> {
    /// The parent node.
    pub parent: Option<Node<'t>>,
    /// The innermost class definition around the node (bases included).
    pub class: Option<Node<'t>>,
    /// The innermost `except` clause whose block holds the node, when no
    /// function, lambda or class definition stands between them.
    pub except: Option<Node<'t>>,
    /// Lexically inside the body of an `if __name__ == "__main__":` (not
    /// its `elif` or `else`).
    pub in_main: bool,
    /// For a function definition: it sits directly in a class body
    /// (decorators allowed).
    pub is_method: bool,
}

/// The places of a set of nodes of one tree.
pub(crate) struct Ancestry<'t> {
    places: FxHashMap<usize, Place<'t>>,
}

/// One node on the walk's current path.
struct Frame<'t> {
    node: Node<'t>,
    place: Place<'t>,
}

/// Node kinds the walk tests, as ids of the Python grammar.
struct Kinds {
    function: u16,
    class: u16,
    lambda: u16,
    except: u16,
    block: u16,
    if_statement: u16,
    decorated: u16,
}

fn kinds() -> &'static Kinds {
    static KINDS: std::sync::OnceLock<Kinds> = std::sync::OnceLock::new();
    KINDS.get_or_init(|| {
        let language = super::language();
        let id = |kind: &str| language.id_for_node_kind(kind, true);
        Kinds {
            function: id("function_definition"),
            class: id("class_definition"),
            lambda: id("lambda"),
            except: id("except_clause"),
            block: id("block"),
            if_statement: id("if_statement"),
            decorated: id("decorated_definition"),
        }
    })
}

impl<'t> Ancestry<'t> {
    /// Walk the tree under `root` once and place every node of `targets`
    /// (any order, duplicates allowed; nodes of this tree).
    pub(crate) fn new(root: Node<'t>, targets: &[Node<'t>], src: &str) -> Self {
        let k = kinds();
        let mut wanted: Vec<Node<'t>> = targets.to_vec();
        wanted.sort_by_key(|n| (n.start_byte(), n.id()));
        wanted.dedup_by_key(|n| n.id());
        let mut ancestry = Ancestry {
            places: FxHashMap::default(),
        };
        if wanted.is_empty() {
            return ancestry;
        }
        // First target not yet placed; targets before it are placed.
        let mut next = 0;
        let mut placed = vec![false; wanted.len()];
        let mut cursor = root.walk();
        let mut stack = vec![ancestry.frame(None, root, None, src)];
        loop {
            let node = cursor.node();
            let start = node.start_byte();
            // Pre-order visits nodes in non-decreasing start order, so a
            // target starting earlier than this node was placed already.
            while next < wanted.len() && (placed[next] || wanted[next].start_byte() < start) {
                next += 1;
            }
            let mut i = next;
            while i < wanted.len() && wanted[i].start_byte() == start {
                if !placed[i] && wanted[i].id() == node.id() {
                    placed[i] = true;
                    let mut place = stack.last().map(|f| f.place).unwrap_or_default();
                    if node.kind_id() == k.function {
                        place.is_method = is_method(&stack, k);
                    }
                    ancestry.places.insert(node.id(), place);
                }
                i += 1;
            }
            while next < wanted.len() && placed[next] {
                next += 1;
            }
            if next == wanted.len() {
                break;
            }
            // A target inside this subtree starts before its end (a
            // zero-width one may start at it).
            let descend = wanted[next].start_byte() <= node.end_byte();
            if descend && cursor.goto_first_child() {
                let field = cursor.field_name();
                let frame = ancestry.frame(stack.last(), cursor.node(), field, src);
                stack.push(frame);
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    stack.pop();
                    let field = cursor.field_name();
                    let frame = ancestry.frame(stack.last(), cursor.node(), field, src);
                    stack.push(frame);
                    break;
                }
                if !cursor.goto_parent() {
                    return ancestry;
                }
                stack.pop();
            }
        }
        ancestry
    }

    /// The frame of `node`, entered from `parent` through `field`.
    fn frame(
        &mut self,
        parent: Option<&Frame<'t>>,
        node: Node<'t>,
        field: Option<&str>,
        src: &str,
    ) -> Frame<'t> {
        let k = kinds();
        let mut place = Place::default();
        if let Some(parent) = parent {
            let p = parent.node;
            let pk = p.kind_id();
            let outer = parent.place;
            place.parent = Some(p);
            place.class = if pk == k.class { Some(p) } else { outer.class };
            place.except = if pk == k.function || pk == k.class || pk == k.lambda {
                None
            } else if pk == k.except && node.kind_id() == k.block {
                Some(p)
            } else {
                outer.except
            };
            place.in_main = outer.in_main
                || (pk == k.if_statement
                    && field == Some("consequence")
                    && p.child_by_field_name("condition")
                        .is_some_and(|c| is_main_test(c, src)));
        }
        Frame { node, place }
    }

    /// The place of `node`, when it was among the targets.
    pub(crate) fn place(&self, node: Node<'t>) -> Option<Place<'t>> {
        self.places.get(&node.id()).copied()
    }
}

/// Whether the function on top of `stack` sits directly in a class body:
/// its parent (past a `decorated_definition`) is a block whose parent is a
/// class definition.
fn is_method(stack: &[Frame<'_>], k: &Kinds) -> bool {
    let mut up = stack.iter().rev().skip(1);
    let mut parent = up.next();
    if parent.is_some_and(|f| f.node.kind_id() == k.decorated) {
        parent = up.next();
    }
    parent.is_some_and(|f| f.node.kind_id() == k.block)
        && up.next().is_some_and(|f| f.node.kind_id() == k.class)
}

/// Whether an `if` condition is `__name__ == "__main__"` (one `==`, either
/// operand order, operands possibly parenthesised, any string literal).
pub fn is_main_test(condition: Node<'_>, src: &str) -> bool {
    let condition = unparenthesize(condition);
    if condition.kind() != "comparison_operator" {
        return false;
    }
    let operands = named_children(condition);
    let operators: Vec<&str> = (0..condition.child_count())
        .filter_map(|i| condition.child(i))
        .filter(|c| !c.is_named())
        .map(|c| c.kind())
        .collect();
    let [a, b] = operands.as_slice() else {
        return false;
    };
    if operators != ["=="] {
        return false;
    }
    let is_name = |n: Node<'_>| {
        let n = unparenthesize(n);
        n.kind() == "identifier" && text(n, src) == "__name__"
    };
    let is_main = |n: Node<'_>| string_value(n, src).as_deref() == Some("__main__");
    (is_name(*a) && is_main(*b)) || (is_main(*a) && is_name(*b))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The answers by walking up with `Node::parent()`: the definitions
    /// the ancestry must agree with.
    fn slow_place(node: Node<'_>, src: &str) -> (Option<usize>, Option<usize>, bool, bool) {
        let mut class = None;
        let mut except = None;
        let mut except_done = false;
        let mut in_main = false;
        let mut child = node;
        let mut current = node.parent();
        while let Some(n) = current {
            let kind = n.kind();
            if class.is_none() && kind == "class_definition" {
                class = Some(n.id());
            }
            if !except_done {
                if matches!(kind, "function_definition" | "lambda" | "class_definition") {
                    except_done = true;
                } else if kind == "except_clause" && child.kind() == "block" {
                    except = Some(n.id());
                    except_done = true;
                }
            }
            if kind == "if_statement"
                && n.child_by_field_name("consequence") == Some(child)
                && n.child_by_field_name("condition")
                    .is_some_and(|c| is_main_test(c, src))
            {
                in_main = true;
            }
            child = n;
            current = n.parent();
        }
        let is_method = node.kind() == "function_definition" && {
            let mut parent = node.parent();
            if parent.is_some_and(|p| p.kind() == "decorated_definition") {
                parent = parent.and_then(|p| p.parent());
            }
            parent.is_some_and(|p| p.kind() == "block")
                && parent
                    .and_then(|p| p.parent())
                    .is_some_and(|p| p.kind() == "class_definition")
        };
        (class, except, in_main, is_method)
    }

    const SOURCE: &str = r#"
import logging
log = logging.getLogger(__name__)

def top(a=f(1)):
    try:
        g()
    except ValueError:
        log.error("x")
        h = lambda: k()
        def inner():
            m()
        class Local(Base(n())):
            @staticmethod
            def method(self):
                try:
                    pass
                except:
                    self.p()
    except* (KeyError, OSError) as e:
        q()
    else:
        r()

class Outer:
    x = s()
    class Mid:
        def deep(self, b=t()):
            return [u(v) for v in w()]
    async def run(self):
        await self.deep()

if __name__ == "__main__":
    print("main")
    if ("__main__" == (__name__)):
        print(1)
    elif x:
        print(2)
elif __name__ == "__main__":
    print("not the consequence")
else:
    print(3)
if __name__ != "__main__":
    print(4)
try:
    pass
except Exception:
    print(5 + y(z))
"#;

    #[test]
    fn agrees_with_walking_up_on_every_node() {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&super::super::language()).unwrap();
        let tree = parser.parse(SOURCE, None).unwrap();
        let root = tree.root_node();
        assert!(!root.has_error());
        let mut all = Vec::new();
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            all.push(n);
            let mut cursor = n.walk();
            stack.extend(n.children(&mut cursor));
        }
        // Every node, and every third node (so subtrees get skipped).
        for targets in [all.clone(), all.iter().step_by(3).copied().collect()] {
            let ancestry = Ancestry::new(root, &targets, SOURCE);
            for node in &targets {
                let place = ancestry.place(*node).unwrap();
                let fast = (
                    place.class.map(|n| n.id()),
                    place.except.map(|n| n.id()),
                    place.in_main,
                    place.is_method,
                );
                assert_eq!(fast, slow_place(*node, SOURCE), "{node:?}");
                assert_eq!(place.parent, node.parent(), "{node:?}");
            }
        }
    }

    #[test]
    fn sample_has_each_answer() {
        // Guards the test above against a sample that exercises nothing.
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&super::super::language()).unwrap();
        let tree = parser.parse(SOURCE, None).unwrap();
        let mut all = Vec::new();
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            all.push(n);
            stack.extend(n.children(&mut n.walk()));
        }
        let ancestry = Ancestry::new(tree.root_node(), &all, SOURCE);
        let places: Vec<Place<'_>> = all.iter().map(|n| ancestry.place(*n).unwrap()).collect();
        assert!(places.iter().any(|p| p.in_main));
        assert!(places.iter().any(|p| p.except.is_some()));
        assert!(places.iter().any(|p| p.is_method));
        assert!(places.iter().any(|p| p.is_method && p.class.is_some()));
    }
}
