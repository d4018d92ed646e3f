"""The TTS worker process: `python -m app.narration.worker [--engine auto|pyttsx3|espeak-ng]`.

It speaks a line protocol of JSON objects. On start it prints one line
`{"ready": true, "engine": "pyttsx3", "voices": [{"id", "name", "languages"}, ...]}`
(or `{"ready": false, "error": "..."}`), then answers each request line on stdin with one line:

    {"op": "synth", "text": "...", "voice": "sit/cmn", "rate": 165, "volume": 1.0, "out": "/tmp/x.wav"}
    -> {"ok": true} | {"ok": false, "error": "..."}

pyttsx3 (espeak-ng through libespeak-ng on Linux, SAPI5 on Windows, NSSpeechSynthesizer on macOS)
is the primary engine; when it cannot start and the `espeak-ng` program exists, the program is run
with `-w` instead. The parent (`app.narration.engine.SynthWorker`) applies timeouts and restarts
this process, so a hanging `runAndWait` never reaches the kiosk.

The worker never outlives its parent: it ends when its stdin closes (at once if idle, after
`EOF_GRACE_S` if a job is still running, e.g. a stuck engine), and on POSIX a watcher thread ends it
(with any espeak-ng program it started) within `PARENT_POLL_S` of the parent's death even if the
pipe stays open elsewhere. The parent's pid comes in `HONGTU_WORKER_PARENT`. (Not
PR_SET_PDEATHSIG: it fires when the parent *thread* that started the worker ends, and the kiosk
starts it from a pool thread that Qt retires when idle.)
"""
from __future__ import annotations

import argparse
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO


def _patch_espeak_driver() -> None:
    """Fix pyttsx3 2.99's espeak driver (Linux) losing the last block of samples of every file.

    Its synth callback writes the wav on the end-of-message event and only then appends the
    samples that came with that callback, so they are lost (a short text gives an empty file) or
    lead the next file. Here the samples are appended first, then the original callback runs.
    Harmless on other drivers (SAPI5, NSSS); skipped if pyttsx3's internals differ.
    """
    if sys.platform.startswith(("win", "darwin")):
        return
    import ctypes

    try:
        from pyttsx3.drivers import espeak as espeak_driver
    except Exception:  # noqa: BLE001 - no espeak driver: nothing to fix
        return
    cls = espeak_driver.EspeakDriver
    original = cls._onSynth
    if getattr(original, "_hongtu_patched", False):
        return

    def _onSynth(self, wav, numsamples, events):  # noqa: N802 - pyttsx3's name
        if getattr(self, "_speaking", False) and numsamples > 0:
            self._data_buffer += ctypes.string_at(wav, numsamples * ctypes.sizeof(ctypes.c_short))
        return original(self, wav, 0, events)

    _onSynth._hongtu_patched = True  # type: ignore[attr-defined]
    cls._onSynth = _onSynth


def _complete_wav(path: str) -> bool:
    import wave

    try:
        with wave.open(path, "rb") as w:
            return w.getnframes() > 0
    except (OSError, EOFError, wave.Error):
        return False


class EngineStateError(RuntimeError):
    """The engine is in a state where further jobs cannot be trusted; the worker exits."""


