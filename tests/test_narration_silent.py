"""A terminal without an audio output: NarrationPlayer runs silent (captions on a clock, no
QtMultimedia object at all), follows outputs coming and going, and `hongtu doctor` says so."""
import wave

import pytest
from PySide6.QtCore import Signal

from app.narration.engine import SynthWorker
from app.narration.service import NarrationService
from app.ui.viewmodels.narration import _SilentPlayback
from narration_fakes import fake_worker_command, narration_config

TEXT = "古田会议确立了思想建党政治建军原则。会议在上杭古田召开。"  # ≈ 1.5 s from the fake engine
SENTENCES = ["古田会议确立了思想建党政治建军原则。", "会议在上杭古田召开。"]


class FakeMedia(_SilentPlayback):
    """Stands in for `_MediaPlayback` (QMediaPlayer + QAudioOutput), which this machine, having no
    audio device, must not drive: same interface, timed by the wav's length."""

    durationChanged = Signal(int)
    failed = Signal(str)
    made: list["FakeMedia"] = []

    def __init__(self, volume, parent=None):  # noqa: ANN001
        super().__init__(parent)
        self.volume, self.path, self.discarded = volume, "", False
        FakeMedia.made.append(self)

    def load(self, path: str) -> None:  # type: ignore[override]
        self.path = path
        with wave.open(path) as w:
            ms = int(1000 * w.getnframes() / w.getframerate())
        super().load(ms)
        self.durationChanged.emit(ms)

    def setVolume(self, v: float) -> None:  # noqa: N802
        self.volume = v

    def discard(self) -> None:
        self.discarded = True
        self.stop()
        self.blockSignals(True)


@pytest.fixture
def service(tmp_path):
    s = NarrationService(narration_config(tmp_path), worker=SynthWorker(fake_worker_command(tmp_path), timeout_s=10))
    yield s
    s.close()


def make_player(qtbot, service, **kw):  # noqa: ANN001, ANN201
    from app.ui.viewmodels.narration import NarrationPlayer

    p = NarrationPlayer(service, volume=0.7, **kw)
    qtbot.waitUntil(lambda: "zh" in p._availability, timeout=10_000)
    return p


def test_without_an_audio_output_captions_run_on_a_clock_and_no_qtmultimedia_is_touched(qapp, qtbot, service):
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

    player = make_player(qtbot, service, sound_probe=lambda: False)
    try:
        assert not player.soundAvailable and player.available and player.message == ""
        captions = []
        player.positionChanged.connect(lambda: captions.append(player.caption))
        player.stop()  # what every session reset does: nothing to stop, nothing touched
        player.playText(TEXT, "zh")
        qtbot.waitUntil(lambda: player.state == "playing", timeout=10_000)
        assert player.duration == pytest.approx(player.narration.duration_s, abs=1e-3)
        qtbot.waitUntil(lambda: player.position > 0.2, timeout=5_000)
        player.pause()
        held = player.position
        qtbot.wait(300)
        assert player.state == "paused" and player.position == pytest.approx(held, abs=1e-3)
        player.seek(0.9)  # into the second sentence
        assert player.position == pytest.approx(0.9 * player.duration, abs=0.01)
        player.volume = 0.3  # remembered for when sound returns
        player.resume()
        with qtbot.waitSignal(player.finished, timeout=10_000):
            pass
        assert player.state == "idle" and player.caption == "" and player.progress == 0
        assert [c for c in dict.fromkeys(captions) if c] == SENTENCES
        player.playText("第二段讲解。", "zh")
        qtbot.waitUntil(lambda: player.state == "playing", timeout=10_000)
        player.stop()
        assert player.state == "idle" and player.volume == pytest.approx(0.3)
        assert player.findChildren(QMediaPlayer) == [] and player.findChildren(QAudioOutput) == []
    finally:
        player.shutdown()


def test_losing_the_output_moves_playback_onto_the_clock_and_a_new_output_is_used_next(qapp, qtbot, service):
    sound = [True]
    FakeMedia.made.clear()
    player = make_player(qtbot, service, sound_probe=lambda: sound[0], media_factory=FakeMedia)
    changes = []
    player.changed.connect(lambda: changes.append(player.soundAvailable))
    try:
        assert player.soundAvailable and FakeMedia.made == []  # created at the first narration, not before
        player.playText(TEXT, "zh")
        qtbot.waitUntil(lambda: player.state == "playing", timeout=10_000)
        (media,) = FakeMedia.made
        assert media.path == str(player.narration.path) and media.volume == pytest.approx(0.7)
        qtbot.waitUntil(lambda: player.position > 0.3, timeout=5_000)
        before = player.position
        sound[0] = False
        player.refresh_sound()  # what QMediaDevices.audioOutputsChanged calls
        assert not player.soundAvailable and changes[-1] is False and media.discarded
        assert player.state == "playing" and player.position >= before - 0.01  # same place, now silent
        with qtbot.waitSignal(player.finished, timeout=10_000):
            pass
        assert player.state == "idle" and len(FakeMedia.made) == 1

        sound[0] = True
        player.refresh_sound()
        assert player.soundAvailable and changes[-1] is True
        player.playText("第二段讲解。", "zh")
        qtbot.waitUntil(lambda: player.state == "playing", timeout=10_000)
        assert len(FakeMedia.made) == 2 and not FakeMedia.made[1].discarded
        player.volume = 0.4
        assert FakeMedia.made[1].volume == pytest.approx(0.4)
        with qtbot.waitSignal(player.finished, timeout=10_000):
            pass
    finally:
        player.shutdown()


def test_a_failing_output_probe_means_silent_not_a_crash(qapp, qtbot, service):
    def broken():
        raise RuntimeError("no audio backend")

    player = make_player(qtbot, service, sound_probe=broken)
    try:
        assert not player.soundAvailable
        player.playText("一句话。", "zh")
        qtbot.waitUntil(lambda: player.state == "playing", timeout=10_000)
        with qtbot.waitSignal(player.finished, timeout=10_000):
            pass
    finally:
        player.shutdown()


def test_system_probe_matches_qt_on_this_machine(qapp):
    from PySide6.QtMultimedia import QMediaDevices

    from app.ui.viewmodels.narration import NarrationPlayer, system_has_audio_output

    assert system_has_audio_output() == bool(QMediaDevices.audioOutputs())
    p = NarrationPlayer(None)
    assert p.soundAvailable == system_has_audio_output()


def test_doctor_says_plainly_that_narration_will_be_silent(tmp_path):
    from app.ops.doctor import check_audio

    none = tmp_path / "cards"
    none.write_text("--- no soundcards ---\n")
    result = check_audio(pactl=None, cards=none)
    assert result.status == "warn"
    assert result.detail.startswith("no audio output: narration will be silent; captions still show")
    assert check_audio(pactl=None, cards=tmp_path / "missing").status == "warn"
    card = tmp_path / "card"
    card.write_text(" 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n")
    assert check_audio(pactl=None, cards=card).status == "ok"
    pactl = tmp_path / "pactl"  # PulseAudio with only its null sink: nobody hears it
    pactl.write_text("#!/bin/sh\necho '0\tauto_null\tmodule-null-sink.c\ts16le 2ch 44100Hz\tIDLE'\n")
    pactl.chmod(0o755)
    assert check_audio(pactl=str(pactl), cards=none).detail.startswith("no audio output")
    pactl.write_text("#!/bin/sh\necho '1\talsa_output.pci.analog-stereo\tPipeWire\ts32le 2ch 48000Hz\tSUSPENDED'\n")
    assert check_audio(pactl=str(pactl), cards=none).status == "ok"
