; Exception handlers: every `except` and `except*` clause. Bare (no exception
; type) when the clause has no value field; the extractor checks. The clause's
; block gives except_bodies (swallowed, logs, reraises).
;
; @except_handler  the clause (its first line is the `except` keyword's)
(except_clause) @except_handler
