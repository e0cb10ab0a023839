; WebSocket message types, frontend side (TypeScript, and the script bodies
; and template expressions of .svelte files).
;
; Sent: a call whose callee is `JSON.stringify` or ends in `send` (`send`,
; `socket.send`, `ws?.send`); the extractor checks the callee exactly and
; reads the `type` property of an object literal first argument.
;   @ws_send            the call (its first line is the finding's)
;   @ws_send.callee     the callee: an identifier or a member expression
;   @ws_send.arguments  its arguments
(call_expression
  function: [(identifier) (member_expression)] @ws_send.callee
  arguments: (arguments) @ws_send.arguments
  (#match? @ws_send.callee "(send|stringify)$")) @ws_send

; Handled: where a socket's messages come in, a handler registered with
; `X.onmessage = handler`, `X.addEventListener("message", handler)` or
; `X.on("message", handler)`. The extractor follows what `JSON.parse` gives
; of the handler's event from there, through the handler and the functions
; of the file it is passed to, to the comparisons and `switch` statements
; over its `type`.
;   @ws_handler         the handler: a function, or a name of one
;   @ws_handler.event   the event name argument (checked to be "message")
(assignment_expression
  left: (member_expression
    property: (property_identifier) @_ws_onmessage)
  right: (_) @ws_handler
  (#eq? @_ws_onmessage "onmessage"))

(call_expression
  function: (member_expression
    property: (property_identifier) @_ws_listen)
  arguments: (arguments
    .
    (string) @ws_handler.event
    .
    (_) @ws_handler)
  (#any-of? @_ws_listen "addEventListener" "on"))
