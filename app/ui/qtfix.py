"""Work-arounds for bugs in the pinned PySide6 (6.12.0), applied when `app.ui` is imported.

`SignalInstance.emit()` returns `True` without taking a reference, so every `sig.emit(...)` made
from Python drops one reference to the `True` singleton. On Python 3.11 (where `True` is not yet
immortal) a few thousand emissions bring its count to zero and the interpreter aborts with
"Fatal Python error: bool_dealloc: deallocating True or False". `pin_bool_singletons()` gives
True/False a huge reference count — what Python 3.12 does for every singleton — so the leak can
never reach zero. Python→Qt calls of methods that return nothing (`QTimer.start()`,
`setObjectName()`, `processEvents()`, …) likewise drop one reference to `None` each, so `None` is
pinned too. tests/test_ui_kiosk.py and tests/test_ui_qtfix.py check the leaks are harmless.
"""
from __future__ import annotations

import ctypes
import sys

_PIN = 1 << 40
_done = False


def pin_bool_singletons() -> None:
    """Make True and False effectively immortal (no-op on Python ≥ 3.12, where they are)."""
    global _done
    if _done or sys.version_info >= (3, 12):
        return
    for obj in (True, False, None):
        ctypes.c_ssize_t.from_address(id(obj)).value += _PIN
    _done = True
