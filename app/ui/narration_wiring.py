"""Wire the kiosk's narration: a `NarrationPlayer` with TTS from the config and an exhibit
resolver over the shown pack, installed as the QML singleton and stopped on session reset.

`NarrationPlayer.playExhibit` runs the resolver on the GUI thread, so the pack is parsed once on a
background thread at start-up and the resolver only looks exhibits up in memory.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class PackExhibitResolver:
    """exhibit id → (pack, exhibit) from the pack folder, loaded once in the background.

    With `start=False` the parse waits for `start()` (the kiosk calls it after its first frame, so
    parsing a large pack never competes with start-up) or for the first look-up.
    """

    def __init__(self, pack_path: Path, start: bool = True) -> None:
        self._path = Path(pack_path)
        self._pack: Any = None
        self._thread = threading.Thread(target=self._load, name="hongtu-narration-pack", daemon=True)
        self._start_lock = threading.Lock()
        if start:
            self.start()

    def start(self) -> None:
        """Begin parsing the pack (once; later calls do nothing)."""
        with self._start_lock:
            if self._thread.ident is None:
                self._thread.start()

    def _load(self) -> None:
        from app.content.loader import load_pack

        try:
            self._pack = load_pack(self._path)
        except Exception as exc:  # noqa: BLE001 - no narration of exhibits, but the kiosk runs on
            log.warning("narration: cannot read the pack %s: %s", self._path, exc)

    def __call__(self, exhibit_id: str) -> tuple[Any, Any] | None:
        self.start()
        self._thread.join(timeout=5)
        pack = self._pack
        if pack is None:
            return None
        exhibit = pack.exhibit(exhibit_id)
        return (pack, exhibit) if exhibit is not None else None


def install_narration(cfg: Any, pack_path: Path, resolver: PackExhibitResolver | None = None,
                      warm_up: bool = True) -> Any:
    """Create and install the kiosk's NarrationPlayer (call before the QML loads); returns it.

    With `warm_up=False` the TTS worker starts at `player.warm_up()` (or the first narration).
    """
    from app.ui.viewmodels.narration import NarrationPlayer

    player = NarrationPlayer.from_config(cfg, resolver or PackExhibitResolver(pack_path), warm_up=warm_up)
    NarrationPlayer.install(player)
    return player


def after_first_frame(kiosk: Any, fn: Any) -> None:
    """Call `fn()` once, on the GUI thread, after the kiosk window's first frame with the pack's
    content (or its error). `frameSwapped` may come from the render thread: a slot of a QObject
    living on the GUI thread receives it queued."""
    from PySide6.QtCore import QObject, Qt, Slot

    class _Once(QObject):
        @Slot()
        def fire(self) -> None:
            self.deleteLater()
            fn()

    once = _Once(kiosk.window)

    def arm() -> None:
        if kiosk.app.ready or kiosk.home_error:
            kiosk.app.statusChanged.disconnect(arm)
            kiosk.window.frameSwapped.connect(once.fire, Qt.ConnectionType.SingleShotConnection)
            kiosk.window.update()

    kiosk.app.statusChanged.connect(arm)
    arm()
