"""PySide6 6.12 keeps every QML-created Python view-model alive; `app.ui.qtfix.release_qml_payloads`
frees what they hold once QML destroys them (the leak bench/navigation.py found)."""
from __future__ import annotations

import gc

import app.ui  # noqa: F401  (patches QmlElement before the class below registers)
from PySide6 import QtQml
from PySide6.QtCore import Property, QObject, Signal

QML_IMPORT_NAME = "HongtuLeakTest"
QML_IMPORT_MAJOR_VERSION = 1


@QtQml.QmlElement
class Payload(QObject):
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows = [{"n": i} for i in range(5000)]

    @Property(int, notify=changed)
    def count(self) -> int:
        return len(self.rows)


QML = b"""
import QtQuick
import HongtuLeakTest
Item { property int n: vm.count; Payload { id: vm } }
"""


def _live() -> list[Payload]:
    gc.collect()
    return [o for o in gc.get_objects() if type(o) is Payload]


def test_destroyed_qml_view_models_release_their_payload(qapp, qtbot):
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtQml import QQmlComponent, QQmlEngine

    engine = QQmlEngine()
    comp = QQmlComponent(engine)
    comp.setData(QML, "file:///leaktest.qml")
    before = {id(o) for o in _live()}
    for _ in range(5):
        item = comp.create()
        assert item is not None, comp.errorString()
        assert item.property("n") == 5000  # the view-model works while it lives
        item.deleteLater()
        del item
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.wait(20)  # the deferred clean-up runs on the event loop
    leftovers = [o for o in _live() if id(o) not in before]
    # whether or not PySide still holds the wrappers, none keeps its rows
    assert all(not o.__dict__ for o in leftovers)
    engine.deleteLater()
