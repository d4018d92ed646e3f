"""Quiz view-models over a real kiosk: solo rounds with feedback and the paused timer, timeouts,
multi-choice confirm, PK (simultaneous touches, draws, winners), the leaderboard with valid and
refused nicknames, the visit-log events, and a session end abandoning the round."""
from __future__ import annotations

from pathlib import Path

import pytest
from packbuilder import pack_files, write_pack

pytestmark = pytest.mark.timeout(90)


class Clock:
    def __init__(self) -> None:
        self.t = 10_000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, s: float) -> None:
        self.t += s


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    files = pack_files()
    del files["quizzes/basics.yaml"]["pick"]  # all three questions (single, multi, true/false)
    return write_pack(tmp_path / "pack", files)


@pytest.fixture
def clock(monkeypatch):  # noqa: ANN001, ANN201
    from app.ui.viewmodels import quiz, quiz_jobs

    c = Clock()
    quiz.set_round_clock(c)
    quiz_jobs.use_scratch_board(None)  # the tour may have left its scratch board set
    yield c
    quiz.set_round_clock(None)


@pytest.fixture
def events(monkeypatch):  # noqa: ANN001, ANN201
    """The quiz_round events the view-model reports (captured instead of logged)."""
    from app.ui.viewmodels import quiz

    seen: list[dict] = []
    monkeypatch.setattr(quiz, "log_quiz_round", seen.extend)
    return seen


@pytest.fixture
def kiosk(kiosk_factory, pack, qtbot, clock):  # noqa: ANN001, ANN201
    k = kiosk_factory(pack)
    qtbot.waitUntil(lambda: k.app.ready, timeout=20000)
    return k


def make_game(qtbot, players: int = 1, auto: bool = True, seed: int = 3):  # noqa: ANN001, ANN201
    from app.ui.viewmodels.quiz import QuizGame

    g = QuizGame()
    g.setProperty("players", players)
    g.setProperty("seed", seed)
    g.setProperty("autoStart", auto)
    g.setProperty("quizId", "basics")
    qtbot.waitUntil(lambda: g.property("phase") == ("question" if auto else "ready"), timeout=10000)
    return g


def current(g):  # noqa: ANN001, ANN201
    return g.core_round().current


def wrong_choice(q) -> int:  # noqa: ANN001
    return next(i for i in range(len(q.options)) if i not in q.answer)


def answer(g, player: int, right: bool) -> None:  # noqa: ANN001
    q = current(g)
    chosen = list(q.answer) if right else [wrong_choice(q)]
    if q.type == "multi":
        for i in chosen:
            g.choose(player, i)
        g.confirm(player)
    else:
        g.choose(player, chosen[0])


def me(g, player: int = 0) -> dict:  # noqa: ANN001
    return g.property("playerStates")[player]


# ---- solo ------------------------------------------------------------------------------------

def test_solo_round_feedback_pauses_the_timer_and_ends_with_a_result(kiosk, qtbot, clock, events) -> None:  # noqa: ANN001
    g = make_game(qtbot)
    assert g.property("questionCount") == 3 and g.property("timeLimit") == 60
    assert g.property("timeLeft") == 60 and g.property("questionNumber") == 1
    seen_exhibit_link = False
    for n in range(1, 4):
        q = current(g)
        assert g.property("prompt") and len(g.property("options")) == len(q.options)
        clock.advance(5)
        right = n != 2
        answer(g, 0, right)
        assert g.property("phase") == "feedback"
        st = me(g)
        assert st["answered"] and st["correct"] is right
        assert sorted(g.property("correctOptions")) == sorted(q.answer)
        assert g.property("questionNumber") == n  # the answered question stays on screen
        if q.id == "q1":
            assert g.property("explanation") == "1929年12月。"
            assert g.property("exhibitId") == "gutian-meeting" and g.property("exhibitTitle") == "古田会议"
            seen_exhibit_link = True
        else:
            assert g.property("exhibitId") == ""
        left = g.property("timeLeft")
        clock.advance(300)  # reading the explanation (or visiting the exhibit) for 5 minutes
        g.tick()
        assert g.property("phase") == "feedback" and g.property("timeLeft") == left
        g.next()
    assert seen_exhibit_link
    assert g.property("phase") == "result" and not g.property("timedOut")
    st = me(g)
    assert (st["correctCount"], st["points"], st["timeS"]) == (2, 20, 15.0)
    assert events == [{"quiz_id": "basics", "score": 20, "max_score": 30, "correct": 2, "questions": 3, "time_s": 15.0}]


