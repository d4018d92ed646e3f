"""A quiz round: picked questions, a round timer, answers for one or two players, and the result.

In PK mode two players answer the same question; the round moves on when both have answered.
Players are ranked by correct answers, then by the time they took (less is better).
The round can be paused (while the kiosk shows the feedback of an answer): paused time counts
neither against the round timer nor in the answer times.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Callable

from app.content.model import Question, Quiz

POINTS_PER_CORRECT = 10


class QuizError(Exception):
    """An action that does not fit the round's state (answering after the end, unknown player)."""


@dataclass(frozen=True)
class Answer:
    question_id: str
    chosen: tuple[int, ...]
    correct: bool
    elapsed_s: float  # time from the question appearing to this answer
    timed_out: bool = False


@dataclass
class PlayerResult:
    answers: list[Answer] = field(default_factory=list)

    @property
    def correct(self) -> int:
        return sum(a.correct for a in self.answers)

    @property
    def points(self) -> int:
        return self.correct * POINTS_PER_CORRECT

    @property
    def time_s(self) -> float:
        return round(sum(a.elapsed_s for a in self.answers), 3)

    def rank_key(self) -> tuple[int, float]:
        return (-self.correct, self.time_s)


def pick_questions(quiz: Quiz, rng: random.Random) -> list[Question]:
    """`quiz.pick` questions at random (all of them, shuffled, if the quiz has fewer)."""
    questions = list(quiz.questions)
    n = len(questions) if quiz.pick is None else min(quiz.pick, len(questions))
    return rng.sample(questions, n)


def is_correct(question: Question, chosen: tuple[int, ...] | list[int]) -> bool:
    return tuple(sorted(set(chosen))) == tuple(sorted(question.answer))


class QuizRound:
    """One round for `players` (1, or 2 for PK). Time comes from `clock` (seconds, monotonic)."""

    def __init__(self, quiz: Quiz, players: int = 1, rng: random.Random | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if players not in (1, 2):
            raise QuizError(f"a round has 1 or 2 players, not {players}")
        self.quiz = quiz
        self.players = players
        self.questions = pick_questions(quiz, rng or random.Random())
        self._clock = clock
        self._paused_at: float | None = None
        self._paused_total = 0.0
        self._started = clock()
        self._question_started = self._started
        self.index = 0
        self.results = [PlayerResult() for _ in range(players)]

    # -- state -------------------------------------------------------------------------------
    @property
    def current(self) -> Question | None:
        return self.questions[self.index] if self.index < len(self.questions) else None

    def _now(self) -> float:
        """Round time: the clock minus the time spent paused (frozen while paused)."""
        now = self._clock() if self._paused_at is None else self._paused_at
        return now - self._paused_total

    def time_left(self) -> float:
        return max(0.0, self.quiz.time_limit_s - (self._now() - self._started))

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    def pause(self) -> None:
        """Stop the round timer (idempotent)."""
        if self._paused_at is None:
            self._paused_at = self._clock()

    def resume(self) -> None:
        """Restart the round timer where it stopped (idempotent)."""
        if self._paused_at is not None:
            self._paused_total += self._clock() - self._paused_at
            self._paused_at = None

    @property
    def finished(self) -> bool:
        return self.current is None or self.time_left() <= 0

    def answered(self, player: int) -> bool:
        return len(self.results[player].answers) > self.index

    # -- actions -----------------------------------------------------------------------------
    def answer(self, player: int, chosen: tuple[int, ...] | list[int]) -> Answer:
        """Record `player`'s choice for the current question; advances when every player answered."""
        if not 0 <= player < self.players:
            raise QuizError(f"no player {player} in this round")
        question = self.current
        if question is None or self.time_left() <= 0:
            self.expire()
            raise QuizError("the round is over")
        if self.answered(player):
            raise QuizError(f"player {player + 1} has already answered this question")
        bad = [i for i in chosen if not 0 <= i < len(question.options)]
        if bad or not chosen:
            raise QuizError(f"choice {list(chosen)} does not fit question {question.id}")
        if self.paused:
            raise QuizError("the round is paused")
        result = Answer(question.id, tuple(sorted(set(chosen))), is_correct(question, chosen),
                        round(self._now() - self._question_started, 3))
        self.results[player].answers.append(result)
        if all(self.answered(p) for p in range(self.players)):
            self._next()
        return result

    def expire(self) -> None:
        """Time is up: every unanswered question counts as wrong, timed out."""
        if self.time_left() > 0:
            return
        elapsed = round(self._now() - self._question_started, 3)
        while self.current is not None:
            for p in range(self.players):
                if not self.answered(p):
                    self.results[p].answers.append(Answer(self.current.id, (), False, elapsed, timed_out=True))
            self._next()
            elapsed = 0.0

    def _next(self) -> None:
        self.index += 1
        self._question_started = self._now()

    # -- outcome -----------------------------------------------------------------------------
    def winner(self) -> int | None:
        """PK winner: more correct answers, then less time; None for a draw or a solo round."""
        if self.players == 1:
            return None
        a, b = (r.rank_key() for r in self.results)
        if a == b:
            return None
        return 0 if a < b else 1
