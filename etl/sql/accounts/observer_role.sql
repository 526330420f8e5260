-- A store made before the observer role: SQLite cannot change a CHECK, so the account table is
-- made again from schema.sql under the same name, with its rows and index. One transaction; a
-- second run (another process at the same moment) only makes the same table again.
PRAGMA legacy_alter_table = ON;  -- web_session keeps its reference to "account", not to the old name
BEGIN IMMEDIATE;
DROP INDEX IF EXISTS account_email;
ALTER TABLE account RENAME TO account_before_observer;
-- schema.sql --
INSERT INTO account SELECT * FROM account_before_observer;
DROP TABLE account_before_observer;
COMMIT;
PRAGMA legacy_alter_table = OFF;