def test_english_content_falls_back_to_the_default_language(kiosk, qtbot) -> None:  # noqa: ANN001
    g = make_game(qtbot)
    kiosk.app.setLanguage("en")
    for _ in range(3):
        q = current(g)
        if q.id == "q3":
            assert g.property("prompt") == "Changting was called Little Red Shanghai."
            assert g.property("options") == ["True", "False"]
        else:
            assert g.property("prompt") == q.prompt["zh"]  # no English text in the pack: Chinese
        answer(g, 0, True)
        g.next()


def test_the_round_ends_at_zero_and_the_rest_count_as_timed_out(kiosk, qtbot, clock, events) -> None:  # noqa: ANN001
    g = make_game(qtbot)
    clock.advance(10)
    answer(g, 0, True)
    g.next()
    clock.advance(49)
    g.tick()
    assert g.property("phase") == "question" and g.property("timeLeft") == 1
    clock.advance(2)
    g.tick()
    assert g.property("phase") == "result" and g.property("timedOut")
    st = me(g)
    assert st["correctCount"] == 1 and st["timedOutCount"] == 2 and st["answeredCount"] == 3
    g.choose(0, 0)  # a late tap changes nothing
    assert me(g)["answeredCount"] == 3
    assert len(events) == 1 and events[0]["score"] == 10 and events[0]["time_s"] == 61.0


def test_multi_choice_toggles_and_needs_a_confirm(kiosk, qtbot) -> None:  # noqa: ANN001
    g = make_game(qtbot)
    while current(g).type != "multi":
        answer(g, 0, True)
        g.next()
    g.confirm(0)  # nothing chosen yet: nothing happens
    assert g.property("phase") == "question" and not me(g)["answered"]
    g.choose(0, 2)
    g.choose(0, 0)
    assert me(g)["selected"] == [0, 2] and g.property("phase") == "question"
    g.choose(0, 2)  # untoggle
    g.choose(0, 1)
    assert me(g)["selected"] == [0, 1]
    g.confirm(0)
    assert g.property("phase") == "feedback" and me(g)["correct"] and me(g)["chosen"] == [0, 1]


# ---- PK ----------------------------------------------------------------------------------------

def test_pk_waits_for_both_then_shows_each_verdict_and_a_winner_by_speed(kiosk, qtbot, clock, events) -> None:  # noqa: ANN001
    g = make_game(qtbot, players=2, auto=False)
    g.ready(0)
    assert g.property("phase") == "ready" and me(g, 0)["ready"] and not me(g, 1)["ready"]
    g.ready(1)
    assert g.property("phase") == "question"
    for _ in range(3):
        clock.advance(2)
        answer(g, 0, True)
        assert g.property("phase") == "question" and me(g, 0)["answered"] and not me(g, 1)["answered"]
        assert g.property("correctOptions") == []  # nothing revealed while player 2 still thinks
        assert me(g, 0)["correctCount"] == me(g, 1)["correctCount"]  # not even through the score
        clock.advance(3)
        answer(g, 1, True)
        assert g.property("phase") == "feedback" and me(g, 0)["correct"] and me(g, 1)["correct"]
        g.ready(1)
        assert g.property("phase") == "feedback" and me(g, 1)["ready"]
        g.ready(0)
    assert g.property("phase") == "result"
    assert g.property("winner") == 0  # same score, player 1 was faster
    assert [e["pk_result"] for e in events] == ["win", "lose"]
    assert [e["time_s"] for e in events] == [6.0, 15.0]


