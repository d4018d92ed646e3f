"""The PySide6 reference-count work-arounds (app/ui/qtfix.py) keep long-running kiosks alive."""
from __future__ import annotations

import sys

import pytest

pytestmark = pytest.mark.timeout(60)


def test_many_emits_and_translations_cannot_free_the_singletons(qapp) -> None:  # noqa: ANN001
    from PySide6.QtCore import QCoreApplication, QObject, Signal

    from app.ui.translator import table_translator

    class Emitter(QObject):
        ping = Signal()

    e = Emitter()
    tr = table_translator("zh", {"Home": "首页"})
    qapp.installTranslator(tr)
    try:
        before = sys.getrefcount(True), sys.getrefcount(None)
        # more calls than the singletons' natural reference counts: without the pin, this aborts
        n = max(before[0], before[1]) + 10_000 if sys.getrefcount(True) < 1 << 30 else 20_000
        for _ in range(min(n, 200_000)):
            e.ping.emit()
            assert QCoreApplication.translate("HeaderBar", "Home") == "首页"
        assert sys.getrefcount(True) > 1 << 30 and sys.getrefcount(None) > 1 << 30
    finally:
        qapp.removeTranslator(tr)


import app.ui  # noqa: E402,F401  (the work-arounds, before the probe type is registered)
from PySide6.QtCore import QObject  # noqa: E402
from PySide6.QtQml import QmlElement  # noqa: E402

QML_IMPORT_NAME = "HongtuQtfixProbe"
QML_IMPORT_MAJOR_VERSION = 1


@QmlElement
class Probe(QObject):
    """A view-model stand-in that QML instantiates."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.payload = list(range(100))


QML_PROBE = b"""
import QtQuick
import HongtuQtfixProbe
Item { property var probe: Probe { } }
"""


def _qml_made(engine, n: int) -> list:  # noqa: ANN001
    from PySide6.QtCore import QByteArray, QUrl
    from PySide6.QtQml import QQmlComponent, QQmlEngine

    comp = QQmlComponent(engine)
    comp.setData(QByteArray(QML_PROBE), QUrl("file:///tmp/qtfix-test.qml"))
    assert comp.isReady(), comp.errors()
    roots = [comp.create() for _ in range(n)]
    for r in roots:  # ours to delete, not the JavaScript collector's
        QQmlEngine.setObjectOwnership(r, QQmlEngine.ObjectOwnership.CppOwnership)
    roots.append(comp)  # the component lives as long as its objects
    return roots


def _settle(qapp, ms: int = 300) -> None:  # noqa: ANN001
    import time

    from PySide6.QtCore import QCoreApplication, QEvent

    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        qapp.processEvents()
        time.sleep(0.01)


def test_objects_qml_destroys_are_freed_and_held_ones_are_left_alone(qapp, monkeypatch) -> None:  # noqa: ANN001
    """PySide6 6.12 leaks one reference to every object QML creates; release_qml_payloads drops it
    once QML has destroyed the object, unless Python code still holds the wrapper."""
    import gc

    from PySide6.QtQml import QQmlEngine
    from shiboken6 import isValid

    from app.ui import qtfix

    monkeypatch.setattr(qtfix, "RELEASE_RETRY_MS", 20)
    engine = QQmlEngine()

    def alive() -> int:
        gc.collect()
        return sum(1 for o in gc.get_objects() if type(o) is Probe)

    base, released = alive(), qtfix.stats["released"]
    *roots, comp = _qml_made(engine, 50)
    _settle(qapp)  # QML has set their context: they are known as QML-made
    held = roots[0].property("probe")  # a test holding on to one of them
    assert held.payload[:3] == [0, 1, 2]
    for r in roots:
        r.deleteLater()
    del roots
    _settle(qapp)
    assert alive() == base + 1  # the 49 nobody holds are gone
    assert qtfix.stats["released"] - released == 49
    assert not isValid(held) and held.__dict__ == {}  # a harmless, empty Python object
    del held
    _settle(qapp, 500)  # looked at again: now freed too
    assert alive() == base and qtfix.stats["released"] - released == 50
    comp.deleteLater()
    engine.deleteLater()
    _settle(qapp, 50)
