//! The token pass reads the dense Python categories (`function_defs`,
//! `call_sites`, `except_handlers`, `except_bodies`, `print_calls`) as the
//! tree reading does: each snippet here is read both ways and must agree.
//! The tree reading is itself held to CPython's `ast` (tests/oracle).

#![allow(clippy::unwrap_used)]

use recon_syntax::token_pass_differences;

fn assert_agrees(name: &str, src: &str) {
    match token_pass_differences(name, src) {
        Ok(differences) => assert!(differences.is_empty(), "{}", differences.join("\n")),
        Err(doubt) => panic!("{name}: the token pass doubted it: {doubt}"),
    }
}

#[test]
fn definitions_and_call_sites() {
    assert_agrees(
        "defs.py",
        r#"
import os

@decorate(make())
def top(a=default(), *args, b: int = annotate(), **kw) -> returns():
    helper(a)
    os.path.join("a", "b").strip()
    x = [y() for y in items() if check(y)]
    lambda: inside_lambda()
    class Local(Base(), metaclass=Meta):
        field = local_field()
        def method(self):
            self.other()
            cls.other()
        def other(self):
            return (self).method()
    async def inner():
        await fetch().result()
        async with session() as s:
            pass

class Service:
    """Doc."""
    timeout = compute()

    @staticmethod
    def build(x): return make(x).done()

    @property
    def name(self):
        return self.build(1).strip()

    def build(self, y):
        self.name()
        self.missing()
        "".join(parts()).upper()
        "a" "b".format(c())
        f"{value(1)} and {other(2)!r:>{width()}}".strip()
        data[key()].update(x)
        (a or b).c()
        x.y(1)(2)(3)
        return 1 .real

def __dunder__(self):
    self.__init__()
    __import__("x")
    super().__init__()

def flow():
    if a(): b()
    while c(): d(); e()
    for i in range(3): print(i)
    with open("f") as fh, lock(): pass
    x = y if cond() else z()
    total = sum(v for v in vals()) + (yield gen())
    assert ok(), message()
    del items()[0]
    return not check()
"#,
    );
}

#[test]
fn except_clauses_and_bodies() {
    assert_agrees(
        "excepts.py",
        r#"
def handler():
    try:
        work()
    except:
        pass
    try:
        work()
    except ValueError: pass
    try:
        work()
    except (KeyError, IndexError) as e:
        ...
    try:
        work()
    except* OSError:
        continue_ = 1
    try:
        work()
    except Exception:
        (...)
        pass; continue
    try:
        work()
    except Exception:
        try:
            again()
        except Exception:
            raise
    try:
        work()
    except Exception:
        def later():
            raise
        class Inner:
            raise_ = 1
    try:
        work()
    except Exception:
        # a comment
        pass
    except BaseException:
        "a docstring-like string"
    else:
        print("else")
    finally:
        print("finally")

try:
    import fast
except ImportError: fast = None
"#,
    );
}

#[test]
fn print_calls_and_main_blocks() {
    assert_agrees(
        "prints.py",
        r#"
print("top")
obj.print("attribute")
def print_it(): print("in def")
if __name__ == "__main__":
    print("main")
    def run():
        print("nested main")
elif __name__ == "__main__":
    print("elif")
else:
    print("else")
if ("__main__" == __name__): print("swapped")
if (__name__) == ('__main__'): print("parenthesized operands")
if __name__ == "__ma" "in__": print("concatenated")
if __name__ == f"__main__": print("f-string")
if __name__ == b"__main__": print("bytes")
if __name__ == "__main__" and x: print("not the test")
if __name__ != "__main__": print("not equal")
"#,
    );
    assert_agrees("tests/test_prints.py", "print('exempt in tests')\n");
}

#[test]
fn nested_f_strings_as_tree_sitter_reads_them() {
    assert_agrees(
        "fstrings.py",
        "def f():\n    a = f\"{d[\"k\"]()}\"\n    b = f\"{f'{g()}'}\"\n    c = f\"\\{h()}\"\n    g = f\"{k}{(2)}{'a'}{'b'.strip()}\"\n    d = f\"\\N{DASH} {i()}\"\n    e = rf\"\\{j()}\"\n",
    );
}

#[test]
fn layout_the_structure_must_follow() {
    assert_agrees(
        "layout.py",
        "def f(a,\n      b):\n    x = g(a,\n          b)\n    y = \\\n        h()\n\n\n    # comment at another indent\n  # and another\n    return k()\n\
         class C:\n\tdef m(self):\n\t\tself.n()\n\tdef n(self): pass\n\
         def s(): return '''\nnot code()\n'''.strip()\n\
         def t():\n    match command.split():\n        case [Point(x=0)]:\n            act()\n        case Other() if guard():\n            other()\n        case _:\n            pass\n    match(x)\n    type(x).f()\n",
    );
}

#[test]
fn what_it_doubts() {
    // What the tokenizer does not model: the module is read from the tree.
    for src in [
        "x = f'{y!z'\n",
        "x = 'unterminated\n",
        "f(\n",
        "print `x`\n",
        "if x:\n        a\n    b\n",
    ] {
        assert!(token_pass_differences("doubt.py", src).is_err(), "{src:?}");
    }
}

#[test]
fn where_tree_sitter_misreads_it_reads_as_cpython() {
    // tree-sitter-python reads a called splat as a call of the splat (so
    // no `print` call); CPython and the token pass read the call.
    // tests/oracle holds the token pass to CPython.
    let differences =
        token_pass_differences("misread.py", "def f():\n    x = [*print(1)]\n").unwrap();
    assert!(!differences.is_empty(), "reads the same");
}
