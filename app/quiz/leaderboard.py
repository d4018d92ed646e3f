"""The terminal's quiz leaderboard: daily and monthly top scores per quiz, stored locally."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal

import sqlite_utils

from app.store.db import migrate

MAX_NICKNAME = 12
Period = Literal["day", "month"]

MIGRATIONS = [
    """
    CREATE TABLE leaderboard (
        id INTEGER PRIMARY KEY,
        quiz_id TEXT NOT NULL,
        nickname TEXT NOT NULL,
        correct INTEGER NOT NULL,
        total INTEGER NOT NULL,
        points INTEGER NOT NULL,
        time_s REAL NOT NULL,
        played_at TEXT NOT NULL,
        day TEXT NOT NULL,
        month TEXT NOT NULL
    );
    CREATE INDEX leaderboard_day ON leaderboard (quiz_id, day, points DESC, time_s);
    CREATE INDEX leaderboard_month ON leaderboard (quiz_id, month, points DESC, time_s);
    """,
]


class NicknameError(ValueError):
    """A nickname that cannot go on the board; the message is shown to the visitor."""


def clean_nickname(raw: str) -> str:
    """Trim, fold runs of spaces, drop control characters; refuse blank or over-long names."""
    name = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C")
    name = " ".join(name.split())
    if not name:
        raise NicknameError("nickname is empty")
    if len(name) > MAX_NICKNAME:
        raise NicknameError(f"nickname is longer than {MAX_NICKNAME} characters")
    return name


@dataclass(frozen=True)
class Entry:
    rank: int
    nickname: str
    points: int
    correct: int
    total: int
    time_s: float
    played_at: str
    id: int = 0  # row id, as returned by add(): lets the UI highlight a visitor's new entry


class Leaderboard:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        migrate(db, "leaderboard", MIGRATIONS)

    def add(self, quiz_id: str, nickname: str, correct: int, total: int, points: int, time_s: float,
            when: datetime | None = None) -> int:
        """Store a result under a cleaned nickname; returns its row id."""
        when = (when or datetime.now(timezone.utc)).astimezone()
        with self.db.conn:
            cur = self.db.execute(
                "INSERT INTO leaderboard (quiz_id, nickname, correct, total, points, time_s, played_at, day, month)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [quiz_id, clean_nickname(nickname), correct, total, points, round(time_s, 3),
                 when.isoformat(timespec="seconds"), when.strftime("%Y-%m-%d"), when.strftime("%Y-%m")],
            )
        return int(cur.lastrowid)

    def top(self, quiz_id: str, period: Period = "day", limit: int = 10, when: datetime | None = None) -> list[Entry]:
        """Best results of the day or month containing `when` (local time): points, then time."""
        when = (when or datetime.now(timezone.utc)).astimezone()
        key = when.strftime("%Y-%m-%d") if period == "day" else when.strftime("%Y-%m")
        rows = self.db.execute(
            f"SELECT nickname, points, correct, total, time_s, played_at, id FROM leaderboard"
            f" WHERE quiz_id = ? AND {period} = ? ORDER BY points DESC, time_s ASC, id ASC LIMIT ?",
            [quiz_id, key, limit],
        ).fetchall()
        return [Entry(i + 1, *row) for i, row in enumerate(rows)]

    def rank_of(self, row_id: int, period: Period = "day") -> int:
        """1-based place of a stored result within its quiz and period."""
        row = self.db.execute(f"SELECT quiz_id, {period}, points, time_s FROM leaderboard WHERE id = ?", [row_id]).fetchone()
        if row is None:
            raise KeyError(row_id)
        quiz_id, key, points, time_s = row
        (better,) = self.db.execute(
            f"SELECT COUNT(*) FROM leaderboard WHERE quiz_id = ? AND {period} = ?"
            " AND (points > ? OR (points = ? AND time_s < ?) OR (points = ? AND time_s = ? AND id < ?))",
            [quiz_id, key, points, points, time_s, points, time_s, row_id],
        ).fetchone()
        return better + 1
