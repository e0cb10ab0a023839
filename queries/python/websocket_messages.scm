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

; Handled: where a message received from a WebSocket comes in. The
; extractor keeps the awaited receives and the `async for` iterations, and
; follows the received value from there through its function (and the
; functions of the module it is passed to) to the comparisons and `match`
; statements over its "type".
;   @ws_receive   a call X.M(...), M one of the receive and iteration methods
(call
  function: (attribute
    attribute: (identifier) @_ws_receive_method)
  (#any-of? @_ws_receive_method
    "receive_json" "receive_text" "receive_bytes" "iter_json" "iter_text" "iter_bytes")) @ws_receive
