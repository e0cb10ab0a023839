; Uses of a metrics collector: R.M with R's last segment metrics_collector,
; metrics, statsd or *_metrics (the extractor checks it exactly).
;
; @metrics           the attribute R.M (its first line is the finding's)
; @metrics.receiver  R: an identifier or an attribute
; @metrics.method    M
(attribute
  object: [(identifier) (attribute)] @metrics.receiver
  attribute: (identifier) @metrics.method
  (#match? @metrics.receiver "(metrics|metrics_collector|statsd)$")) @metrics
