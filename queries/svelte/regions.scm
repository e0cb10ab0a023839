; The parts of a .svelte file that are re-parsed as TypeScript, and the
; component tags.
;
;   @script      the body of a <script> element; also of a <script> start tag
;                that is never closed (an ERROR node)
;   @expression  a template expression: `{...}` in text and attributes, the
;                condition of {#if} / {:else if}, the list of {#each}, the
;                value of {#key}, {#await}, {@html}, {@render}, {@const}
;   @tag         the name of an element (components start with a capital)
(script_element
  (raw_text) @script)

(ERROR
  (start_tag
    (tag_name) @_script_tag)
  .
  (raw_text) @script
  (#eq? @_script_tag "script"))

(expression
  (svelte_raw_text) @expression)

(if_start
  condition: (svelte_raw_text) @expression)

(else_if_start
  condition: (svelte_raw_text) @expression)

(each_start
  identifier: (svelte_raw_text) @expression)

[
  (key_start (svelte_raw_text) @expression)
  (await_start (svelte_raw_text) @expression)
  (html_tag (svelte_raw_text) @expression)
  (render_tag (svelte_raw_text) @expression)
  (const_tag (svelte_raw_text) @expression)
]

[
  (start_tag (tag_name) @tag)
  (self_closing_tag (tag_name) @tag)
]
