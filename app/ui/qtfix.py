"""Work-arounds for bugs in the pinned PySide6 (6.12.0), applied when `app.ui` is imported.

`SignalInstance.emit()` returns `True` without taking a reference, so every `sig.emit(...)` made
from Python drops one reference to the `True` singleton. On Python 3.11 (where `True` is not yet
immortal) a few thousand emissions bring its count to zero and the interpreter aborts with
"Fatal Python error: bool_dealloc: deallocating True or False". `pin_bool_singletons()` gives
True/False a huge reference count — what Python 3.12 does for every singleton — so the leak can
never reach zero. Python→Qt calls of methods that return nothing (`QTimer.start()`,
`setObjectName()`, `processEvents()`, …) likewise drop one reference to `None` each, so `None` is
pinned too. tests/test_ui_qtfix.py checks the leaks are harmless. (UI translation deliberately has
no Python `QTranslator.translate()` override: see app/ui/translator.py.)
"""
from __future__ import annotations

import ctypes
import sys

_PIN = 1 << 40
_done = False


def pin_bool_singletons() -> None:
    """Make True, False and None effectively immortal (no-op on Python ≥ 3.12, where they are)."""
    global _done
    if _done or sys.version_info >= (3, 12):
        return
    for obj in (True, False, None):
        ctypes.c_ssize_t.from_address(id(obj)).value += _PIN
    _done = True


def release_qml_payloads() -> None:
    """Free the Python state of QML-created view-models when QML destroys them.

    PySide6 6.12 keeps one reference to every Python object that QML instantiates (a `HallDetail`,
    `ExhibitListModel`, … declared in a screen), so the wrapper — and everything in its `__dict__`
    (cards, pack data) — outlives the screen: ~25 KB per screen change, found by bench/navigation.py.
    The wrapper itself cannot be freed safely, but its attributes can: `@QmlElement` classes get an
    `__init__` that connects `destroyed` to a deferred `__dict__.clear()` once the C++ object is
    gone (only a few hundred bytes stay per screen). Must run before the view-models are imported.
    """
    import functools
    import weakref

    from PySide6 import QtQml
    from shiboken6 import isValid

    original = QtQml.QmlElement
    if getattr(original, "_hongtu_release", False):
        return

    def clear(ref: "weakref.ref") -> None:
        obj = ref()
        if obj is not None and not isValid(obj):
            obj.__dict__.clear()

    def on_destroyed(ref: "weakref.ref", *_args: object) -> None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, functools.partial(clear, ref))  # after the destructor has finished

    def qml_element(cls: type) -> type:
        caller = sys._getframe(1).f_globals  # PySide reads QML_IMPORT_NAME from the caller's globals
        cls = eval("_register(_cls)", caller, {"_register": original, "_cls": cls})  # noqa: S307
        init = cls.__init__

        @functools.wraps(init)
        def __init__(self, *args: object, **kwargs: object) -> None:  # noqa: N807
            init(self, *args, **kwargs)
            self.destroyed.connect(functools.partial(on_destroyed, weakref.ref(self)))

        cls.__init__ = __init__
        return cls

    qml_element._hongtu_release = True  # type: ignore[attr-defined]
    QtQml.QmlElement = qml_element
