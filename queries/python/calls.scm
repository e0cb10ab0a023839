; Every call of a name or attribute, and every subscript of one: the
; extractors of db_connections, redis, ai_providers, notifications,
; logging_config (basicConfig/dictConfig/fileConfig), print_calls and
; call_graph read the callee (qualified through the module's imports) and the
; arguments; environment reads are `os.getenv("N")`, `os.environ.get("N")`
; and `os.environ["N"]`.
;
;   @call            the call (its first line is the finding's)
;   @call.callee     an identifier or an attribute
;   @call.arguments  its arguments
;   @subscript       a subscript `X[...]`
;   @subscript.value X: an identifier or an attribute
(call
  function: [(identifier) (attribute)] @call.callee
  arguments: (_) @call.arguments) @call

(subscript
  value: [(identifier) (attribute)] @subscript.value) @subscript
