"""NarrationService: text or exhibit in, a playable audio file with timed captions out.

    service = NarrationService(cfg)
    narration = service.prepare("1921年，中国共产党成立。", "zh")
    narration.path, narration.duration_s, narration.sentences  # Caption(text, start_s, end_s)

Recorded audio in the pack (`Exhibit.narration[lang]`, a file under the pack's media/) is used
first; a recording that is missing, outside media/ or not decodable is logged and replaced by TTS.
TTS goes through the cache (see `cache.py`) and, on a miss, through the worker process (see
`engine.py`), one chunk per job. Captions come from the chunks: each chunk's start and end are
measured from its own audio, so they are exact for TTS; for recordings they are estimated in
proportion to the characters.
"""
from __future__ import annotations

import json
import logging
import shutil
import tempfile
import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Literal, Sequence

from app.config import KioskConfig
from app.content.model import Exhibit, Pack, Site
from app.narration import text as textprep
from app.narration.audio import WavInfo, check_wav, join_wavs, recorded_duration
from app.narration.cache import NarrationCache, cache_key
from app.narration.engine import SynthWorker, Voice, choose_voice, worker_command
from app.narration.errors import AudioFileError, NarrationCancelled, NarrationError, SynthesisError, WorkerCrashed

log = logging.getLogger(__name__)

Source = Literal["cache", "tts", "recorded"]

# narration.rate is in words per minute. espeak-ng's Mandarin voice counts every character as a
# word (165 → 2.8 characters/s with pauses, slow and dragging); a Chinese word averages about 1.4
# characters, so the engine gets rate × 1.4 for zh (165 → about 3.9 characters/s).
RATE_FACTOR = {"zh": 1.4}


def engine_rate(rate: int, lang: str) -> int:
    """The engine's rate setting for a configured words-per-minute rate in `lang`."""
    return int(round(rate * RATE_FACTOR.get(lang, 1.0)))


@dataclass(frozen=True)
class Caption:
    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class Narration:
    """A playable narration: the audio file, its length and the captions in order."""

    path: Path
    sentences: tuple[Caption, ...]
    duration_s: float
    lang: str
    source: Source
    voice: str = ""  # voice id for TTS; '' for recordings
    truncated: bool = False  # the text was longer than text.MAX_CHARS and was cut

    @property
    def wav_path(self) -> Path:
        return self.path

    def caption_at(self, t: float) -> Caption | None:
        """The caption being spoken at `t` seconds, or None before/after the speech."""
        for c in self.sentences:
            if c.start_s <= t < c.end_s:
                return c
        return None


@dataclass(frozen=True)
class Availability:
    """Whether narration can be spoken in a language; `reason` says why not, for the UI."""

    ok: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.ok


def proportional_captions(chunks: Sequence[str], duration_s: float) -> tuple[Caption, ...]:
    """Caption timing without engine timing: each chunk's share of the length is its share of characters."""
    weights = [max(1, sum(ch.isalnum() for ch in c)) for c in chunks]
    total = sum(weights)
    out, t = [], 0.0
    for c, w in zip(chunks, weights):
        d = duration_s * w / total
        out.append(Caption(c, round(t, 3), round(t + d, 3)))
        t += d
    return tuple(out)


@dataclass
class _TempFiles:
    """Uncached narrations (cache full or off) live here; the oldest are removed as new ones come."""

    root: Path
    keep: int = 4
    recent: deque[Path] = field(default_factory=deque)

    def add(self, path: Path) -> None:
        self.recent.append(path)
        while len(self.recent) > self.keep:
            self.recent.popleft().unlink(missing_ok=True)


