; Middleware registrations, R a router (decided by the extractor):
;   R.add_middleware(X, ...)       a call anywhere; name is X's last segment
;   @R.middleware(...) def f       a decorator on a function; name is f
;
; @middleware.call       the add_middleware call (its line is the finding's)
; @middleware.router     R: an identifier or an attribute
; @middleware.arguments  the call's arguments (X is the first positional one)
; @middleware.decorator  the decorator (its line, the `@`, is the finding's)
; @middleware.function   the decorated function's name
(call
  function: (attribute
    object: [(identifier) (attribute)] @middleware.router
    attribute: (identifier) @_method)
  arguments: (_) @middleware.arguments
  (#eq? @_method "add_middleware")) @middleware.call

(decorated_definition
  (decorator
    (call
      function: (attribute
        object: [(identifier) (attribute)] @middleware.router
        attribute: (identifier) @_method)
      arguments: (_))) @middleware.decorator
  definition: (function_definition
    name: (identifier) @middleware.function)
  (#eq? @_method "middleware"))