def test_pk_feedback_moves_on_by_itself(kiosk, qtbot, clock) -> None:  # noqa: ANN001
    from app.ui.viewmodels.quiz import PK_FEEDBACK_S

    g = make_game(qtbot, players=2, auto=False)
    g.ready(0); g.ready(1)  # noqa: E702
    answer(g, 0, True)
    answer(g, 1, False)
    assert g.property("phase") == "feedback"
    assert me(g, 0)["correct"] and not me(g, 1)["correct"]
    clock.advance(PK_FEEDBACK_S + 1)
    g.tick()
    assert g.property("phase") == "question" and g.property("questionNumber") == 2


def test_pk_exact_tie_is_a_draw_and_right_answers_beat_speed(kiosk, qtbot, clock, events) -> None:  # noqa: ANN001
    g = make_game(qtbot, players=2, auto=False)
    g.ready(0); g.ready(1)  # noqa: E702
    for i in range(3):
        clock.advance(4)
        answer(g, 0, i != 1)
        answer(g, 1, i != 1)
        g.ready(0); g.ready(1)  # noqa: E702
    assert g.property("phase") == "result" and g.property("winner") == -1
    assert [e["pk_result"] for e in events] == ["draw", "draw"]

    g.abandon()  # "Play again": back to the ready screen
    assert g.property("phase") == "ready"
    g.ready(0); g.ready(1)  # noqa: E702
    for _ in range(3):
        answer(g, 0, False)  # fast but wrong
        clock.advance(20)
        answer(g, 1, True)  # slow but right
        g.ready(0); g.ready(1)  # noqa: E702
    assert g.property("winner") == 1


def _screen_child(kiosk, name: str):  # noqa: ANN001, ANN202
    from PySide6.QtCore import QObject

    stack = kiosk.window.findChild(QObject, "stack")
    return stack.property("currentItem").findChild(QObject, name)


def _center(kiosk, name: str):  # noqa: ANN001, ANN202
    """Window position of a named item of the PK screen, asked of QML itself: Python wrappers of
    QML items can go stale across kiosks (PySide keeps them after QML deletes the item)."""
    from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QMetaObject, QObject

    screen = kiosk.window.findChild(QObject, "stack").property("currentItem")
    p = QMetaObject.invokeMethod(screen, "centerOf", Q_RETURN_ARG("QVariant"), Q_ARG("QVariant", name))
    assert p.x() >= 0, f"{name} not on the screen"
    return p.toPoint()


def _two_finger_tap(kiosk, qtbot, a: str, b: str) -> None:  # noqa: ANN001
    """Both players touch their own button at the same moment (one touch event, two points)."""
    from PySide6.QtTest import QTest

    device = getattr(_two_finger_tap, "device", None) or QTest.createTouchDevice()
    _two_finger_tap.device = device
    # wait until the layout has settled (polish runs with the next frame), then touch
    pa, pb = _center(kiosk, a), _center(kiosk, b)
    for _ in range(50):
        qtbot.wait(40)
        now = _center(kiosk, a), _center(kiosk, b)
        if now == (pa, pb):
            break
        pa, pb = now
    QTest.touchEvent(kiosk.window, device).press(0, pa, kiosk.window).press(1, pb, kiosk.window).commit()
    qtbot.wait(30)
    QTest.touchEvent(kiosk.window, device).release(0, pa, kiosk.window).release(1, pb, kiosk.window).commit()
    qtbot.wait(30)


def test_pk_halves_take_simultaneous_touches(kiosk, qtbot, clock, events) -> None:  # noqa: ANN001
    kiosk.app.go("quiz-pk", {"quizId": "basics", "seed": 3})
    qtbot.waitUntil(lambda: _screen_child(kiosk, "quizGame") is not None
                    and _screen_child(kiosk, "quizGame").property("phase") == "ready", timeout=10000)
    g = _screen_child(kiosk, "quizGame")
    _two_finger_tap(kiosk, qtbot, "pkReady-0", "pkReady-1")
    qtbot.waitUntil(lambda: g.property("phase") == "question", timeout=5000)
    q = current(g)
    if q.type == "multi":
        _two_finger_tap(kiosk, qtbot, "option-0-0", "option-1-1")
        assert me(g, 0)["selected"] == [0] and me(g, 1)["selected"] == [1]
        _two_finger_tap(kiosk, qtbot, "confirm-0", "confirm-1")
    else:
        right, wrong = q.answer[0], wrong_choice(q)
        _two_finger_tap(kiosk, qtbot, f"option-0-{right}", f"option-1-{wrong}")
    qtbot.waitUntil(lambda: g.property("phase") == "feedback", timeout=5000)
    st = g.property("playerStates")
    assert st[0]["answered"] and st[1]["answered"]
    assert st[0]["chosen"] != st[1]["chosen"]  # each half registered its own touch


