; Module imports, for `charts`: static imports, re-exports, dynamic
; `import('x')` and `require('x')` (the extractor checks the callee).
;
;   @import          the statement or call (its line is the finding's)
;   @import.source   the module specifier (a string)
;   @import.callee   for calls: `import` or the identifier `require`
(import_statement
  source: (string) @import.source) @import

(export_statement
  source: (string) @import.source) @import

(call_expression
  function: [(import) (identifier)] @import.callee
  arguments: (arguments
    .
    (string) @import.source)) @import
