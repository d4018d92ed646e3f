"""NarrationBar.qml inside a real kiosk window: it loads, plays, shows captions and 'unavailable'."""
import pytest

from app.content.loader import load_pack
from app.narration.engine import SynthWorker
from app.narration.service import NarrationService
from narration_fakes import fake_worker_command, narration_config
from packbuilder import pack_files, write_pack

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


def test_bar_plays_an_exhibit_and_shows_its_caption(kiosk_factory, qtbot, tmp_path, pack):
    from app.ui.viewmodels.narration import NarrationPlayer

    service = NarrationService(narration_config(tmp_path), worker=SynthWorker(fake_worker_command(tmp_path), timeout_s=10))
    player = NarrationPlayer(service, lambda i: (pack, pack.exhibit(i)) if pack.exhibit(i) else None)
    NarrationPlayer.install(player)
    try:
        kiosk = kiosk_factory(pack.root)
        bar = make_bar(kiosk, tmp_path)
        qtbot.waitUntil(lambda: "zh" in player._availability, timeout=10_000)
        play = child(bar, "narrationPlay")
        assert play.property("enabled") and play.property("text") in ("Listen", "收听讲解")
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
