"""Visitor session state machine (app.session), driven by a fake clock."""
from __future__ import annotations

import pytest

from app.session import SessionState, VisitorSession


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def session(clock: Clock) -> VisitorSession:
    return VisitorSession(idle_timeout_s=90, countdown_s=10, clock=clock)


def test_starts_in_attract_and_touch_starts_a_session(session: VisitorSession) -> None:
    started = []
    session.on_start(lambda: started.append(1))
    assert session.state is SessionState.ATTRACT
    session.touch()
    assert session.state is SessionState.ACTIVE
    session.touch()  # a second touch is the same session
    assert started == [1] and session.sessions_started == 1


def test_idle_timeout_then_countdown_then_reset(session: VisitorSession, clock: Clock) -> None:
    resets = []
    session.on_reset(lambda: resets.append("narration stopped"))
    session.touch()
    clock.t = 89.9
    session.tick()
    assert session.state is SessionState.ACTIVE
    clock.t = 90.0
    session.tick()
    assert session.state is SessionState.COUNTDOWN
    assert session.countdown_remaining() == 10
    clock.t = 95.5
    session.tick()
    assert session.countdown_remaining() == 5
    assert resets == []
    clock.t = 100.0
    session.tick()
    assert session.state is SessionState.ATTRACT
    assert resets == ["narration stopped"]
    assert session.countdown_remaining() == 0


def test_input_restarts_the_idle_timer(session: VisitorSession, clock: Clock) -> None:
    session.touch()
    clock.t = 80
    session.touch()
    clock.t = 160
    session.tick()
    assert session.state is SessionState.ACTIVE
    clock.t = 170
    session.tick()
    assert session.state is SessionState.COUNTDOWN


def test_touch_during_countdown_keeps_the_session(session: VisitorSession, clock: Clock) -> None:
    resets = []
    session.on_reset(lambda: resets.append(1))
    session.touch()
    clock.t = 95
    session.tick()
    assert session.state is SessionState.COUNTDOWN
    session.touch()
    assert session.state is SessionState.ACTIVE
    clock.t = 110
    session.tick()
    assert session.state is SessionState.ACTIVE and resets == []


def test_a_long_gap_between_ticks_still_resets(session: VisitorSession, clock: Clock) -> None:
    """A tick that arrives after idle + countdown (machine was busy) ends the session at once."""
    resets = []
    session.on_reset(lambda: resets.append(1))
    session.touch()
    clock.t = 500
    session.tick()
    assert session.state is SessionState.ATTRACT and resets == [1]


def test_reset_hooks_run_even_if_one_fails(session: VisitorSession) -> None:
    ran = []

    def broken() -> None:
        raise RuntimeError("boom")

    session.on_reset(broken)
    session.on_reset(lambda: ran.append("quiz reset"))
    session.touch()
    session.end()
    assert ran == ["quiz reset"]
    assert session.state is SessionState.ATTRACT


def test_end_in_attract_runs_no_hooks(session: VisitorSession) -> None:
    ran = []
    session.on_reset(lambda: ran.append(1))
    session.end()
    assert ran == []


def test_state_hooks_see_every_change(session: VisitorSession, clock: Clock) -> None:
    states = []
    session.on_state(states.append)
    session.touch()
    clock.t = 90
    session.tick()
    clock.t = 100
    session.tick()
    assert states == [SessionState.ACTIVE, SessionState.COUNTDOWN, SessionState.ATTRACT]


def test_rejects_nonsense_timeouts() -> None:
    with pytest.raises(ValueError):
        VisitorSession(idle_timeout_s=0)
