-- The actors, actions and outcomes the log holds (for the audit page's filters).
SELECT 'actor' AS field, actor AS value FROM audit_log
UNION
SELECT 'action', action FROM audit_log
UNION
SELECT 'outcome', outcome FROM audit_log
ORDER BY field, value;
