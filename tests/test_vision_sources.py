"""Video files that cannot be read, and a live camera that fails, recovers and keeps counting."""
import threading
import time

import numpy as np
import pytest

from app.vision.errors import SourceError
from app.vision.live import LiveCounter
from app.vision.pipeline import VisionSettings, count_file
from app.vision.sources import LiveSource, VideoFileSource, describe, is_live_spec
from app.vision.synthetic import ScriptedDetector, Walker, draw, render


def test_missing_and_unreadable_video_files_name_the_file(tmp_path):
    with pytest.raises(SourceError, match=r"nothere\.mp4: video file not found"):
        VideoFileSource(tmp_path / "nothere.mp4")
    bad = tmp_path / "corrupt.mp4"
    bad.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40)
    with pytest.raises(SourceError, match=r"corrupt\.mp4: cannot (open|read)"):
        count_file(bad, VisionSettings(detector="motion"))


def test_truncated_video_file(tmp_path):
    good = render(tmp_path / "good.avi", [Walker([(0, 50, 100), (9, 200, 100)])], frames=10)
    cut = tmp_path / "cut.avi"
    cut.write_bytes(good.read_bytes()[:300])
    with pytest.raises(SourceError, match=r"cut\.avi"):
        VideoFileSource(cut)


def test_specs():
    assert is_live_spec("0") and is_live_spec("rtsp://cam/1") and is_live_spec("/dev/video2")
    assert not is_live_spec("clip.mp4")
    assert describe("rtsp://admin:secret@10.0.0.5/stream") == "rtsp://…@10.0.0.5/stream"


class FakeCamera:
    """Opens only after `fail_opens` attempts; each capture yields `frames_per_session` frames, then dies."""

    def __init__(self, walkers, *, fail_opens=2, sessions=2, frames_per_session=40, size=(320, 240)):
        self.walkers, self.size = walkers, size
        self.fail_opens, self.sessions, self.per = fail_opens, sessions, frames_per_session
        self.opens = 0
        self.frame = 0
        self.lock = threading.Lock()

    def __call__(self):
        self.opens += 1
        if self.opens <= self.fail_opens:
            raise OSError("no such device")  # unplugged
        cam = self

        class Capture:
            left = cam.per if cam.opens - cam.fail_opens <= cam.sessions else 0

            def isOpened(self):
                return True

            def read(self):
                time.sleep(0.002)
                if self.left <= 0:
                    return False, None
                self.left -= 1
                with cam.lock:
                    img = draw(cam.frame, cam.walkers, cam.size)
                    img[0, 0, 0], img[0, 0, 1] = cam.frame % 256, cam.frame // 256  # frame number, for the detector
                    cam.frame += 1
                return True, img

            def release(self):
                pass

        return Capture()


def test_live_source_retries_with_backoff_and_recovers():
    cam = FakeCamera([], fail_opens=2, sessions=2, frames_per_session=20)
    states = []
    src = LiveSource("0", opener=cam, on_state=lambda s, d: states.append(s), backoff_s=0.01)
    got = 0
    with src:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (cam.opens < 4 or src.state != "retrying"):
            if src.read(timeout=0.05) is not None:
                got += 1
    changes = [s for i, s in enumerate(states) if i == 0 or states[i - 1] != s]  # detail updates repeat a state
    assert changes[:4] == ["no_camera", "running", "retrying", "running"]
    assert states[-1] == "stopped"
    assert src.reconnects >= 2 and got > 0
    assert got + src.dropped >= 20  # newest-frame-only: a slow reader skips, never queues


def test_live_counter_keeps_counting_across_a_camera_unplug():
    # one figure walks down across the line in each camera session
    walkers = [Walker([(5, 160, 40), (30, 160, 200)]), Walker([(45, 160, 40), (70, 160, 200)])]
    cam = FakeCamera(walkers, fail_opens=1, sessions=2, frames_per_session=40)
    settings = VisionSettings(source="0", line=(0, 120, 320, 120), detect_every=1, min_dwell_s=1.0)
    states, counts = [], []

    class FrameDetector(ScriptedDetector):
        def detect(self, frame):  # the frame number the fake camera stamped into the image
            self.frame = int(frame[0, 0, 0]) + 256 * int(frame[0, 0, 1])
            return super().detect(frame)

    counter = LiveCounter(settings, opener=cam, detector=FrameDetector(walkers), on_state=lambda s, d: states.append(s),
                          on_counts=counts.append, backoff_s=0.01)

    def stop_when_done():
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not (cam.opens >= 3 and counter.state == "no_camera"
                                                   or counter.state == "retrying" and cam.frame >= 80):
            time.sleep(0.01)
        counter.stop()

    threading.Thread(target=stop_when_done, daemon=True).start()
    final = counter.run()
    assert "retrying" in states and states.count("running") >= 2
    assert final is not None and final.in_ == 2 and final.out == 0
    assert counts[-1].in_ == 2


def test_live_counter_reports_bad_geometry_and_stops():
    cam = FakeCamera([], fail_opens=0, sessions=5, frames_per_session=50)
    states = []
    counter = LiveCounter(VisionSettings(source="0", line=(0, 0, 5000, 0)), opener=cam,
                          detector=ScriptedDetector([]), on_state=lambda s, d: states.append((s, d)))
    counter.run()
    assert ("error", "line 0,0,5000,0: point (5000,0) lies outside the 320×240 frame") in states


def test_file_played_in_real_time_when_configured_as_the_source(tmp_path):
    walkers = [Walker([(0, 160, 40), (20, 160, 200)])]
    clip = render(tmp_path / "walk.avi", walkers, frames=25, fps=50)
    counter = LiveCounter(VisionSettings(source=str(clip), line=(0, 120, 320, 120), detect_every=1),
                          detector=ScriptedDetector(walkers))
    final = counter.run()
    assert final is not None and final.frames >= 20 and final.in_ == 1