# ---- leaderboard -----------------------------------------------------------------------------

def _finish_solo(g, right: int = 2) -> None:  # noqa: ANN001
    for i in range(3):
        answer(g, 0, i < right)
        g.next()
    assert g.property("phase") == "result"


def test_a_valid_nickname_goes_on_the_board_and_is_highlighted(kiosk, qtbot, clock) -> None:  # noqa: ANN001
    from app.ui.viewmodels.quiz import LeaderboardView

    g = make_game(qtbot)
    _finish_solo(g, right=3)
    with qtbot.waitSignal(g.scoreSaved, timeout=10000) as saved:
        assert g.saveScore("  红  星 ")
    entry_id = saved.args[0]
    assert g.property("saved") and g.property("savedNickname") == "红 星"
    assert g.property("savedRankDay") == 1 and g.property("savedRankMonth") == 1
    assert not g.saveScore("again")  # one entry per round

    g.start()
    _finish_solo(g, right=1)
    with qtbot.waitSignal(g.scoreSaved, timeout=10000) as second:
        g.saveScore("Lin")
    assert g.property("savedRankDay") == 2

    board = LeaderboardView()
    board.setProperty("quizId", "basics")
    board.setProperty("highlightId", second.args[0])
    qtbot.waitUntil(lambda: len(board.property("entries")) == 2, timeout=10000)
    rows = board.property("entries")
    assert [(r["rank"], r["nickname"], r["points"], r["highlight"]) for r in rows] == [
        (1, "红 星", 30, False), (2, "Lin", 10, True)]
    assert board.property("highlightRank") == 2 and board.property("highlightInTop")
    board.setProperty("period", "month")
    board.setProperty("highlightId", entry_id)
    qtbot.waitUntil(lambda: board.property("highlightRank") == 1 and board.property("entries")[0]["highlight"], timeout=10000)


def test_blank_or_long_nicknames_are_refused_with_the_reason(kiosk, qtbot, clock) -> None:  # noqa: ANN001
    from app.ui.viewmodels.quiz import LeaderboardView

    g = make_game(qtbot)
    _finish_solo(g)
    assert not g.saveScore("   ")
    assert g.property("nicknameError") == "请输入昵称。"
    kiosk.app.setLanguage("en")
    assert g.property("nicknameError") == "Please enter a nickname."
    assert not g.saveScore("一二三四五六七八九十一二三")
    assert g.property("nicknameError") == "The nickname is too long: at most 12 characters."
    g.clearNicknameError()
    assert g.property("nicknameError") == "" and not g.property("saved") and not g.property("saving")
    board = LeaderboardView()
    board.setProperty("quizId", "basics")
    board.setProperty("period", "month")
    qtbot.waitUntil(lambda: not board.property("loading"), timeout=10000)
    assert board.property("entries") == []


def test_nickname_entry_screen_saves_and_opens_the_board(kiosk, qtbot, clock) -> None:  # noqa: ANN001
    from PySide6.QtCore import Q_ARG, QMetaObject, QObject

    kiosk.app.go("quiz-play", {"quizId": "basics", "seed": 3})
    qtbot.waitUntil(lambda: _screen_child(kiosk, "quizGame") is not None
                    and _screen_child(kiosk, "quizGame").property("phase") == "question", timeout=10000)
    g = _screen_child(kiosk, "quizGame")
    _finish_solo(g)
    screen = kiosk.window.findChild(QObject, "stack").property("currentItem")
    QMetaObject.invokeMethod(screen, "typeNickname", Q_ARG("QVariant", ""))
    qtbot.waitUntil(lambda: g.property("nicknameError") != "", timeout=5000)
    assert kiosk.app.property("currentScreen") == "quiz-play"
    qtbot.waitUntil(lambda: kiosk.qapp.inputMethod().isVisible(), timeout=5000)  # the keyboard came up for the field
    QMetaObject.invokeMethod(screen, "typeNickname", Q_ARG("QVariant", "小明"))
    qtbot.waitUntil(lambda: kiosk.app.property("currentScreen") == "quiz-board", timeout=10000)
    assert kiosk.app.stack()[-1] == ("quiz-board", {"quizId": "basics", "entryId": g.property("savedEntryId")})


