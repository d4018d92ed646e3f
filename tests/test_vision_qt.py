"""The Qt CameraCounter: counts arrive by signal, preview only on request, cooperative stop."""
import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

pytest.importorskip("PySide6")

from PySide6.QtGui import QImage  # noqa: E402

from app.ui.viewmodels.vision import CameraCounter, to_qimage  # noqa: E402
from app.vision.pipeline import VisionSettings  # noqa: E402


class EndlessCamera:
    """A camera that never stops delivering 800×450 frames (bigger than the preview's 640 px)."""

    def __init__(self):
        self.reads = 0

    def __call__(self):
        cam = self

        class Capture:
            def isOpened(self):
                return True

            def read(self):
                time.sleep(0.005)
                cam.reads += 1
                return True, np.full((450, 800, 3), cam.reads % 255, np.uint8)

            def release(self):
                pass

        return Capture()


def test_worker_counts_previews_on_request_and_stops_cooperatively(qtbot, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cam = EndlessCamera()
    vm = CameraCounter(VisionSettings(source="0", detector="motion", line=(0.1, 0.5, 0.9, 0.5)), opener=cam)
    previews = []
    vm.previewUpdated.connect(previews.append)
    vm.start()
    qtbot.waitUntil(lambda: vm.state == "running", timeout=5000)
    assert vm.running
    qtbot.waitUntil(lambda: cam.reads > 20, timeout=5000)
    assert previews == [] and vm.previewImage.isNull()  # no image leaves the worker unless asked
    vm.previewEnabled = True
    qtbot.waitUntil(lambda: len(previews) >= 2, timeout=5000)
    assert isinstance(previews[-1], QImage) and previews[-1].width() == 640 and previews[-1].height() == 360
    vm.previewEnabled = False
    assert vm.previewImage.isNull()
    t0 = time.monotonic()
    vm.stop()  # returns at once; the worker ends after its current frame
    # the thread ends (running false) a moment before its queued "stopped" state reaches this thread
    qtbot.waitUntil(lambda: not vm.running and vm.state == "stopped", timeout=3000)
    assert time.monotonic() - t0 < 3
    assert list(tmp_path.iterdir()) == []  # nothing written to disk


def test_no_camera_state_is_reported_and_stop_still_works(qtbot):
    def unplugged():
        raise OSError("no device")

    vm = CameraCounter(VisionSettings(source="0", detector="motion"), opener=unplugged)
    vm.start()
    qtbot.waitUntil(lambda: vm.state == "no_camera", timeout=5000)
    assert "camera 0: cannot open; retrying" in vm.detail
    assert vm.wait(3000)  # stop and join, as the kiosk does at exit
    assert not vm.running
    qtbot.waitUntil(lambda: vm.state == "stopped", timeout=2000)  # the last state arrives by queued signal


def test_to_qimage_copies_bgr_pixels():
    img = np.zeros((4, 6, 3), np.uint8)
    img[..., 2] = 255  # red in BGR
    q = to_qimage(img)
    assert (q.width(), q.height()) == (6, 4)
    assert q.pixelColor(0, 0).red() == 255 and q.pixelColor(0, 0).blue() == 0


def test_per_minute_intervals_reach_the_callback_and_the_gui(qtbot, monkeypatch):
    from app.vision.counters import CountInterval

    clock = {"t": 59.0}
    records = []
    cam = EndlessCamera()
    vm = CameraCounter(VisionSettings(source="0", detector="motion"), opener=cam, on_interval=records.append)
    signals = []
    vm.intervalRecorded.connect(lambda i, o, v: signals.append((i, o, v)))
    # a fake wall clock for the live source: every frame is 1 s later, so minutes pass quickly
    import app.vision.live as live

    real = live.LiveSource

    class FastClock(real):
        def __init__(self, *a, **kw):
            def tick():
                clock["t"] += 1.0
                return clock["t"]
            kw["clock"] = tick
            super().__init__(*a, **kw)

    monkeypatch.setattr(live, "LiveSource", FastClock)
    vm.start()
    qtbot.waitUntil(lambda: len(signals) >= 2, timeout=10000)
    assert vm.wait(3000)
    assert all(isinstance(r, CountInterval) and r.interval_s == 60.0 for r in records[:2])
    assert records[1].interval_start - records[0].interval_start == 60.0
    assert records[0].event_fields().keys() == {"interval_s", "in", "out", "visitors"}
