"""DB-worker jobs of the quiz screens (plain Python, no Qt): quizzes, leaderboard reads and writes.

Each job is `fn(store: StoreContext, ...) -> data` and runs on the DB worker thread
(`app.ui.dbworker`); the view-models in `app.ui.viewmodels.quiz` turn the data into QML values.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.content.model import LText, Quiz
from app.quiz.leaderboard import Entry, Leaderboard, Period
from app.store.db import open_db

_scratch_path: Path | None = None
_scratch_dbs: dict[Path, Any] = {}  # opened on the worker thread, one per path


def use_scratch_board(path: Path | None) -> None:
    """Keep leaderboard reads and writes in the database at `path` instead of the kiosk's
    (the screenshot tour, so it never puts made-up scores on a real board); None = the kiosk's."""
    global _scratch_path
    _scratch_path = Path(path) if path is not None else None


def board_of(store: Any) -> Leaderboard:
    """The leaderboard the jobs use (worker thread)."""
    path = _scratch_path
    if path is None:
        return Leaderboard(store.db)
    if path not in _scratch_dbs:
        _scratch_dbs[path] = open_db(path)
    return Leaderboard(_scratch_dbs[path])


@dataclass
class QuizData:
    """A quiz and the titles of the exhibits its questions link to (unknown exhibits left out)."""

    quiz: Quiz
    exhibit_titles: dict[str, LText] = field(default_factory=dict)


@dataclass(frozen=True)
class SavedScore:
    entry_id: int
    nickname: str
    rank_day: int
    rank_month: int


@dataclass
class BoardData:
    quiz_id: str
    period: str
    entries: list[Entry]
    highlight_rank: int = 0  # rank of the highlighted entry in this period (0: none / not found)


def quiz_list(store: Any) -> list[Quiz]:
    """Every quiz of the pack, in pack order."""
    return list(store.catalog.quizzes())


def load_quiz(store: Any, quiz_id: str) -> QuizData | None:
    """One quiz with its linked exhibits' titles, or None when the pack has no such quiz."""
    quiz = store.catalog.quiz(quiz_id)
    if quiz is None:
        return None
    titles: dict[str, LText] = {}
    for eid in {q.exhibit for q in quiz.questions if q.exhibit}:
        card = store.catalog.exhibit_card(eid)
        if card is not None:
            titles[eid] = dict(card.title)
    return QuizData(quiz, titles)


def save_score(store: Any, quiz_id: str, nickname: str, correct: int, total: int, points: int,
               time_s: float) -> SavedScore:
    """Store a solo result (raises NicknameError for a blank or over-long name); returns its ranks."""
    board = board_of(store)
    row = board.add(quiz_id, nickname, correct, total, points, time_s)
    name = board.db.execute("SELECT nickname FROM leaderboard WHERE id = ?", [row]).fetchone()[0]
    return SavedScore(row, name, board.rank_of(row, "day"), board.rank_of(row, "month"))


def top_scores(store: Any, quiz_id: str, period: Period, highlight: int = 0, limit: int = 10) -> BoardData:
    """The day's or month's top `limit` of a quiz, plus the rank of entry `highlight` (if any)."""
    board = board_of(store)
    entries = board.top(quiz_id, period, limit=limit)
    rank = 0
    if highlight:
        try:
            rank = board.rank_of(highlight, period)
        except KeyError:
            rank = 0
    return BoardData(quiz_id, period, entries, rank)
