; Durations measured with the wall clock (`wall_clock_durations`, OBS006):
; the subtractions, and the assignments that may bind a name to a
; wall-clock read. The extractor checks the operands and the value.
;
; @wall_clock.subtraction  a binary `-`
; @wall_clock.assignment   an assignment to an identifier or an attribute
;                          whose value may be a call: a call, a
;                          parenthesized one, or the rest of a chain
;                          `a = b = time.time()` (each of its assignments
;                          matches)
(binary_operator
  operator: "-") @wall_clock.subtraction

(assignment
  left: [(identifier) (attribute)]
  right: [(call) (parenthesized_expression) (assignment)]) @wall_clock.assignment
