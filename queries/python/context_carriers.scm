; Context carriers: where trace_id, request_id, session_id, user_email,
; department... live. The extractor keeps the names in its list.
;
; @carrier.parameters  a parameter list (def, async def, lambda)
; @carrier.target      an assignment target: identifier or attribute
;                      (annotated declarations without a value included)
; @carrier.keyword     the name of a keyword argument
; @carrier.string      a string literal (a header name such as X-Request-ID);
;                      the parts of an implicit concatenation are skipped,
;                      the concatenation itself is read
[(parameters) (lambda_parameters)] @carrier.parameters

(assignment
  left: [(identifier) (attribute)] @carrier.target)

(keyword_argument
  name: (identifier) @carrier.keyword)

[(string) (concatenated_string)] @carrier.string
