; WebSocket message types, backend side.
;
; Sent: X.M(payload, ...) with M one of send_json send_text send broadcast;
; the extractor reads the "type" key of a dict display payload (or of
; json.dumps(dict)).
;   @ws_send            the call (its first line is the finding's)
;   @ws_send.arguments  its arguments
(call
  function: (attribute
    attribute: (identifier) @_ws_method)
  arguments: (argument_list) @ws_send.arguments
  (#any-of? @_ws_method "send_json" "send_text" "send" "broadcast")) @ws_send

; Handled: comparisons and match statements over a "type read" (X["type"],
; X.get("type"), or a name bound to one); the extractor checks the operands.
;   @ws_compare        a comparison (== or in, one operator)
;   @ws_match          a match statement
;   @ws_type_binding   `name = value`, a candidate name bound to a type read
;   @ws_type_binding.name   that name
;   @ws_type_binding.value  the value
(comparison_operator) @ws_compare

(match_statement) @ws_match

(assignment
  left: (identifier) @ws_type_binding.name
  right: [(subscript) (call)] @ws_type_binding.value) @ws_type_binding
