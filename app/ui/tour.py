"""The screenshot tour: drive every screen offscreen and save PNGs (`hongtu tour --out DIR`).

The tour is a list of steps, `TOUR_STEPS`. A step is a name and a function `run(driver)` that puts
the kiosk in the state to photograph (navigate, scroll, toggle…); the tour then waits for the UI
to settle and grabs the window. Each step starts from a fresh visitor at the home screen. Later
screens add themselves with the decorator, in their own module listed in `TOUR_MODULES`:

    @tour_step("quiz-question")
    def _quiz(d: TourDriver) -> None:
        d.go("quiz", quizId=d.query(lambda s: s.catalog.quizzes()[0].id))
"""
from __future__ import annotations

import importlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from app.ui import store_jobs

TOUR_MODULES: list[str] = ["app.ui.quiz_tour", "app.ui.map_tour", "app.ui.search_tour", "app.ui.stats_tour", "app.ui.viewmodels.admin_tour", "app.ui.camera_tour"]  # e.g. "app.ui.map_tour": modules that register more steps


class TourError(Exception):
    """The tour could not run (no content, a step failed); the message says which step."""


@dataclass(frozen=True)
class TourStep:
    name: str
    run: Callable[["TourDriver"], None]


TOUR_STEPS: list[TourStep] = []


def tour_step(name: str) -> Callable[[Callable[["TourDriver"], None]], Callable[["TourDriver"], None]]:
    """Register a tour step (appended to TOUR_STEPS, in definition order)."""

    def deco(fn: Callable[["TourDriver"], None]) -> Callable[["TourDriver"], None]:
        TOUR_STEPS.append(TourStep(name, fn))
        return fn

    return deco


