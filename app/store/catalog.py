"""The catalog: the loaded content pack stored in SQLite, read by the kiosk and the CLI.

`Catalog.index_pack` replaces the whole catalog (and the search index) in one transaction, so a
reader never sees half a pack. Entities are stored as JSON plus the columns lists are filtered on,
and come back as the frozen dataclasses of `app.content.model`.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from app.content.model import Exhibit, Hall, LText, Pack, PackInfo, Quiz, Route
from app.store import codec, search
from app.store.db import migrate, write_transaction

# Bump when the way a pack is indexed changes, so existing catalogs are rebuilt.
INDEX_FORMAT = 1

MIGRATIONS: list[str] = [
    """
    CREATE TABLE catalog_pack (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        pack_id TEXT NOT NULL,
        version TEXT NOT NULL,
        root TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        info TEXT NOT NULL,
        indexed_at TEXT NOT NULL
    );
    CREATE TABLE catalog_halls (
        id TEXT PRIMARY KEY,
        ord INTEGER NOT NULL,
        level TEXT NOT NULL,
        parent TEXT,
        data TEXT NOT NULL
    );
    CREATE TABLE catalog_exhibits (
        id TEXT PRIMARY KEY,
        ord INTEGER NOT NULL,
        hall TEXT NOT NULL,
        card TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX catalog_exhibits_hall ON catalog_exhibits (hall, ord);
    CREATE INDEX catalog_exhibits_ord ON catalog_exhibits (ord);
    CREATE TABLE catalog_exhibit_tags (
        tag TEXT NOT NULL,
        exhibit_id TEXT NOT NULL,
        PRIMARY KEY (tag, exhibit_id)
    ) WITHOUT ROWID;
    CREATE INDEX catalog_exhibit_tags_exhibit ON catalog_exhibit_tags (exhibit_id);
    CREATE TABLE catalog_routes (
        id TEXT PRIMARY KEY,
        ord INTEGER NOT NULL,
        hall TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE catalog_route_stops (
        route_id TEXT NOT NULL,
        pos INTEGER NOT NULL,
        exhibit_id TEXT,
        PRIMARY KEY (route_id, pos)
    );
    CREATE INDEX catalog_route_stops_exhibit ON catalog_route_stops (exhibit_id);
    CREATE TABLE catalog_quizzes (
        id TEXT PRIMARY KEY,
        ord INTEGER NOT NULL,
        hall TEXT,
        data TEXT NOT NULL
    );
    CREATE TABLE catalog_questions (
        quiz_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        pos INTEGER NOT NULL,
        exhibit_id TEXT,
        PRIMARY KEY (quiz_id, question_id)
    );
    CREATE INDEX catalog_questions_exhibit ON catalog_questions (exhibit_id);
    """,
]

_TABLES = (
    "catalog_halls",
    "catalog_exhibits",
    "catalog_exhibit_tags",
    "catalog_routes",
    "catalog_route_stops",
    "catalog_quizzes",
    "catalog_questions",
)


@dataclass(frozen=True)
class ExhibitCard:
    """A light exhibit row for lists and grids. `thumb` is the first image's file (relative to the
    pack's media/ folder; see `Catalog.media_path`), or None."""

    id: str
    hall: str
    title: LText
    summary: LText
    period: LText | None
    tags: tuple[str, ...]
    thumb: str | None


@dataclass(frozen=True)
class Related:
    """What an exhibit is connected to."""

    routes: tuple[Route, ...]  # routes with a stop at the exhibit, in pack order
    questions: tuple[tuple[str, str], ...]  # (quiz id, question id) of questions about it
    exhibits: tuple[ExhibitCard, ...]  # others sharing a tag, most shared tags first


def card_of(e: Exhibit) -> ExhibitCard:
    thumb = next((m.file for m in e.media if m.kind == "image"), None)
    return ExhibitCard(e.id, e.hall, e.title, e.summary, e.period, tuple(e.tags), thumb)


def _card_to_dict(c: ExhibitCard) -> dict[str, Any]:
    return {
        "id": c.id,
        "hall": c.hall,
        "title": dict(c.title),
        "summary": dict(c.summary),
        "period": None if c.period is None else dict(c.period),
        "tags": list(c.tags),
        "thumb": c.thumb,
    }


def _card_from_json(text: str) -> ExhibitCard:
    d = json.loads(text)
    return ExhibitCard(d["id"], d["hall"], d["title"], d["summary"], d["period"], tuple(d["tags"]), d["thumb"])


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def fingerprint(pack_root: Path | str) -> str:
    """A cheap fingerprint of a pack folder: names, sizes and mtimes of its files (dot-files skipped)."""
    root = os.fspath(Path(pack_root))
    cut = len(root) + 1
    entries: list[str] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                for entry in it:
                    if entry.name[0] == ".":
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                        continue
                    try:
                        st = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    entries.append(f"{entry.path[cut:]}\0{st.st_size}\0{st.st_mtime_ns}")
        except OSError:
            entries.append(f"{folder[cut:]}\0unreadable")
    entries.sort()
    text = f"format {INDEX_FORMAT}\n" + "\n".join(entries)
    return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()


class Catalog:
    """Read and replace the catalog held in `db` (migrates its tables on construction)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        migrate(db, "catalog", MIGRATIONS)
        migrate(db, "search", search.MIGRATIONS)

    # ---- writing ----------------------------------------------------------------------------

    def index_pack(self, pack: Pack) -> None:
        """Replace the catalog with `pack`, in one transaction (search index included)."""
        root = Path(pack.root).resolve()
        fp = fingerprint(root)
        conn = self.db.conn
        with write_transaction(self.db):
            for table in _TABLES:
                conn.execute(f"DELETE FROM {table}")
            conn.execute("DELETE FROM catalog_pack")
            conn.executemany(
                "INSERT INTO catalog_halls (id, ord, level, parent, data) VALUES (?, ?, ?, ?, ?)",
                [
                    (h.id, i, h.level, h.parent, _dumps(codec.hall_to_dict(h)))
                    for i, h in enumerate(pack.halls)
                ],
            )
            conn.executemany(
                "INSERT INTO catalog_exhibits (id, ord, hall, card, data) VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        e.id,
                        i,
                        e.hall,
                        _dumps(_card_to_dict(card_of(e))),
                        _dumps(codec.exhibit_to_dict(e)),
                    )
                    for i, e in enumerate(pack.exhibits)
                ],
            )
            conn.executemany(
                "INSERT OR IGNORE INTO catalog_exhibit_tags (tag, exhibit_id) VALUES (?, ?)",
                [(t, e.id) for e in pack.exhibits for t in e.tags],
            )
            conn.executemany(
                "INSERT INTO catalog_routes (id, ord, hall, data) VALUES (?, ?, ?, ?)",
                [(r.id, i, r.hall, _dumps(codec.route_to_dict(r))) for i, r in enumerate(pack.routes)],
            )
            conn.executemany(
                "INSERT INTO catalog_route_stops (route_id, pos, exhibit_id) VALUES (?, ?, ?)",
                [(r.id, i, s.exhibit) for r in pack.routes for i, s in enumerate(r.stops)],
            )
            conn.executemany(
                "INSERT INTO catalog_quizzes (id, ord, hall, data) VALUES (?, ?, ?, ?)",
                [(q.id, i, q.hall, _dumps(codec.quiz_to_dict(q))) for i, q in enumerate(pack.quizzes)],
            )
            conn.executemany(
                "INSERT INTO catalog_questions (quiz_id, question_id, pos, exhibit_id) VALUES (?, ?, ?, ?)",
                [(q.id, x.id, i, x.exhibit) for q in pack.quizzes for i, x in enumerate(q.questions)],
            )
            search.index_pack(self.db, pack)
            conn.execute(
                "INSERT INTO catalog_pack (singleton, pack_id, version, root, fingerprint, info, indexed_at)"
                " VALUES (1, ?, ?, ?, ?, ?, ?)",
                (
                    pack.info.id,
                    pack.info.version,
                    str(root),
                    fp,
                    _dumps(codec.info_to_dict(pack.info)),
                    datetime.now(timezone.utc).isoformat(timespec="seconds"),
                ),
            )

    # ---- pack --------------------------------------------------------------------------------

    def _pack_row(self) -> tuple[str, str, str] | None:
        return self.db.conn.execute("SELECT root, fingerprint, info FROM catalog_pack").fetchone()

    def is_current(self, pack_root: Path | str) -> bool:
        """True when the catalog holds the pack at `pack_root` and its files have not changed since."""
        row = self._pack_row()
        if row is None:
            return False
        root = Path(pack_root).resolve()
        return row[0] == str(root) and row[1] == fingerprint(root)

    def pack_info(self) -> PackInfo | None:
        row = self._pack_row()
        return None if row is None else codec.info_from_dict(json.loads(row[2]))

    def pack_root(self) -> Path | None:
        row = self._pack_row()
        return None if row is None else Path(row[0])

    def media_path(self, file: str) -> Path | None:
        """Absolute path of a media file named in the pack (None when no pack is indexed)."""
        root = self.pack_root()
        return None if root is None else root / "media" / file

    # ---- halls and exhibits ----------------------------------------------------------------

    def halls(self) -> list[Hall]:
        rows = self.db.conn.execute("SELECT data FROM catalog_halls ORDER BY ord")
        return [codec.hall_from_dict(json.loads(r[0])) for r in rows]

    def hall(self, hall_id: str) -> Hall | None:
        row = self.db.conn.execute("SELECT data FROM catalog_halls WHERE id = ?", (hall_id,)).fetchone()
        return None if row is None else codec.hall_from_dict(json.loads(row[0]))

    def exhibits(self, hall: str | None = None, tag: str | None = None, limit: int | None = None) -> list[ExhibitCard]:
        """Exhibit cards in pack order, optionally only those of one hall and/or carrying one tag,
        at most `limit` of them."""
        sql = "SELECT e.card FROM catalog_exhibits e"
        where: list[str] = []
        params: list[str] = []
        if tag is not None:
            sql += " JOIN catalog_exhibit_tags t ON t.exhibit_id = e.id AND t.tag = ?"
            params.append(tag)
        if hall is not None:
            where.append("e.hall = ?")
            params.append(hall)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY e.ord"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [_card_from_json(r[0]) for r in self.db.conn.execute(sql, params)]

    def exhibit(self, exhibit_id: str) -> Exhibit | None:
        row = self.db.conn.execute(
            "SELECT data FROM catalog_exhibits WHERE id = ?", (exhibit_id,)
        ).fetchone()
        return None if row is None else codec.exhibit_from_dict(json.loads(row[0]))

    def exhibit_card(self, exhibit_id: str) -> ExhibitCard | None:
        row = self.db.conn.execute(
            "SELECT card FROM catalog_exhibits WHERE id = ?", (exhibit_id,)
        ).fetchone()
        return None if row is None else _card_from_json(row[0])

    def exhibit_count(self) -> int:
        return int(self.db.conn.execute("SELECT COUNT(*) FROM catalog_exhibits").fetchone()[0])

    # ---- routes and quizzes ----------------------------------------------------------------

    def routes(self, hall: str | None = None) -> list[Route]:
        if hall is None:
            rows = self.db.conn.execute("SELECT data FROM catalog_routes ORDER BY ord")
        else:
            rows = self.db.conn.execute(
                "SELECT data FROM catalog_routes WHERE hall = ? ORDER BY ord", (hall,)
            )
        return [codec.route_from_dict(json.loads(r[0])) for r in rows]

    def route(self, route_id: str) -> Route | None:
        row = self.db.conn.execute("SELECT data FROM catalog_routes WHERE id = ?", (route_id,)).fetchone()
        return None if row is None else codec.route_from_dict(json.loads(row[0]))

    def quizzes(self) -> list[Quiz]:
        rows = self.db.conn.execute("SELECT data FROM catalog_quizzes ORDER BY ord")
        return [codec.quiz_from_dict(json.loads(r[0])) for r in rows]

    def quiz(self, quiz_id: str) -> Quiz | None:
        row = self.db.conn.execute("SELECT data FROM catalog_quizzes WHERE id = ?", (quiz_id,)).fetchone()
        return None if row is None else codec.quiz_from_dict(json.loads(row[0]))

    # ---- connections -------------------------------------------------------------------------

    def related(self, exhibit_id: str, limit: int = 12) -> Related:
        """Routes stopping at the exhibit, quiz questions about it, and up to `limit` exhibits
        sharing a tag with it (most shared tags first, then pack order)."""
        conn = self.db.conn
        routes = [
            codec.route_from_dict(json.loads(r[0]))
            for r in conn.execute(
                "SELECT data FROM catalog_routes WHERE id IN"
                " (SELECT route_id FROM catalog_route_stops WHERE exhibit_id = ?) ORDER BY ord",
                (exhibit_id,),
            )
        ]
        questions = [
            (r[0], r[1])
            for r in conn.execute(
                "SELECT q.quiz_id, q.question_id FROM catalog_questions q"
                " JOIN catalog_quizzes z ON z.id = q.quiz_id"
                " WHERE q.exhibit_id = ? ORDER BY z.ord, q.pos",
                (exhibit_id,),
            )
        ]
        cards = [
            _card_from_json(r[0])
            for r in conn.execute(
                "SELECT e.card FROM catalog_exhibit_tags mine"
                " JOIN catalog_exhibit_tags other ON other.tag = mine.tag AND other.exhibit_id != mine.exhibit_id"
                " JOIN catalog_exhibits e ON e.id = other.exhibit_id"
                " WHERE mine.exhibit_id = ?"
                " GROUP BY e.id ORDER BY COUNT(*) DESC, e.ord LIMIT ?",
                (exhibit_id, limit),
            )
        ]
        return Related(tuple(routes), tuple(questions), tuple(cards))

    def tags(self) -> list[tuple[str, LText, int]]:
        """(tag id, label, number of exhibits), most used first. Tags without a label in pack.yaml
        are labelled with their id."""
        info = self.pack_info()
        labels = dict(info.tags) if info else {}
        lang = info.default_language if info else "zh"
        rows = self.db.conn.execute(
            "SELECT tag, COUNT(*) AS n FROM catalog_exhibit_tags GROUP BY tag ORDER BY n DESC, tag"
        )
        return [(tag, labels.get(tag) or {lang: tag}, int(n)) for tag, n in rows]


def ensure_catalog(db: sqlite_utils.Database, pack_root: Path | str) -> Catalog:
    """The catalog of `db`, (re)indexed from the pack at `pack_root` if it is missing or out of date.

    Raises `app.content.loader.PackError` when the pack does not load; the previous catalog is
    then left as it was (so `Catalog(db)` still serves the last good pack).
    """
    catalog = Catalog(db)
    if not catalog.is_current(pack_root):
        from app.content.loader import load_pack

        catalog.index_pack(load_pack(Path(pack_root)))
    return catalog
