; Route decorators: @R.M(...) on a function definition (def, async def,
; methods, nested functions), M an HTTP verb or a route-declaring method.
; Whether R is a router (bound to FastAPI()/APIRouter()/... or named like one)
; is decided by the extractor.
;
; @route.decorator  the decorator (its line, the `@`, is the route's line)
; @route.router     R: an identifier or an attribute (app, self.router)
; @route.method     M
; @route.arguments  the decorator call's arguments (path: first positional
;                   string, or path=)
; @route.handler    the decorated function's name
(decorated_definition
  (decorator
    (call
      function: (attribute
        object: [(identifier) (attribute)] @route.router
        attribute: (identifier) @route.method)
      arguments: (_) @route.arguments)) @route.decorator
  definition: (function_definition
    name: (identifier) @route.handler)
  (#any-of? @route.method
    "get" "post" "put" "delete" "patch" "options" "head"
    "websocket" "api_route" "route"))
