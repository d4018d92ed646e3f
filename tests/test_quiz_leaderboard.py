"""The local leaderboard: nickname rules, daily and monthly rankings, survival across reopen."""
from datetime import datetime, timedelta, timezone

import pytest

from app.quiz.leaderboard import Leaderboard, NicknameError, clean_nickname
from app.store.db import open_db

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("raw, clean", [("  小明 ", "小明"), ("红 \t 星", "红 星"), ("A\x00b", "Ab")])
def test_nicknames_are_cleaned(raw, clean):
    assert clean_nickname(raw) == clean


@pytest.mark.parametrize("raw", ["", "   ", "\n", "一二三四五六七八九十一二三"])
def test_blank_or_long_nicknames_are_refused(raw):
    with pytest.raises(NicknameError):
        clean_nickname(raw)


def test_rankings_by_points_then_time_per_day_and_month(tmp_path):
    board = Leaderboard(open_db(tmp_path / "t.db"))
    board.add("qz", "甲", 8, 10, 80, 50.0, when=NOW)
    slow = board.add("qz", "乙", 9, 10, 90, 70.0, when=NOW)
    fast = board.add("qz", "丙", 9, 10, 90, 40.0, when=NOW)
    board.add("qz", "丁", 10, 10, 100, 30.0, when=NOW - timedelta(days=3))  # earlier this month
    board.add("other", "戊", 10, 10, 100, 1.0, when=NOW)  # another quiz
    day = board.top("qz", "day", when=NOW)
    assert [e.nickname for e in day] == ["丙", "乙", "甲"] and [e.rank for e in day] == [1, 2, 3]
    month = board.top("qz", "month", when=NOW)
    assert [e.nickname for e in month] == ["丁", "丙", "乙", "甲"]
    assert board.rank_of(fast) == 1 and board.rank_of(slow) == 2 and board.rank_of(slow, "month") == 3
    assert board.top("qz", "day", when=NOW + timedelta(days=40)) == []


def test_results_survive_reopening(tmp_path):
    Leaderboard(open_db(tmp_path / "t.db")).add("qz", "甲", 1, 1, 10, 2.0, when=NOW)
    again = Leaderboard(open_db(tmp_path / "t.db"))
    assert [e.nickname for e in again.top("qz", "month", when=NOW)] == ["甲"]


def test_bad_nickname_stores_nothing(tmp_path):
    board = Leaderboard(open_db(tmp_path / "t.db"))
    with pytest.raises(NicknameError):
        board.add("qz", "  ", 1, 1, 10, 1.0, when=NOW)
    assert board.top("qz", "month", when=NOW) == []
