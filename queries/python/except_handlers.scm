; Exception handlers: every `except` and `except*` clause. Bare (no exception
; type) when the clause has no value field; the extractor checks.
;
; @except_handler  the clause (its first line is the `except` keyword's)
(except_clause) @except_handler
