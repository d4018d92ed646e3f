"""`NarrationPlayer`: the QML singleton that speaks exhibits and texts (QtMultimedia).

One narration at a time. `playExhibit(id, lang)` / `playText(text, lang)` hand the work to
`app.narration.service.NarrationService` on a private one-thread pool (synthesis and cache look-up
never run on the GUI thread); the result comes back by signal and is played with QMediaPlayer +
QAudioOutput, or, when the terminal has no audio output, *silently*: captions and progress follow a
clock, and no QtMultimedia object is created or driven at all (`soundAvailable` is False; the
player follows `QMediaDevices.audioOutputsChanged`).

State for QML: `state` ("idle" | "loading" | "playing" | "paused" | "error"),
`progress` 0..1, `position`/`duration` in seconds, `caption` (the sentence being spoken),
`volume` (config default, changed by the visitor), `available` / `message` (why narration is
unavailable in `language`). `stop()` is what the session reset and leaving a page call.

The kiosk creates the player with `NarrationPlayer.from_config(cfg, resolver)` and registers it
with `NarrationPlayer.install(player)`; QML then reaches the same object as `NarrationPlayer`.
"""
from __future__ import annotations

import logging
import queue
import threading
from typing import Any, Callable

from PySide6.QtCore import Property, QElapsedTimer, QObject, QTimer, QUrl, Signal, Slot
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from app.content.model import Exhibit, Pack
from app.narration.errors import NarrationCancelled, NarrationError
from app.narration.service import Narration, NarrationService

QML_IMPORT_NAME = "Hongtu.Models"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

# exhibit id → (pack, exhibit), or None if unknown; supplied by the kiosk
ExhibitResolver = Callable[[str], "tuple[Pack, Exhibit] | None"]
# does the terminal have an audio output? (tests inject their own)
SoundProbe = Callable[[], bool]
TICK_MS = 100  # caption/progress updates between the backend's own position reports


def system_has_audio_output() -> bool:
    """True when QtMultimedia sees at least one audio output device."""
    return bool(QMediaDevices.audioOutputs())


class _Results(QObject):
    """Lives on the GUI thread; worker threads emit here, so slots run on the GUI thread."""

    ready = Signal(int, object)  # request id, Narration
    failed = Signal(int, str)  # request id, message
    availability = Signal(object)  # {lang: Availability}


class _JobThread:
    """One background thread running narration jobs in order; results come back by `_Results` signals.

    A plain Python thread, not a QThreadPool of QRunnable subclasses: PySide6 6.12 never frees the
    Python side of a QRunnable the pool has deleted, so every narration leaked its job and closure
    (found by bench/soak.py).
    """

    IDLE_S = 30.0  # the thread ends after this long without work (a new job starts another)

    def __init__(self, results: _Results) -> None:
        self._results = results
        self._queue: "queue.SimpleQueue[tuple[int, Callable[[], Any]] | None]" = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self, request: int, fn: Callable[[], Any]) -> None:
        with self._lock:
            self._queue.put((request, fn))
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="hongtu-narration-jobs", daemon=True)
                self._thread.start()

    def close(self, timeout_s: float) -> None:
        """Finish the job in hand (at most `timeout_s`); queued ones are dropped."""
        with self._lock:
            while True:
                try:
                    self._queue.get_nowait()
                except queue.Empty:
                    break
            thread = self._thread
            if thread is not None:
                self._queue.put(None)
        if thread is not None:
            thread.join(timeout_s)
            with self._lock:
                self._thread = None

    def _next(self) -> "tuple[int, Callable[[], Any]] | None":
        while True:
            try:
                return self._queue.get(timeout=self.IDLE_S)
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._thread = None
                        return None

    def _loop(self) -> None:
        for request, fn in iter(self._next, None):
            try:
                value = fn()
            except NarrationCancelled:
                continue  # the player already moved on
            except NarrationError as exc:
                self._results.failed.emit(request, str(exc))
            except Exception as exc:  # noqa: BLE001 - a narration failure must never take the kiosk down
                log.exception("narration job failed")
                self._results.failed.emit(request, f"{type(exc).__name__}: {exc}")
            else:
                if request >= 0:
                    self._results.ready.emit(request, value)
                else:
                    self._results.availability.emit(value)


