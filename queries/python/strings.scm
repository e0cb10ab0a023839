; String literals, for external_urls, webhook URLs, provider endpoints and
; model names. A part of an implicit concatenation is skipped (the
; extractor reads the concatenation as one literal).
;
;   @string  a string or a concatenation of strings
[(string) (concatenated_string)] @string
