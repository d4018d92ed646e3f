"""Screen-change time and memory over 1,000 scripted screen changes (issue 3), offscreen, one process.

    .venv/bin/python bench/navigation.py [--changes 1000] [--animate] [--pack PATH]

The real kiosk (`app.ui.kiosk.Kiosk`, with its config: event log, admin, narration player) is
driven through a visitor's path over the sample pack: home → hall → exhibit → related exhibit →
back → back → map → routes → route → back → quiz list → leaderboard → search → theme browse →
home …, cycling through every hall, exhibit, route and quiz.

Screen-change time = from the `App.go()/back()/home()` call to the first frame swapped that shows
the new screen (`--animate`: to the first frame after the StackView transition has finished).
Between changes the script waits for the DB worker to deliver the screen's content, as a visitor
would. RSS is read from /proc/self/status after a warm-up pass over every screen (before) and after
the changes, each time after `gc.collect()` and glibc `malloc_trim(0)` (so freed-but-cached heap is
not counted); the raw RSS is printed too. Targets: median ≤ 50 ms; growth ≤ 10 MB.
"""
from __future__ import annotations

import argparse
import ctypes
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb(trim: bool = True) -> float:
    if trim:
        gc.collect()
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):
            pass
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def script(pack: Any) -> list[tuple[str, str, dict]]:
    """One visitor path over the whole pack: (op, screen, params) with op go/back/home."""
    halls = [h.id for h in pack.halls]
    exhibits = [e.id for e in pack.exhibits]
    routes = [r.id for r in pack.routes]
    quizzes = [q.id for q in pack.quizzes]
    tags = sorted({t for e in pack.exhibits for t in getattr(e, "tags", ())}) or [""]
    steps: list[tuple[str, str, dict]] = []
    n = max(len(halls), len(exhibits), len(routes), len(quizzes))
    for i in range(n):
        ex, ex2 = exhibits[i % len(exhibits)], exhibits[(i + 1) % len(exhibits)]
        steps += [
            ("go", "hall", {"hallId": halls[i % len(halls)]}),
            ("go", "exhibit", {"exhibitId": ex}),
            ("go", "exhibit", {"exhibitId": ex2}),
            ("back", "", {}),
            ("back", "", {}),
            ("go", "map", {}),
            ("go", "routes", {}),
        ]
        if routes:
            steps += [("go", "route", {"routeId": routes[i % len(routes)]}), ("back", "", {})]
        steps += [("home", "", {}), ("go", "quiz", {})]
        if quizzes:
            steps += [("go", "quiz-board", {"quizId": quizzes[i % len(quizzes)]})]
        steps += [("home", "", {}), ("go", "search", {}), ("home", "", {}),
                  ("go", "exhibits", {"tag": tags[i % len(tags)]}), ("home", "", {})]
    return steps


