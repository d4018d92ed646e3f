"""The TTS worker process: timeouts, crashes and restarts never reach the caller as a hang."""
import os
import signal
import threading
import time

import pytest

from app.narration.engine import SynthWorker, Voice, choose_voice
from app.narration.errors import EngineUnavailable, NoVoiceError, SynthesisTimeout, WorkerCrashed
from app.narration.service import NarrationService
from narration_fakes import fake_worker_command, narration_config


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie still answers kill(0); check its state
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


def test_hung_engine_times_out_is_killed_and_the_next_job_runs_on_a_fresh_worker(tmp_path):
    worker = SynthWorker(fake_worker_command(tmp_path), timeout_s=1.0)
    try:
        worker.synth("正常。", "fake/cmn", 165, 1.0, tmp_path / "a.wav")
        first = worker.pid
        with pytest.raises(SynthesisTimeout, match="no answer within 1 s"):
            worker.synth("SLOW 卡住的引擎", "fake/cmn", 165, 1.0, tmp_path / "b.wav")
        assert worker.pid is None and not alive(first)
        worker.synth("恢复了。", "fake/cmn", 165, 1.0, tmp_path / "c.wav")
        assert worker.pid not in (None, first) and worker.starts == 2
        assert (tmp_path / "c.wav").stat().st_size > 44
    finally:
        worker.close()


def test_engine_that_never_starts_is_reported_unavailable(tmp_path):
    worker = SynthWorker(fake_worker_command(tmp_path, "hang-start"), timeout_s=1.0, start_timeout_s=1.0)
    with pytest.raises(EngineUnavailable, match="no answer within 1 s while starting"):
        worker.start()
    assert worker.pid is None


def test_engine_that_fails_to_load_is_reported_with_its_reason(tmp_path):
    service = NarrationService(narration_config(tmp_path),
                               worker=SynthWorker(fake_worker_command(tmp_path, "no-engine"), timeout_s=2))
    try:
        a = service.available("zh")
        assert not a and "libespeak-ng.so.1" in a.reason
    finally:
        service.close()


def test_worker_killed_mid_synthesis(tmp_path):
    worker = SynthWorker(fake_worker_command(tmp_path), timeout_s=30)
    try:
        worker.start()
        pid = worker.pid
        threading.Timer(0.3, lambda: os.kill(pid, signal.SIGKILL)).start()
        t0 = time.monotonic()
        with pytest.raises(WorkerCrashed, match="signal 9"):
            worker.synth("SLOW 这一段会被打断", "fake/cmn", 165, 1.0, tmp_path / "x.wav")
        assert time.monotonic() - t0 < 20  # reported at once, not after the timeout
        worker.synth("下一段。", "fake/cmn", 165, 1.0, tmp_path / "y.wav")
        assert worker.pid != pid and (tmp_path / "y.wav").exists()
    finally:
        worker.close()


def test_service_restarts_the_real_pyttsx3_worker_after_it_was_killed(tmp_path):
    service = NarrationService(narration_config(tmp_path))
    try:
        first = service.prepare("第一段。", "zh", use_cache=False)
        pid = service.worker.pid
        assert first.duration_s > 0.3 and pid
        os.kill(pid, signal.SIGKILL)
        second = service.prepare("第二段，杀掉以后。", "zh", use_cache=False)
        assert second.duration_s > 0.3 and service.worker.pid not in (None, pid)
    finally:
        service.close()
    assert not alive(pid)


def test_no_voice_for_a_language_is_reported_clearly(tmp_path):
    service = NarrationService(narration_config(tmp_path),
                               worker=SynthWorker(fake_worker_command(tmp_path, "english-only"), timeout_s=5))
    try:
        assert service.available("en")
        zh = service.available("zh")
        assert not zh and "no Mandarin Chinese voice for language 'zh'" in zh.reason
        with pytest.raises(NoVoiceError):
            service.prepare("你好。", "zh")
    finally:
        service.close()


def test_voice_choice_prefers_mandarin_and_skips_pinyin_and_cantonese():
    voices = [Voice("sit/yue", "Chinese (Cantonese)", ("yue",)),
              Voice("sit/cmn-latn-pinyin", "Chinese (Mandarin, latin as Pinyin)", ("cmn-latn-pinyin",)),
              Voice("sit/cmn", "Chinese (Mandarin, latin as English)", ("cmn",)),
              Voice("gmw/en", "English (Great Britain)", ("en-gb",)),
              Voice("gmw/en-us", "English (America)", ("en-us",))]
    assert choose_voice(voices, "zh").id == "sit/cmn"
    assert choose_voice(voices, "en").id == "gmw/en-us"
    sapi = [Voice(r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Speech\Voices\Tokens\TTS_MS_ZH-CN_HUIHUI_11.0",
                  "Microsoft Huihui Desktop - Chinese (Simplified)", ())]
    assert choose_voice(sapi, "zh") is sapi[0]
    with pytest.raises(NoVoiceError, match="no English voice"):
        choose_voice(sapi, "en")


