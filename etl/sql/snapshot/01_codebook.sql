-- The codebook as it stood when the snapshot was built.
CREATE TABLE snap.dimension AS SELECT * FROM dimension;
CREATE TABLE snap.code AS SELECT * FROM code;
CREATE TABLE snap.measure AS SELECT * FROM measure;
CREATE TABLE snap.breakdown AS SELECT * FROM breakdown;
CREATE TABLE snap.period AS SELECT * FROM period;
CREATE TABLE snap.org_type AS SELECT * FROM org_type;
CREATE TABLE snap.period_note AS SELECT * FROM period_note;
CREATE TABLE snap.reference_series AS SELECT * FROM reference_series;
CREATE TABLE snap.reference_value AS SELECT * FROM reference_value;
