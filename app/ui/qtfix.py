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
    """Free QML-created view-models when QML destroys them.

    PySide6 6.12 keeps one reference to every Python object that QML instantiates (a `HallDetail`,
    `ExhibitListModel`, … declared in a screen) and never drops it, so the wrapper — and everything
    in its `__dict__` (cards, pack data) — outlives the screen: about 4 KB per object even when
    emptied, ten objects per visitor session, found by bench/soak.py (+6.6 MB per 1,000 sessions).
    `@QmlElement` classes get an `__init__` that
    - notes, one event-loop turn after creation, whether QML made the object (it has a QML context);
    - connects `destroyed` to a deferred release once the C++ object is gone: the `__dict__` is
      cleared and, for an object QML made that nothing but the leaked reference still holds, that
      reference is dropped, so the wrapper is freed. An object Python code still holds is left
      alone (only its payload is dropped). Must run before the view-models are imported.
    stats["released"] / stats["kept"] count what happened (tests/test_ui_qtfix.py).
    """
    import ctypes
    import functools
    import weakref

    from PySide6 import QtQml
    from shiboken6 import isValid

    original = QtQml.QmlElement
    if getattr(original, "_hongtu_release", False):
        return
    made_by_qml: "weakref.WeakSet[object]" = weakref.WeakSet()
    decref = ctypes.pythonapi.Py_DecRef
    decref.argtypes = [ctypes.py_object]
    decref.restype = None

    def mark(ref: "weakref.ref") -> None:
        obj = ref()
        if obj is not None and isValid(obj) and QtQml.QQmlEngine.contextForObject(obj) is not None:
            made_by_qml.add(obj)

    def release(ref: "weakref.ref", tries: int = 0) -> None:
        from PySide6.QtCore import QTimer

        obj = ref()
        if obj is None or isValid(obj):
            return
        obj.__dict__.clear()
        if obj not in made_by_qml:
            stats["kept"] += 1
        elif sys.getrefcount(obj) == 3:  # `obj` here, getrefcount's argument and PySide's leaked one
            made_by_qml.discard(obj)
            stats["released"] += 1
            decref(obj)  # PySide's leaked reference: the wrapper goes when `obj` does
        elif tries < RELEASE_TRIES:  # Python code (a test, a script) still holds it: look again later
            QTimer.singleShot(RELEASE_RETRY_MS, functools.partial(release, ref, tries + 1))
        else:
            stats["kept"] += 1

    def on_destroyed(ref: "weakref.ref", *_args: object) -> None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, functools.partial(release, ref))  # after the destructor has finished

    def qml_element(cls: type) -> type:
        caller = sys._getframe(1).f_globals  # PySide reads QML_IMPORT_NAME from the caller's globals
        cls = eval("_register(_cls)", caller, {"_register": original, "_cls": cls})  # noqa: S307
        init = cls.__init__

        @functools.wraps(init)
        def __init__(self, *args: object, **kwargs: object) -> None:  # noqa: N807
            from PySide6.QtCore import QTimer

            init(self, *args, **kwargs)
            ref = weakref.ref(self)
            self.destroyed.connect(functools.partial(on_destroyed, ref))
            QTimer.singleShot(0, functools.partial(mark, ref))  # QML sets the context after creating it

        cls.__init__ = __init__
        return cls

    qml_element._hongtu_release = True  # type: ignore[attr-defined]
    QtQml.QmlElement = qml_element


stats = {"released": 0, "kept": 0}
RELEASE_TRIES = 30  # × RELEASE_RETRY_MS: how long a wrapper Python still holds is looked at again
RELEASE_RETRY_MS = 2000
