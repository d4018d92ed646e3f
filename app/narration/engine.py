"""The parent side of the TTS worker: start, time out, kill and restart `app.narration.worker`.

`SynthWorker.synth()` sends one job and waits at most `timeout_s` for the answer. A worker that
does not answer is killed (SynthesisTimeout); one that dies or reports a broken engine is
replaced by a fresh process on the next job. The worker is a plain subprocess, so a hang or a
crash inside pyttsx3/espeak never touches the kiosk process.

No worker outlives its owner: `close()` ends it (killing it if a job still holds it), a SynthWorker
dropped or left open at interpreter exit kills its process (`weakref.finalize`), and the worker
itself exits when this process dies (see `app.narration.worker`).
"""
from __future__ import annotations

import json
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from app.narration.errors import EngineUnavailable, NoVoiceError, SynthesisError, SynthesisTimeout, WorkerCrashed

log = logging.getLogger(__name__)

# Language codes an engine may report, best first, per narration language. 'cmn-latn-pinyin'
# (reads pinyin), Cantonese and Hakka voices are deliberately absent for zh.
LANGUAGE_CODES: dict[str, tuple[str, ...]] = {
    "zh": ("cmn", "zh", "zh-cn", "cmn-hans", "zh-hans", "zh-tw", "cmn-tw"),
    "en": ("en-us", "en-gb", "en", "en-gb-x-rp", "en-029"),
}
# Words in a voice's id or name that mark the language (SAPI5/NSSS voices carry few codes).
LANGUAGE_WORDS: dict[str, tuple[str, ...]] = {
    "zh": ("zh-cn", "zh_cn", "chinese (mandarin", "mandarin", "huihui", "yaoyao", "kangkang", "xiaoxiao", "ting-ting", "tingting"),
    "en": ("en-us", "en_us", "en-gb", "en_gb", "english", "zira", "david", "samantha", "alex"),
}
LANGUAGE_NAMES = {"zh": "Mandarin Chinese", "en": "English"}


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    languages: tuple[str, ...]


def choose_voice(voices: Sequence[Voice], lang: str, engine: str = "the TTS engine") -> Voice:
    """The best voice for a narration language; NoVoiceError naming what was looked for."""
    codes = LANGUAGE_CODES.get(lang, (lang,))
    norm = [(v, [c.lower().replace("_", "-") for c in v.languages]) for v in voices]
    for code in codes:
        for v, langs in norm:
            if code in langs:
                return v
    for word in LANGUAGE_WORDS.get(lang, ()):
        for v, _ in norm:
            if word in v.id.lower() or word in v.name.lower():
                return v
    name = LANGUAGE_NAMES.get(lang, lang)
    raise NoVoiceError(f"no {name} voice for language '{lang}' in {engine} ({len(voices)} voices; looked for {', '.join(codes)})")