class FakeClock:
    """A clock the tour (and tests) advance by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class TourDriver:
    """What a step can do with the running kiosk."""

    def __init__(self, kiosk: Any, clock: FakeClock) -> None:
        self.kiosk = kiosk
        self.app = kiosk.app
        self.session = kiosk.session
        self.clock = clock
        from PySide6.QtCore import QCoreApplication, QObject

        self._qcore = QCoreApplication
        self._qobject = QObject
        self._saver: Any = None
        self._saves: list[tuple[Path, Any]] = []

    def go(self, screen: str, **params: Any) -> None:
        self.app.go(screen, params)
        self.settle()

    def query(self, job: Callable[[Any], Any], timeout_s: float = 30) -> Any:
        """Run `job(store)` on the DB worker and wait for its result."""
        box: dict[str, Any] = {}
        self.kiosk.db.call(job, lambda r: box.setdefault("r", r), lambda e: box.setdefault("e", e))
        self.wait(lambda: "r" in box or "e" in box, timeout_s)
        if "e" in box:
            raise box["e"]
        return box.get("r")

    def wait(self, cond: Callable[[], bool], timeout_s: float = 10) -> bool:
        end = time.monotonic() + timeout_s
        while not cond():
            if time.monotonic() > end:
                return False
            self._qcore.processEvents()
            time.sleep(0.005)
        return True

    def find(self, object_name: str) -> Any:
        """The first QML object with this objectName (None if absent)."""
        return self.kiosk.window.findChild(self._qobject, object_name)

    def current_screen(self) -> Any:
        stack = self.find("stack")
        return stack.property("currentItem") if stack is not None else None

    def settle(self, timeout_s: float = 10) -> None:
        """Wait until the DB worker is idle, no transition runs and no image is still loading."""
        stack = self.find("stack")

        last_walk = [0.0]

        def quiet() -> bool:
            if self.kiosk.db.pending:
                return False
            if stack is not None and stack.property("busy"):
                return False
            now = time.monotonic()
            if now - last_walk[0] < 0.02:  # walking the item tree is not free: every 20 ms at most
                return False
            last_walk[0] = now
            return not self._images_loading()

        self.wait(quiet, timeout_s)
        end = time.monotonic() + 0.04
        while time.monotonic() < end:  # let bindings and a render pass run
            self._qcore.processEvents()
            time.sleep(0.005)
        self.wait(quiet, timeout_s)

    def _images_loading(self) -> bool:
        from PySide6.QtQml import QQmlEngine, QQmlExpression
        from PySide6.QtQuick import QQuickItem
        from shiboken6 import isValid

        # walk the visual tree: view delegates have no QObject parent, so findChildren misses them
        todo: list[QQuickItem] = [self.kiosk.window.contentItem()]
        while todo:
            item = todo.pop()
            if not isinstance(item, QQuickItem) or not isValid(item):
                continue  # deleted meanwhile (an expression below can unload a Loader)
            # inherits(), not metaObject(): PySide6 6.12 keeps a Python wrapper of every QMetaObject
            # it hands out, and a QML item's metaobject dies with it, so a later object allocated at
            # that address came back as a stale "QMetaObject" (seen in the test suite)
            if item.isVisible() and item.inherits("QQuickImage"):
                # PySide cannot convert Image.status; ask QML (2 = Image.Loading)
                ctx = QQmlEngine.contextForObject(item)
                if ctx is not None and QQmlExpression(ctx, item, "status === 2").evaluate()[0]:
                    return True
            todo.extend(item.childItems())
        return False

    def grab(self, path: Path) -> Path:
        """Grab the window now; the PNG is written on a background thread (see `flush`)."""
        image = self.kiosk.window.grabWindow()
        if image.isNull():
            raise TourError(f"{path}: could not grab the window")
        if self._saver is None:
            from concurrent.futures import ThreadPoolExecutor

            self._saver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tour-png")
        self._saves.append((path, self._saver.submit(image.save, str(path), "PNG", 80)))
        return path

    def flush(self) -> None:
        """Wait for every PNG to be written; TourError names one that could not be."""
        saves, self._saves = self._saves, []
        failed = [p for p, fut in saves if not fut.result()]
        if self._saver is not None:
            self._saver.shutdown()
            self._saver = None
        if failed:
            raise TourError(f"{failed[0]}: could not save the screenshot")


# ---- the shell's steps --------------------------------------------------------------------------

def _first_exhibit_with_images(store: Any) -> str:
    cards = store.catalog.exhibits()
    if not cards:
        raise TourError("the pack has no exhibits")
    best = max(cards[:200], key=lambda c: (len([m for m in (store.catalog.exhibit(c.id).media) if m.kind == "image"])))
    return best.id


@tour_step("attract")
def _attract(d: TourDriver) -> None:
    d.session.end()
    d.settle()


@tour_step("home")
def _home(d: TourDriver) -> None:
    d.settle()


@tour_step("home-halls")
def _home_halls(d: TourDriver) -> None:
    d.settle()
    flick = d.find("homeFlick")
    if flick is not None:
        h = flick.property("contentHeight") - flick.property("height")
        flick.setProperty("contentY", max(0, min(h, flick.property("height") * 0.8)))
    d.settle()


@tour_step("home-bottom")
def _home_bottom(d: TourDriver) -> None:
    d.settle()
    flick = d.find("homeFlick")
    if flick is not None:
        flick.setProperty("contentY", max(0, flick.property("contentHeight") - flick.property("height")))
    d.settle()


@tour_step("hall-province")
def _hall_province(d: TourDriver) -> None:
    halls = [h for h in d.app.halls if h.level == "province"] or d.app.halls
    d.go("hall", hallId=halls[0].id)


@tour_step("hall-city")
def _hall_city(d: TourDriver) -> None:
    counts = d.query(lambda s: {h.id: len(s.catalog.exhibits(hall=h.id)) for h in s.catalog.halls()})
    cities = [h for h in d.app.halls if h.level == "city"] or d.app.halls
    d.go("hall", hallId=max(cities, key=lambda h: counts.get(h.id, 0)).id)


@tour_step("hall-county")
def _hall_county(d: TourDriver) -> None:
    counties = [h for h in d.app.halls if h.level == "county"] or d.app.halls
    d.go("hall", hallId=counties[0].id)


@tour_step("exhibit")
def _exhibit(d: TourDriver) -> None:
    d.go("exhibit", exhibitId=d.query(_first_exhibit_with_images))


@tour_step("exhibit-gallery-next")
def _exhibit_gallery(d: TourDriver) -> None:
    d.go("exhibit", exhibitId=d.query(_first_exhibit_with_images))
    gallery = d.find("gallery")
    if gallery is not None and gallery.property("count") > 1:
        gallery.setProperty("currentIndex", 1)
    text = d.find("exhibitText")
    if text is not None:
        text.setProperty("contentY", max(0, text.property("contentHeight") - text.property("height")))
    d.settle()


@tour_step("exhibit-large-text")
def _exhibit_large(d: TourDriver) -> None:
    d.app.toggleLargeText()
    d.go("exhibit", exhibitId=d.query(_first_exhibit_with_images))


@tour_step("exhibits-all")
def _exhibits_all(d: TourDriver) -> None:
    d.go("exhibits")


@tour_step("exhibits-theme")
def _exhibits_theme(d: TourDriver) -> None:
    tags = d.query(lambda s: s.catalog.tags())
    d.go("exhibits", tag=tags[0][0] if tags else "")


@tour_step("home-large-text")
def _home_large(d: TourDriver) -> None:
    d.app.toggleLargeText()
    d.settle()


for _screen in ("quiz", "search"):  # map and routes: app.ui.map_tour
    tour_step(f"entry-{_screen}")(lambda d, s=_screen: d.go(s))


@tour_step("countdown")
def _countdown(d: TourDriver) -> None:
    d.go("hall", hallId=d.app.halls[0].id)
    d.clock.advance(d.session.core.idle_timeout_s + 0.5)
    d.session.tick()
    d.settle()


# ---- running ------------------------------------------------------------------------------------

def run_tour(
    cfg: Any,
    out_dir: Path,
    *,
    pack_path: Path | None = None,
    sizes: list[tuple[int, int]] | None = None,
    languages: tuple[str, ...] = ("zh", "en"),
    only: str = "",
    db_path: Path | None = None,
    steps: list[TourStep] | None = None,
) -> list[Path]:
    """Run every step (or `steps`) at every size and language; returns the PNG files written."""
    from app.ui.kiosk import Kiosk, KioskOptions, StartupError, options_from_config

    for name in TOUR_MODULES:
        importlib.import_module(name)
    sizes = sizes or [(1920, 1080), (1280, 800)]
    out_dir.mkdir(parents=True, exist_ok=True)
    base = options_from_config(cfg, pack_path, windowed=True)
    clock = FakeClock()
    opts = KioskOptions(
        db_path=db_path or base.db_path,
        pack_path=base.pack_path,
        languages=base.languages,
        idle_timeout_s=base.idle_timeout_s,
        countdown_s=base.countdown_s,
        large_text=False,
        fullscreen=False,
        size=sizes[0],
        attract_video=None,  # offscreen video decoding would make the shots flaky; the slideshow shows
        start_active=True,
        animate=False,
        clock=clock,
        extra={"cfg": cfg},  # admin mode (issue 5); the tour never follows the installed pack
    )
    from app.ui.narration_wiring import install_narration

    narration = install_narration(cfg, base.pack_path)  # the pages show a working narration bar
    try:
        kiosk = Kiosk(opts)
    except StartupError as exc:
        narration.shutdown()
        raise TourError(str(exc)) from exc
    kiosk.core.on_reset(narration.stop)
    driver = TourDriver(kiosk, clock)
    files: list[Path] = []
    try:
        if not driver.wait(lambda: kiosk.app.ready or bool(kiosk.home_error), 120):
            raise TourError("the catalog did not load within 120 s")
        if kiosk.home_error:
            raise TourError(kiosk.home_error)
        steps = [s for s in (TOUR_STEPS if steps is None else steps) if only in s.name]
        for w, h in sizes:
            kiosk.window.resize(w, h)
            for lang in languages:
                for i, step in enumerate(steps, 1):
                    kiosk.session.touch()
                    kiosk.app.clearScreens()
                    kiosk.app.setProperty("largeText", False)
                    kiosk.app.setLanguage(lang)
                    driver.settle()
                    try:
                        step.run(driver)
                        driver.settle()
                    except TourError:
                        raise
                    except Exception as exc:
                        raise TourError(f"tour step {step.name!r} ({w}x{h}, {lang}) failed: {exc}") from exc
                    files.append(driver.grab(out_dir / f"{w}x{h}-{lang}-{i:02d}-{step.name}.png"))
        driver.flush()
        kiosk.app.resetVisitor()
    finally:
        kiosk.close()
        narration.shutdown()
    return files


__all__ = ["TOUR_STEPS", "TourDriver", "TourError", "TourStep", "run_tour", "tour_step", "store_jobs"]
