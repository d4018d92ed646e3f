"""Test doubles for the narration worker: a fake engine process speaking the worker protocol."""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from app.config import KioskConfig

FAKE_WORKER = r'''
import json, math, os, struct, sys, time, wave
mode = sys.argv[1] if len(sys.argv) > 1 else "ok"
if mode == "hang-start":
    time.sleep(120)
if mode == "no-engine":
    print(json.dumps({"ready": False, "error": "libespeak-ng.so.1: cannot open shared object file"}), flush=True)
    sys.exit(2)
voices = [{"id": "fake/cmn", "name": "Fake Mandarin", "languages": ["cmn"]},
          {"id": "fake/en-us", "name": "Fake English", "languages": ["en-us"]}]
if mode == "english-only":
    voices = voices[1:]
print(json.dumps({"ready": True, "engine": "fake", "voices": voices}), flush=True)
for line in sys.stdin:
    req = json.loads(line)
    if mode == "hang-synth" or "SLOW" in req["text"]:
        time.sleep(120)
    rate = 8000
    n = int(rate * 0.05 * max(1, len(req["text"])))  # 50 ms per character: timing is checkable
    frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate))) for i in range(n))
    with wave.open(req["out"], "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate); w.writeframes(frames)
    print(json.dumps({"ok": True}), flush=True)
'''


def fake_worker_command(tmp_path: Path, mode: str = "ok") -> list[str]:
    script = tmp_path / "fake_worker.py"
    script.write_text(FAKE_WORKER, encoding="utf-8")
    return [sys.executable, str(script), mode]


def narration_config(tmp_path: Path, **narration: object) -> KioskConfig:
    base = KioskConfig(data_dir=tmp_path / "data")
    return dataclasses.replace(base, narration=dataclasses.replace(base.narration, cache_dir=tmp_path / "cache", **narration))
