-- The audit log, filtered; each filter is NULL for "any".
SELECT id, logged_at, actor, action, outcome, detail
FROM audit_log
WHERE ($start IS NULL OR logged_at >= $start)
  AND ($end IS NULL OR logged_at < $end)
  AND ($actors IS NULL OR list_contains($actors, actor))
  AND ($actions IS NULL OR list_contains($actions, action))
  AND ($outcomes IS NULL OR list_contains($outcomes, outcome))
ORDER BY id DESC;
