"""Core additions the quiz screens rely on: pausing the round timer during feedback, leaderboard
entry ids for highlighting, and the quiz_round events a finished round reports."""
from __future__ import annotations

import random
from datetime import datetime, timezone

import pytest

from app.content.model import Question, Quiz
from app.events.schema import validate
from app.quiz.leaderboard import Leaderboard
from app.quiz.report import round_events
from app.quiz.round import QuizError, QuizRound
from app.store.db import open_db


class Clock:
    def __init__(self) -> None:
        self.t = 500.0

    def __call__(self) -> float:
        return self.t


def _quiz(n: int = 3, limit: int = 30) -> Quiz:
    qs = tuple(Question(id=f"q{i}", type="single", prompt={"zh": f"问{i}"},
                        options=({"zh": "甲"}, {"zh": "乙"}), answer=(1,)) for i in range(n))
    return Quiz(id="qz", title={"zh": "测"}, questions=qs, time_limit_s=limit)


def test_paused_time_counts_neither_against_the_timer_nor_in_answer_times() -> None:
    clock = Clock()
    rnd = QuizRound(_quiz(), rng=random.Random(0), clock=clock)
    clock.t += 4
    rnd.answer(0, [1])
    rnd.pause()
    assert rnd.paused
    clock.t += 100  # reading the explanation, far longer than the 30 s limit
    assert rnd.time_left() == pytest.approx(26) and not rnd.finished
    with pytest.raises(QuizError, match="paused"):
        rnd.answer(0, [1])
    rnd.resume()
    rnd.resume()  # idempotent
    clock.t += 3
    rnd.answer(0, [0])
    assert [a.elapsed_s for a in rnd.results[0].answers] == [4.0, 3.0]
    assert rnd.time_left() == pytest.approx(23)
    rnd.pause(); clock.t += 50; rnd.resume()  # noqa: E702
    clock.t += 24  # now the round's own time is over
    assert rnd.finished
    rnd.expire()
    assert [a.timed_out for a in rnd.results[0].answers] == [False, False, True]


def test_top_entries_carry_their_row_id(tmp_path) -> None:  # noqa: ANN001
    board = Leaderboard(open_db(tmp_path / "b.db"))
    when = datetime(2026, 11, 21, 9, tzinfo=timezone.utc)
    a = board.add("qz", "甲", 2, 3, 20, 9.0, when=when)
    b = board.add("qz", "乙", 3, 3, 30, 9.0, when=when)
    assert [(e.nickname, e.id) for e in board.top("qz", "day", when=when)] == [("乙", b), ("甲", a)]


def test_round_events_fit_the_event_schema_solo_and_pk() -> None:
    clock = Clock()
    solo = QuizRound(_quiz(2), rng=random.Random(0), clock=clock)
    clock.t += 2; solo.answer(0, [1]); clock.t += 3; solo.answer(0, [0])  # noqa: E702
    (ev,) = round_events(solo, session_id="s-1")
    assert ev == {"quiz_id": "qz", "score": 10, "max_score": 20, "correct": 1, "questions": 2,
                  "time_s": 5.0, "session_id": "s-1"}
    validate("quiz_round", ev)

    pk = QuizRound(_quiz(1), players=2, rng=random.Random(0), clock=clock)
    pk.answer(0, [1]); clock.t += 1; pk.answer(1, [1])  # noqa: E702
    evs = round_events(pk)
    assert [e["pk_result"] for e in evs] == ["win", "lose"]
    for e in evs:
        validate("quiz_round", e)
    tie = QuizRound(_quiz(1), players=2, rng=random.Random(0), clock=clock)
    tie.answer(0, [0]); tie.answer(1, [0])  # noqa: E702
    assert [e["pk_result"] for e in round_events(tie)] == ["draw", "draw"]
