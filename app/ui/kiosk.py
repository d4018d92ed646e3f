"""Start the kiosk: QGuiApplication + QQmlApplicationEngine + the `Hongtu` QML module.

`build_kiosk()` assembles everything (DB worker, view-models, visitor session, window) and is shared
by `run_kiosk()` (the real kiosk), `hongtu tour` and the tests. Only this package imports Qt.
"""
from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import app.store  # noqa: F401  (imports sqlite_utils without numpy, before app.ops needs it: start-up)
from app.ui import fonts as ui_fonts
from app.ui.screens import QML_DIR

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
APP_MEDIA = REPO_ROOT / "media"
PROBE_ENV = "HONGTU_PROBE_FIRST_FRAME"  # bench/startup.py: print the first home frame, then quit


class StartupError(Exception):
    """The kiosk cannot show any content (broken pack and no previously indexed catalog, …)."""


@dataclass
class KioskOptions:
    """What the UI needs from the config, flattened (tests and the tour build these directly)."""

    db_path: Path
    pack_path: Path
    languages: tuple[str, ...] = ("zh", "en")
    idle_timeout_s: float = 90
    countdown_s: float = 10
    large_text: bool = False
    fullscreen: bool = True
    size: tuple[int, int] = (1920, 1080)
    attract_video: Path | None = None
    start_active: bool = False  # skip the attract loop (tour, benchmarks)
    hide_cursor: bool = False
    animate: bool = True  # screen transitions (off for the tour and benchmarks)
    clock: Any = None  # the visitor session's clock (tests, tour); None = time.monotonic
    extra: dict[str, Any] = field(default_factory=dict)


def options_from_config(cfg: Any, pack_path: Path | None = None, windowed: bool = False) -> KioskOptions:
    """KioskOptions from a `KioskConfig` and the command-line flags."""
    ui_cfg = cfg.ui
    video = ui_cfg.attract_video
    if video is None and (APP_MEDIA / "attract.mp4").is_file():
        video = APP_MEDIA / "attract.mp4"
    return KioskOptions(
        db_path=cfg.db_path,
        pack_path=Path(pack_path) if pack_path else cfg.active_pack_path(),
        languages=tuple(cfg.languages),
        idle_timeout_s=ui_cfg.idle_timeout_s,
        countdown_s=ui_cfg.countdown_s,
        large_text=ui_cfg.large_text,
        fullscreen=cfg.fullscreen and not windowed,
        size=(ui_cfg.width, ui_cfg.height),
        attract_video=video,
        hide_cursor=ui_cfg.hide_cursor and cfg.fullscreen and not windowed,
        extra={"cfg": cfg, "follow_active": pack_path is None and cfg.pack is None},  # admin mode (issue 5)
    )


