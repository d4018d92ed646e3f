"""The running kiosk's shared objects, reachable from view-models that QML creates.

QML instantiates list models and detail view-models itself (no constructor arguments), so they find
the DB client and the App state here. `kiosk.build_kiosk()` (or a test fixture) sets it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.ui.dbworker import DbClient
    from app.ui.events_bridge import EventsBridge
    from app.ui.viewmodels.app_state import App
    from app.ui.viewmodels.session_vm import Session


@dataclass
class UiContext:
    db: "DbClient"
    app: "App"
    session: "Session"
    events: "EventsBridge | None" = None  # visit logging: events().log(kind, **fields) (issue 6)


_current: UiContext | None = None


def set_context(ctx: UiContext | None) -> None:
    global _current
    _current = ctx


def ui() -> UiContext:
    """The current kiosk context; raises if no kiosk was built."""
    if _current is None:
        raise RuntimeError("no kiosk UI context: build_kiosk() was not called")
    return _current


def events() -> "EventsBridge | None":
    """The kiosk's visit-event bridge (`.log(kind, **fields)`); None when no kiosk is built."""
    return _current.events if _current is not None else None
