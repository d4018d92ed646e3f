"""Quiz view-models: the quiz list (`QuizCatalog`), a solo or PK round (`QuizGame`) and the
leaderboard (`LeaderboardView`).

`QuizGame` drives an `app.quiz.round.QuizRound`: it shows a question, takes each player's answer
(single / true-false: one tap; multi: toggle, then confirm), pauses the round timer while the
feedback (right/wrong, explanation, exhibit link) is shown, ends the round when the questions run
out or the timer reaches 0, reports the round to the visit log, and saves a solo score to the
leaderboard through the DB worker. A visitor session that ends abandons the round: nothing saved.
"""
from __future__ import annotations

import logging
import random
import time
from typing import Any, Callable

from PySide6.QtCore import Property, QCoreApplication, QObject, QTimer, Signal, Slot
from PySide6.QtQml import QmlElement

from app.content.model import Question
from app.quiz.leaderboard import MAX_NICKNAME, NicknameError, clean_nickname
from app.quiz.report import round_events
from app.quiz.round import POINTS_PER_CORRECT, Answer, QuizError, QuizRound
from app.ui.context import ui
from app.ui.viewmodels import quiz_jobs

QML_IMPORT_NAME = "Hongtu.Models"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

PK_FEEDBACK_S = 10.0  # PK: the feedback moves on by itself after this long (or when both are ready)
TICK_MS = 200

_round_clock: Callable[[], float] = time.monotonic


def set_round_clock(clock: Callable[[], float] | None) -> None:
    """The clock new rounds use (tests and the tour pass a fake one; None = time.monotonic)."""
    global _round_clock
    _round_clock = clock or time.monotonic


def log_quiz_round(events: list[dict[str, Any]]) -> None:
    """The one place a finished round reaches the visit log (`quiz_round` events, issue 6).

    Goes through the UI context's `events` bridge (`app.ui.events_bridge`, which adds the visitor's
    session id; the tour and bare test kiosks log nothing); without one, to the application log.
    """
    sink = getattr(ui(), "events", None)
    for fields in events:
        if sink is not None:
            try:
                sink.log("quiz_round", **fields)
            except Exception as exc:  # the visit log must never break the game
                log.warning("quiz_round event not logged: %s", exc)
        else:
            log.info("quiz_round %s", fields)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Quiz", text)


def _t(text: Any) -> str:
    return ui().app.t(text)


