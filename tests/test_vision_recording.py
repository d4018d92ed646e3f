"""The opt-in debug recording: writes only while active, switches itself off, purges old files."""
import os

import numpy as np

from app.vision.recording import DebugRecorder


def test_recording_stops_by_itself_and_old_files_are_purged(tmp_path):
    folder = tmp_path / "vision-debug"
    folder.mkdir()
    old = folder / "debug-20200101T000000Z.avi"
    old.write_bytes(b"x")
    os.utime(old, (1_000, 1_000))
    now = {"t": 2_000_000_000.0}
    rec = DebugRecorder(folder, minutes=1, clock=lambda: now["t"])
    assert not old.exists()  # older than 24 h: deleted when a recorder starts
    frame = np.zeros((720, 1280, 3), np.uint8)
    assert rec.active and rec.write(frame)
    now["t"] += 61  # the minute is over
    assert not rec.active and not rec.write(frame)
    files = list(folder.glob("debug-*.avi"))
    assert files == [rec.path] and rec.path.stat().st_size > 0


def test_recording_is_off_by_default_and_expires():
    from app.config import VisionConfig

    assert VisionConfig().debug_recording is False
    assert 1 <= VisionConfig().debug_recording_min <= 240
