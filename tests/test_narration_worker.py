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
