; String literals and template strings, for `external_urls` (the extractor
; reads the value, or a template's text before its first substitution).
;
;   @string  a string or template string
[(string) (template_string)] @string
