; Names bound to the value of a call, anywhere in a module:
;   T = f(...)        T: A = f(...)        (and each target of a = b = f(...))
; Only the innermost assignment of a chain matches (its right side is the
; call); the extractor walks up the chain for the other targets. Tuple,
; subscript and starred targets are not bindings.
; Used for router names (f ends in FastAPI, APIRouter, Starlette, Router) and
; loggers (f ends in getLogger, get_logger).
;
; @binding         the assignment (its line is the binding's line)
; @binding.target  T: an identifier or an attribute (self.log)
; @binding.callee  f: an identifier or an attribute (logging.getLogger)
(assignment
  left: [(identifier) (attribute)] @binding.target
  right: (call
    function: [(identifier) (attribute)] @binding.callee)) @binding
