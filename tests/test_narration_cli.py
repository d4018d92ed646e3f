"""`hongtu narrate` and `hongtu pack narrate`, run as a staff member would, audio measured."""
import os
import re
import shutil
import subprocess
import sys
import wave

import numpy as np
import pytest

from packbuilder import pack_files, write_pack


def hongtu(tmp_path, *args, stdin=None):
    env = dict(os.environ, HONGTU_CONFIG=str(tmp_path / "none.yaml"), HONGTU_DATA_DIR=str(tmp_path / "data"),
               HONGTU_NARRATION_CACHE_DIR=str(tmp_path / "cache"))
    (tmp_path / "none.yaml").write_text("{}\n", encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env,
                          input=stdin, timeout=120, cwd=os.path.dirname(os.path.dirname(__file__)))


def measure(path):
    """(duration s, RMS amplitude 0..1) of a 16-bit wav."""
    with wave.open(str(path)) as w:
        a = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(float) / 32768
        return w.getnframes() / w.getframerate(), float(np.sqrt((a ** 2).mean()))


@pytest.mark.parametrize("lang, text", [("zh", "红军长征于1934年10月开始，行程两万五千里。"),
                                        ("en", "Welcome to the Fujian red culture hall.")])
def test_narrate_writes_a_wav_that_is_long_enough_and_not_silent(tmp_path, lang, text):
    out = tmp_path / f"sample-{lang}.wav"
    r = hongtu(tmp_path, "narrate", text, "--lang", lang, "--out", str(out), "--captions")
    assert r.returncode == 0, r.stderr
    # one sentence each: '1 caption', not '1 captions'
    assert re.match(r"\d+\.\d\d s of audio, 1 caption, voice \S+, engine pyttsx3", r.stdout)
    assert r.stdout.count("\n  ") == 1  # --captions: one line per caption
    duration, rms = measure(out)
    assert duration > 0.5 and rms > 0.001
    if shutil.which("sox"):
        d = float(subprocess.run(["sox", "--i", "-D", str(out)], capture_output=True, text=True).stdout)
        assert d == pytest.approx(duration, abs=0.01)
        stat = subprocess.run(["sox", str(out), "-n", "stat"], capture_output=True, text=True).stderr
        assert float(re.search(r"RMS\s+amplitude:\s+([\d.]+)", stat)[1]) > 0.001


def test_narrate_reads_stdin_and_rejects_empty_text(tmp_path):
    r = hongtu(tmp_path, "narrate", "-", "--lang", "zh", "--out", str(tmp_path / "a.wav"), stdin="1921年。")
    assert r.returncode == 0, r.stderr
    r = hongtu(tmp_path, "narrate", "   ", "--lang", "zh", "--out", str(tmp_path / "b.wav"))
    assert r.returncode != 0 and "nothing to narrate" in r.stderr and not (tmp_path / "b.wav").exists()


def test_narrate_lists_voices(tmp_path):
    r = hongtu(tmp_path, "narrate", "--voices")
    assert r.returncode == 0, r.stderr
    assert "zh: sit/cmn" in r.stdout and "en: gmw/en-us" in r.stdout


def test_pack_narrate_prerenders_every_exhibit_and_stop_then_finds_them_cached(tmp_path):
    root = write_pack(tmp_path / "pack", pack_files())
    r = hongtu(tmp_path, "pack", "narrate", str(root))
    assert r.returncode == 0, r.stdout + r.stderr
    # 2 exhibits + 1 site stop, in zh and en = 6; the zh recording of gutian-meeting is used as is
    assert "[6/6]" in r.stdout and "exhibit gutian-meeting [zh]: recording" in r.stdout
    assert "6 narrations" in r.stdout and "5 rendered, 0 already cached, 1 recorded" in r.stdout
    assert len(list((tmp_path / "cache").glob("*.wav"))) == 5
    again = hongtu(tmp_path, "pack", "narrate", str(root), "--lang", "zh")
    assert again.returncode == 0 and "0 rendered, 2 already cached, 1 recorded" in again.stdout


def test_pack_narrate_refuses_a_broken_pack(tmp_path):
    files = pack_files()
    files["halls.yaml"][1]["parent"] = "nowhere"
    root = write_pack(tmp_path / "pack", files)
    r = hongtu(tmp_path, "pack", "narrate", str(root))
    assert r.returncode == 1 and "halls.yaml" in r.stderr and "hongtu pack validate" in r.stderr


def test_counts_are_singular_for_one():
    from app.cli.narration import counted

    assert [counted(n, "caption") for n in (0, 1, 2)] == ["0 captions", "1 caption", "2 captions"]
    assert counted(1, "narration") == "1 narration" and counted(3, "voice") == "3 voices"
