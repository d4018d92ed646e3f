"""The kiosk runs the camera counter from start-up when vision.enabled: a missing camera never blocks
it, the admin screen shows the state, touch drags move the line, and exit stops the worker cleanly."""
from __future__ import annotations

import sqlite3

import pytest

pytest.importorskip("PySide6")

from camera_fixtures import files_under, render_scene, write_config  # noqa: E402


def _kiosk(cfg):
    from app.config import SAMPLE_PACK
    from app.ui.kiosk import Kiosk, KioskOptions

    return Kiosk(KioskOptions(db_path=cfg.db_path, pack_path=SAMPLE_PACK, fullscreen=False, size=(1280, 800),
                              animate=False, start_active=True, extra={"cfg": cfg}))


def _walk(item, name):
    if item.objectName() == name:
        return item
    for child in item.childItems():
        found = _walk(child, name)
        if found is not None:
            return found
    return None


def _screen(k):
    from PySide6.QtCore import QObject

    return k.window.findChild(QObject, "stack").property("currentItem")


def test_missing_camera_shows_no_camera_and_the_kiosk_keeps_running(qtbot, tmp_path):
    from app.config import load_config

    cfg = load_config(write_config(tmp_path / "site", "7"), env={})  # no camera with index 7 here
    k = _kiosk(cfg)
    try:
        qtbot.waitUntil(lambda: k.app.ready, timeout=30000)
        counter = k.camera.counter
        assert counter is not None and counter.running
        qtbot.waitUntil(lambda: counter.state == "no_camera", timeout=10000)
        assert "retrying in" in counter.detail
        k.app.go("admin_camera", {})
        qtbot.waitUntil(lambda: _screen(k) is not None and _screen(k).objectName() == "screen-admin-camera",
                        timeout=5000)
        state = _walk(_screen(k), "cameraStateText")
        assert state.property("text").startswith("未连接摄像头 · ")  # "No camera · retrying in N s"
        k.app.setLanguage("en")
        qtbot.waitUntil(lambda: state.property("text").startswith("No camera · retrying in "), timeout=3000)
        k.app.home()  # the kiosk goes on: navigation works while the camera is retried
        qtbot.waitUntil(lambda: _screen(k).objectName() != "screen-admin-camera", timeout=5000)
        assert counter.running and counter.state in ("no_camera", "retrying")
    finally:
        k.close()
    assert not counter.running  # joined at exit


def test_kiosk_counts_from_start_drags_the_line_and_logs_counts_at_exit(qtbot, tmp_path):
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtTest import QTest

    from app.config import load_config

    clip = render_scene(tmp_path / "clips")
    cfg = load_config(write_config(tmp_path / "site", str(clip)), env={})
    k = _kiosk(cfg)
    try:
        counter = k.camera.counter
        assert counter is not None and counter.running  # started with the kiosk, before the catalog is ready
        qtbot.waitUntil(lambda: k.app.ready, timeout=30000)
        assert not counter.previewEnabled  # no frame leaves the worker until the calibration screen opens
        k.app.go("admin_camera", {})
        qtbot.waitUntil(lambda: _screen(k).objectName() == "screen-admin-camera", timeout=5000)
        screen = _screen(k)
        calib = _walk(screen, "calibOverlay").property("calib")
        preview = _walk(screen, "cameraPreview")
        qtbot.waitUntil(lambda: preview.property("hasFrame") and calib.previewFrames >= 2, timeout=10000)
        assert counter.previewEnabled
        # a touch drag of the line's first end to the middle of the picture
        handle = _walk(screen, "lineEnd0")
        start = handle.mapToScene(QPointF(handle.width() / 2, handle.height() / 2))
        area = preview.property("paintedRect")
        target = preview.mapToScene(QPointF(area.x() + area.width() * 0.3, area.y() + area.height() * 0.2))
        left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        QTest.mousePress(k.window, left, none, QPoint(int(start.x()), int(start.y())))
        for i in range(1, 11):
            p = start + (target - start) * (i / 10)
            QTest.mouseMove(k.window, QPoint(int(p.x()), int(p.y())))
        QTest.mouseRelease(k.window, left, none, QPoint(int(target.x()), int(target.y())))
        assert calib.line[0] == pytest.approx(0.3, abs=0.02) and calib.line[1] == pytest.approx(0.2, abs=0.02)
        assert calib.dirty and _walk(screen, "calibSave").property("enabled")
        _walk(screen, "calibCancel")  # cancel puts it back
        calib.cancel()
        assert calib.line == pytest.approx([0.0625, 0.5, 0.9375, 0.5])
        qtbot.waitUntil(lambda: calib.inCount == 1, timeout=15000)
        k.app.home()
        qtbot.waitUntil(lambda: not counter.previewEnabled, timeout=5000)  # leaving the screen stops the preview
    finally:
        k.close()
    assert not counter.running
    # the counts reached the terminal's event log as camera_count events; no image was written
    with sqlite3.connect(cfg.db_path) as conn:
        rows = conn.execute("SELECT data FROM visit_events WHERE kind = 'camera_count'").fetchall()
    assert rows and '"in":1' in rows[-1][0].replace(" ", "")
    image_like = [f for f in files_under(tmp_path / "site") if f.rsplit(".", 1)[-1].lower()
                  in ("png", "jpg", "jpeg", "bmp", "avi", "mp4", "ppm")]
    assert image_like == []