class Driver:
    """Runs the steps inside the application's own event loop (`exec()`), as the real kiosk does —
    so deferred deletes of popped screens happen as they would in production."""

    def __init__(self, kiosk: Any, animate: bool) -> None:
        from PySide6.QtCore import QObject, QTimer

        self.kiosk = kiosk
        self.app = kiosk.app
        self.animate = animate
        self.stack = kiosk.window.findChild(QObject, "stack")
        self._timer = QTimer
        self._steps: list[tuple[str, str, dict]] = []
        self._i = 0
        self._on_done: Callable[[], None] = lambda: None
        self._t0 = 0.0
        self._phase = ""
        self.times: list[float] = []
        self.on_each: Callable[[int], None] = lambda n: None
        kiosk.window.frameSwapped.connect(self._on_frame)

    def run(self, steps: list[tuple[str, str, dict]], count: int, on_done: Callable[[], None]) -> None:
        """Play `count` screen changes from `steps` (cycling), then call `on_done`."""
        self._steps, self._count, self._i, self._on_done = steps, count, 0, on_done
        self.times = []
        self._timer.singleShot(0, self._next)

    def _next(self) -> None:
        if len(self.times) >= self._count:
            self._on_done()
            return
        op, screen, params = self._steps[self._i % len(self._steps)]
        self._i += 1
        depth = self.app.depth
        self._t0 = time.perf_counter()
        if op == "go":
            self.app.go(screen, params)
        elif op == "back":
            self.app.back()
        else:
            self.app.home()
        if self.app.depth == depth and op != "go":  # nothing changed (already home)
            self._timer.singleShot(0, self._next)
            return
        self._phase = "transition" if self.animate else "frame"
        if self.animate:
            self._poll_transition()
        else:
            self.kiosk.window.update()

    def _poll_transition(self) -> None:
        if self.stack.property("busy"):
            self._timer.singleShot(2, self._poll_transition)
            return
        self._phase = "frame"
        self.kiosk.window.update()

    def _on_frame(self) -> None:
        if self._phase != "frame":
            return
        self._phase = ""
        self.times.append(time.perf_counter() - self._t0)
        self.on_each(len(self.times))
        self._wait_content()

    def _wait_content(self) -> None:
        # the screen's content from the DB worker, as a visitor waits for it
        if self.kiosk.db.pending:
            self._timer.singleShot(2, self._wait_content)
        else:
            self._timer.singleShot(0, self._next)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--changes", type=int, default=1000)
    ap.add_argument("--animate", action="store_true", help="with screen transitions (time to their end)")
    ap.add_argument("--pack", type=Path, default=ROOT / "exhibits" / "fujian-red-map")
    ap.add_argument("--size", default="1920x1080")
    ap.add_argument("--progress", type=int, default=0, help="print the RSS every N changes")
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_QUICK_BACKEND", "software")

    import app.ui  # noqa: F401  (PySide6 work-arounds)
    from app.config import load_config
    from app.content.loader import load_pack
    from app.ui.kiosk import Kiosk, options_from_config, qt_application
    from app.ui.narration_wiring import install_narration

    tmp = Path(tempfile.mkdtemp(prefix="hongtu-nav-"))
    cfg = load_config(ROOT / "kiosk_config.yaml", env={"HONGTU_DATA_DIR": str(tmp), "HONGTU_PACK": str(args.pack)})
    qt_application()
    narration = install_narration(cfg, args.pack)
    opts = options_from_config(cfg, args.pack, windowed=True)
    opts.size = tuple(int(v) for v in args.size.split("x"))  # type: ignore[assignment]
    opts.start_active = True
    opts.animate = args.animate
    kiosk = Kiosk(opts)
    kiosk.window.show()
    qapp = qt_application()
    d = Driver(kiosk, args.animate)
    steps = script(load_pack(args.pack))
    figures: dict[str, Any] = {}

    def measured() -> None:
        figures["wall"] = time.perf_counter() - figures["t"]
        figures["raw1"] = rss_mb(trim=False)
        figures["rss1"] = rss_mb()
        qapp.exit(0)

    def on_each(n: int) -> None:
        if n == args.changes // 2:
            figures["mid"] = rss_mb()
        if args.progress and n % args.progress == 0:
            print(f"  … {n} changes: RSS {rss_mb():.1f} MB", flush=True)

    def warmed_up() -> None:  # every screen once: QML components compiled and cached
        figures["raw0"], figures["rss0"] = rss_mb(trim=False), rss_mb()
        figures["t"] = time.perf_counter()
        d.on_each = on_each
        d.run(steps, args.changes, measured)

    def on_status() -> None:
        if kiosk.app.ready and "started" not in figures:
            figures["started"] = True
            d.run(steps, len(steps) // 2, warmed_up)
        elif kiosk.home_error:
            print(f"the kiosk has no content: {kiosk.home_error}", file=sys.stderr)
            qapp.exit(2)

    kiosk.app.statusChanged.connect(on_status)
    on_status()
    if qapp.exec() != 0:
        raise SystemExit(2)
    ms = sorted(x * 1000 for x in d.times)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    rss0, rss1, mid = figures["rss0"], figures["rss1"], figures["mid"]
    what = "end of the transition + next frame" if args.animate else "first frame of the new screen"
    print(f"screen changes: {len(ms)} ({len(steps)}-step visitor path, {what}), wall {figures['wall']:.1f} s")
    print(f"  median {statistics.median(ms):.1f} ms   p95 {p95:.1f} ms   max {ms[-1]:.1f} ms   (target median ≤ 50 ms)")
    print(f"  RSS before {rss0:.1f} MB, after {args.changes // 2}: {mid:.1f} MB, after {len(ms)}: {rss1:.1f} MB"
          f"  → growth {rss1 - rss0:+.1f} MB (target ≤ 10 MB)")
    print(f"  raw RSS (no trim) before {figures['raw0']:.1f} MB, after {figures['raw1']:.1f} MB"
          f" → {figures['raw1'] - figures['raw0']:+.1f} MB")
    kiosk.close()
    narration.shutdown()


if __name__ == "__main__":
    main()
