; Function and method definitions, for call_graph: the extractor builds the
; qualified name from the enclosing classes and functions.
;
;   @definition       a def or async def
;   @definition.name  its name
(function_definition
  name: (identifier) @definition.name) @definition
