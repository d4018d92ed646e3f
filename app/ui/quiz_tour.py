"""Screenshot-tour steps of the quiz screens: list, question, feedback, result, nickname keyboard,
leaderboard, PK question, PK feedback and the PK winner.

The steps play real rounds through the `QuizGame` view-model with the tour's fake clock and keep
every leaderboard read and write in a scratch database, so running the tour never puts made-up
scores on the kiosk's real board (the tour's kiosk logs no visit events either).
"""
from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

from app.ui.tour import TourDriver, TourError, tour_step

SEED = 7
_scratch_dir: Path | None = None


def _prepare(d: TourDriver) -> str:
    """Tour settings for the quiz view-models; returns the first quiz's id."""
    global _scratch_dir
    from app.ui.viewmodels import quiz, quiz_jobs

    if _scratch_dir is None:
        _scratch_dir = Path(tempfile.mkdtemp(prefix="hongtu-tour-board-"))
        atexit.register(shutil.rmtree, _scratch_dir, True)
    quiz.set_round_clock(d.clock)
    quiz_jobs.use_scratch_board(_scratch_dir / "board.db")
    ids = d.query(lambda s: [q.id for q in s.catalog.quizzes()])
    if not ids:
        raise TourError("the pack has no quizzes")
    return ids[0]


def _find(d: TourDriver, name: str) -> Any:
    """A named object of the current screen (a popped screen may linger until deleted)."""
    from PySide6.QtCore import QObject

    screen = d.current_screen()
    return screen.findChild(QObject, name) if screen is not None else None


def _game(d: TourDriver, phase: str) -> Any:
    game = _find(d, "quizGame")
    if game is None or not d.wait(lambda: game.property("phase") == phase, 20):
        raise TourError(f"the quiz did not reach phase {phase!r}")
    return game


def _think(d: TourDriver, seconds: float) -> None:
    """Let fake time pass (answers take a while) without the visitor session timing out."""
    d.clock.advance(seconds)
    d.session.touch()


def _answer(d: TourDriver, game: Any, player: int, right: bool) -> None:
    q = game.core_round().current
    if right:
        chosen = list(q.answer)
    else:
        chosen = [next(i for i in range(len(q.options)) if i not in q.answer)]
    if q.type == "multi":
        for i in chosen:
            game.choose(player, i)
        game.confirm(player)
    else:
        game.choose(player, chosen[0])


def _solo(d: TourDriver) -> Any:
    d.go("quiz-play", quizId=_prepare(d), seed=SEED)
    return _game(d, "question")


def _solo_result(d: TourDriver) -> Any:
    game = _solo(d)
    for i in range(game.property("questionCount")):
        _think(d, 6 + i % 4)
        _answer(d, game, 0, right=i % 4 != 1)
        game.next()
    _game(d, "result")
    d.settle()
    return game


@tour_step("quiz-list")
def _list(d: TourDriver) -> None:
    _prepare(d)
    d.go("quiz")


@tour_step("quiz-question")
def _question(d: TourDriver) -> None:
    game = _solo(d)
    # show a multiple-choice question with one option toggled, if the round has one early on
    for _ in range(4):
        q = game.core_round().current
        if q.type == "multi":
            game.choose(0, q.answer[0])
            break
        _think(d, 5)
        _answer(d, game, 0, right=True)
        game.next()
    _think(d, 4)
    game.tick()
    d.settle()


@tour_step("quiz-feedback")
def _feedback(d: TourDriver) -> None:
    game = _solo(d)
    _think(d, 8)
    _answer(d, game, 0, right=False)
    _game(d, "feedback")
    d.settle()


@tour_step("quiz-result")
def _result(d: TourDriver) -> None:
    _solo_result(d)


@tour_step("quiz-nickname")
def _nickname(d: TourDriver) -> None:
    _solo_result(d)
    # QML items are reached through the screen's own function: Python wrappers of QML items can
    # go stale when the tour's earlier screens are deleted
    from PySide6.QtCore import Q_ARG, QMetaObject

    screen = d.current_screen()
    QMetaObject.invokeMethod(screen, "typeNickname", Q_ARG("QVariant", "红星闪闪照我心一路同行学党史"))  # too long
    d.settle()
    _game(d, "result")
    if not _game(d, "result").property("nicknameError"):
        raise TourError("the nickname entry did not refuse a long name")
    d.wait(lambda: bool(d.kiosk.qapp.inputMethod().isVisible()), 5)
    d.settle()


@tour_step("quiz-leaderboard")
def _leaderboard(d: TourDriver) -> None:
    from app.ui.viewmodels import quiz_jobs

    qid = _prepare(d)
    samples = [("红星", 9, 95.2), ("Lin", 8, 80.4), ("小明", 8, 101.0), ("闽西少年", 7, 77.7),
               ("Anna", 6, 120.5), ("古田", 5, 66.0)]

    def fill(store: Any) -> None:
        board = quiz_jobs.board_of(store)
        with board.db.conn:
            board.db.execute("DELETE FROM leaderboard")
        for name, correct, t in samples:
            board.add(qid, name, correct, 10, correct * 10, t)

    d.query(fill)
    game = _solo_result(d)
    game.saveScore("参观者")
    if not d.wait(lambda: game.property("saved"), 10):
        raise TourError("the tour's score was not saved")
    d.settle()


def _pk(d: TourDriver) -> Any:
    d.go("quiz-pk", quizId=_prepare(d), seed=SEED)
    game = _game(d, "ready")
    game.ready(0)
    game.ready(1)
    return _game(d, "question")


@tour_step("quiz-pk")
def _pk_question(d: TourDriver) -> None:
    game = _pk(d)
    _think(d, 4)
    _answer(d, game, 0, right=True)  # player 1 has answered and waits; player 2 still choosing
    _think(d, 3)
    game.tick()
    d.settle()


@tour_step("quiz-pk-feedback")
def _pk_feedback(d: TourDriver) -> None:
    game = _pk(d)
    _think(d, 4)
    _answer(d, game, 1, right=False)
    _think(d, 2)
    _answer(d, game, 0, right=True)
    _game(d, "feedback")
    game.ready(0)
    d.settle()


@tour_step("quiz-pk-winner")
def _pk_winner(d: TourDriver) -> None:
    game = _pk(d)
    for i in range(game.property("questionCount")):
        _think(d, 3)
        _answer(d, game, 0, right=i % 5 != 2)
        _think(d, 2)
        _answer(d, game, 1, right=i % 3 != 0)
        game.ready(0)
        game.ready(1)
    _game(d, "result")
    d.settle()
