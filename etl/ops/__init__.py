"""Operations: backup and restore, rebuild from data/raw and the audit log, monitoring checks."""
