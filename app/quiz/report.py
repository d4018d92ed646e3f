"""What a finished quiz round reports to the visit log: one `quiz_round` event per player.

A PK round gives two events (one per visitor), each with its own `pk_result` (win / lose / draw),
so participation and average scores count every player. No nickname is logged here: the round is
reported when it ends, before anyone types a name.
"""
from __future__ import annotations

from typing import Any

from app.quiz.round import POINTS_PER_CORRECT, QuizRound


def round_events(rnd: QuizRound, session_id: str | None = None) -> list[dict[str, Any]]:
    """Fields of the `quiz_round` events (see app.events.schema.KINDS) for a finished round."""
    total = len(rnd.questions)
    winner = rnd.winner()
    events: list[dict[str, Any]] = []
    for p, res in enumerate(rnd.results):
        fields: dict[str, Any] = {
            "quiz_id": rnd.quiz.id,
            "score": res.points,
            "max_score": total * POINTS_PER_CORRECT,
            "correct": res.correct,
            "questions": total,
            "time_s": res.time_s,
        }
        if rnd.players == 2:
            fields["pk_result"] = "draw" if winner is None else ("win" if winner == p else "lose")
        if session_id:
            fields["session_id"] = session_id
        events.append(fields)
    return events
