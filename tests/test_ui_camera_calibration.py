"""The calibration view-model over a rendered clip: preview frames, live counts, dragging, saving, refusing."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from app.config import load_config  # noqa: E402
from app.vision.calibration import check_geometry, save_geometry, update_vision_text  # noqa: E402
from app.vision.errors import GeometryError  # noqa: E402
from camera_fixtures import files_under, render_scene, write_config  # noqa: E402


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return render_scene(tmp_path_factory.mktemp("clips"))


@pytest.fixture
def site(tmp_path, clip):
    return write_config(tmp_path / "site", str(clip))


def _service(cfg, events=None):
    from app.ui.viewmodels.calibration import CameraService

    return CameraService(cfg, log_event=(lambda kind, **f: events.append((kind, f))) if events is not None else None)


def test_preview_frames_counts_and_preview_stops_when_closed(qtbot, site):
    from app.ui.camera_preview import CameraPreview
    from app.ui.viewmodels.calibration import CameraCalibration

    events: list = []
    svc = _service(load_config(site, env={}), events)
    svc.start()
    try:
        calib = CameraCalibration(service=svc)
        assert calib.countingEnabled and calib.source.endswith("scene.avi") and calib.detector == "motion"
        # the config's pixel line becomes fractions once the frame size is known
        calib.openPreview()
        item = CameraPreview()
        item.counter = calib.counter
        qtbot.waitUntil(lambda: calib.previewFrames >= 3 and item.frames >= 1, timeout=10000)
        assert (calib.frameWidth, calib.frameHeight) == (320, 240)
        assert calib.line == pytest.approx([0.0625, 0.5, 0.9375, 0.5])
        assert calib.zone == pytest.approx([0.55, 0.0, 1.0, 1.0]) and not calib.dirty
        assert item.hasFrame and (item.imageWidth, item.imageHeight) == (320, 240)
        qtbot.waitUntil(lambda: calib.inCount == 1 and calib.visitors == 1, timeout=15000)
        assert calib.state == "running" and calib.outCount == 0 and calib.occupancy == 1
        # closing the screen: no more preview frames leave the worker, the painted frame is dropped
        calib.closePreview()
        assert not calib.counter.previewEnabled and not item.hasFrame
        frames = calib.previewFrames
        qtbot.wait(800)
        assert calib.previewFrames == frames and calib.counter.running
    finally:
        svc.shutdown()
    assert not svc.counter.running
    # the clip's last partial minute went to the event log as a camera_count event (two when the
    # run crossed a wall-clock minute: intervals are per minute)
    assert {k for k, _ in events} == {"camera_count"} and 1 <= len(events) <= 2
    assert sum(e["in"] for _, e in events) == 1 and sum(e["visitors"] for _, e in events) == 1


def test_handles_move_the_geometry_and_cancel_reverts(qapp, site):
    from app.ui.viewmodels.calibration import CameraCalibration

    calib = CameraCalibration(service=_service(load_config(site, env={})))
    calib.setGeometry([0.1, 0.5, 0.9, 0.5], [0.2, 0.2, 0.6, 0.8])
    calib.moveLineEnd(0, 0.2, 0.3)
    calib.moveLineEnd(1, 1.7, -0.4)  # dragged past the picture's edge: clamped
    assert calib.line == pytest.approx([0.2, 0.3, 1.0, 0.0]) and calib.dirty
    calib.flipDirection()
    assert calib.line == pytest.approx([1.0, 0.0, 0.2, 0.3])
    calib.moveZoneCorner(2, 0.7, 0.9)  # bottom-right
    calib.moveZoneCorner(0, 0.1, 0.15)  # top-left
    assert calib.zone == pytest.approx([0.1, 0.15, 0.7, 0.9])
    calib.moveZone(0.5, 0.0)  # kept inside the frame
    assert calib.zone == pytest.approx([0.4, 0.15, 1.0, 0.9])
    calib.cancel()
    assert not calib.dirty and calib.zone == pytest.approx([0.55, 0.0, 1.0, 1.0])


def test_save_writes_only_line_and_zone_and_restarts_the_counter(qtbot, site, tmp_path, clip):
    from app.ui.viewmodels.calibration import CameraCalibration

    before = site.read_text(encoding="utf-8")
    svc = _service(load_config(site, env={}))
    svc.start()
    try:
        calib = CameraCalibration(service=svc)
        calib.openPreview()
        qtbot.waitUntil(lambda: calib.previewFrames >= 1, timeout=10000)
        old = svc.counter
        calib.moveLineEnd(0, 0.0, 0.6)
        calib.moveLineEnd(1, 1.0, 0.4)
        calib.moveZoneCorner(0, 0.25, 0.1)
        assert calib.save() and calib.messageCode == "saved" and calib.message == str(site) and not calib.dirty
        after = site.read_text(encoding="utf-8")
        expected = before.replace("  line: [20, 120, 300, 120]   # pixels of the 320x240 clip",
                                  "  line: [0, 0.6, 1, 0.4]  # pixels of the 320x240 clip")
        expected = expected.replace("  zone:\n    - 0.55\n    - 0.0\n    - 1.0\n    - 1.0\n", "  zone: [0.25, 0.1, 1, 1]\n")
        assert after == expected  # every other line and comment as it was
        cfg = load_config(site, env={})
        assert cfg.vision.line == [0, 0.6, 1, 0.4] and cfg.vision.zone == [0.25, 0.1, 1, 1]
        assert cfg.terminal_id == "test-cam-01" and cfg.vision.min_dwell_s == 1.0
        # the counter restarts with the new geometry (a new worker, once the old one has ended)
        qtbot.waitUntil(lambda: svc.counter is not old and svc.counter.running, timeout=5000)
        assert svc.counter._settings.line == (0, 0.6, 1, 0.4)  # the old counter is stopped and deleted
        assert calib.counter is svc.counter
        qtbot.waitUntil(lambda: calib.previewFrames >= 1 and svc.counter.previewEnabled, timeout=5000)
        calib.closePreview()
    finally:
        svc.shutdown()
    # nothing but the config was written: no frame, no temporary file, nothing in the data dir
    assert files_under(tmp_path) == ["site/kiosk_config.yaml"]


@pytest.mark.parametrize("line, zone, why", [
    ([0.5, 0.5, 0.5, 0.5], [0, 0, 1, 1], "too short"),
    ([0.1, 0.5, 0.9, 0.5], [0.5, 0.5, 1.4, 1.2], "outside the 320×240 frame"),
    ([0.1, 0.5, 0.9, 0.5], [0.8, 0.5, 0.2, 0.9], "inverted"),
    ([0.1, 0.5, 0.9, 0.5], [0.5, 0.5, 0.51, 0.9], "too small"),
])
def test_absurd_geometry_is_refused_and_the_file_is_untouched(qtbot, site, line, zone, why):
    from app.ui.viewmodels.calibration import CameraCalibration

    before = site.read_text(encoding="utf-8")
    svc = _service(load_config(site, env={}))
    calib = CameraCalibration(service=svc)
    calib._frame = (320, 240)  # as after the first preview frame
    calib.setGeometry(line, zone)
    assert not calib.save()
    assert calib.messageCode == "refused" and why in calib.message
    assert site.read_text(encoding="utf-8") == before and svc.counter is None


def test_save_without_a_picture_or_config_file_is_refused(qapp, site):
    import dataclasses

    from app.ui.viewmodels.calibration import CameraCalibration

    cfg = load_config(site, env={})
    calib = CameraCalibration(service=_service(cfg))
    calib.moveLineEnd(0, 0.0, 0.3)
    assert not calib.save() and calib.messageCode == "noframe"
    calib = CameraCalibration(service=_service(dataclasses.replace(cfg, config_path=None)))
    calib._frame = (320, 240)
    calib.moveLineEnd(0, 0.0, 0.3)
    assert not calib.save() and calib.messageCode == "failed" and "no config file" in calib.message


def test_counting_off_runs_a_counter_only_while_the_screen_is_open(qtbot, tmp_path, clip):
    from app.ui.viewmodels.calibration import CameraCalibration

    svc = _service(load_config(write_config(tmp_path / "site", str(clip), enabled=False), env={}))
    svc.start()
    assert svc.counter is None
    calib = CameraCalibration(service=svc)
    assert calib.state == "off" and not calib.countingEnabled
    calib.openPreview()
    try:
        qtbot.waitUntil(lambda: calib.previewFrames >= 2, timeout=10000)
        assert svc.temporary
        calib.closePreview()
        qtbot.waitUntil(lambda: not svc.counter.running, timeout=3000)
    finally:
        svc.shutdown()


def test_debug_recording_is_shown(qtbot, tmp_path, clip):
    from app.ui.viewmodels.calibration import CameraCalibration

    site = write_config(tmp_path / "site", str(clip), recording=True)
    svc = _service(load_config(site, env={}))
    svc.start()
    try:
        calib = CameraCalibration(service=svc)
        assert calib.recording and calib.recordingUntil.endswith("+00:00")
    finally:
        svc.shutdown()
    # the opt-in recording goes to <data_dir>/vision-debug only
    assert all(f == "kiosk_config.yaml" or f.startswith("var/vision-debug/") for f in files_under(site.parent))


def test_config_text_edits_keep_everything_else():
    text = "a: 1  # one\r\nvision:\r\n  enabled: true\r\n  line: []  # the line\r\nlog:\r\n  level: INFO\r\n"
    out = update_vision_text(text, {"line": "[0.1, 0.5, 0.9, 0.5]", "zone": "[]"})
    assert out == ("a: 1  # one\r\nvision:\r\n  zone: []\r\n  enabled: true\r\n  line: [0.1, 0.5, 0.9, 0.5]  # the line\r\n"
                   "log:\r\n  level: INFO\r\n")
    assert update_vision_text("a: 1\n", {"line": "[]"}) == "a: 1\n\nvision:\n  line: []\n"


def test_check_geometry_and_env_override_note(tmp_path, site):
    check_geometry((0.1, 0.5, 0.9, 0.5), (0, 0, 1, 1), (640, 360))
    with pytest.raises(GeometryError, match="too short"):
        check_geometry((0.0, 0.0, 0.001, 0.001), (0, 0, 1, 1), (640, 360))
    result = save_geometry(site, (0.1, 0.5, 0.9, 0.5), (0, 0, 1, 1), (320, 240), env={"HONGTU_VISION_LINE": "1,2,3,4"})
    assert result.overridden == ("HONGTU_VISION_LINE",)
    assert load_config(site, env={}).vision.zone == []  # the whole frame is written as "no zone"


def test_a_saved_line_that_does_not_fit_is_shown_as_an_error_and_can_be_fixed(qtbot, tmp_path, clip):
    from app.ui.viewmodels.calibration import CameraCalibration

    site = write_config(tmp_path / "site", str(clip))
    site.write_text(site.read_text(encoding="utf-8").replace("[20, 120, 300, 120]", "[0, 0, 900, 10]"), encoding="utf-8")
    svc = _service(load_config(site, env={}))
    svc.start()
    try:
        calib = CameraCalibration(service=svc)
        qtbot.waitUntil(lambda: calib.state == "error", timeout=10000)
        assert "lies outside the 320×240 frame" in calib.detail
        # the screen still gets a picture (without the bad line) to place a new one
        calib.openPreview()
        qtbot.waitUntil(lambda: calib.previewFrames >= 1, timeout=10000)
        assert calib.state == "error" and svc.temporary
        assert calib.line == pytest.approx([0.1, 0.5, 0.9, 0.5])  # the default, not the unusable value
        calib.moveLineEnd(0, 0.05, 0.5)
        assert calib.save()
        qtbot.waitUntil(lambda: calib.state == "running" and not svc.temporary, timeout=5000)
        assert calib.detail == str(clip) and load_config(site, env={}).vision.line == [0.05, 0.5, 0.9, 0.5]
        calib.closePreview()
    finally:
        svc.shutdown()
