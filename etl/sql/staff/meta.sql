SELECT exported_at, last_audit_id, dataset, data_version FROM meta;
