"""NarrationService with the real offline engine (pyttsx3 → espeak-ng) and with recordings in a pack."""
import logging
import wave

import numpy as np
import pytest

from app.content.loader import load_pack
from app.narration.engine import SynthWorker
from app.narration.errors import NothingToNarrate
from app.narration.service import NarrationService, proportional_captions
from narration_fakes import fake_worker_command, narration_config
from packbuilder import MINIMAL_MEDIA, pack_files, write_pack


def rms(path):
    with wave.open(str(path)) as w:
        a = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(float) / 32768
    return float(np.sqrt((a ** 2).mean()))


@pytest.fixture(scope="module")
def real_service(tmp_path_factory):
    service = NarrationService(narration_config(tmp_path_factory.mktemp("real")))
    yield service
    service.close()


@pytest.mark.parametrize("lang, text", [
    ("zh", "古田会议于1929年12月在上杭召开。会议确立了思想建党、政治建军的原则！"),
    ("en", "The Gutian Meeting was held in December 1929. It set out how to build the party."),
])
def test_real_engine_speaks_with_timed_captions(real_service, lang, text):
    n = real_service.prepare(text, lang)
    assert n.source == "tts" and n.lang == lang
    assert n.voice == ("sit/cmn" if lang == "zh" else "gmw/en-us")
    with wave.open(str(n.path)) as w:
        assert abs(w.getnframes() / w.getframerate() - n.duration_s) < 1e-3
    assert n.duration_s > 2.0 and rms(n.path) > 0.01
    assert len(n.sentences) == 2
    assert n.sentences[0].start_s == 0 and n.sentences[-1].end_s == pytest.approx(n.duration_s, abs=1e-2)
    assert all(a.end_s == b.start_s for a, b in zip(n.sentences, n.sentences[1:]))
    assert n.caption_at(n.sentences[1].start_s + 0.01) == n.sentences[1]
    if lang == "zh":
        assert n.sentences[0].text.startswith("古田会议于一九二九年十二月")
    again = real_service.prepare(text, lang)
    assert again.source == "cache" and again.path == n.path


def test_empty_text_raises_nothing_to_narrate(real_service):
    with pytest.raises(NothingToNarrate):
        real_service.prepare("  \n ", "zh")


def test_proportional_captions_follow_characters():
    caps = proportional_captions(["一二三四", "五六"], 6.0)
    assert [(c.start_s, c.end_s) for c in caps] == [(0.0, 4.0), (4.0, 6.0)]


@pytest.fixture()
def pack_service(tmp_path):
    service = NarrationService(narration_config(tmp_path), worker=SynthWorker(fake_worker_command(tmp_path), timeout_s=10))
    yield service
    service.close()


def write_test_pack(root, media=None):
    files = pack_files()
    return load_pack(write_pack(root, files, media or dict(MINIMAL_MEDIA)))


def test_recorded_narration_takes_precedence(tmp_path, pack_service):
    pack = write_test_pack(tmp_path / "pack")
    ex = pack.exhibit("gutian-meeting")
    n = pack_service.prepare_exhibit(pack, ex, "zh")
    assert n.source == "recorded" and n.path == (pack.root / "media/audio/gutian-zh.wav").resolve()
    assert n.duration_s == pytest.approx(0.1)
    assert n.sentences and n.sentences[-1].end_s == pytest.approx(0.1, abs=1e-3)
    en = pack_service.prepare_exhibit(pack, ex, "en")  # no English recording: TTS
    assert en.source == "tts" and en.sentences[0].text == "A key meeting held in 1929."


def test_corrupt_recording_falls_back_to_tts_with_a_warning(tmp_path, pack_service, caplog):
    media = dict(MINIMAL_MEDIA)
    media["audio/gutian-zh.wav"] = MINIMAL_MEDIA["audio/gutian-zh.wav"][:60]  # truncated
    pack = write_test_pack(tmp_path / "pack", media)
    with caplog.at_level(logging.WARNING):
        n = pack_service.prepare_exhibit(pack, pack.exhibit("gutian-meeting"), "zh")
    assert n.source == "tts" and n.duration_s > 0
    assert "gutian-meeting.narration.zh" in caplog.text and "using TTS" in caplog.text


@pytest.mark.parametrize("blob, ok", [
    (b"OggS" + bytes(24) + b"\x01vorbis" + bytes(4) + b"\x01" + (22050).to_bytes(4, "little") + bytes(200)
     + b"OggS\x00\x04" + (22050 * 3).to_bytes(8, "little") + bytes(20), True),
    (b"OggS" + bytes(300), False),  # no codec header
    (b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" + bytes(16000), True),
    (b"<html>not audio</html>" + bytes(200), False),
])
def test_ogg_and_mp3_recordings_are_checked_by_header(tmp_path, pack_service, blob, ok):
    suffix = ".ogg" if blob.startswith(b"OggS") else ".mp3"
    media = dict(MINIMAL_MEDIA)
    media[f"audio/gutian-zh{suffix}"] = blob
    files = pack_files()
    files["exhibits/gutian-meeting.yaml"]["narration"] = {"zh": f"audio/gutian-zh{suffix}"}
    pack = load_pack(write_pack(tmp_path / "pack", files, media))
    n = pack_service.prepare_exhibit(pack, pack.exhibit("gutian-meeting"), "zh")
    assert (n.source == "recorded") is ok
    if ok:
        assert n.duration_s == pytest.approx(3.0 if suffix == ".ogg" else 1.0, rel=0.05)


def test_recording_outside_media_is_refused(tmp_path, pack_service, caplog):
    pack = write_test_pack(tmp_path / "pack")
    (tmp_path / "secret.wav").write_bytes(MINIMAL_MEDIA["audio/gutian-zh.wav"])
    import dataclasses
    ex = dataclasses.replace(pack.exhibit("gutian-meeting"), narration={"zh": "../../secret.wav"})
    with caplog.at_level(logging.WARNING):
        n = pack_service.prepare_exhibit(pack, ex, "zh")
    assert n.source == "tts" and "leaves the pack's media folder" in caplog.text


def test_route_site_narration(tmp_path, pack_service):
    pack = write_test_pack(tmp_path / "pack")
    site = pack.routes[0].stops[1].site
    n = pack_service.prepare_site(site, "zh")
    assert [c.text for c in n.sentences] == ["古田会议旧址。", "会议召开的地方。"]


def test_a_long_synthesis_stops_between_chunks_when_cancelled(pack_service):
    from app.narration.errors import NarrationCancelled

    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3  # the caller gives up while the fourth chunk is due

    text = "。".join(f"第{i}句讲解" for i in range(50)) + "。"
    with pytest.raises(NarrationCancelled, match="after 3 of 50 chunks"):
        pack_service.prepare(text, "zh", cancelled=cancelled)
    assert len(pack_service.cache) == 0
    assert pack_service.prepare("下一段。", "zh").source == "tts"  # the service is free again
