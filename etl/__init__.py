"""Tilannekuva ETL: read, screen, validate, load and publish members' aggregated counts."""
