"""app.store.db: opening the database and per-component migrations."""
from __future__ import annotations

import sqlite3

import pytest

from app.store.db import StoreError, migrate, open_db, schema_version, split_statements, write_transaction

V1 = "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);"
V2 = """
ALTER TABLE notes ADD COLUMN lang TEXT;
CREATE TABLE notes_log (id INTEGER PRIMARY KEY, note_id INTEGER);
CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
    INSERT INTO notes_log (note_id) VALUES (new.id);
END;
"""


def test_open_db_creates_folder_and_sets_pragmas(tmp_path):
    path = tmp_path / "deep" / "er" / "hongtu.db"
    db = open_db(path)
    assert path.exists()
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_open_db_in_memory():
    db = open_db(":memory:")
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_open_db_on_a_file_that_is_not_a_database(tmp_path):
    bad = tmp_path / "hongtu.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="hongtu.db"):
        open_db(bad)


def test_migrate_fresh_then_idempotent_then_appended(tmp_path):
    db = open_db(tmp_path / "h.db")
    migrate(db, "notes", [V1])
    assert schema_version(db, "notes") == 1
    db.execute("INSERT INTO notes (text) VALUES ('a')")
    migrate(db, "notes", [V1])  # re-run: nothing applied twice, data kept
    rows = db.execute("SELECT component, version FROM schema_migrations").fetchall()
    assert rows == [("notes", 1)]
    assert db.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 1

    migrate(db, "notes", [V1, V2])  # the trigger's inner ';' does not split it
    assert schema_version(db, "notes") == 2
    db.execute("INSERT INTO notes (text, lang) VALUES ('b', 'zh')")
    assert db.execute("SELECT COUNT(*) FROM notes_log").fetchone()[0] == 1
    applied_at = db.execute("SELECT applied_at FROM schema_migrations WHERE version = 2").fetchone()[0]
    assert applied_at.endswith("+00:00")


def test_components_are_versioned_separately(tmp_path):
    db = open_db(tmp_path / "h.db")
    migrate(db, "notes", [V1, V2])
    migrate(db, "other", ["CREATE TABLE other_t (x);"])
    assert schema_version(db, "notes") == 2
    assert schema_version(db, "other") == 1


def test_newer_schema_than_known_is_refused(tmp_path):
    path = tmp_path / "h.db"
    migrate(open_db(path), "notes", [V1, V2])
    with pytest.raises(StoreError) as info:
        migrate(open_db(path), "notes", [V1])
    message = str(info.value)
    assert "notes" in message and "2" in message and "1" in message and "h.db" in message


def test_failed_migration_is_rolled_back(tmp_path):
    db = open_db(tmp_path / "h.db")
    broken = "CREATE TABLE half (x); INSERT INTO no_such_table VALUES (1);"
    with pytest.raises(StoreError, match="notes v2"):
        migrate(db, "notes", [V1, broken])
    assert schema_version(db, "notes") == 1
    assert db.execute("SELECT name FROM sqlite_master WHERE name = 'half'").fetchone() is None
    assert not db.conn.in_transaction


def test_split_statements_keeps_triggers_and_strings_whole():
    parts = split_statements(V2 + "\nINSERT INTO notes (text) VALUES ('a;b');\n-- trailing comment\n")
    assert len(parts) == 4
    assert parts[2].startswith("CREATE TRIGGER") and parts[2].endswith("END;")
    assert parts[3].endswith("('a;b');")


def test_write_transaction_commits_or_rolls_back(tmp_path):
    db = open_db(tmp_path / "h.db")
    migrate(db, "notes", [V1])
    with write_transaction(db):
        db.conn.execute("INSERT INTO notes (text) VALUES ('kept')")
    with pytest.raises(sqlite3.IntegrityError):
        with write_transaction(db):
            db.conn.execute("INSERT INTO notes (text) VALUES ('lost')")
            db.conn.execute("INSERT INTO notes (text) VALUES (NULL)")
    assert [r[0] for r in db.execute("SELECT text FROM notes")] == ["kept"]
    assert not db.conn.in_transaction


def test_connections_opening_the_same_new_database_at_once_all_succeed(tmp_path) -> None:  # noqa: ANN001
    """The kiosk's catalog worker and its event log open the terminal's new database together at the
    first start; turning it to WAL used to fail at once with "database is locked" (~5 % of races)."""
    import threading

    from app.store.db import migrate, open_db

    errors: list[str] = []

    def open_and_write(path, name: str, barrier: threading.Barrier) -> None:  # noqa: ANN001
        try:
            barrier.wait()
            db = open_db(path)
            migrate(db, name, [f"CREATE TABLE {name}_t (i INTEGER);"])
            for i in range(20):
                with db.conn:
                    db.conn.execute(f"INSERT INTO {name}_t VALUES (?)", (i,))
            db.conn.close()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(f"{type(exc).__name__}: {exc}")

    for n in range(150):
        barrier = threading.Barrier(3)
        threads = [threading.Thread(target=open_and_write, args=(tmp_path / f"t{n}.db", name, barrier))
                   for name in ("catalog", "events", "sync")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert errors == []
