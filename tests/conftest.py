"""Shared Qt test set-up: offscreen platform, software Qt Quick, one QGuiApplication per session.

Qt tests take the `qapp` fixture (pytest-qt), which creates the QGuiApplication below once.
`kiosk_factory` builds a real kiosk (DB worker, view-models, QML window) over a pack folder.
"""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")
os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")
os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")


@pytest.fixture(scope="session")
def qapp_cls():  # noqa: ANN201  (pytest-qt hook: the application class)
    import app.ui  # noqa: F401  (applies the PySide6 work-arounds in app.ui.qtfix)
    from app.ui.kiosk import prepare_qt_environment
    from PySide6.QtGui import QGuiApplication

    prepare_qt_environment()  # the kiosk's own Qt environment (virtual keyboard settings)
    # Import the view-models (and with them QtMultimedia) now, while no other thread runs: loaded
    # later, by the first Kiosk, QtMultimedia's load-time warning reached pytest-qt's Python message
    # handler while the kiosk's DB thread held the GIL waiting on an import lock the loading thread
    # held — a hang (gdb + py-spy). The product installs no Python message handler.
    import app.ui.viewmodels  # noqa: F401

    return QGuiApplication


@pytest.fixture
def kiosk_factory(qapp, tmp_path):  # noqa: ANN001, ANN201
    """Build kiosks: `kiosk_factory(pack_path, **KioskOptions fields)`; all are closed afterwards.

    Defaults: windowed 1280×800, no transitions, attract loop skipped, database in tmp_path.
    Wait for content with `qtbot.waitUntil(lambda: k.app.ready)`.
    """
    from app.ui.kiosk import Kiosk, KioskOptions

    built = []

    def make(pack_path, **kw):  # noqa: ANN001, ANN202
        opts = dict(db_path=tmp_path / f"kiosk{len(built)}.db", pack_path=pack_path, fullscreen=False,
                    size=(1280, 800), animate=False, start_active=True)
        opts.update(kw)
        k = Kiosk(KioskOptions(**opts))
        built.append(k)
        return k

    yield make
    for k in built:
        if not k.app.ready:
            _report_not_ready(k)
        k.close()


def _report_not_ready(k) -> None:  # noqa: ANN001
    """A kiosk that never became ready: print what its DB worker was doing (shown on failure)."""
    import faulthandler
    import sys

    print(f"kiosk not ready: home_error={k.home_error!r} pending={k.db.pending} "
          f"callbacks={list(k.db._callbacks)} worker_running={k.db._thread.isRunning()}", file=sys.stderr)
    faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