@QmlElement
class QuizCatalog(QObject):
    """The pack's quizzes for the list screen: {quizId, title, questions, total, timeLimit}."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._quizzes: list[Any] = []
        self._loading = True
        self._error = ""
        ui().app.languageChanged.connect(self.changed)
        ui().db.call(quiz_jobs.quiz_list, self._on_data, self._on_error)

    def _on_data(self, quizzes: list[Any]) -> None:
        self._quizzes = quizzes
        self._loading = False
        self.changed.emit()

    def _on_error(self, exc: BaseException) -> None:
        log.warning("quiz list: %s", exc)
        self._error = str(exc)
        self._loading = False
        self.changed.emit()

    @Property(bool, notify=changed)
    def loading(self) -> bool:
        return self._loading

    @Property(str, notify=changed)
    def error(self) -> str:
        return self._error

    @Property("QVariantList", notify=changed)
    def quizzes(self) -> list[dict]:
        out = []
        for q in self._quizzes:
            n = len(q.questions)
            out.append({
                "quizId": q.id,
                "title": _t(q.title),
                "questions": n if q.pick is None else min(q.pick, n),
                "total": n,
                "timeLimit": int(q.time_limit_s),
            })
        return out


@QmlElement
class QuizGame(QObject):
    """One quiz round for 1 player or 2 (PK), for the quiz screens.

    phase: "loading" → ("ready" →) "question" ⇄ "feedback" → "result"; "missing" when the quiz is
    not in the pack. Player-specific state is in `playerStates` (one dict per player).
    """

    changed = Signal()
    timeChanged = Signal()
    savedChanged = Signal()
    roundFinished = Signal()
    scoreSaved = Signal(int)  # leaderboard entry id

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._quiz_id = ""
        self._players = 1
        self._seed = -1
        self._auto_start = False
        self._data: quiz_jobs.QuizData | None = None
        self._request = 0
        self._phase = "loading"
        self._round: QuizRound | None = None
        self._clock: Callable[[], float] = _round_clock
        self._selected: list[set[int]] = [set(), set()]
        self._last: list[Answer | None] = [None, None]
        self._ready = [False, False]
        self._shown: Question | None = None  # the question on screen (kept through its feedback)
        self._feedback_started = 0.0
        self._time_left = 0
        self._saving = False
        self._nick_error = ""
        self._saved: quiz_jobs.SavedScore | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.tick)
        app = ui().app
        app.languageChanged.connect(self.changed)
        app.languageChanged.connect(self.savedChanged)
        ui().session.sessionReset.connect(self.abandon)

    # -- configuration (set by the screen) ------------------------------------------------------
    def _get_quiz_id(self) -> str:
        return self._quiz_id

    def _set_quiz_id(self, quiz_id: str) -> None:
        if quiz_id == self._quiz_id:
            return
        self._quiz_id = quiz_id
        self.abandon()
        self._data = None
        self._phase = "loading"
        self.changed.emit()
        QTimer.singleShot(0, self._load)

    quizId = Property(str, _get_quiz_id, _set_quiz_id, notify=changed)

    def _get_players(self) -> int:
        return self._players

    def _set_players(self, n: int) -> None:
        n = 2 if int(n) == 2 else 1
        if n != self._players:
            self._players = n
            self.abandon()
            self.changed.emit()

    players = Property(int, _get_players, _set_players, notify=changed)

    def _get_seed(self) -> int:
        return self._seed

    def _set_seed(self, seed: int) -> None:
        self._seed = int(seed)

    seed = Property(int, _get_seed, _set_seed, notify=changed)  # ≥ 0: repeatable picks (tour)

    def _get_auto(self) -> bool:
        return self._auto_start

    def _set_auto(self, on: bool) -> None:
        self._auto_start = bool(on)

    autoStart = Property(bool, _get_auto, _set_auto, notify=changed)  # start as soon as loaded

    def _load(self) -> None:
        db = ui().db
        if self._request:
            db.cancel(self._request)
        if not self._quiz_id:
            return
        qid = self._quiz_id
        self._request = db.call(lambda store: quiz_jobs.load_quiz(store, qid), self._on_data, self._on_error)

    def _on_data(self, data: quiz_jobs.QuizData | None) -> None:
        self._request = 0
        self._data = data
        if data is None or not data.quiz.questions:
            log.warning("quiz %r is not in the pack (or has no questions)", self._quiz_id)
            self._data = None
            self._phase = "missing"
            self.changed.emit()
            return
        self._phase = "ready"
        self._ready = [False, False]
        self.changed.emit()
        if self._auto_start:
            self.start()

    def _on_error(self, exc: BaseException) -> None:
        self._request = 0
        log.warning("quiz %r: %s", self._quiz_id, exc)
        self._phase = "missing"
        self.changed.emit()

    # -- actions --------------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        """A fresh round (new random pick) of the loaded quiz."""
        if self._data is None:
            return
        rng = random.Random(self._seed) if self._seed >= 0 else None
        self._clock = _round_clock
        self._round = QuizRound(self._data.quiz, self._players, rng=rng, clock=self._clock)
        self._saved = None
        self._saving = False
        self._nick_error = ""
        self._show_question()
        self._timer.start()
        self.savedChanged.emit()

    @Slot(int)
    def ready(self, player: int) -> None:
        """A player is ready: starts a PK round once both are, or leaves the feedback."""
        if not 0 <= player < self._players:
            return
        if self._phase == "ready":
            self._ready[player] = True
            if all(self._ready[: self._players]):
                self.start()
            else:
                self.changed.emit()
        elif self._phase == "feedback":
            self._ready[player] = True
            if all(self._ready[: self._players]):
                self._advance()
            else:
                self.changed.emit()

    @Slot()
    def next(self) -> None:
        """Solo: leave the feedback for the next question (or the result)."""
        self.ready(0)

    @Slot(int, int)
    def choose(self, player: int, index: int) -> None:
        """A tap on option `index` by `player`: answers single/true-false, toggles multi."""
        rnd = self._round
        if self._phase != "question" or rnd is None or not 0 <= player < self._players:
            return
        question = rnd.current
        if question is None or rnd.answered(player) or not 0 <= index < len(question.options):
            return
        if question.type == "multi":
            sel = self._selected[player]
            sel.symmetric_difference_update({index})
            self.changed.emit()
        else:
            self._answer(player, [index])

    @Slot(int)
    def confirm(self, player: int) -> None:
        """Multi-choice: answer with the toggled options (nothing happens while none is toggled)."""
        rnd = self._round
        if self._phase != "question" or rnd is None or not 0 <= player < self._players:
            return
        if rnd.current is None or rnd.answered(player) or not self._selected[player]:
            return
        self._answer(player, sorted(self._selected[player]))

    def _answer(self, player: int, chosen: list[int]) -> None:
        rnd = self._round
        assert rnd is not None
        try:
            self._last[player] = rnd.answer(player, chosen)
        except QuizError as exc:
            log.info("answer refused: %s", exc)
            self.tick()
            return
        if rnd.current is not self._shown:  # every player has answered: the round moved on
            self._enter_feedback()
        else:
            self.changed.emit()

    def _enter_feedback(self) -> None:
        assert self._round is not None
        self._round.pause()
        self._phase = "feedback"
        self._ready = [False, False]
        self._feedback_started = self._clock()
        self._update_time()
        self.changed.emit()

    def _advance(self) -> None:
        rnd = self._round
        if rnd is None:
            return
        rnd.resume()
        if rnd.finished:
            rnd.expire()
            self._finish()
        else:
            self._show_question()

    def _show_question(self) -> None:
        rnd = self._round
        assert rnd is not None
        self._shown = rnd.current
        self._selected = [set(), set()]
        self._last = [None, None]
        self._ready = [False, False]
        self._phase = "question"
        self._update_time()
        self.changed.emit()

    @Slot()
    def tick(self) -> None:
        """Timer: update the countdown, end the round at 0, move a PK feedback on after a while."""
        rnd = self._round
        if rnd is None:
            return
        if self._phase == "question":
            self._update_time()
            if rnd.finished:
                rnd.expire()
                self._finish()
        elif self._phase == "feedback" and self._players == 2:
            if self._clock() - self._feedback_started >= PK_FEEDBACK_S:
                self._advance()

    def _update_time(self) -> None:
        left = int(-(-self._round.time_left() // 1)) if self._round else 0
        if left != self._time_left:
            self._time_left = left
            self.timeChanged.emit()

    def _finish(self) -> None:
        rnd = self._round
        assert rnd is not None
        self._timer.stop()
        self._phase = "result"
        self._shown = None
        self._update_time()
        self.changed.emit()
        log_quiz_round(round_events(rnd))
        self.roundFinished.emit()

    @Slot()
    def abandon(self) -> None:
        """Drop the round in progress without saving or logging anything (session end, leave)."""
        self._timer.stop()
        if self._request and self._saving:
            ui().db.cancel(self._request)
            self._request = 0
        self._round = None
        self._shown = None
        self._selected = [set(), set()]
        self._last = [None, None]
        self._ready = [False, False]
        self._saving = False
        self._saved = None
        self._nick_error = ""
        if self._phase not in ("loading", "missing"):
            self._phase = "ready"
        self._time_left = 0
        self.changed.emit()
        self.timeChanged.emit()
        self.savedChanged.emit()

    # -- leaderboard ------------------------------------------------------------------------------
    @Slot(str, result=bool)
    def saveScore(self, nickname: str) -> bool:  # noqa: N802
        """Solo: put the result on the leaderboard under `nickname`; False (and `nicknameError`)
        when the name is refused. The write runs on the DB worker; `scoreSaved` follows."""
        rnd = self._round
        if self._phase != "result" or rnd is None or self._players != 1 or self._saving or self._saved:
            return False
        try:
            clean_nickname(nickname)
        except NicknameError as exc:
            self._set_nick_error(str(exc))
            return False
        self._set_nick_error("")
        res = rnd.results[0]
        qid, total, correct, points, time_s = rnd.quiz.id, len(rnd.questions), res.correct, res.points, res.time_s
        self._saving = True
        self.savedChanged.emit()
        self._request = ui().db.call(
            lambda store: quiz_jobs.save_score(store, qid, nickname, correct, total, points, time_s),
            self._on_saved, self._on_save_error)
        return True

    def _on_saved(self, saved: quiz_jobs.SavedScore) -> None:
        self._request = 0
        self._saving = False
        self._saved = saved
        self.savedChanged.emit()
        self.scoreSaved.emit(saved.entry_id)

    def _on_save_error(self, exc: BaseException) -> None:
        self._request = 0
        self._saving = False
        if isinstance(exc, NicknameError):
            self._set_nick_error(str(exc))
        else:
            log.warning("leaderboard: score not saved: %s", exc)
            self._set_nick_error("the score could not be saved")
        self.savedChanged.emit()

    def _set_nick_error(self, message: str) -> None:
        self._nick_error = message
        self.savedChanged.emit()

    @Slot()
    def clearNicknameError(self) -> None:  # noqa: N802
        self._set_nick_error("")

    @Property(str, notify=savedChanged)
    def nicknameError(self) -> str:  # noqa: N802
        """Why the nickname was refused, in the visitor's language ('' when fine)."""
        if not self._nick_error:
            return ""
        if self._nick_error.startswith("nickname is longer"):
            return _tr("The nickname is too long: at most %1 characters.").replace("%1", str(MAX_NICKNAME))
        if self._nick_error == "nickname is empty":
            return _tr("Please enter a nickname.")
        return _tr("The score could not be saved. Please try again.")

    @Property(int, constant=True)
    def maxNickname(self) -> int:  # noqa: N802
        return MAX_NICKNAME

    @Property(bool, notify=savedChanged)
    def saving(self) -> bool:
        return self._saving

    @Property(bool, notify=savedChanged)
    def saved(self) -> bool:
        return self._saved is not None

    @Property(int, notify=savedChanged)
    def savedEntryId(self) -> int:  # noqa: N802
        return self._saved.entry_id if self._saved else 0

    @Property(str, notify=savedChanged)
    def savedNickname(self) -> str:  # noqa: N802
        return self._saved.nickname if self._saved else ""

    @Property(int, notify=savedChanged)
    def savedRankDay(self) -> int:  # noqa: N802
        return self._saved.rank_day if self._saved else 0

    @Property(int, notify=savedChanged)
    def savedRankMonth(self) -> int:  # noqa: N802
        return self._saved.rank_month if self._saved else 0

    # -- state for QML ----------------------------------------------------------------------------
    @Property(str, notify=changed)
    def phase(self) -> str:
        return self._phase

    @Property(str, notify=changed)
    def quizTitle(self) -> str:  # noqa: N802
        return _t(self._data.quiz.title) if self._data else ""

    @Property(int, notify=changed)
    def questionCount(self) -> int:  # noqa: N802
        if self._round is not None:
            return len(self._round.questions)
        if self._data is None:
            return 0
        q = self._data.quiz
        return len(q.questions) if q.pick is None else min(q.pick, len(q.questions))

    @Property(int, notify=changed)
    def questionNumber(self) -> int:  # noqa: N802
        """1-based number of the question on screen (0 when none)."""
        if self._round is None or self._shown is None:
            return 0
        return self._round.questions.index(self._shown) + 1

    @Property(str, notify=changed)
    def questionType(self) -> str:  # noqa: N802
        return self._shown.type if self._shown else ""

    @Property(str, notify=changed)
    def prompt(self) -> str:
        return _t(self._shown.prompt) if self._shown else ""

    @Property("QStringList", notify=changed)
    def options(self) -> list[str]:
        return [_t(o) for o in self._shown.options] if self._shown else []

    @Property("QVariantList", notify=changed)
    def correctOptions(self) -> list[int]:  # noqa: N802
        """Indices of the right options, only while the feedback shows."""
        return list(self._shown.answer) if self._shown and self._phase == "feedback" else []

    @Property(str, notify=changed)
    def explanation(self) -> str:
        return _t(self._shown.explanation) if self._shown and self._phase == "feedback" else ""

    @Property(str, notify=changed)
    def exhibitId(self) -> str:  # noqa: N802
        """The exhibit the shown question links to ('' when none, or not in the pack)."""
        if self._shown is None or self._data is None or not self._shown.exhibit:
            return ""
        return self._shown.exhibit if self._shown.exhibit in self._data.exhibit_titles else ""

    @Property(str, notify=changed)
    def exhibitTitle(self) -> str:  # noqa: N802
        eid = self.exhibitId
        return _t(self._data.exhibit_titles[eid]) if eid and self._data else ""

    @Property(int, notify=timeChanged)
    def timeLeft(self) -> int:  # noqa: N802
        return self._time_left

    @Property(int, notify=changed)
    def timeLimit(self) -> int:  # noqa: N802
        return int(self._data.quiz.time_limit_s) if self._data else 0

    @Property(bool, notify=changed)
    def timedOut(self) -> bool:  # noqa: N802
        """The round ended because the timer ran out."""
        return self._round is not None and self._phase == "result" and any(
            a.timed_out for r in self._round.results for a in r.answers)

    @Property(int, notify=changed)
    def winner(self) -> int:
        """PK result: 0 or 1 for the winner, -1 for a draw (or no result yet / solo)."""
        if self._round is None or self._phase != "result" or self._players != 2:
            return -1
        w = self._round.winner()
        return -1 if w is None else w

    @Property("QVariantList", notify=changed)
    def playerStates(self) -> list[dict]:  # noqa: N802
        """Per player: answered, ready, selected, chosen, correct (feedback), and the score so far."""
        rnd = self._round
        out = []
        for p in range(self._players):
            res = rnd.results[p] if rnd else None
            last = self._last[p]
            # while the other PK player still thinks, this player's new answer is not counted yet
            # (the score would give the answer away)
            shown = [] if res is None else (res.answers[: rnd.index] if self._phase == "question" else res.answers)
            out.append({
                "answered": last is not None,
                "ready": self._ready[p],
                "selected": sorted(self._selected[p]),
                "chosen": list(last.chosen) if last else [],
                "correct": bool(last and last.correct),
                "timedOut": bool(last and last.timed_out),
                "correctCount": sum(a.correct for a in shown),
                "points": sum(a.correct for a in shown) * POINTS_PER_CORRECT,
                "timeS": round(sum(a.elapsed_s for a in shown), 3),
                "answeredCount": len(shown),
                "timedOutCount": sum(a.timed_out for a in shown),
            })
        return out

    def core_round(self) -> QuizRound | None:
        """The core round (tests)."""
        return self._round


