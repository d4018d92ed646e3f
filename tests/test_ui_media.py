"""Exhibit media: the video player (missing and undecodable files, narration exclusivity), the
full-screen picture viewer (swipe, zoom, captions, missing picture) and the routes/quiz links."""
from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.timeout(90)

SAMPLE = Path(__file__).resolve().parents[1] / "exhibits" / "fujian-red-map"
VIDEO = "media/video/red-radio-waves.mp4"


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SAMPLE, tmp_path / "pack"))


def _driver(kiosk: Any, qtbot: Any) -> Any:  # noqa: ANN401
    from app.ui.tour import FakeClock, TourDriver

    qtbot.waitUntil(lambda: kiosk.app.ready, timeout=30000)
    return TourDriver(kiosk, FakeClock())


def _open_exhibit(d: Any, qtbot: Any, exhibit_id: str) -> Any:  # noqa: ANN401
    from app.ui import search_tour as st

    d.go("exhibit", exhibitId=exhibit_id)
    screen = d.current_screen()
    qtbot.waitUntil(lambda: screen.property("title") != "", timeout=10000)
    d.settle()
    return st


def test_missing_video_shows_a_placeholder_and_logs_a_warning(kiosk_factory, pack_copy, qtbot, caplog) -> None:  # noqa: ANN001
    d = _driver(kiosk_factory(pack_copy), qtbot)
    (pack_copy / VIDEO).unlink()  # gone after the pack was checked and indexed (a disk problem)
    with caplog.at_level(logging.WARNING):
        st = _open_exhibit(d, qtbot, "red-radio-waves")
    video = st.item(d, "exhibitVideo")
    assert video.property("visible") and video.property("missing")
    assert video.property("status") == "error"
    assert st.item(d, "videoPlaceholder").property("visible")
    assert not st.item(d, "videoBigPlay").property("visible")
    assert any("missing media file" in r.getMessage() and "red-radio-waves.mp4" in r.getMessage()
               for r in caplog.records)
    st.call(video, "play")  # a tap on a missing video does nothing
    assert video.property("status") == "error"


def test_undecodable_video_fails_without_blocking_the_ui(kiosk_factory, pack_copy, qtbot, caplog) -> None:  # noqa: ANN001
    from PySide6.QtCore import QTimer

    d = _driver(kiosk_factory(pack_copy), qtbot)
    (pack_copy / VIDEO).write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 400)  # corrupted
    st = _open_exhibit(d, qtbot, "red-radio-waves")
    video = st.item(d, "exhibitVideo")
    assert video.property("status") == "stopped" and not video.property("missing")

    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    with caplog.at_level(logging.WARNING):
        st.call(video, "play")  # returns at once: the file is opened and probed off the GUI thread
        ticks_at_return = len(ticks)
        qtbot.waitUntil(lambda: video.property("status") == "error", timeout=15000)
    timer.stop()
    assert ticks_at_return == 0 and len(ticks) > 0  # the event loop kept turning while it failed
    assert st.item(d, "videoPlaceholder").property("visible")
    assert video.property("errorText") != ""
    assert any("red-radio-waves.mp4" in r.getMessage() and "placeholder" in r.getMessage() for r in caplog.records)


def test_video_and_narration_never_play_together(kiosk_factory, qtbot, tmp_path) -> None:  # noqa: ANN001
    from app.narration.engine import SynthWorker
    from app.narration.service import NarrationService
    from app.ui.viewmodels.narration import NarrationPlayer
    from narration_fakes import fake_worker_command, narration_config

    service = NarrationService(narration_config(tmp_path),
                               worker=SynthWorker(fake_worker_command(tmp_path), timeout_s=10))
    narration = NarrationPlayer(service)
    NarrationPlayer.install(narration)
    try:
        d = _driver(kiosk_factory(SAMPLE), qtbot)
        st = _open_exhibit(d, qtbot, "red-radio-waves")
        video = st.item(d, "exhibitVideo")

        narration.playText("红色电波从苏区一直传到今天的五G网络。" * 3, "zh")
        qtbot.waitUntil(lambda: narration.state == "playing", timeout=15000)
        st.call(video, "play")
        qtbot.waitUntil(lambda: video.property("status") == "playing", timeout=10000)
        assert narration.state == "idle"  # the video stopped the narration

        narration.playText("讲解开始，视频暂停。", "zh")
        qtbot.waitUntil(lambda: video.property("status") == "paused", timeout=10000)
        qtbot.waitUntil(lambda: narration.state == "playing", timeout=15000)

        st.call(video, "play")  # and the other way round again
        qtbot.waitUntil(lambda: narration.state == "idle" and video.property("status") == "playing", timeout=10000)
        qtbot.waitUntil(lambda: video.property("position") > 0, timeout=10000)
        assert video.property("duration") == pytest.approx(10000, abs=200)
    finally:
        NarrationPlayer.install(None)
        narration.shutdown()


