"""NarrationBar.qml inside a real kiosk window: it loads, plays, shows captions and 'unavailable',
and without an audio output runs silent with captions, saying sound is unavailable."""
import pytest

from app.content.loader import load_pack
from app.narration.engine import SynthWorker
from app.narration.service import NarrationService
from narration_fakes import fake_worker_command, narration_config
from packbuilder import pack_files, write_pack
from test_narration_silent import FakeMedia

BAR = """
import QtQuick
import Hongtu
NarrationBar { width: 1200; exhibitId: "changting" }
"""


def make_bar(kiosk, tmp_path):
    from PySide6.QtCore import QUrl
    from PySide6.QtQml import QQmlComponent

    comp = QQmlComponent(kiosk.engine)
    comp.setData(BAR.encode(), QUrl.fromLocalFile(str(tmp_path / "NarrationBarTest.qml")))
    bar = comp.create()
    assert bar is not None, [e.toString() for e in comp.errors()]
    bar.setParentItem(kiosk.window.contentItem())
    bar.setParent(kiosk.window.contentItem())
    kiosk._narration_bar_component = comp  # keep the component alive with the kiosk
    return bar


def child(bar, name):
    from PySide6.QtCore import QObject

    return bar.findChild(QObject, name)


@pytest.fixture
def pack(tmp_path):
    return load_pack(write_pack(tmp_path / "pack", pack_files()))


@pytest.mark.parametrize("sound", [False, True], ids=["silent", "with-sound"])
def test_bar_plays_an_exhibit_and_shows_its_caption(kiosk_factory, qtbot, tmp_path, pack, sound):
    from app.ui.viewmodels.narration import NarrationPlayer

    service = NarrationService(narration_config(tmp_path), worker=SynthWorker(fake_worker_command(tmp_path), timeout_s=10))
    # with sound: a stand-in for QMediaPlayer (this machine has no audio device to drive)
    player = NarrationPlayer(service, lambda i: (pack, pack.exhibit(i)) if pack.exhibit(i) else None,
                             sound_probe=lambda: sound, media_factory=FakeMedia)
    NarrationPlayer.install(player)
    try:
        kiosk = kiosk_factory(pack.root)
        bar = make_bar(kiosk, tmp_path)
        qtbot.waitUntil(lambda: "zh" in player._availability, timeout=10_000)
        play = child(bar, "narrationPlay")
        assert play.property("enabled") and play.property("text") in ("Listen", "收听讲解")
        no_sound = child(bar, "narrationNoSound")
        assert no_sound.property("visible") is not sound
        assert child(bar, "narrationQuieter").property("visible") is sound
        if not sound:
            assert no_sound.property("text") in ("No sound on this terminal: captions only", "本机没有音频输出：仅显示字幕")
        play.clicked.emit()
        qtbot.waitUntil(lambda: player.state == "playing", timeout=10_000)
        caption = child(bar, "narrationCaption")
        qtbot.waitUntil(lambda: caption.property("text") == "长汀是中央苏区的经济中心。", timeout=5_000)
        assert bar.property("playing") and player.currentId == "changting"
        child(bar, "narrationQuieter").clicked.emit()
        assert player.volume == pytest.approx(0.8)
        child(bar, "narrationStop").clicked.emit()
        assert player.state == "idle" and not bar.property("playing")
        play.clicked.emit()
        qtbot.waitUntil(lambda: player.state == "playing", timeout=10_000)
        bar.deleteLater()  # leaving the page stops its narration
        qtbot.waitUntil(lambda: player.state == "idle", timeout=5_000)
    finally:
        NarrationPlayer.install(None)
        player.shutdown()


def test_bar_says_narration_is_unavailable(kiosk_factory, qtbot, tmp_path, pack):
    from app.ui.viewmodels.narration import NarrationPlayer

    service = NarrationService(narration_config(tmp_path),
                               worker=SynthWorker(fake_worker_command(tmp_path, "no-engine"), timeout_s=10))
    player = NarrationPlayer(service)
    NarrationPlayer.install(player)
    try:
        kiosk = kiosk_factory(pack.root)
        bar = make_bar(kiosk, tmp_path)
        qtbot.waitUntil(lambda: "zh" in player._availability, timeout=10_000)
        assert not child(bar, "narrationPlay").property("enabled")
        text = child(bar, "narrationCaption").property("text")
        assert text.startswith(("Narration unavailable", "语音讲解暂不可用")) and "libespeak" in text
    finally:
        NarrationPlayer.install(None)
        player.shutdown()


@pytest.mark.parametrize("sound", [False, True], ids=["silent", "with-sound"])
def test_exhibit_video_gets_an_audio_output_only_when_there_is_one(kiosk_factory, qtbot, tmp_path, pack, sound):
    from PySide6.QtCore import QUrl
    from PySide6.QtMultimedia import QMediaPlayer
    from PySide6.QtQml import QQmlComponent

    from app.ui.viewmodels.narration import NarrationPlayer

    player = NarrationPlayer(None, sound_probe=lambda: sound, media_factory=FakeMedia)
    NarrationPlayer.install(player)
    try:
        kiosk = kiosk_factory(pack.root)
        comp = QQmlComponent(kiosk.engine)
        comp.setData(b"import QtQuick\nimport Hongtu\nVideoPlayer { width: 640; height: 360 }\n",
                     QUrl.fromLocalFile(str(tmp_path / "VideoTest.qml")))
        video = comp.create()
        assert video is not None, [e.toString() for e in comp.errors()]
        kiosk._video_test_component = comp
        media = video.findChild(QMediaPlayer)
        assert media is not None
        assert (media.audioOutput() is not None) is sound
        video.deleteLater()
    finally:
        NarrationPlayer.install(None)
        player.shutdown()


def test_attract_video_loops_with_no_audio_output(kiosk_factory, qtbot, pack):
    from pathlib import Path

    from PySide6.QtMultimedia import QMediaPlayer

    video = Path(__file__).resolve().parent.parent / "media" / "attract.mp4"
    kiosk = kiosk_factory(pack.root, start_active=False, attract_video=video)
    qtbot.waitUntil(lambda: kiosk.window.findChild(QMediaPlayer) is not None, timeout=10_000)
    media = kiosk.window.findChild(QMediaPlayer)
    assert media.audioOutput() is None  # muted anyway: it never opens a sound device
    qtbot.waitUntil(lambda: media.position() > 0, timeout=10_000)
    assert media.error() == QMediaPlayer.Error.NoError
