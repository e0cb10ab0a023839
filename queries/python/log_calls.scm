; Log statements: R.L(...) with L a logging level method. Whether R is a
; logger (a name bound to getLogger()/get_logger() in the module, one of
; logger log _logger LOGGER _log, or the module `logging`) is decided by the
; extractor.
;
; @log_call            the call (its first line is the finding's line)
; @log_call.receiver   R: an identifier or an attribute (logger, self.log)
; @log_call.level      L
; @log_call.arguments  the call's arguments (the [TAG] prefix comes from the
;                      first one; log_messages classifies the message)
(call
  function: (attribute
    object: [(identifier) (attribute)] @log_call.receiver
    attribute: (identifier) @log_call.level)
  arguments: (_) @log_call.arguments
  (#any-of? @log_call.level
    "debug" "info" "warning" "warn" "error" "exception" "critical" "fatal"
    "log")) @log_call
