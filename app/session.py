"""Visitor sessions: attract loop → active → idle countdown → reset. No Qt.

The kiosk shows an attract loop until someone touches the screen. A touch starts a visitor
session; every further input calls `touch()`. After `idle_timeout_s` without input the session
enters a countdown of `countdown_s` seconds (the UI shows an overlay; any touch cancels it), then
ends: every hook registered with `on_reset` runs (screens cleared, language and text size back to
defaults, narration stopped, quiz abandoned, …) and the attract loop returns.

The clock is injectable so tests can drive time by hand; the GUI calls `tick()` from a timer.
"""
from __future__ import annotations

import logging
import time
from enum import Enum
from typing import Callable

log = logging.getLogger(__name__)

Hook = Callable[[], None]


class SessionState(str, Enum):
    ATTRACT = "attract"
    ACTIVE = "active"
    COUNTDOWN = "countdown"


class VisitorSession:
    """The state machine of one kiosk's visitor sessions."""

    def __init__(
        self,
        idle_timeout_s: float = 90.0,
        countdown_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if idle_timeout_s <= 0 or countdown_s < 0:
            raise ValueError("idle_timeout_s must be > 0 and countdown_s >= 0")
        self.idle_timeout_s = float(idle_timeout_s)
        self.countdown_s = float(countdown_s)
        self._clock = clock
        self._state = SessionState.ATTRACT
        self._last_input = clock()
        self._countdown_started = 0.0
        self.sessions_started = 0
        self._reset_hooks: list[Hook] = []
        self._start_hooks: list[Hook] = []
        self._state_hooks: list[Callable[[SessionState], None]] = []

    # -- hooks ---------------------------------------------------------------------------------
    def on_reset(self, hook: Hook) -> Hook:
        """Run `hook` when a session ends (idle timeout or `end()`). Usable as a decorator."""
        self._reset_hooks.append(hook)
        return hook

    def on_start(self, hook: Hook) -> Hook:
        """Run `hook` when a visitor's touch starts a session."""
        self._start_hooks.append(hook)
        return hook

    def on_state(self, hook: Callable[[SessionState], None]) -> None:
        """Run `hook(new_state)` on every state change."""
        self._state_hooks.append(hook)

    # -- state -----------------------------------------------------------------------------------
    @property
    def state(self) -> SessionState:
        return self._state

    @property
    def idle_s(self) -> float:
        """Seconds since the last input."""
        return max(0.0, self._clock() - self._last_input)

    def countdown_remaining(self) -> int:
        """Whole seconds left on the countdown overlay (rounded up); 0 outside the countdown."""
        if self._state is not SessionState.COUNTDOWN:
            return 0
        left = self.countdown_s - (self._clock() - self._countdown_started)
        return max(0, int(-(-left // 1)))

    def touch(self) -> None:
        """Any visitor input: starts a session, restarts the idle timer, cancels a countdown."""
        self._last_input = self._clock()
        if self._state is SessionState.ATTRACT:
            self.sessions_started += 1
            self._set_state(SessionState.ACTIVE)
            self._run(self._start_hooks)
        elif self._state is SessionState.COUNTDOWN:
            self._set_state(SessionState.ACTIVE)

    def tick(self) -> None:
        """Advance time-driven transitions; call it about once a second (or more often)."""
        now = self._clock()
        if self._state is SessionState.ACTIVE and now - self._last_input >= self.idle_timeout_s:
            # the countdown runs from the moment the session became idle, even if this tick is late
            self._countdown_started = self._last_input + self.idle_timeout_s
            self._set_state(SessionState.COUNTDOWN)
        if self._state is SessionState.COUNTDOWN and now - self._countdown_started >= self.countdown_s:
            self.end()

    def end(self) -> None:
        """End the session now: run the reset hooks and return to the attract loop."""
        was = self._state
        self._set_state(SessionState.ATTRACT)
        if was is not SessionState.ATTRACT:
            self._run(self._reset_hooks)

    # -- internals -------------------------------------------------------------------------------
    def _set_state(self, state: SessionState) -> None:
        if state is self._state:
            return
        self._state = state
        for hook in list(self._state_hooks):
            hook(state)

    @staticmethod
    def _run(hooks: list[Hook]) -> None:
        for hook in list(hooks):
            try:
                hook()
            except Exception:  # one broken hook must not keep the next visitor's session dirty
                log.exception("session hook %r failed", hook)
