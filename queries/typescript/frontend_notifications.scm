; Frontend notifications: toasts, notification stores, alerts. The extractor
; checks the names (containing `toast`, `notif` or `alert`, ASCII
; case-insensitively).
;
;   @notify.call        a call (callee: an identifier or a member expression)
;   @notify.callee      its callee
;   @notify.declarator  `const N = value` (a store or a function)
;   @notify.name        N
;   @notify.value       the value
;   @notify.function    a function declaration
;   @notify.function_name  its name
(call_expression
  function: [(identifier) (member_expression)] @notify.callee
  (#match? @notify.callee "(?i)(toast|notif|alert)")) @notify.call

(variable_declarator
  name: (identifier) @notify.name
  value: (_) @notify.value
  (#match? @notify.name "(?i)(toast|notif|alert)")) @notify.declarator

(function_declaration
  name: (identifier) @notify.function_name
  (#match? @notify.function_name "(?i)(toast|notif|alert)")) @notify.function
