"""The narration cache: keys, LRU eviction under a size limit, atomic files, a full disk."""
import errno
import shutil
import wave

import pytest

from app.narration import cache as cache_mod
from app.narration.cache import NarrationCache, cache_key
from app.narration.service import NarrationService
from app.narration.engine import SynthWorker
from narration_fakes import fake_worker_command, narration_config


def make_wav(path, seconds=0.5, rate=8000):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\x01\x00" * int(seconds * rate))
    return path


def test_key_depends_on_text_language_voice_and_rate():
    base = cache_key(["你好。"], "zh", "sit/cmn", 165)
    assert base == cache_key(["你好。"], "zh", "sit/cmn", 165)
    others = {cache_key(["你好！"], "zh", "sit/cmn", 165), cache_key(["你好。"], "en", "sit/cmn", 165),
              cache_key(["你好。"], "zh", "gmw/en-us", 165), cache_key(["你好。"], "zh", "sit/cmn", 170)}
    assert base not in others and len(others) == 4
    assert len(base) == 64 and int(base, 16) >= 0  # sha256 hex


def test_put_get_and_lru_eviction(tmp_path):
    src = make_wav(tmp_path / "src.wav", 0.5)  # 8044 bytes
    size = src.stat().st_size
    cache = NarrationCache(tmp_path / "c", max_bytes=3 * size + 10)
    for k in "abc":
        assert cache.put(k * 64, src, 0.5, [("句子", 0.0, 0.5)], "zh", "v") == tmp_path / "c" / f"{k * 64}.wav"
    assert cache.get("a" * 64) is not None  # a is now more recent than b
    cache.put("d" * 64, src, 0.5, [], "zh", "v")  # over the limit: b (least recently used) goes
    assert cache.get("b" * 64) is None and not (tmp_path / "c" / f"{'b' * 64}.wav").exists()
    for k in "acd":
        entry = cache.get(k * 64)
        assert entry is not None and entry.path.exists()
    assert len(cache) == 3 and cache.total_bytes() <= cache.max_bytes
    assert cache.get("a" * 64).captions in ((("句子", 0.0, 0.5),), ())
    assert not list((tmp_path / "c").glob("*.tmp"))  # atomic: no temporary names left


def test_a_file_deleted_behind_the_cache_is_a_miss(tmp_path):
    src = make_wav(tmp_path / "src.wav")
    cache = NarrationCache(tmp_path / "c", max_bytes=10**6)
    path = cache.put("e" * 64, src, 0.5, [], "zh", "v")
    path.unlink()
    assert cache.get("e" * 64) is None and len(cache) == 0


def test_file_larger_than_the_limit_is_not_cached(tmp_path):
    src = make_wav(tmp_path / "src.wav", 2.0)
    cache = NarrationCache(tmp_path / "c", max_bytes=1000)
    assert cache.put("f" * 64, src, 2.0, [], "zh", "v") is None
    assert cache.enabled and len(cache) == 0


def test_full_disk_stops_caching_but_narration_still_plays(tmp_path, monkeypatch, caplog):
    cfg = narration_config(tmp_path)
    service = NarrationService(cfg, worker=SynthWorker(fake_worker_command(tmp_path), timeout_s=10))
    try:
        def no_space(src, dst, *a, **k):
            with open(dst, "wb") as f:
                f.write(b"RIFF")  # a partial write, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(cache_mod.shutil, "copyfile", no_space)
        first = service.prepare("第一段讲解。", "zh")
        assert first.source == "tts" and first.path.exists() and first.duration_s > 0
        assert not first.path.is_relative_to(cfg.narration.cache_dir)  # played from a temporary file
        assert not service.cache.enabled and "No space left" in service.cache.disabled_reason
        assert "narration cache off" in caplog.text
        assert not list(cfg.narration.cache_dir.glob("*.wav")) and not list(cfg.narration.cache_dir.glob(".*.tmp"))
        monkeypatch.setattr(cache_mod.shutil, "copyfile", shutil.copyfile)
        second = service.prepare("第二段讲解。", "zh")  # caching stays off for this run; narration goes on
        assert second.source == "tts" and second.path.exists()
        assert len(service.cache) == 0
    finally:
        service.close()


def test_unwritable_cache_folder_disables_the_cache(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = NarrationCache(blocker / "cache", max_bytes=10**6)
    assert not cache.enabled and "cannot open the cache" in cache.disabled_reason
    assert cache.get("a" * 64) is None
    assert cache.put("a" * 64, make_wav(tmp_path / "s.wav"), 0.5, [], "zh", "v") is None


@pytest.mark.parametrize("limit_mb", [1])
def test_service_cache_hit_returns_the_same_file_and_captions(tmp_path, limit_mb):
    service = NarrationService(narration_config(tmp_path, cache_max_mb=limit_mb),
                               worker=SynthWorker(fake_worker_command(tmp_path), timeout_s=10))
    try:
        a = service.prepare("古田会议。1929年召开。", "zh")
        b = service.prepare("古田会议。1929年召开。", "zh")
        assert (a.source, b.source) == ("tts", "cache")
        assert a.path == b.path and a.sentences == b.sentences and a.duration_s == b.duration_s
        c = service.prepare("古田会议。1929年召开。", "zh", rate=200)  # another rate: another entry
        assert c.source == "tts" and c.path != a.path
    finally:
        service.close()