class Pyttsx3Engine:
    """pyttsx3, the primary engine. On Linux its espeak driver needs care (pyttsx3 2.99):

    - libespeak-ng runs asynchronously and `runAndWait` leaves its loop ~10 ms after starting the
      synthesis, so it often returns before the file is written (always for long texts or on a
      busy CPU): after `runAndWait` we wait until the driver has seen the end of the message;
    - the driver's `endLoop` cancels libespeak-ng's command queue if it is still busy, dropping a
      rate or volume just set (the text is then spoken at the previous rate): properties are
      applied first and the queue is drained before the text is queued;
    - the last block of samples is lost (see `_patch_espeak_driver`).
    """

    name = "pyttsx3"

    def __init__(self) -> None:
        import pyttsx3

        _patch_espeak_driver()
        self._engine = pyttsx3.init()
        self._driver = getattr(getattr(self._engine, "proxy", None), "_driver", None)
        try:
            from pyttsx3.drivers import _espeak  # Linux only
        except Exception:  # noqa: BLE001
            _espeak = None
        self._espeak = _espeak if type(self._driver).__name__ == "EspeakDriver" else None
        self._voice: str | None = None
        if self._espeak is not None:  # one throw-away job puts the driver in its idle state
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:
                self._run("a", str(Path(tmp) / "warm.wav"))

    def voices(self) -> list[dict[str, Any]]:
        result = []
        for v in self._engine.getProperty("voices"):
            langs = []
            for lang in getattr(v, "languages", None) or []:
                if isinstance(lang, bytes):
                    lang = lang.decode("utf-8", "ignore").lstrip("\x05")
                langs.append(str(lang))
            result.append({"id": str(v.id), "name": str(v.name or ""), "languages": langs})
        return result

    def _settle(self) -> None:
        """Wait until libespeak-ng has executed every queued command (the parent's timeout bounds it)."""
        if self._espeak is not None:
            while self._espeak.IsPlaying():
                time.sleep(0.002)

    def _run(self, text: str, out: str) -> None:
        self._settle()
        if hasattr(self._driver, "_data_buffer"):
            self._driver._data_buffer = b""
        self._engine.save_to_file(text, out)
        self._engine.runAndWait()
        while getattr(self._driver, "_speaking", False):
            time.sleep(0.002)

    def synth(self, text: str, voice: str, rate: int, volume: float, out: str) -> None:
        if voice != self._voice:
            self._engine.setProperty("voice", voice)
            self._voice = voice
        self._engine.setProperty("rate", int(rate))
        self._engine.setProperty("volume", float(volume))
        self._run(text, out)
        if not _complete_wav(out):
            # runAndWait came back without the job having run: the engine's queue is out of step
            # and a later job could write this file late. Only a fresh process is trustworthy.
            raise EngineStateError("runAndWait returned without a complete wav file")


class EspeakProgramEngine:
    """Fallback: the espeak-ng command-line program writing a wav with -w."""

    name = "espeak-ng"

    def __init__(self) -> None:
        self._exe = shutil.which("espeak-ng") or shutil.which("espeak")
        if not self._exe:
            raise RuntimeError("the espeak-ng program is not installed")

    def voices(self) -> list[dict[str, Any]]:
        out = subprocess.run([self._exe, "--voices"], capture_output=True, text=True, timeout=20).stdout
        voices = []
        for line in out.splitlines()[1:]:
            cols = line.split()
            if len(cols) >= 5:  # Pty Language Age/Gender VoiceName File [Other languages]
                voices.append({"id": cols[4], "name": cols[3].replace("_", " "), "languages": [cols[1]]})
        return voices

    def synth(self, text: str, voice: str, rate: int, volume: float, out: str) -> None:
        cmd = [self._exe, "-b", "1", "-v", voice, "-s", str(int(rate)), "-a", str(int(volume * 100)), "-w", out]
        proc = subprocess.run(cmd, input=text.encode("utf-8"), capture_output=True, timeout=600)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr.decode("utf-8", "replace").strip() or f"espeak-ng exited with {proc.returncode}")


def open_engine(choice: str) -> Pyttsx3Engine | EspeakProgramEngine:
    """The requested engine; with 'auto', pyttsx3 and then the espeak-ng program."""
    errors = []
    kinds = {"pyttsx3": [Pyttsx3Engine], "espeak-ng": [EspeakProgramEngine]}.get(choice, [Pyttsx3Engine, EspeakProgramEngine])
    for kind in kinds:
        try:
            return kind()
        except Exception as exc:  # noqa: BLE001 - any engine failure means: try the next one
            errors.append(f"{kind.name}: {exc}")
    raise RuntimeError("; ".join(errors))


