"""SQLite storage: one database per terminal, schema migrations per component, catalog and search."""