@QmlElement
class LeaderboardView(QObject):
    """The day's or month's top 10 of one quiz; `highlightId` marks a visitor's new entry."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._quiz_id = ""
        self._period = "day"
        self._highlight = 0
        self._data: quiz_jobs.BoardData | None = None
        self._loading = False
        self._request = 0
        self._pending = False

    def _schedule(self) -> None:
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self._load)

    def _load(self) -> None:
        self._pending = False
        db = ui().db
        if self._request:
            db.cancel(self._request)
            self._request = 0
        if not self._quiz_id:
            return
        qid, period, hl = self._quiz_id, self._period, self._highlight
        self._loading = True
        self.changed.emit()
        self._request = db.call(lambda store: quiz_jobs.top_scores(store, qid, period, hl), self._on_data, self._on_error)

    def _on_data(self, data: quiz_jobs.BoardData) -> None:
        self._request = 0
        self._data = data
        self._loading = False
        self.changed.emit()

    def _on_error(self, exc: BaseException) -> None:
        self._request = 0
        log.warning("leaderboard %r: %s", self._quiz_id, exc)
        self._data = None
        self._loading = False
        self.changed.emit()

    def _get_quiz_id(self) -> str:
        return self._quiz_id

    def _set_quiz_id(self, quiz_id: str) -> None:
        if quiz_id != self._quiz_id:
            self._quiz_id = quiz_id
            self._data = None
            self.changed.emit()
            self._schedule()

    quizId = Property(str, _get_quiz_id, _set_quiz_id, notify=changed)

    def _get_period(self) -> str:
        return self._period

    def _set_period(self, period: str) -> None:
        period = "month" if period == "month" else "day"
        if period != self._period:
            self._period = period
            self.changed.emit()
            self._schedule()

    period = Property(str, _get_period, _set_period, notify=changed)

    def _get_highlight(self) -> int:
        return self._highlight

    def _set_highlight(self, entry_id: int) -> None:
        if int(entry_id) != self._highlight:
            self._highlight = int(entry_id)
            self.changed.emit()
            self._schedule()

    highlightId = Property(int, _get_highlight, _set_highlight, notify=changed)

    @Property(bool, notify=changed)
    def loading(self) -> bool:
        return self._loading

    @Property("QVariantList", notify=changed)
    def entries(self) -> list[dict]:
        if self._data is None:
            return []
        return [{"rank": e.rank, "nickname": e.nickname, "points": e.points, "correct": e.correct,
                 "total": e.total, "timeS": e.time_s, "highlight": bool(self._highlight and e.id == self._highlight)}
                for e in self._data.entries]

    @Property(int, notify=changed)
    def highlightRank(self) -> int:  # noqa: N802
        """Rank of the highlighted entry in this period (also when it is not in the top 10)."""
        return self._data.highlight_rank if self._data else 0

    @Property(bool, notify=changed)
    def highlightInTop(self) -> bool:  # noqa: N802
        return any(e["highlight"] for e in self.entries)

    @Slot()
    def reload(self) -> None:
        self._schedule()
