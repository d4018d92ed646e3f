"""SQLite storage: one database per terminal, schema migrations per component, catalog and search.

Importing this package imports sqlite_utils without numpy (see `_import_sqlite_utils`), so import
`app.store` before anything else imports sqlite_utils where start-up time matters (the kiosk).
"""
from __future__ import annotations

import sys
from typing import Any

# numpy scalar types sqlite_utils maps to SQL column types when numpy is importable
_NUMPY_SQL_TYPES = {
    "int8": "INTEGER", "int16": "INTEGER", "int32": "INTEGER", "int64": "INTEGER",
    "uint8": "INTEGER", "uint16": "INTEGER", "uint32": "INTEGER", "uint64": "INTEGER",
    "float16": "REAL", "float32": "REAL", "float64": "REAL",
}


class _NumpyAwareTypes(dict):
    """sqlite_utils' Python type → SQL type mapping that also answers for numpy's scalar types,
    looked up when asked (numpy is then imported already: the value being inserted came from it)."""

    def __missing__(self, key: Any) -> str:
        np = sys.modules.get("numpy")
        if np is not None and str(getattr(key, "__module__", "")).startswith("numpy"):
            for name, sql in _NUMPY_SQL_TYPES.items():
                if key is getattr(np, name, None):
                    return sql
        raise KeyError(key)

    def get(self, key: Any, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None


def _import_sqlite_utils() -> None:
    """Import sqlite_utils without numpy (~60–100 ms of kiosk start-up on a 2-core box).

    sqlite_utils imports numpy only to add numpy's scalar types to its column-type mapping; with
    numpy hidden during the import, `_NumpyAwareTypes` answers for those types instead, so inserts
    of numpy values behave exactly as before.
    """
    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # `import numpy` raises ImportError
    try:
        import sqlite_utils.db as sqlite_utils_db
    finally:
        if sys.modules.get("numpy", 0) is None:
            del sys.modules["numpy"]
    sqlite_utils_db.COLUMN_TYPE_MAPPING = _NumpyAwareTypes(sqlite_utils_db.COLUMN_TYPE_MAPPING)


_import_sqlite_utils()
