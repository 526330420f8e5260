-- Shares of the network's figures shown, per kind of period (`<5` cells aside: nothing could show them).
-- Only the shares leave this query: the exact persons behind them are for staff (python -m etl protection).
SELECT period,
       sum(cells) FILTER (WHERE reason = 'shown') / nullif(sum(cells) FILTER (WHERE reason NOT IN ('small')), 0) AS cells,
       sum(persons) FILTER (WHERE reason = 'shown') / nullif(sum(persons) FILTER (WHERE reason NOT IN ('small')), 0) AS persons
FROM protection_loss
WHERE "group" = 'network'
  AND reason NOT IN ('not collected', 'members', 'group', 'unsafe', 'empty', 'fold_row')
GROUP BY period
ORDER BY period DESC;