def test_picture_viewer_swipes_zooms_and_shows_captions(kiosk_factory, qtbot) -> None:  # noqa: ANN001
    from PySide6.QtCore import QPointF

    d = _driver(kiosk_factory(SAMPLE), qtbot)
    st = _open_exhibit(d, qtbot, "red-map-1-9-n")
    viewer = st.item(d, "imageViewer")
    assert not viewer.property("opened")
    st.call(viewer, "show", 1)
    qtbot.waitUntil(lambda: viewer.property("opened"), timeout=5000)
    assert viewer.property("currentIndex") == 1
    assert st.find_item(viewer.property("contentItem"), "imageViewerCaption").property("text") == "红色地图上的省、市、县三级展馆"
    assert st.find_item(viewer.property("contentItem"), "imageViewerCounter").property("text") == "2 / 3"

    view = st.find_item(viewer.property("contentItem"), "imageViewerList")
    page = view.property("currentItem")
    assert view.property("interactive") and not page.property("zoomed")
    st.call(page, "zoomAt", 2.5, QPointF(200, 150))
    assert page.property("zoomed") and page.property("zoom") == pytest.approx(2.5)
    assert not view.property("interactive")  # a zoomed picture pans instead of swiping
    assert page.property("interactive")
    st.call(page, "zoomAt", 9.0, QPointF(0, 0))
    assert page.property("zoom") == pytest.approx(4.0)  # clamped

    st.find_item(viewer.property("contentItem"), "imageViewerNext").clicked.emit()
    qtbot.waitUntil(lambda: viewer.property("currentIndex") == 2, timeout=5000)
    assert not page.property("zoomed")  # leaving a picture resets its zoom
    kiosk_app = d.app
    kiosk_app.setLanguage("en")
    qtbot.waitUntil(lambda: st.find_item(viewer.property("contentItem"), "imageViewerCaption").property("text")
                    == "Diagram of the 1+9+N network", timeout=5000)
    st.find_item(viewer.property("contentItem"), "imageViewerClose").clicked.emit()
    qtbot.waitUntil(lambda: not viewer.property("opened"), timeout=5000)


def test_missing_picture_in_the_viewer_shows_a_placeholder(kiosk_factory, pack_copy, qtbot, caplog) -> None:  # noqa: ANN001
    d = _driver(kiosk_factory(pack_copy), qtbot)
    (pack_copy / "media/images/red-map-network.jpg").unlink()
    with caplog.at_level(logging.WARNING):
        st = _open_exhibit(d, qtbot, "red-map-1-9-n")
    viewer = st.item(d, "imageViewer")
    st.call(viewer, "show", 1)
    qtbot.waitUntil(lambda: viewer.property("opened"), timeout=5000)
    page = st.find_item(viewer.property("contentItem"), "imageViewerList").property("currentItem")
    pictures = [c for c in page.property("contentItem").childItems()[0].childItems()
                if c.property("failed") is not None]
    assert pictures and pictures[0].property("failed")
    assert any("missing media file" in r.getMessage() and "red-map-network.jpg" in r.getMessage()
               for r in caplog.records)

    from shiboken6 import isValid

    d.session.end()  # the next visitor never finds the last one's picture open
    qtbot.waitUntil(lambda: not isValid(viewer) or not viewer.property("opened"), timeout=5000)


def test_exhibit_links_list_routes_and_quizzes_that_use_it(kiosk_factory, qtbot) -> None:  # noqa: ANN001
    from app.ui.viewmodels.links import ExhibitLinks

    d = _driver(kiosk_factory(SAMPLE), qtbot)
    links = ExhibitLinks()
    links.setProperty("exhibitId", "red-radio-waves")
    qtbot.waitUntil(lambda: links.property("count") > 0, timeout=10000)
    routes = links.property("routes")
    assert [(r["routeId"], r["stop"], r["stops"]) for r in routes] == [("province-hall-tour", 3, 10)]
    assert routes[0]["title"].startswith("省级馆导览")
    quizzes = links.property("quizzes")
    assert [(q["quizId"], q["questions"]) for q in quizzes] == [("red-comms-quiz", 2)]
    d.app.setLanguage("en")
    assert links.property("routes")[0]["title"].startswith("Provincial Hall Tour")

    st = _open_exhibit(d, qtbot, "red-radio-waves")
    section = st.item(d, "exhibitLinks")
    qtbot.waitUntil(lambda: section.property("visible"), timeout=10000)
    st.item(d, "routeLink-province-hall-tour").clicked.emit()
    assert d.app.stack()[-1] == ("route", {"routeId": "province-hall-tour"})