class _SilentPlayback(QObject):
    """Plays a narration against a monotonic clock, with no QtMultimedia at all: on a terminal
    without an audio output the captions and the progress bar advance as if it were heard."""

    positionChanged = Signal(int)  # ms
    ended = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = QElapsedTimer()
        self._base_ms = 0  # position when the clock last (re)started or paused
        self._duration_ms = 0
        self._running = False
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def load(self, duration_ms: int, position_ms: int = 0) -> None:
        self.stop()
        self._duration_ms = max(0, int(duration_ms))
        self._base_ms = max(0, min(self._duration_ms, int(position_ms)))

    def play(self) -> None:
        if not self._running:
            self._clock.start()
            self._running = True
            self._timer.start()

    def pause(self) -> None:
        if self._running:
            self._base_ms = self.position()
            self._running = False
            self._timer.stop()

    def stop(self) -> None:
        self._running = False
        self._timer.stop()
        self._base_ms = self._duration_ms = 0

    def position(self) -> int:
        if not self._running:
            return self._base_ms
        return min(self._duration_ms, self._base_ms + int(self._clock.elapsed()))

    def setPosition(self, ms: int) -> None:  # noqa: N802 - QMediaPlayer's name
        self._base_ms = max(0, min(self._duration_ms, int(ms)))
        if self._running:
            self._clock.restart()

    def _tick(self) -> None:
        pos = self.position()
        self.positionChanged.emit(pos)
        if pos >= self._duration_ms:
            self._running = False
            self._timer.stop()
            self._base_ms = self._duration_ms
            self.ended.emit()


