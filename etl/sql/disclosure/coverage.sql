-- Who reported a total for which measure and period (the input of the like-for-like levels).
SELECT org_code, measure, year, kind FROM coverage ORDER BY ALL;
