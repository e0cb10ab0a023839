; Exported names of a SvelteKit endpoint (`+server.ts`): the extractor keeps
; the HTTP method names.
;
;   @export.name  an exported function, variable or specifier name
(export_statement
  declaration: (function_declaration
    name: (identifier) @export.name))

(export_statement
  declaration: (lexical_declaration
    (variable_declarator
      name: (identifier) @export.name)))

(export_statement
  declaration: (variable_declaration
    (variable_declarator
      name: (identifier) @export.name)))

(export_statement
  (export_clause
    (export_specifier
      name: (identifier) @export.name
      !alias)))

(export_statement
  (export_clause
    (export_specifier
      alias: (identifier) @export.name)))
