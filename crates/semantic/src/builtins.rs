//! Python's builtins: the names every module sees, which of them are
//! classes (calling one gives its instance), and what `typing` names mean
//! in annotations.

/// The builtins module's public names (CPython 3.12).
const NAMES: &[&str] = &[
    "abs",
    "aiter",
    "all",
    "anext",
    "any",
    "ascii",
    "bin",
    "bool",
    "breakpoint",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "compile",
    "complex",
    "copyright",
    "credits",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "exit",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "license",
    "list",
    "locals",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "quit",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
    "__import__",
    "__build_class__",
    "__debug__",
    "__doc__",
    "__name__",
    "__file__",
    "__spec__",
    "__loader__",
    "__package__",
    "__builtins__",
    "NotImplemented",
    "Ellipsis",
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "BaseException",
    "BaseExceptionGroup",
    "BlockingIOError",
    "BrokenPipeError",
    "BufferError",
    "BytesWarning",
    "ChildProcessError",
    "ConnectionAbortedError",
    "ConnectionError",
    "ConnectionRefusedError",
    "ConnectionResetError",
    "DeprecationWarning",
    "EOFError",
    "EncodingWarning",
    "EnvironmentError",
    "Exception",
    "ExceptionGroup",
    "FileExistsError",
    "FileNotFoundError",
    "FloatingPointError",
    "FutureWarning",
    "GeneratorExit",
    "IOError",
    "ImportError",
    "ImportWarning",
    "IndentationError",
    "IndexError",
    "InterruptedError",
    "IsADirectoryError",
    "KeyError",
    "KeyboardInterrupt",
    "LookupError",
    "MemoryError",
    "ModuleNotFoundError",
    "NameError",
    "NotADirectoryError",
    "NotImplementedError",
    "OSError",
    "OverflowError",
    "PendingDeprecationWarning",
    "PermissionError",
    "ProcessLookupError",
    "RecursionError",
    "ReferenceError",
    "ResourceWarning",
    "RuntimeError",
    "RuntimeWarning",
    "StopAsyncIteration",
    "StopIteration",
    "SyntaxError",
    "SyntaxWarning",
    "SystemError",
    "SystemExit",
    "TabError",
    "TimeoutError",
    "TypeError",
    "UnboundLocalError",
    "UnicodeDecodeError",
    "UnicodeEncodeError",
    "UnicodeError",
    "UnicodeTranslateError",
    "UnicodeWarning",
    "UserWarning",
    "ValueError",
    "Warning",
    "ZeroDivisionError",
];

/// The builtin bound to `name`, if any.
pub(crate) fn lookup(name: &str) -> Option<&'static str> {
    NAMES.iter().find(|n| **n == name).copied()
}

/// The instance type calling a builtin class gives (`list()` -> `list`;
/// an exception class -> itself); `None` for builtin functions.
pub(crate) fn instance_type(builtin: &'static str) -> Option<&'static str> {
    match builtin {
        "bool" | "bytearray" | "bytes" | "complex" | "dict" | "enumerate" | "filter" | "float"
        | "frozenset" | "int" | "list" | "map" | "memoryview" | "object" | "range" | "reversed"
        | "set" | "slice" | "str" | "tuple" | "zip" | "property" | "staticmethod"
        | "classmethod" => Some(builtin),
        b if b.ends_with("Error") || b.ends_with("Exception") || b.ends_with("Warning") => Some(b),
        "KeyboardInterrupt" | "SystemExit" | "GeneratorExit" | "StopIteration"
        | "StopAsyncIteration" | "BaseExceptionGroup" | "ExceptionGroup" => Some(builtin),
        _ => None,
    }
}

/// Whether every object has this attribute (`__init__`, `__class__`...).
pub(crate) fn is_object_member(name: &str) -> bool {
    matches!(
        name,
        "__init__"
            | "__new__"
            | "__class__"
            | "__dict__"
            | "__doc__"
            | "__repr__"
            | "__str__"
            | "__eq__"
            | "__ne__"
            | "__hash__"
            | "__setattr__"
            | "__getattribute__"
            | "__delattr__"
            | "__dir__"
            | "__format__"
            | "__reduce__"
            | "__reduce_ex__"
            | "__sizeof__"
            | "__subclasshook__"
            | "__init_subclass__"
            | "__module__"
            | "__lt__"
            | "__le__"
            | "__gt__"
            | "__ge__"
    )
}

/// `typing.X` (or `typing_extensions.X`, `collections.abc.X`) as `X`:
/// names that describe types rather than being them.
pub(crate) fn typing_name(qualified: &str) -> Option<&str> {
    ["typing.", "typing_extensions.", "collections.abc."]
        .iter()
        .find_map(|p| qualified.strip_prefix(p))
        .filter(|rest| !rest.contains('.'))
}

/// Bases that add nothing a lookup could find (`Generic[T]`, `Protocol`).
pub(crate) fn is_typing_generic(qualified: &str) -> bool {
    matches!(typing_name(qualified), Some("Generic" | "Protocol"))
}
