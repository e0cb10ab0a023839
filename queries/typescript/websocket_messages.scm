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

; Handled: comparisons and switch statements over a "type read" (X.type,
; X['type'], or a name bound to one); the extractor checks the operands.
;   @ws_compare         a binary expression (== or ===)
;   @ws_switch          a switch statement
;   @ws_binding         a declarator or assignment that may bind a type read
;   @ws_binding.name    the bound name (an identifier or an object pattern)
;   @ws_binding.value   the value
(binary_expression
  operator: ["==" "==="]) @ws_compare

(switch_statement) @ws_switch

(variable_declarator
  name: [(identifier) (object_pattern)] @ws_binding.name
  value: (_) @ws_binding.value) @ws_binding

(assignment_expression
  left: (identifier) @ws_binding.name
  right: (_) @ws_binding.value) @ws_binding
