"""The warehouse: its one writer, loading submissions, the audit log, the member register and versions."""
