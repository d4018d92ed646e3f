"""NarrationPlayer (QtMultimedia) state machine, offscreen, with real wav files from a fake engine."""
import pytest

from app.content.loader import load_pack
from app.narration.engine import SynthWorker
from app.narration.service import NarrationService
from narration_fakes import fake_worker_command, narration_config
from packbuilder import pack_files, write_pack

TEXT = "古田会议确立了思想建党政治建军原则。会议在上杭古田召开。"  # ≈ 1.5 s from the fake engine


@pytest.fixture
def service(tmp_path):
    s = NarrationService(narration_config(tmp_path), worker=SynthWorker(fake_worker_command(tmp_path), timeout_s=10))
    yield s
    s.close()


@pytest.fixture
def player(qapp, qtbot, service):
    from app.ui.viewmodels.narration import NarrationPlayer

    p = NarrationPlayer(service, volume=0.7)
    qtbot.waitUntil(lambda: "zh" in p._availability, timeout=10_000)
    yield p
    p.shutdown()


def test_play_pause_resume_and_finish_with_captions(player, qtbot):
    assert player.available and player.state == "idle" and player.volume == pytest.approx(0.7)
    captions, states = [], []
    player.positionChanged.connect(lambda: captions.append(player.caption))
    player.changed.connect(lambda: states.append(player.state))
    player.playText(TEXT, "zh")
    assert player.state == "loading"
    qtbot.waitUntil(lambda: player.state == "playing", timeout=10_000)
    assert player.duration == pytest.approx(player.narration.duration_s, abs=0.1)
    qtbot.waitUntil(lambda: player.position > 0.2, timeout=5_000)
    player.pause()
    assert player.state == "paused"
    held = player.position
    qtbot.wait(300)
    assert player.position == pytest.approx(held, abs=0.05)
    player.resume()
    assert player.state == "playing"
    with qtbot.waitSignal(player.finished, timeout=10_000):
        pass
    assert player.state == "idle" and player.caption == "" and player.progress == 0
    spoken = [c for c in dict.fromkeys(captions) if c]
    assert spoken == ["古田会议确立了思想建党政治建军原则。", "会议在上杭古田召开。"]
    assert states[:2] == ["loading", "playing"] and "paused" in states


def test_only_one_narration_at_a_time_and_stop_drops_pending_results(player, qtbot):
    player.playText("第一段讲解。", "zh")
    player.playText("第二段讲解，替换第一段。", "zh")
    qtbot.waitUntil(lambda: player.state == "playing", timeout=10_000)
    assert player.narration.sentences[0].text == "第二段讲解，替换第一段。"
    player.stop()
    assert player.state == "idle" and player.narration is None
    player.playText("第三段。", "zh")
    player.stop()  # before the result arrives: it must be dropped
    qtbot.wait(500)
    assert player.state == "idle" and player.narration is None


def test_failure_is_a_state_not_a_crash(player, qtbot):
    player.playText("   ", "zh")
    qtbot.waitUntil(lambda: player.state == "error", timeout=10_000)
    assert "nothing to narrate" in player.message
    player.playExhibit("no-such-exhibit", "zh")  # no resolver set
    assert player.state == "error" and player.currentId == "no-such-exhibit" and "no pack" in player.message
    player.stop()
    assert player.state == "idle" and player.message == ""


def test_exhibit_with_recording_plays_the_recording(player, qtbot, tmp_path):
    pack = load_pack(write_pack(tmp_path / "pack", pack_files()))
    player.set_resolver(lambda i: (pack, pack.exhibit(i)) if pack.exhibit(i) else None)
    sources = []
    player.changed.connect(lambda: player.narration and sources.append(player.narration.source))
    with qtbot.waitSignal(player.finished, timeout=10_000):
        player.toggleExhibit("gutian-meeting", "zh")
    assert sources and set(sources) == {"recorded"}
    player.toggleExhibit("changting", "zh")  # no recording: TTS
    qtbot.waitUntil(lambda: player.state == "playing", timeout=10_000)
    assert player.currentId == "changting" and player.narration.source == "tts"
    player.toggleExhibit("changting", "zh")
    assert player.state == "paused"
    player.toggleExhibit("changting", "zh")
    assert player.state == "playing"
    player.stop()


def test_volume_is_clamped_and_without_a_service_narration_is_unavailable(qapp):
    from app.ui.viewmodels.narration import NarrationPlayer

    p = NarrationPlayer(None, volume=0.5)
    p.volume = 1.7
    assert p.volume == pytest.approx(1.0)
    p.volume = -1
    assert p.volume == pytest.approx(0.0)
    assert not p.available and "not set up" in p.message
    p.playText("你好。", "zh")
    assert p.state == "error"
    p.stop()


def test_unavailable_language_is_reported(qapp, qtbot, tmp_path):
    from app.ui.viewmodels.narration import NarrationPlayer

    s = NarrationService(narration_config(tmp_path),
                         worker=SynthWorker(fake_worker_command(tmp_path, "english-only"), timeout_s=10))
    p = NarrationPlayer(s)
    try:
        qtbot.waitUntil(lambda: "zh" in p._availability, timeout=10_000)
        p.language = "zh"
        assert not p.available and "no Mandarin Chinese voice" in p.message
        p.language = "en"
        assert p.available and p.message == ""
    finally:
        p.shutdown()
