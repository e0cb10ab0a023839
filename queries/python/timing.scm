; Timing instrumentation.
;
; @timing.clock   the callee of a call that may read a clock (time.time,
;                 time.perf_counter, monotonic...); the extractor checks the
;                 exact dotted name
; @timing.call    that call (its first line is the finding's)
; @timing.target  an assignment target (identifier or attribute); the
;                 extractor keeps duration-like names (*_ms, elapsed*, ttft...)
(call
  function: [(identifier) (attribute)] @timing.clock
  (#match? @timing.clock "(time|time_ns|perf_counter|perf_counter_ns|monotonic|monotonic_ns|process_time)$")) @timing.call

(assignment
  left: [(identifier) (attribute)] @timing.target
  (#match? @timing.target "(_ms|_seconds|_secs|elapsed[A-Za-z0-9_]*|duration[A-Za-z0-9_]*|latency[A-Za-z0-9_]*|ttft[A-Za-z0-9_]*)$"))