class NarrationService:
    """Offline narration for the kiosk and the CLI. Thread-safe; slow calls belong off the GUI thread."""

    VOICES_FILE = "voices.json"

    def __init__(self, cfg: KioskConfig, *, worker: SynthWorker | None = None, cache_dir: Path | None = None,
                 engine: str = "auto") -> None:
        ncfg = cfg.narration
        self.enabled = ncfg.enabled
        self.rate = ncfg.rate
        self.volume = ncfg.volume
        self.cache_dir = Path(cache_dir or ncfg.cache_dir or (cfg.data_dir / "narration-cache"))
        self.cache = NarrationCache(self.cache_dir, ncfg.cache_max_mb * 1024 * 1024)
        self.worker = worker or SynthWorker(worker_command(engine), timeout_s=ncfg.synth_timeout_s)
        self._tmp_root = Path(tempfile.mkdtemp(prefix="hongtu-narration-"))
        self._temp = _TempFiles(self._tmp_root)
        self._lock = threading.RLock()
        self._voices: tuple[Voice, ...] | None = None
        self._engine_error = ""

    # --- voices and availability ---------------------------------------------------------

    def _known_voices(self) -> tuple[Voice, ...]:
        """Voices of the engine: from the running worker, else remembered in the cache, else start it."""
        if self.worker.voices:
            return self.worker.voices
        if self._voices is not None:
            return self._voices
        remembered = self.cache_dir / self.VOICES_FILE
        try:
            data = json.loads(remembered.read_text(encoding="utf-8"))
            self._voices = tuple(Voice(v["id"], v["name"], tuple(v["languages"])) for v in data["voices"])
            return self._voices
        except (OSError, ValueError, KeyError, TypeError):
            pass
        self.worker.start()  # EngineUnavailable if no engine works
        self._remember_voices()
        return self.worker.voices

    def _remember_voices(self) -> None:
        if not self.worker.voices or not self.cache.enabled:
            return
        data = {"engine": self.worker.engine_name,
                "voices": [{"id": v.id, "name": v.name, "languages": list(v.languages)} for v in self.worker.voices]}
        try:
            tmp = self.cache_dir / f".{self.VOICES_FILE}.tmp"
            tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            tmp.replace(self.cache_dir / self.VOICES_FILE)
        except OSError:
            pass

    def voice_for(self, lang: str) -> Voice:
        """The voice used for `lang`; NoVoiceError or EngineUnavailable when there is none."""
        with self._lock:
            return choose_voice(self._known_voices(), lang, self.worker.engine_name or "the TTS engine")

    def available(self, lang: str) -> Availability:
        """Can TTS narration be spoken in `lang`? If not, `reason` is a line for the screen and the log."""
        if not self.enabled:
            return Availability(False, "narration is switched off (narration.enabled in the config)")
        try:
            self.voice_for(lang)
        except NarrationError as exc:
            return Availability(False, str(exc))
        return Availability(True)

    def warm_up(self, langs: Sequence[str] = ("zh", "en")) -> dict[str, Availability]:
        """Start the worker now (not at the first tap) and report availability per language."""
        try:
            self.worker.start()
            self._remember_voices()
        except NarrationError as exc:
            log.warning("narration: %s", exc)
        return {lang: self.available(lang) for lang in langs}

    # --- TTS -----------------------------------------------------------------------------

    def key_for(self, text: str, lang: str, *, rate: int | None = None, markdown: bool = True) -> str:
        prepared = textprep.prepare(text, lang, markdown=markdown)
        return cache_key(prepared.chunks, lang, self.voice_for(lang).id, engine_rate(rate or self.rate, lang))

    def prepare(self, text: str, lang: str, *, rate: int | None = None, markdown: bool = True,
                use_cache: bool = True, cancelled: Callable[[], bool] | None = None) -> Narration:
        """Audio and captions for `text` in `lang`, from the cache or synthesised now.

        Raises NothingToNarrate (empty text), NoVoiceError, EngineUnavailable or SynthesisError;
        NarrationCancelled as soon as `cancelled()` turns true (checked between chunks).
        """
        prepared = textprep.prepare(text, lang, markdown=markdown)
        rate = engine_rate(int(rate or self.rate), lang)
        voice = self.voice_for(lang)
        key = cache_key(prepared.chunks, lang, voice.id, rate)
        if use_cache:
            hit = self.cache.get(key)
            if hit is not None:
                captions = tuple(Caption(t, a, b) for t, a, b in hit.captions)
                return Narration(hit.path, captions, hit.duration_s, lang, "cache", voice.id, prepared.truncated)
        if prepared.truncated:
            log.warning("narration: text longer than %d characters; narrating the first %d", textprep.MAX_CHARS, len(prepared.text))
        with self._lock:
            return self._synthesise(prepared, voice, rate, key, use_cache, cancelled)

    def _synthesise(self, prepared: textprep.PreparedText, voice: Voice, rate: int, key: str, use_cache: bool,
                    cancelled: Callable[[], bool] | None = None) -> Narration:
        work = Path(tempfile.mkdtemp(prefix="job-", dir=self._tmp_root))
        try:
            parts: list[Path] = []
            captions: list[Caption] = []
            t = 0.0
            for i, chunk in enumerate(prepared.chunks):
                if cancelled is not None and cancelled():
                    raise NarrationCancelled(f"cancelled after {i} of {len(prepared.chunks)} chunks")
                out = work / f"{i:05d}.wav"
                try:
                    info = self._synth_chunk(chunk, voice, rate, out)
                except AudioFileError as exc:  # e.g. a chunk of symbols the voice does not speak
                    log.warning("narration: chunk %d (%r) gave no audio, skipped: %s", i, chunk[:30], exc)
                    continue
                parts.append(out)
                captions.append(Caption(chunk, round(t, 3), round(t + info.duration_s, 3)))
                t += info.duration_s
            if not parts:
                raise SynthesisError(f"the {voice.id} voice produced no audio for this text")
            joined = self._tmp_root / f"{key}.wav"
            info = join_wavs(parts, joined)
            check_wav(joined)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        self._remember_voices()
        cached = self.cache.put(key, joined, info.duration_s, [(c.text, c.start_s, c.end_s) for c in captions],
                                prepared.lang, voice.id) if use_cache else None
        if cached is not None:
            joined.unlink(missing_ok=True)
            path = cached
        else:
            path = joined
            self._temp.add(joined)
        return Narration(path, tuple(captions), info.duration_s, prepared.lang, "tts", voice.id, prepared.truncated)

    def _synth_chunk(self, chunk: str, voice: Voice, rate: int, out: Path) -> WavInfo:
        """One job. A crashed worker or unusable audio: the job is retried once on a fresh worker.
        A timeout is not retried (the worker was already killed and a second wait would double it)."""
        for attempt in (1, 2):
            try:
                self.worker.synth(chunk, voice.id, rate, 1.0, out)
                return check_wav(out)
            except (WorkerCrashed, AudioFileError) as exc:
                if attempt == 2:
                    raise
                log.warning("narration: %s; retrying on a fresh worker", exc)
                self.worker.kill()
        raise AssertionError("unreachable")

    # --- content ---------------------------------------------------------------------------

    def recorded_file(self, pack: Pack, exhibit: Exhibit, lang: str) -> Path | None:
        """The exhibit's recorded narration for `lang` if it exists and decodes; else None (logged)."""
        file = exhibit.narration.get(lang)
        if not file:
            return None
        where = f"{pack.root}/exhibits: {exhibit.id}.narration.{lang}"
        rel = PurePosixPath(file.replace("\\", "/"))
        media = (pack.root / "media").resolve()
        path = pack.media_path(file)
        unsafe = not rel.parts or rel.is_absolute() or ".." in rel.parts or ":" in rel.parts[0]
        if unsafe:
            log.warning("%s: '%s' leaves the pack's media folder; using TTS", where, file)
            return None
        try:
            resolved = path.resolve(strict=True)
        except (OSError, RuntimeError):
            log.warning("%s: recorded narration %s not found; using TTS", where, path)
            return None
        if path.is_symlink() or not resolved.is_relative_to(media):
            log.warning("%s: '%s' is a link or leaves the pack's media folder; using TTS", where, file)
            return None
        try:
            recorded_duration(resolved)
        except AudioFileError as exc:
            log.warning("%s: recorded narration unusable (%s); using TTS", where, exc)
            return None
        return resolved

    def prepare_exhibit(self, pack: Pack, exhibit: Exhibit, lang: str, *, rate: int | None = None,
                        cancelled: Callable[[], bool] | None = None) -> Narration:
        """Narration for an exhibit: its recording for `lang` if usable, else TTS of summary and body."""
        spoken = textprep.exhibit_text(exhibit, lang)
        recorded = self.recorded_file(pack, exhibit, lang)
        if recorded is not None:
            duration = recorded_duration(recorded) or 0.0
            try:
                chunks = textprep.prepare(spoken, lang, markdown=False).chunks
            except NarrationError:
                chunks = ()
            return Narration(recorded, proportional_captions(chunks, duration) if chunks else (), duration, lang, "recorded")
        return self.prepare(spoken, lang, rate=rate, markdown=False, cancelled=cancelled)

    def prepare_site(self, site: Site, lang: str, *, rate: int | None = None) -> Narration:
        """Narration for a route stop outside the hall: its name and introduction."""
        return self.prepare(textprep.site_text(site, lang), lang, rate=rate, markdown=False)

    def close(self) -> None:
        """Stop the worker and remove temporary files (cached files stay)."""
        self.worker.close()
        self.cache.close()
        shutil.rmtree(self._tmp_root, ignore_errors=True)

    def __enter__(self) -> "NarrationService":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
