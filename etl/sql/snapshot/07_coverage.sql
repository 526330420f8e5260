-- Who reported what: an organisation covers a period for a measure when its
-- total cell for that measure has a value.
CREATE TABLE snap.coverage AS
SELECT DISTINCT org_code, period, year, kind, measure
FROM snap.fact
WHERE dim1 = '_T' AND value IS NOT NULL;
