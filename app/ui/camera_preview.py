"""`CameraPreview`: paints the calibration preview QImage of a `CameraCounter` (memory only).

A QQuickPaintedItem (QML type `CameraPreview` in `Hongtu.Models`) that listens to the counter's
`previewUpdated(QImage)` signal, keeps only the newest frame and paints it aspect-fitted. The frame is
never written anywhere; it is dropped when the counter's preview is switched off or the item goes.
`paintedRect` tells the calibration overlay where the picture sits, so handles map to frame fractions.
"""
from __future__ import annotations

from PySide6.QtCore import Property, QObject, QRectF, Signal, Slot
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtQml import QmlElement
from PySide6.QtQuick import QQuickPaintedItem

QML_IMPORT_NAME = "Hongtu.Models"
QML_IMPORT_MAJOR_VERSION = 1


def fitted(img_w: int, img_h: int, box_w: float, box_h: float) -> QRectF:
    """The rectangle an img_w×img_h picture occupies when fitted, centred, into box_w×box_h."""
    if img_w <= 0 or img_h <= 0 or box_w <= 0 or box_h <= 0:
        return QRectF(0, 0, max(0.0, box_w), max(0.0, box_h))
    s = min(box_w / img_w, box_h / img_h)
    w, h = img_w * s, img_h * s
    return QRectF((box_w - w) / 2, (box_h - h) / 2, w, h)


@QmlElement
class CameraPreview(QQuickPaintedItem):
    """Shows `counter.previewUpdated` frames; set `counter` to a CameraCounter (or null)."""

    counterChanged = Signal()
    frameChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._counter: QObject | None = None
        self._image = QImage()
        self._frames = 0
        self.setFillColor(QColor("#1E1612"))
        self.setAntialiasing(False)
        self.widthChanged.connect(self.frameChanged)
        self.heightChanged.connect(self.frameChanged)

    # -- the counter whose frames we paint ---------------------------------------------------------
    def _get_counter(self) -> QObject | None:
        return self._counter

    def _set_counter(self, counter: QObject | None) -> None:
        if counter is self._counter:
            return
        if self._counter is not None:
            try:
                self._counter.previewUpdated.disconnect(self._on_frame)
                self._counter.previewEnabledChanged.disconnect(self._on_enabled)
            except (RuntimeError, TypeError):
                pass
        self._counter = counter
        self._drop()
        if counter is not None:
            counter.previewUpdated.connect(self._on_frame)
            counter.previewEnabledChanged.connect(self._on_enabled)
        self.counterChanged.emit()

    counter = Property(QObject, _get_counter, _set_counter, notify=counterChanged)

    def _on_frame(self, image: QImage) -> None:
        self._image = image
        self._frames += 1
        self.frameChanged.emit()
        self.update()

    def _on_enabled(self) -> None:
        if self._counter is not None and not self._counter.property("previewEnabled"):
            self._drop()

    def _drop(self) -> None:
        self._image = QImage()
        self.frameChanged.emit()
        self.update()

    # -- what QML reads -----------------------------------------------------------------------------
    @Property(bool, notify=frameChanged)
    def hasFrame(self) -> bool:  # noqa: N802
        return not self._image.isNull()

    @Property(int, notify=frameChanged)
    def frames(self) -> int:
        """Frames received since the item was created (the tests' and the tour's progress signal)."""
        return self._frames

    @Property(int, notify=frameChanged)
    def imageWidth(self) -> int:  # noqa: N802
        return self._image.width()

    @Property(int, notify=frameChanged)
    def imageHeight(self) -> int:  # noqa: N802
        return self._image.height()

    @Property(QRectF, notify=frameChanged)
    def paintedRect(self) -> QRectF:  # noqa: N802
        """Where the picture is drawn inside the item (the whole item until a frame arrives)."""
        return fitted(self._image.width(), self._image.height(), self.width(), self.height())

    def paint(self, painter: QPainter) -> None:
        if self._image.isNull():
            return
        r = fitted(self._image.width(), self._image.height(), self.width(), self.height())
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(r, self._image)

    @Slot()
    def release(self) -> None:
        """Forget the counter and the last frame (the screen is closing)."""
        self._set_counter(None)


__all__ = ["CameraPreview", "fitted"]