PARENT_ENV = "HONGTU_WORKER_PARENT"
PARENT_POLL_S = 0.5
EOF_GRACE_S = 1.0


def exit_now(why: str) -> None:
    """End the worker at once, with any program it started (it leads its own process group when
    started by SynthWorker), whatever the main thread is stuck in."""
    try:
        sys.stderr.write(f"TTS worker {os.getpid()}: {why}; exiting\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    if hasattr(os, "killpg") and os.getpgrp() == os.getpid():
        try:
            os.killpg(os.getpid(), signal.SIGKILL)
        except OSError:
            pass
    os._exit(0)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. EPERM: it exists
        return True
    return True


def parent_gone(start_ppid: int, expected: int | None) -> bool:
    """Has the process that started the worker ended? Its death re-parents us (getppid changes);
    `expected` also covers a parent that died before the worker could look."""
    if os.getppid() != start_ppid:
        return True
    return expected is not None and expected != start_ppid and not _pid_alive(expected)


def watch_parent(expected: int | None = None, poll_s: float = PARENT_POLL_S) -> threading.Thread | None:
    """Start the thread that ends the worker when its parent dies (POSIX; elsewhere stdin EOF does it)."""
    if os.name != "posix":
        return None
    start_ppid = os.getppid()

    def run() -> None:
        while not parent_gone(start_ppid, expected):
            time.sleep(poll_s)
        exit_now("the process that started it is gone")

    thread = threading.Thread(target=run, name="tts-parent-watch", daemon=True)
    thread.start()
    return thread


def _read_requests(stdin: TextIO, lines: "queue.Queue[str | None]", grace_s: float = EOF_GRACE_S) -> None:
    """stdin → `lines`; at EOF (the parent closed the pipe or died) an idle worker ends through the
    main loop, and one still busy after `grace_s` (a stuck engine never reads again) is ended here."""
    try:
        for line in stdin:
            lines.put(line)
    except (OSError, ValueError):
        pass
    lines.put(None)
    time.sleep(grace_s)
    exit_now("its input closed while a job was still running")


def _parent_from_env() -> int | None:
    try:
        return int(os.environ[PARENT_ENV])
    except (KeyError, ValueError):
        return None


def _send(channel: TextIO, msg: dict[str, Any]) -> None:
    channel.write(json.dumps(msg, ensure_ascii=False) + "\n")
    channel.flush()


def serve(engine_choice: str) -> int:
    # The protocol owns the real stdout; anything a library prints goes to stderr.
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    watch_parent(_parent_from_env())
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_read_requests, args=(sys.stdin, lines), name="tts-stdin", daemon=True).start()
    try:
        engine = open_engine(engine_choice)
        voices = engine.voices()
    except Exception as exc:  # noqa: BLE001
        _send(channel, {"ready": False, "error": re.sub(r"\s+", " ", str(exc))})
        return 2
    _send(channel, {"ready": True, "engine": engine.name, "voices": voices})
    for line in iter(lines.get, None):
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            if req.get("op") == "ping":
                _send(channel, {"ok": True})
                continue
            if req.get("op") != "synth":
                _send(channel, {"ok": False, "error": f"unknown op {req.get('op')!r}"})
                continue
            out = Path(req["out"])
            if out.is_symlink() or out.is_file():  # a stale result; never a device such as /dev/null
                out.unlink()
            engine.synth(req["text"], req["voice"], req["rate"], req["volume"], req["out"])
            if not Path(req["out"]).exists():
                raise RuntimeError("the engine wrote no file")
            _send(channel, {"ok": True})
        except EngineStateError as exc:
            _send(channel, {"ok": False, "error": str(exc), "fatal": True})
            return 3
        except Exception as exc:  # noqa: BLE001 - report, keep serving
            _send(channel, {"ok": False, "error": f"{type(exc).__name__}: {exc}"})
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="auto", choices=("auto", "pyttsx3", "espeak-ng"))
    args = parser.parse_args(argv)
    return serve(args.engine)


if __name__ == "__main__":
    sys.exit(main())
