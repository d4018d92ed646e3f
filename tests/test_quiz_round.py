"""Quiz rounds: picking, scoring of each question type, the round timer, PK ranking and ties."""
import random

import pytest

from app.content.model import Question, Quiz
from app.quiz.round import QuizError, QuizRound, is_correct, pick_questions

TF = ({"zh": "正确", "en": "True"}, {"zh": "错误", "en": "False"})


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, s: float) -> None:
        self.t += s


def q(qid: str, type_: str = "single", answer=(1,), n_options: int = 3) -> Question:
    options = TF if type_ == "truefalse" else tuple({"zh": f"选项{i}"} for i in range(n_options))
    return Question(id=qid, type=type_, prompt={"zh": qid}, options=options, answer=tuple(answer))


def quiz(n: int = 5, pick: int | None = None, limit: int = 60) -> Quiz:
    return Quiz(id="qz", title={"zh": "测验"}, questions=tuple(q(f"q{i}") for i in range(n)), time_limit_s=limit, pick=pick)


def test_pick_takes_n_distinct_questions_and_copes_with_too_few():
    rng = random.Random(1)
    picked = pick_questions(quiz(10, pick=4), rng)
    assert len(picked) == 4 and len({x.id for x in picked}) == 4
    assert len(pick_questions(quiz(3, pick=8), rng)) == 3  # fewer than pick: use what there is
    assert len(pick_questions(quiz(6), rng)) == 6


def test_correctness_per_type():
    assert is_correct(q("s", answer=(2,)), [2]) and not is_correct(q("s", answer=(2,)), [1])
    multi = q("m", "multi", answer=(0, 2), n_options=4)
    assert is_correct(multi, [2, 0]) and not is_correct(multi, [0]) and not is_correct(multi, [0, 1, 2])
    assert is_correct(q("t", "truefalse", answer=(1,)), (1,))


def test_solo_round_scores_and_times_answers():
    clock = FakeClock()
    rnd = QuizRound(quiz(3), rng=random.Random(0), clock=clock)
    clock.advance(2)
    assert rnd.answer(0, [1]).correct
    clock.advance(3)
    assert not rnd.answer(0, [0]).correct
    clock.advance(1)
    rnd.answer(0, [1])
    assert rnd.finished and rnd.current is None
    r = rnd.results[0]
    assert (r.correct, r.points, r.time_s) == (2, 20, 6.0)
    with pytest.raises(QuizError, match="over"):
        rnd.answer(0, [1])


def test_timeout_marks_the_rest_wrong():
    clock = FakeClock()
    rnd = QuizRound(quiz(4, limit=30), rng=random.Random(0), clock=clock)
    rnd.answer(0, [1])
    clock.advance(31)
    assert rnd.finished
    rnd.expire()
    answers = rnd.results[0].answers
    assert len(answers) == 4 and [a.timed_out for a in answers] == [False, True, True, True]
    assert rnd.results[0].correct == 1


def test_invalid_choices_are_refused():
    rnd = QuizRound(quiz(2), rng=random.Random(0), clock=FakeClock())
    for bad in ([], [7], [-1]):
        with pytest.raises(QuizError):
            rnd.answer(0, bad)
    with pytest.raises(QuizError, match="no player"):
        rnd.answer(1, [0])


def test_pk_waits_for_both_then_ranks_by_correct_then_speed():
    clock = FakeClock()
    rnd = QuizRound(quiz(2), players=2, rng=random.Random(0), clock=clock)
    clock.advance(1)
    rnd.answer(0, [1])
    assert rnd.index == 0  # player 2 has not answered yet
    with pytest.raises(QuizError, match="already answered"):
        rnd.answer(0, [1])
    clock.advance(2)
    rnd.answer(1, [1])
    assert rnd.index == 1
    rnd.answer(1, [1])
    clock.advance(1)
    rnd.answer(0, [1])
    assert [r.correct for r in rnd.results] == [2, 2]
    # same score: player 2 took 3 s + 0 s, player 1 took 1 s + 1 s → player 1 wins on speed
    assert rnd.results[0].time_s == 2.0 and rnd.results[1].time_s == 3.0
    assert rnd.winner() == 0


def test_pk_exact_tie_is_a_draw_and_correctness_beats_speed():
    clock = FakeClock()
    rnd = QuizRound(quiz(1), players=2, rng=random.Random(0), clock=clock)
    rnd.answer(0, [1]); rnd.answer(1, [1])  # noqa: E702
    assert rnd.winner() is None
    rnd2 = QuizRound(quiz(1), players=2, rng=random.Random(0), clock=clock)
    rnd2.answer(0, [0])  # fast but wrong
    clock.advance(9)
    rnd2.answer(1, [1])  # slow but right
    assert rnd2.winner() == 1


def test_pk_timeout_counts_unanswered_for_the_slow_player():
    clock = FakeClock()
    rnd = QuizRound(quiz(2, limit=10), players=2, rng=random.Random(0), clock=clock)
    rnd.answer(0, [1])
    clock.advance(11)
    rnd.expire()
    assert rnd.results[0].correct == 1 and rnd.results[1].correct == 0
    assert rnd.results[1].answers[0].timed_out
    assert rnd.winner() == 0
