"""Start-up work kept off the first frame (bench/startup.py measures it): sqlite_utils without numpy,
the narration pack parsed on demand, the QML disk cache kept on a read-only home."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from packbuilder import write_pack

pytestmark = pytest.mark.timeout(60)

ROOT = Path(__file__).resolve().parent.parent


def test_store_imports_sqlite_utils_without_numpy_and_numpy_columns_still_map() -> None:
    script = """
import sys
import app.store
assert "numpy" not in sys.modules, "app.store imported numpy"
import numpy as np
import sqlite_utils
db = sqlite_utils.Database(memory=True)
db["t"].insert({"i8": np.int8(1), "u64": np.uint64(2), "f32": np.float32(1.5), "f64": np.float64(2.5), "n": 3})
print(sorted((c.name, c.type) for c in db["t"].columns))
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(sorted([("f32", "REAL"), ("f64", "REAL"), ("i8", "INTEGER"), ("n", "INTEGER"),
                                             ("u64", "INTEGER")]))


def test_numpy_aware_types_answer_like_sqlite_utils() -> None:
    np = pytest.importorskip("numpy")
    from app.store import _NumpyAwareTypes

    types = _NumpyAwareTypes({str: "TEXT"})
    assert types[np.int64] == "INTEGER" and types[np.float16] == "REAL" and types[str] == "TEXT"
    assert types.get(np.longlong if np.longlong is not np.int64 else complex) is None
    assert np.uint8 in types and bytes not in types
    with pytest.raises(KeyError):
        types[complex]


def test_narration_resolver_parses_the_pack_only_when_started_or_asked(tmp_path: Path) -> None:
    from app.ui.narration_wiring import PackExhibitResolver

    pack = write_pack(tmp_path / "pack")
    lazy = PackExhibitResolver(pack, start=False)
    assert lazy._thread.ident is None  # nothing parsed at start-up
    found = lazy("changting")  # the first look-up starts (and waits for) the parse
    assert found is not None and found[1].id == "changting"
    started = PackExhibitResolver(pack, start=False)
    started.start()
    started.start()  # once only
    assert started("changting") is not None and started("nope") is None


def test_qml_cache_moves_to_the_data_dir_when_home_cache_is_not_writable(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from app.ui.kiosk import qml_cache_fallback

    monkeypatch.delenv("QML_DISK_CACHE_PATH", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    qml_cache_fallback(tmp_path / "data")
    assert "QML_DISK_CACHE_PATH" not in os.environ  # writable: Qt's default cache stays
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "cache"))  # cannot be created
    qml_cache_fallback(tmp_path / "data")
    assert os.environ["QML_DISK_CACHE_PATH"] == str(tmp_path / "data" / "qmlcache")


@pytest.mark.parametrize("outcome", ["data", "error"])
def test_a_home_answer_delivered_while_the_kiosk_is_still_being_built_is_not_lost(
        kiosk_factory, qtbot, tmp_path: Path, monkeypatch, outcome: str) -> None:  # noqa: ANN001
    """Something in Kiosk.__init__ may spin the event loop (a platform or multimedia plugin): the DB
    worker's home answer then arrives before the view-models exist, and must still be applied."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    from app.ui import kiosk as kiosk_module
    from app.ui.viewmodels import calibration

    original = calibration.attach
    delivered: list[bool] = []

    def attach_spinning_the_loop(kiosk, cfg):  # noqa: ANN001, ANN202
        deadline = time.monotonic() + 30
        while kiosk.db.pending and time.monotonic() < deadline:  # until the worker's answer is in
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.01)
        delivered.append(kiosk.db.pending == 0)
        return original(kiosk, cfg)

    monkeypatch.setattr(calibration, "attach", attach_spinning_the_loop)
    pack = write_pack(tmp_path / "pack") if outcome == "data" else tmp_path / "no-such-pack"
    if outcome == "error":
        monkeypatch.setattr(kiosk_module, "open_store", lambda db, p: (_ for _ in ()).throw(
            kiosk_module.StartupError(f"content pack {p}: not found")))
    k = kiosk_factory(pack)
    assert delivered == [True]  # the answer really came during __init__
    if outcome == "data":
        assert k.app.ready  # applied at the end of __init__, no further event needed
    else:
        assert "not found" in k.home_error and not k.app.ready
