; Import bindings, for qualified callee names (`import redis.asyncio as
; aioredis` makes `aioredis.Redis` read `redis.asyncio.Redis`). Relative
; imports bind nothing.
;
;   @import           the statement (bindings are taken in source order)
;   @import.module    `import a.b` (binds `a` to `a`) or, with an alias,
;                     `import a.b as x` (binds `x` to `a.b`)
;   @import.from      the module of `from m import n`
;   @import.name      `n` (binds `n`, or the alias, to `m.n`)
;   @import.alias     the alias
(import_statement
  name: (dotted_name) @import.module) @import

(import_statement
  name: (aliased_import
    name: (dotted_name) @import.module
    alias: (identifier) @import.alias)) @import

(import_from_statement
  module_name: (dotted_name) @import.from
  name: (dotted_name) @import.name) @import

(import_from_statement
  module_name: (dotted_name) @import.from
  name: (aliased_import
    name: (dotted_name) @import.name
    alias: (identifier) @import.alias)) @import