def _end_process(proc: subprocess.Popen[bytes]) -> None:
    """Kill a worker process and its process group (espeak-ng programs it started), if still running."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, AttributeError, OSError):
            proc.kill()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            log.warning("TTS worker %s did not exit after SIGKILL", proc.pid)


def worker_command(engine: str = "auto") -> list[str]:
    """The default worker: this Python running app.narration.worker."""
    return [sys.executable, "-m", "app.narration.worker", "--engine", engine]


class SynthWorker:
    """One TTS worker process at a time; thread-safe (jobs are serialised)."""

    CLOSE_WAIT_S = 2.0  # close(): how long a running job may keep the worker before it is killed

    def __init__(self, command: Sequence[str] | None = None, timeout_s: float = 30.0,
                 start_timeout_s: float | None = None) -> None:
        self.command = list(command or worker_command())
        self.timeout_s = timeout_s
        self.start_timeout_s = start_timeout_s or max(timeout_s, 10.0)
        self.engine_name = ""
        self.voices: tuple[Voice, ...] = ()
        self.starts = 0  # processes started so far (restarts = starts - 1)
        self._proc: subprocess.Popen[bytes] | None = None
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._stderr: deque[str] = deque(maxlen=20)
        self._lock = threading.RLock()
        self._closing = False
        self._finalizer: weakref.finalize | None = None

    # --- process management -------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc and self._proc.poll() is None else None

    def start(self) -> None:
        """Start the worker if none is running and wait for its ready line."""
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                return
            self._reap()
            if self._closing:
                raise EngineUnavailable("the TTS worker is shutting down")
            env = dict(os.environ, PYTHONUNBUFFERED="1")
            env["HONGTU_WORKER_PARENT"] = str(os.getpid())  # the worker exits when this process dies
            root = str(Path(__file__).resolve().parents[2])
            env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
            try:
                proc = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, env=env, start_new_session=True)
            except OSError as exc:
                raise EngineUnavailable(f"cannot start the TTS worker {self.command[0]}: {exc.strerror}") from None
            self.starts += 1
            self._proc = proc
            # never leave it running: killed if this SynthWorker is dropped or the interpreter exits unclosed
            self._finalizer = weakref.finalize(self, _end_process, proc)
            self._lines = queue.Queue()
            threading.Thread(target=self._read_stdout, args=(proc, self._lines), daemon=True, name="tts-stdout").start()
            threading.Thread(target=self._read_stderr, args=(proc, self._stderr), daemon=True, name="tts-stderr").start()
            try:
                hello = self._receive(self.start_timeout_s, "starting")
            except SynthesisTimeout as exc:
                raise EngineUnavailable(str(exc)) from None
            except WorkerCrashed as exc:
                raise EngineUnavailable(str(exc)) from None
            if not hello.get("ready"):
                self.kill()
                raise EngineUnavailable(f"no TTS engine: {hello.get('error', 'the worker did not start')}")
            self.engine_name = str(hello.get("engine", "?"))
            self.voices = tuple(Voice(str(v["id"]), str(v.get("name", "")), tuple(v.get("languages") or ()))
                                for v in hello.get("voices", []))
            log.info("TTS worker %s started (engine %s, %d voices)", proc.pid, self.engine_name, len(self.voices))

    def kill(self) -> None:
        """Kill the worker (and anything it started) now."""
        with self._lock:
            proc = self._proc
            if proc is None:
                return
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError, AttributeError):
                    proc.kill()
            self._reap()

    def close(self) -> None:
        """Ask the worker to exit (closing its stdin), killing it if it lingers.

        A job still running on it after CLOSE_WAIT_S (a stuck engine) is ended by killing the
        process; that job fails with WorkerCrashed and starts no new worker.
        """
        self._closing = True
        try:
            if not self._lock.acquire(timeout=self.CLOSE_WAIT_S):
                proc = self._proc
                if proc is not None:
                    log.warning("TTS worker %s still busy at close; killing it", proc.pid)
                    _end_process(proc)
                self._lock.acquire()
            try:
                proc = self._proc
                if proc is None:
                    return
                try:
                    if proc.stdin:
                        proc.stdin.close()
                    proc.wait(timeout=2)
                except (OSError, subprocess.TimeoutExpired):
                    pass
                self.kill()
            finally:
                self._lock.release()
        finally:
            self._closing = False

    def _reap(self) -> None:
        proc, self._proc = self._proc, None
        finalizer, self._finalizer = self._finalizer, None
        if finalizer is not None:
            finalizer.detach()
        if proc is not None:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                log.warning("TTS worker %s did not exit after SIGKILL", proc.pid)
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                try:
                    if stream:
                        stream.close()
                except OSError:
                    pass

    @staticmethod
    def _read_stdout(proc: subprocess.Popen[bytes], lines: queue.Queue[bytes | None]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    @staticmethod
    def _read_stderr(proc: subprocess.Popen[bytes], lines: deque[str]) -> None:
        # static: the reader threads hold no reference to the SynthWorker, so dropping it runs its finalizer
        assert proc.stderr is not None
        for raw in proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip()
            if line and not line.startswith("Audio saved to"):
                lines.append(line)
                log.debug("TTS worker %s: %s", proc.pid, line)

    def _receive(self, timeout: float, doing: str) -> dict[str, Any]:
        proc = self._proc
        assert proc is not None
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pid = proc.pid
                self.kill()
                raise SynthesisTimeout(f"TTS worker {pid} gave no answer within {timeout:g} s while {doing}; killed it") from None
            if line is None:
                code = proc.wait()
                self._reap()
                detail = f"; last error: {self._stderr[-1]}" if self._stderr else ""
                how = f"signal {-code}" if code < 0 else f"exit code {code}"
                raise WorkerCrashed(f"TTS worker {proc.pid} ended ({how}) while {doing}{detail}")
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                log.debug("TTS worker: ignoring stray output %r", line[:200])

    # --- jobs ----------------------------------------------------------------------------

    def synth(self, text: str, voice: str, rate: int, volume: float, out: Path) -> None:
        """Synthesise `text` into the wav file `out`; raises a SynthesisError subclass on failure."""
        with self._lock:
            self.start()
            proc = self._proc
            assert proc is not None and proc.stdin is not None
            job = {"op": "synth", "text": text, "voice": voice, "rate": int(rate), "volume": float(volume), "out": str(out)}
            try:
                proc.stdin.write((json.dumps(job, ensure_ascii=False) + "\n").encode("utf-8"))
                proc.stdin.flush()
            except OSError:
                pass  # the worker is gone; _receive reports how it ended
            answer = self._receive(self.timeout_s, f"speaking {len(text)} characters")
            if answer.get("fatal"):
                self.kill()
                raise WorkerCrashed(f"TTS engine broke: {answer.get('error')}; a fresh worker takes the next job")
            if not answer.get("ok"):
                raise SynthesisError(f"TTS engine failed: {answer.get('error')}")