def test_disabled_narration_is_unavailable(tmp_path):
    service = NarrationService(narration_config(tmp_path, enabled=False),
                               worker=SynthWorker(fake_worker_command(tmp_path), timeout_s=5))
    try:
        a = service.available("zh")
        assert not a and "narration.enabled" in a.reason
    finally:
        service.close()


# --- the worker never outlives its parent ------------------------------------------------------

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# app.narration.worker with an engine that hangs in every job (a stuck pyttsx3/espeak)
HANGING_WORKER = r"""
import sys, time
from app.narration import worker

class Hanging:
    name = "hanging"
    def voices(self):
        return [{"id": "fake/cmn", "name": "Fake Mandarin", "languages": ["cmn"]}]
    def synth(self, *args):
        time.sleep(600)

worker.open_engine = lambda choice: Hanging()
sys.exit(worker.main([]))
"""

# The kiosk stand-in: starts a worker, then waits to be killed. Modes: idle; busy (a job stuck in
# the engine); held (a forked child keeps the worker's stdin pipe open, so no EOF ever comes).
PARENT = r"""
import os, sys, tempfile, threading, time
from pathlib import Path
from app.narration.engine import SynthWorker, worker_command

mode = sys.argv[1]
command = worker_command() if mode == "idle" else [sys.executable, "-c", sys.argv[2]]
w = SynthWorker(command, timeout_s=300)
w.start()
held = 0
if mode == "busy":
    threading.Thread(target=w.synth, args=("卡住", "fake/cmn", 165, 1.0, Path(tempfile.mkdtemp()) / "out.wav"), daemon=True).start()
    time.sleep(0.3)
elif mode == "held":
    held = os.fork()
    if held == 0:
        time.sleep(60)
        os._exit(0)
print("READY", w.pid, held, flush=True)
time.sleep(120)
"""


def wait_gone(pid, within_s=10.0):
    deadline = time.monotonic() + within_s
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not alive(pid)


@pytest.mark.parametrize("mode", ["idle", "busy", "held"])
def test_worker_exits_when_its_parent_is_killed(mode):
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=REPO)
    parent = subprocess.Popen([sys.executable, "-c", PARENT, mode, HANGING_WORKER], stdout=subprocess.PIPE,
                              text=True, env=env, cwd=REPO)
    held = 0
    try:
        line = parent.stdout.readline()
        assert line.startswith("READY"), line
        _, worker_pid, held = line.split()
        worker_pid, held = int(worker_pid), int(held)
        assert alive(worker_pid)
        parent.kill()  # SIGKILL: no close(), no atexit, nothing
        parent.wait(timeout=10)
        assert wait_gone(worker_pid), f"worker {worker_pid} outlived its parent ({mode})"
    finally:
        parent.kill()
        parent.wait(timeout=10)
        if held:
            os.kill(held, signal.SIGKILL)


def test_worker_stuck_in_a_job_exits_when_its_input_closes(tmp_path):
    import json
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=REPO)
    proc = subprocess.Popen([sys.executable, "-c", HANGING_WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=REPO)
    try:
        assert json.loads(proc.stdout.readline())["ready"]
        job = {"op": "synth", "text": "卡住", "voice": "fake/cmn", "rate": 165, "volume": 1.0, "out": str(tmp_path / "out.wav")}
        proc.stdin.write((json.dumps(job) + "\n").encode())
        proc.stdin.flush()
        time.sleep(0.2)
        proc.stdin.close()  # the parent is alive, but has let go of it
        proc.wait(timeout=10)
        assert b"its input closed while a job was still running" in proc.stderr.read()
    finally:
        proc.kill()
        proc.wait()


def test_close_ends_a_worker_stuck_in_a_job_and_starts_no_other(tmp_path):
    import sys

    worker = SynthWorker([sys.executable, "-c", HANGING_WORKER], timeout_s=300)
    worker.start()
    pid = worker.pid
    errors = []

    def job():
        try:
            worker.synth("卡住", "fake/cmn", 165, 1.0, tmp_path / "x.wav")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    t = threading.Thread(target=job)
    t.start()
    time.sleep(0.3)
    worker.close()  # the kiosk exits while the engine hangs
    t.join(timeout=10)
    assert not t.is_alive() and isinstance(errors[0], WorkerCrashed)
    assert not alive(pid) and worker.pid is None and worker.starts == 1


def test_a_worker_left_unclosed_is_killed_when_its_owner_goes(tmp_path):
    import gc

    worker = SynthWorker(fake_worker_command(tmp_path), timeout_s=10)
    worker.start()
    pid = worker.pid
    del worker
    gc.collect()
    assert wait_gone(pid, 5)
