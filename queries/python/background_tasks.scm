; Work started outside the request: asyncio tasks, BackgroundTasks,
; APScheduler jobs and schedulers, executors, threads, Celery tasks.
;
; @background.call         a call whose callee may start work (the extractor
;                          checks the callee's last segment exactly)
; @background.callee       its callee: an identifier or an attribute
; @background.arguments    its arguments
; @background.decorator    a decorator `@X.task`, `@shared_task(...)`...
; @background.decorator_name  the decorator's name (or its call's callee)
; @background.function     the decorated function's name
(call
  function: [(identifier) (attribute)] @background.callee
  arguments: (_) @background.arguments
  (#match? @background.callee "(create_task|ensure_future|add_task|add_job|run_in_executor|Thread|Scheduler)$")) @background.call

(decorated_definition
  (decorator
    [(identifier) (attribute)] @background.decorator_name) @background.decorator
  definition: (function_definition
    name: (identifier) @background.function)
  (#match? @background.decorator_name "task$"))

(decorated_definition
  (decorator
    (call
      function: [(identifier) (attribute)] @background.decorator_name)) @background.decorator
  definition: (function_definition
    name: (identifier) @background.function)
  (#match? @background.decorator_name "task$"))
