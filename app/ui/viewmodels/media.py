"""`MediaLog`: how QML media items (VideoPlayer, ImageViewer) report a file they cannot show.

QML's console.warn() goes to stderr only; this singleton puts the warning into the kiosk's log
(once per file and cause), where staff look for broken media.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtQml import QmlElement, QmlSingleton

QML_IMPORT_NAME = "Hongtu.Models"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)


@QmlElement
@QmlSingleton
class MediaLog(QObject):
    """QML singleton `MediaLog.warn(kind, source, cause)`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._seen: set[tuple[str, str, str]] = set()

    @Slot(str, str, str)
    def warn(self, kind: str, source: str, cause: str) -> None:
        """Log that a `kind` ("video", "image") file cannot be shown and a placeholder is."""
        path = QUrl(source).toLocalFile() if source.startswith("file:") else source
        key = (kind, path, cause)
        if key in self._seen:
            return
        self._seen.add(key)
        log.warning("%s %s: %s (showing a placeholder)", kind, path or "(no file)", cause)
