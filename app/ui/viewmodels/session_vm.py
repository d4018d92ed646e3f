"""`Session`: the visitor session (app.session.VisitorSession) for QML, plus the input filter."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Property, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from app.session import SessionState, VisitorSession
from app.ui.context import ui

QML_IMPORT_NAME = "Hongtu.Models"
QML_IMPORT_MAJOR_VERSION = 1

INPUT_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


@QmlElement
@QmlSingleton
class Session(QObject):
    """QML singleton `Session`: state ("attract" | "active" | "countdown"), countdown seconds.

    Python features hook the end of a session with `session.core.on_reset(fn)`; QML items connect
    to `Session.sessionReset()`.
    """

    stateChanged = Signal()
    countdownChanged = Signal()
    sessionStarted = Signal()
    sessionReset = Signal()

    def __init__(self, core: VisitorSession, tick_ms: int = 250) -> None:
        super().__init__()
        self.core = core
        self._countdown = 0
        core.on_state(lambda _s: self._on_state())
        core.on_start(self.sessionStarted.emit)
        core.on_reset(self.sessionReset.emit)
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.tick)

    @staticmethod
    def create(engine: QQmlEngine) -> "Session":
        obj = ui().session
        QQmlEngine.setObjectOwnership(obj, QQmlEngine.ObjectOwnership.CppOwnership)
        return obj

    def start_timer(self) -> None:
        self._timer.start()

    def stop_timer(self) -> None:
        self._timer.stop()

    @Slot()
    def tick(self) -> None:
        self.core.tick()
        left = self.core.countdown_remaining()
        if left != self._countdown:
            self._countdown = left
            self.countdownChanged.emit()

    def _on_state(self) -> None:
        self._countdown = self.core.countdown_remaining()
        self.countdownChanged.emit()
        self.stateChanged.emit()

    @Property(str, notify=stateChanged)
    def state(self) -> str:
        return self.core.state.value

    @Property(bool, notify=stateChanged)
    def attract(self) -> bool:
        return self.core.state is SessionState.ATTRACT

    @Property(int, notify=countdownChanged)
    def countdown(self) -> int:
        return self._countdown

    @Slot()
    def touch(self) -> None:
        self.core.touch()

    @Slot()
    def end(self) -> None:
        self.core.end()


class InputActivityFilter(QObject):
    """Window event filter: any touch, click, key or wheel counts as visitor activity."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self._session = session

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in INPUT_EVENTS:
            self._session.touch()
        return False