class _MediaPlayback(QObject):
    """QMediaPlayer + QAudioOutput, created only while the terminal has an audio output.

    `stop()` touches the QMediaPlayer only when it holds a source, so the session reset's stop on
    an idle player never calls into QtMultimedia.
    """

    positionChanged = Signal(int)  # ms
    durationChanged = Signal(int)  # ms
    ended = Signal()
    failed = Signal(str)

    def __init__(self, volume: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._audio = QAudioOutput(self)
        self._audio.setVolume(volume)
        self._player = QMediaPlayer(self)
        self._player.setAudioOutput(self._audio)
        self._player.positionChanged.connect(lambda ms: self.positionChanged.emit(int(ms)))
        self._player.durationChanged.connect(lambda ms: self.durationChanged.emit(int(ms)))
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.errorOccurred.connect(self._on_error)
        self._loaded = False
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(lambda: self.positionChanged.emit(int(self._player.position())))

    def load(self, path: str) -> None:
        self._player.setSource(QUrl.fromLocalFile(path))
        self._loaded = True

    def play(self) -> None:
        self._player.play()
        self._timer.start()

    def pause(self) -> None:
        self._player.pause()
        self._timer.stop()

    def stop(self) -> None:
        self._timer.stop()
        if self._loaded:
            self._loaded = False
            self._player.stop()
            self._player.setSource(QUrl())

    def position(self) -> int:
        return int(self._player.position())

    def setPosition(self, ms: int) -> None:  # noqa: N802
        self._player.setPosition(int(ms))

    def setVolume(self, v: float) -> None:  # noqa: N802
        self._audio.setVolume(v)

    def discard(self) -> None:
        """The audio output went away: mute, report nothing more, and let Qt delete it later."""
        self._timer.stop()
        self.blockSignals(True)
        self._audio.setMuted(True)
        self.deleteLater()

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia and self._loaded:
            self._timer.stop()
            self._loaded = False  # already stopped: no stop()/setSource() from inside its own signal
            self.ended.emit()
        elif status == QMediaPlayer.MediaStatus.InvalidMedia and self._loaded:
            self._timer.stop()
            self.failed.emit(f"cannot play {self._player.source().toLocalFile()}")

    def _on_error(self, error: QMediaPlayer.Error, text: str) -> None:
        if error != QMediaPlayer.Error.NoError and self._loaded:
            self._timer.stop()
            self.failed.emit(f"playback failed: {text or error.name}")


_instance: "NarrationPlayer | None" = None


@QmlElement
@QmlSingleton
class NarrationPlayer(QObject):
    """The kiosk's narration player (QML singleton `NarrationPlayer` in `Hongtu.Models`)."""

    changed = Signal()  # state, available, message, volume, language, current id, duration
    positionChanged = Signal()  # position, progress, caption
    finished = Signal()  # a narration played to its end

    def __init__(self, service: NarrationService | None = None, resolver: ExhibitResolver | None = None,
                 volume: float = 0.9, parent: QObject | None = None, warm_up: bool = True,
                 sound_probe: SoundProbe | None = None,
                 media_factory: "Callable[[float, QObject], _MediaPlayback] | None" = None) -> None:
        super().__init__(parent)
        self._service = service
        self._resolver = resolver
        self._state = "idle"
        self._message = ""
        self._language = "zh"
        self._availability: dict[str, Any] = {}
        self._current_id = ""
        self._narration: Narration | None = None
        self._request = 0
        self._caption = ""
        self._duration_ms = 0
        self._results = _Results(self)
        self._jobs = _JobThread(self._results)
        self._results.ready.connect(self._on_ready)
        self._results.failed.connect(self._on_failed)
        self._results.availability.connect(self._on_availability)
        self._volume = max(0.0, min(1.0, float(volume)))
        # Playback: QMediaPlayer only while there is an audio output (with none, its stop() has been
        # seen to deadlock the GUI thread), else the silent clock. Chosen per narration.
        self._probe = sound_probe or system_has_audio_output
        self._sound = self._probe_sound()
        if not self._sound:
            log.warning("narration: no audio output; narrations run silent with captions")
        self._silent = _SilentPlayback(self)
        self._connect_backend(self._silent)
        self._media: _MediaPlayback | None = None
        self._make_media = media_factory or _MediaPlayback  # tests pass a stand-in for QtMultimedia
        self._backend: _SilentPlayback | _MediaPlayback = self._silent
        self._devices = QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self.refresh_sound)
        self._warmed = False
        if warm_up:
            self.warm_up()

    def warm_up(self) -> None:
        """Start the TTS worker and learn the languages it can speak, on the pool (once).

        The kiosk calls it after its first frame, so the worker process never competes with start-up.
        """
        if self._service is not None and not self._warmed:
            self._warmed = True
            self._jobs.start(-1, self._service.warm_up)

    # --- construction and registration ---------------------------------------------------

    @classmethod
    def from_config(cls, cfg: Any, resolver: ExhibitResolver | None = None, warm_up: bool = True) -> "NarrationPlayer":
        """A player with its own NarrationService built from the kiosk config."""
        return cls(NarrationService(cfg), resolver, cfg.narration.volume, warm_up=warm_up)

    @staticmethod
    def install(player: "NarrationPlayer | None") -> None:
        """Make `player` the object QML sees as `NarrationPlayer`."""
        global _instance
        _instance = player

    @staticmethod
    def create(engine: QQmlEngine) -> "NarrationPlayer":
        global _instance
        if _instance is None:  # no kiosk wiring (e.g. a QML test): a player without TTS
            _instance = NarrationPlayer()
        QQmlEngine.setObjectOwnership(_instance, QQmlEngine.ObjectOwnership.CppOwnership)
        return _instance

    def set_resolver(self, resolver: ExhibitResolver | None) -> None:
        self._resolver = resolver

    def shutdown(self) -> None:
        """Stop playback, wait for a running job and close the service (kiosk exit)."""
        self.stop()
        self._jobs.close(5.0)
        if self._service is not None:
            self._service.close()  # kills the worker even if a job still waits on it

    # --- audio output ----------------------------------------------------------------------

    def _probe_sound(self) -> bool:
        try:
            return bool(self._probe())
        except Exception:  # noqa: BLE001 - no answer about audio: play silently, never crash
            log.exception("narration: cannot list audio outputs")
            return False

    def _connect_backend(self, backend: "_SilentPlayback | _MediaPlayback") -> None:
        """Route a backend's reports to the player; reports of a backend no longer current are dropped."""
        backend.positionChanged.connect(lambda ms: backend is self._backend and self._on_position(ms))
        backend.ended.connect(lambda: backend is self._backend and self._on_ended())
        if backend is not self._silent:  # QMediaPlayer (or a test's stand-in)
            backend.durationChanged.connect(lambda ms: backend is self._backend and self._on_duration(ms))
            backend.failed.connect(lambda msg: backend is self._backend and self._on_playback_failed(msg))

    @Slot()
    def refresh_sound(self) -> None:
        """Re-check the audio outputs (QMediaDevices.audioOutputsChanged). Losing the last output
        moves a narration in progress onto the silent clock at the same position; a new output is
        used from the next narration on."""
        sound = self._probe_sound()
        if sound == self._sound:
            return
        self._sound = sound
        log.warning("narration: %s", "audio output found; narrations are heard again" if sound
                    else "the audio output went away; narrations run silent with captions")
        media = None if sound else self._media
        if media is not None:
            self._media = None
            if self._backend is media:
                position = media.position()
                self._backend = self._silent
                self._duration_ms = 0
                if self._narration is not None:
                    self._silent.load(int(self._narration.duration_s * 1000), position)
                    if self._state == "playing":
                        self._silent.play()
            media.discard()
        self.changed.emit()

    # --- properties ------------------------------------------------------------------------

    @Property(str, notify=changed)
    def state(self) -> str:
        return self._state

    @Property(str, notify=changed)
    def message(self) -> str:
        """Why narration is unavailable or failed; '' when all is well."""
        if self._state == "error":
            return self._message
        return "" if self.available else self._unavailable_reason()

    def _unavailable_reason(self) -> str:
        if self._service is None:
            return "narration is not set up on this terminal"
        a = self._availability.get(self._language)
        return a.reason if a is not None and not a else ""

    @Property(bool, notify=changed)
    def soundAvailable(self) -> bool:  # noqa: N802
        """The terminal has an audio output; without one narrations run silent, captions only."""
        return self._sound

    @Property(bool, notify=changed)
    def available(self) -> bool:
        """TTS narration can be spoken in `language` (unknown until the engine has started: True)."""
        if self._service is None:
            return False
        a = self._availability.get(self._language)
        return True if a is None else bool(a)

    def _get_language(self) -> str:
        return self._language

    def _set_language(self, lang: str) -> None:
        if lang != self._language:
            self._language = lang
            self.changed.emit()

    language = Property(str, _get_language, _set_language, notify=changed)

    def _get_volume(self) -> float:
        return self._volume

    def _set_volume(self, v: float) -> None:
        v = max(0.0, min(1.0, float(v)))
        if abs(v - self._volume) > 1e-4:
            self._volume = v
            if self._media is not None:
                self._media.setVolume(v)
            self.changed.emit()

    volume = Property(float, _get_volume, _set_volume, notify=changed)

    @Property(str, notify=changed)
    def currentId(self) -> str:  # noqa: N802
        """The exhibit being narrated, or whose narration failed ('' for free text or when idle)."""
        return self._current_id

    @Property(float, notify=changed)
    def duration(self) -> float:
        if self._duration_ms > 0:
            return self._duration_ms / 1000
        return self._narration.duration_s if self._narration else 0.0

    @Property(float, notify=positionChanged)
    def position(self) -> float:
        return self._backend.position() / 1000 if self._narration else 0.0

    @Property(float, notify=positionChanged)
    def progress(self) -> float:
        d = self.duration
        return min(1.0, self.position / d) if d > 0 else 0.0

    @Property(str, notify=positionChanged)
    def caption(self) -> str:
        return self._caption

    @property
    def narration(self) -> Narration | None:
        return self._narration

    # --- commands --------------------------------------------------------------------------

    def play(self, item: Exhibit | str, lang: str, pack: Pack | None = None) -> None:
        """Python entry: narrate an Exhibit (with its pack) or a text."""
        if isinstance(item, Exhibit):
            if pack is None:
                raise ValueError("play(exhibit) needs the exhibit's pack")
            self._start(item.id, lambda s, c: s.prepare_exhibit(pack, item, lang, cancelled=c))
        else:
            self._start("", lambda s, c: s.prepare(item, lang, cancelled=c))

    @Slot(str, str)
    def playText(self, text: str, lang: str) -> None:  # noqa: N802
        self._start("", lambda s, c: s.prepare(text, lang, cancelled=c))

    @Slot(str, str)
    def playExhibit(self, exhibit_id: str, lang: str) -> None:  # noqa: N802
        resolver = self._resolver
        found = resolver(exhibit_id) if resolver else None
        if found is None:
            self.stop()
            self._current_id = exhibit_id
            self._fail(f"exhibit '{exhibit_id}' is not in the current pack" if resolver else "no pack to narrate from")
            return
        pack, exhibit = found
        self._start(exhibit_id, lambda s, c: s.prepare_exhibit(pack, exhibit, lang, cancelled=c))

    @Slot(str, str)
    def toggleExhibit(self, exhibit_id: str, lang: str) -> None:  # noqa: N802
        """The narration button: play this exhibit, or pause/resume it if it is the current one."""
        if self._current_id == exhibit_id and self._state in ("playing", "paused", "loading"):
            self.toggle()
        else:
            self.playExhibit(exhibit_id, lang)

    @Slot()
    def pause(self) -> None:
        if self._state == "playing":
            self._backend.pause()
            self._set_state("paused")

    @Slot()
    def resume(self) -> None:
        if self._state == "paused":
            self._backend.play()
            self._set_state("playing")

    @Slot()
    def toggle(self) -> None:
        if self._state == "playing":
            self.pause()
        elif self._state == "paused":
            self.resume()

    @Slot()
    def stop(self) -> None:
        """Stop and forget the current narration (session reset, leaving the page)."""
        self._request += 1  # a result still being prepared is dropped when it arrives
        self._backend.stop()  # the silent clock, or a QMediaPlayer only if it holds a source
        self._narration = None
        self._current_id = ""
        self._duration_ms = 0
        self._message = ""
        self._set_caption("")
        self._set_state("idle")
        self.positionChanged.emit()

    @Slot(float)
    def seek(self, fraction: float) -> None:
        if self._narration is not None and self.duration > 0:
            self._backend.setPosition(int(max(0.0, min(1.0, fraction)) * self.duration * 1000))

    # --- internals -------------------------------------------------------------------------

    def _start(self, item_id: str, make: Callable[[NarrationService, Callable[[], bool]], Narration]) -> None:
        self.stop()
        if self._service is None:
            self._fail("narration is not set up on this terminal")
            return
        service = self._service
        request = self._request
        self._current_id = item_id
        self._set_state("loading")
        # a long synthesis stops between chunks once the visitor stopped it or tapped another
        # (reading an int another thread writes is safe under the GIL)
        self._jobs.start(request, lambda: make(service, lambda: self._request != request))

    def _fail(self, message: str) -> None:
        log.warning("narration: %s", message)
        self._message = message
        self._set_state("error")

    def _set_state(self, state: str) -> None:
        if state != self._state or state == "error":
            self._state = state
            self.changed.emit()

    def _set_caption(self, text: str) -> None:
        if text != self._caption:
            self._caption = text
            self.positionChanged.emit()

    def _on_ready(self, request: int, narration: Narration) -> None:
        if request != self._request or self._state != "loading":
            return  # stopped or replaced meanwhile
        self._narration = narration
        if self._sound:
            if self._media is None:
                self._media = self._make_media(self._volume, self)
                self._connect_backend(self._media)
            self._backend = self._media
            self._media.load(str(narration.path))
        else:
            self._backend = self._silent
            self._silent.load(int(narration.duration_s * 1000))
        self._backend.play()
        self._set_state("playing")
        self.changed.emit()

    def _on_failed(self, request: int, message: str) -> None:
        if request < 0:
            log.warning("narration unavailable: %s", message)
            return
        if request == self._request:
            self._fail(message)

    def _on_availability(self, availability: dict) -> None:
        self._availability = dict(availability)
        for lang, a in self._availability.items():
            if not a:
                log.warning("narration unavailable for %s: %s", lang, a.reason)
        self.changed.emit()

    def _on_duration(self, ms: int) -> None:
        self._duration_ms = int(ms)
        self.changed.emit()

    def _on_position(self, ms: int) -> None:
        n = self._narration
        if n is None:
            return
        t = ms / 1000
        if self._duration_ms > 0 and n.duration_s > 0:  # recordings: scale estimated captions to the real length
            t *= n.duration_s / (self._duration_ms / 1000)
        c = n.caption_at(t)
        self._set_caption(c.text if c else (n.sentences[-1].text if n.sentences and t >= n.sentences[-1].end_s else ""))
        self.positionChanged.emit()

    def _on_ended(self) -> None:
        if self._narration is None:
            return
        self._backend.stop()
        self._narration = None
        self._current_id = ""
        self._duration_ms = 0
        self._set_caption("")
        self._set_state("idle")
        self.positionChanged.emit()
        self.finished.emit()

    def _on_playback_failed(self, message: str) -> None:
        if self._narration is not None:
            self._fail(message)