def prepare_qt_environment() -> None:
    """Environment Qt reads at QGuiApplication creation: virtual keyboard, Controls style."""
    os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
    # The kiosk's one keyboard is the InputPanel in KeyboardPanel.qml, loaded asynchronously.
    # Without this, a text field focused before that panel exists makes Qt Virtual Keyboard build
    # its own "desktop" keyboard (a second top-level window, compiled synchronously on the GUI
    # thread) which then owns the input method: the kiosk's panel never opened again in that
    # window (the "keyboard did not open" test flake; a kiosk restart was needed).
    os.environ.setdefault("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "1")
    os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")


def qml_cache_fallback(data_dir: Path) -> None:
    """Keep QML's compiled-file cache on a kiosk whose home folder is read-only.

    Qt caches compiled QML under ~/.cache/<org>/<app>/qmlcache; when that is not writable, every
    start would recompile every screen, so the cache goes to `<data_dir>/qmlcache` instead.
    """
    if os.environ.get("QML_DISK_CACHE_PATH"):
        return
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "Hongtu" / "Hongtu"
    try:
        base.mkdir(parents=True, exist_ok=True)
        if os.access(base, os.W_OK):
            return
    except OSError:
        pass
    os.environ["QML_DISK_CACHE_PATH"] = str(Path(data_dir) / "qmlcache")


def qt_application(argv: list[str] | None = None) -> Any:
    """The process's QGuiApplication (created on first call, with the CJK font)."""
    prepare_qt_environment()
    from PySide6.QtGui import QFont, QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        app = QGuiApplication(argv or [sys.argv[0]])
        app.setApplicationName("Hongtu")
        app.setOrganizationName("Hongtu")
    family = ui_fonts.families().sans
    if app.font().family() != family:
        app.setFont(QFont(family))
    return app


def open_store(db_path: Path, pack_path: Path) -> Any:
    """Worker-thread opener: the database and the catalog of `pack_path`.

    A pack that fails to load keeps the previously indexed catalog (with a warning); with no
    previous catalog the error is raised as StartupError.
    """
    from app.store.catalog import Catalog, ensure_catalog
    from app.store.db import open_db
    from app.ui.store_jobs import StoreContext

    db = open_db(db_path)
    warning = ""
    try:
        catalog = ensure_catalog(db, pack_path)
    except Exception as exc:  # PackError, StoreError: one line for a person
        catalog = Catalog(db)
        if catalog.pack_info() is None:
            db.conn.close()
            raise StartupError(f"content pack {pack_path}: {_one_line(exc)}") from exc
        warning = f"{_one_line(exc)} — showing the previously indexed pack {catalog.pack_root()}"
    root = catalog.pack_root() or Path(pack_path)
    return StoreContext(db=db, catalog=catalog, pack_root=Path(root), warning=warning)


def _one_line(exc: BaseException) -> str:
    lines = [ln for ln in str(exc).splitlines() if ln.strip()]
    if not lines:
        return type(exc).__name__
    more = f" (and {len(lines) - 1} more problems)" if len(lines) > 1 else ""
    return lines[0] + more


class Kiosk:
    """A built kiosk: the Qt objects plus the view-models. `close()` tears it down."""

    def __init__(self, opts: KioskOptions) -> None:
        self.opts = opts
        self.qapp = qt_application()
        from app.ui import store_jobs
        from app.ui.dbworker import DbClient

        # start the DB worker first: opening the store and the home query overlap with QML loading
        # (the answer is delivered by the event loop, after __init__ returns)
        self.home_error: str = ""
        self.db = DbClient(lambda: open_store(opts.db_path, opts.pack_path))
        self.db.call(store_jobs.home_data, self._on_home, self._on_home_error)

        from PySide6 import QtQuick  # noqa: F401  (QQuickWindow casts of root objects)
        from PySide6.QtQml import QQmlApplicationEngine

        from app.session import VisitorSession
        from app.ui.context import UiContext, set_context
        from app.ui.viewmodels import app_state, session_vm
        import app.ui.viewmodels  # noqa: F401  (registers the Hongtu.Models types)
        self.app = app_state.App(
            default_language=opts.languages[0],
            languages=opts.languages,
            fullscreen=opts.fullscreen,
            large_text_default=opts.large_text,
            attract_video=str(opts.attract_video) if opts.attract_video else "",
            animate=opts.animate,
        )
        if opts.clock is not None:
            self.core = VisitorSession(opts.idle_timeout_s, opts.countdown_s, clock=opts.clock)
        else:
            self.core = VisitorSession(opts.idle_timeout_s, opts.countdown_s)
        self.session = session_vm.Session(self.core)
        self.core.on_reset(self.app.resetVisitor)
        self.ctx = UiContext(db=self.db, app=self.app, session=self.session)
        set_context(self.ctx)
        from app.ui.viewmodels import admin

        self.admin = admin.attach(self, opts.extra.get("cfg"))  # staff admin mode, pack switching (issue 5)
        from app.ui import events_bridge

        self.events = events_bridge.attach(self, opts.extra.get("cfg"))  # visit log, hub sync (issue 6)
        self.ctx.events = self.events
        from app.ui.viewmodels import calibration

        self.camera = calibration.attach(self, opts.extra.get("cfg"))  # camera counting (issue 7), started below

        if opts.start_active:  # before QML loads, so the attract screen (and QtMultimedia) never load
            self.core.touch()

        self.engine = QQmlApplicationEngine()
        self.engine.addImportPath(str(QML_DIR))
        self.engine.warnings.connect(self._qml_warnings)
        self.engine.loadFromModule("Hongtu", "Main")
        roots = self.engine.rootObjects()
        if not roots:
            admin.detach(self.admin)
            self.db.stop()
            self.events.close()
            raise StartupError(f"{QML_DIR / 'Hongtu' / 'Main.qml'}: the QML did not load (see the log)")
        self.window = roots[0]
        if not opts.fullscreen:
            self.window.resize(*opts.size)
        if opts.hide_cursor:
            from PySide6.QtCore import Qt
            from PySide6.QtGui import QCursor

            self.window.setCursor(QCursor(Qt.CursorShape.BlankCursor))
        admin.attach_window(self.admin, self.window)
        # on the window, not the application: every input reaches the window first, and other
        # events (timers, paints) never pay for a Python call
        self.filter = session_vm.InputActivityFilter(self.session)
        self.window.installEventFilter(self.filter)
        self.session.start_timer()
        self.camera.start()  # vision.enabled: counts on its own thread; a dead camera only shows in admin mode
        self._apply_early_answer()

    def between_sessions(self) -> bool:
        """Nobody is using the kiosk: the attract loop is on and admin mode is closed (the moment for
        work a visitor or staff must not see: a pack switch, the daily restart)."""
        from app.session import SessionState

        return self.core.state is SessionState.ATTRACT and self.admin.mode == "off"

    def _defer_until_built(self, fn: Any, arg: Any) -> bool:
        """True (and `fn(arg)` kept for the end of __init__) if the answer came while __init__ still
        runs (something in it spun the event loop); `_apply_early_answer` then hands it over."""
        if getattr(self, "_built", False):
            return False
        log.debug("home data arrived during start-up; applied once the kiosk is built")
        self._early = (fn, arg)
        return True

    def _apply_early_answer(self) -> None:
        self._built = True
        early, self._early = getattr(self, "_early", None), None
        if early is not None:
            early[0](early[1])

    def _on_home(self, data: Any) -> None:
        if self._defer_until_built(self._on_home, data):
            return
        if data.warning:
            log.warning("%s", data.warning)
            print(f"hongtu: warning: {data.warning}", file=sys.stderr)
        self.app.set_home_data(data)

    def _on_home_error(self, exc: BaseException) -> None:
        if self._defer_until_built(self._on_home_error, exc):
            return
        self.home_error = _one_line(exc)
        self.app.set_error(self.home_error)

    @staticmethod
    def _qml_warnings(warnings: list[Any]) -> None:
        for w in warnings:
            log.warning("QML: %s", w.toString())

    def close(self) -> None:
        from app.ui.context import set_context

        self.session.stop_timer()
        from app.ui.viewmodels import admin

        admin.detach(self.admin)
        self.window.removeEventFilter(self.filter)
        from PySide6.QtCore import QCoreApplication, QEvent

        for root in self.engine.rootObjects():
            root.close()
            root.deleteLater()
        self.engine.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
        from app.ui.viewmodels import calibration

        calibration.detach(self.camera)  # stop and join the camera worker; its last minute reaches the log
        self.events.close()  # session_end, queued events written, sync loop stopped
        self.db.stop()
        self.app.detach_engine()
        set_context(None)


def build_kiosk(opts: KioskOptions) -> Kiosk:
    return Kiosk(opts)


def run_kiosk(cfg: Any, pack_path: Path | None = None, windowed: bool = False) -> int:
    """Run the kiosk until it quits; returns the process exit code."""
    from app.ui.ops_bridge import EXIT_CONTENT, OpsBridge, StartupFailed, prepare_start, report_refusal

    try:  # logging, single instance, crash-loop safe mode, install clean-up, DB check (issue 8)
        ops = prepare_start(cfg, pack_path)
    except StartupFailed as exc:
        report_refusal(str(exc))  # stderr, and the log once it is up
        return exc.exit_code
    cfg, pack_path = ops.cfg, ops.pack_path
    opts = options_from_config(cfg, pack_path, windowed)
    if not opts.pack_path.is_dir():
        report_refusal(f"{opts.pack_path}: content pack folder not found")
        return EXIT_CONTENT
    probe = os.environ.get(PROBE_ENV) == "1"
    if probe:
        opts.start_active = True
    qml_cache_fallback(Path(cfg.data_dir))
    qapp = qt_application()
    from app.ui.narration_wiring import PackExhibitResolver, after_first_frame, install_narration

    resolver = PackExhibitResolver(opts.pack_path, start=False)  # parsed after the first frame
    narration = install_narration(cfg, opts.pack_path, resolver, warm_up=False)  # TTS worker: likewise
    try:
        kiosk = build_kiosk(opts)
    except StartupError as exc:
        report_refusal(str(exc))
        narration.shutdown()
        return EXIT_CONTENT
    kiosk.core.on_reset(narration.stop)
    after_first_frame(kiosk, lambda: (resolver.start(), narration.warm_up()))

    def on_status() -> None:
        if kiosk.home_error:
            report_refusal(kiosk.home_error)
            qapp.exit(EXIT_CONTENT)
        elif probe and kiosk.app.ready:
            kiosk.window.frameSwapped.connect(lambda: (print("HONGTU_FIRST_FRAME", time.time(), flush=True), qapp.exit(0)))
            kiosk.window.update()

    kiosk.app.statusChanged.connect(on_status)
    bridge = OpsBridge(ops, kiosk)  # READY/WATCHDOG, SIGTERM = clean quit, lock-down; holds the lock
    code = qapp.exec()
    bridge.close(code)
    kiosk.close()
    narration.shutdown()
    return code