def test_the_exhibit_link_opens_the_exhibit_and_comes_back_to_the_feedback(kiosk, qtbot, clock) -> None:  # noqa: ANN001
    kiosk.app.go("quiz-play", {"quizId": "basics", "seed": 3})
    qtbot.waitUntil(lambda: _screen_child(kiosk, "quizGame") is not None
                    and _screen_child(kiosk, "quizGame").property("phase") == "question", timeout=10000)
    g = _screen_child(kiosk, "quizGame")
    while current(g).id != "q1":
        answer(g, 0, True)
        g.next()
    number = g.property("questionNumber")
    answer(g, 0, False)
    left = g.property("timeLeft")
    kiosk.app.go("exhibit", {"exhibitId": g.property("exhibitId")})
    assert kiosk.app.property("currentScreen") == "exhibit"
    clock.advance(120)  # reading the exhibit page for two minutes
    g.tick()
    kiosk.app.back()
    assert kiosk.app.property("currentScreen") == "quiz-play"
    assert g.property("phase") == "feedback" and g.property("questionNumber") == number
    assert g.property("timeLeft") == left and not me(g)["correct"]


def test_finished_rounds_reach_the_visit_log_with_the_session(kiosk_factory, pack, qtbot, clock, tmp_path) -> None:  # noqa: ANN001
    import dataclasses
    import json
    import sqlite3

    from app.config import load_config

    cfg = dataclasses.replace(load_config(None, env={}), data_dir=tmp_path / "data", terminal_id="t-quiz")
    k = kiosk_factory(pack, db_path=cfg.db_path, start_active=False, extra={"cfg": cfg})
    qtbot.waitUntil(lambda: k.app.ready, timeout=30000)
    k.session.touch()
    solo = make_game(qtbot)
    _finish_solo(solo, right=2)
    pk = make_game(qtbot, players=2, auto=False)
    pk.ready(0); pk.ready(1)  # noqa: E702
    for _ in range(3):
        answer(pk, 0, True)
        answer(pk, 1, True)
        pk.ready(0); pk.ready(1)  # noqa: E702
    assert k.events.event_log.flush(10)
    con = sqlite3.connect(cfg.db_path)
    rows = [(kind, json.loads(data)) for kind, data in
            con.execute("SELECT kind, data FROM visit_events WHERE kind = 'quiz_round' ORDER BY seq")]
    con.close()
    sid = k.events.session_id
    assert [(r["score"], r["correct"], r.get("pk_result"), r["session_id"]) for _, r in rows] == [
        (20, 2, None, sid), (30, 3, "draw", sid), (30, 3, "draw", sid)]
    assert all(r["quiz_id"] == "basics" and r["max_score"] == 30 and r["questions"] == 3 for _, r in rows)


# ---- session end -------------------------------------------------------------------------------

def test_session_end_abandons_the_round_and_saves_nothing(kiosk, qtbot, clock, events) -> None:  # noqa: ANN001
    g = make_game(qtbot)
    answer(g, 0, True)
    g.next()
    kiosk.session.end()
    assert g.property("phase") == "ready" and g.core_round() is None
    assert g.property("playerStates") == [] or not me(g)["answered"]
    assert not g.saveScore("小明") and events == []

    kiosk.session.touch()
    kiosk.app.go("quiz-play", {"quizId": "basics"})
    qtbot.waitUntil(lambda: _screen_child(kiosk, "quizGame") is not None
                    and _screen_child(kiosk, "quizGame").property("phase") == "question", timeout=10000)
    on_screen = _screen_child(kiosk, "quizGame")
    answer(on_screen, 0, True)
    kiosk.session.end()  # idle timeout: the screen goes, and the round with it
    assert kiosk.app.property("depth") == 1 and events == []
