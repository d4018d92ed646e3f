"""Narration of route stops: an exhibit stop narrates the exhibit, a site its name and intro."""
from __future__ import annotations

from pathlib import Path

import pytest
from narration_fakes import fake_worker_command, narration_config
from packbuilder import write_pack

pytestmark = pytest.mark.timeout(60)


def test_pack_resolver_finds_exhibits_and_survives_a_broken_pack(tmp_path: Path) -> None:
    from app.ui.narration_wiring import PackExhibitResolver

    pack = write_pack(tmp_path / "pack")
    found = PackExhibitResolver(pack)("changting")
    assert found is not None and found[1].id == "changting" and found[0].root == pack
    assert PackExhibitResolver(pack)("nope") is None
    (pack / "pack.yaml").write_text("schema: [\n", encoding="utf-8")
    assert PackExhibitResolver(pack)("changting") is None


def test_route_stops_are_narrated(kiosk_factory, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from PySide6.QtCore import QObject

    from app.narration.engine import SynthWorker
    from app.narration.service import NarrationService
    from app.ui.narration_wiring import PackExhibitResolver
    from app.ui.viewmodels.narration import NarrationPlayer

    pack = write_pack(tmp_path / "pack")
    service = NarrationService(narration_config(tmp_path), worker=SynthWorker(fake_worker_command(tmp_path), timeout_s=10))
    player = NarrationPlayer(service, PackExhibitResolver(pack))
    NarrationPlayer.install(player)
    try:
        kiosk = kiosk_factory(pack)
        qtbot.waitUntil(lambda: kiosk.app.ready, timeout=20000)
        kiosk.app.go("route", {"routeId": "gutian-walk"})
        stack = kiosk.window.findChild(QObject, "stack")
        qtbot.waitUntil(lambda: stack.property("currentItem").objectName() == "screen-route", timeout=10000)
        page = stack.property("currentItem")
        vm = page.findChild(QObject, "routeTour")
        qtbot.waitUntil(lambda: vm.property("found"), timeout=10000)
        vm.start()
        qtbot.waitUntil(lambda: "zh" in player._availability, timeout=10_000)
        bar = page.findChild(QObject, "routeNarration")
        play = bar.findChild(QObject, "narrationPlay")
        play.clicked.emit()
        qtbot.waitUntil(lambda: player.state == "playing", timeout=10_000)
        assert player.currentId == "gutian-meeting"

        vm.next()  # a new stop ends the previous stop's narration
        assert player.state == "idle"
        play.clicked.emit()
        qtbot.waitUntil(lambda: player.state == "playing", timeout=10_000)
        assert player.currentId == "" and bar.property("playing")
        assert "古田会议旧址" in " ".join(s.text for s in player.narration.sentences)
    finally:
        NarrationPlayer.install(None)
        player.shutdown()
