"""Soak: scripted visitor sessions through the real kiosk, offscreen, watching for leaks (issue 8 §7).

    .venv/bin/python bench/soak.py [--sessions 20000 | --minutes 60] [--every 500] [--pack PATH]

One process runs the kiosk as `hongtu run` builds it (config in a temporary data folder: the event
log writing to SQLite, admin mode, the narration player with its TTS worker, the attract loop with
its video) inside the application's own event loop. The visitor session's idle clock is a fake
clock the script advances, so an idle reset (countdown, session end, attract loop) takes no real
time. Each session: touch → a hall → an exhibit (narration started) → one activity in rotation
(a related exhibit, back, the map | the routes, a route | the quiz list, a whole solo round | a
search) → idle until the countdown resets the session. Languages alternate every four sessions;
halls, exhibits, routes, quizzes and search words rotate independently.

Every --every sessions it lets the kiosk rest on the attract loop for --settle seconds (the
attract video started again at the reset and is playing; popped screens are deleted), then prints:
sessions, minutes, RSS (MB, after gc + malloc_trim), open file descriptors (/proc/self/fd), threads
(/proc/self/task), database size (hongtu.db + WAL, MB), visit events stored, and the RSS read at
the instant of the reset, before the rest (the attract video's decoder is then still starting, so
that figure swings by tens of MB from row to row; the rested one is what a terminal holds between
visitors). At the end, the verdict (`summarize`): the warm-up (the first --warmup
sessions, in which every screen, picture, glyph and narration is met for the first time), then
over the steady rows the RSS growth as the mean of the last quarter of rows minus the mean of the
first quarter, the least-squares trend, the floor (the lowest RSS in each 2,000 sessions, which
transient buffers cannot inflate: a leak raises it), the same growth at the reset instant, and
descriptors and threads. Target: after 20,000 sessions RSS growth ≤ 20 MB, and no growth in
descriptors or threads. `--summarize LOG` prints the verdict of a saved output again.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.navigation import rss_mb  # noqa: E402  (after the sys.path insert)

Wait = Callable[[], bool]


def fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def threads() -> int:
    return len(os.listdir("/proc/self/task"))


def db_mb(db: Path) -> float:
    return sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists()) / 1e6


def events(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT count(*) FROM visit_events").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return -1


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Soak:
    """Plays visitor sessions as generators that yield wait conditions, from the Qt event loop."""

    def __init__(self, kiosk: Any, clock: FakeClock, pack: Any, player: Any) -> None:
        from PySide6.QtCore import QObject, QTimer

        self.kiosk = kiosk
        self.app = kiosk.app
        self.clock = clock
        self.pack = pack
        self.player = player
        self._QObject = QObject
        self._QTimer = QTimer
        self.frames = 0
        self.sessions = 0
        self.answers = 0
        kiosk.window.frameSwapped.connect(self._frame)
        self._gen: Iterator[Wait] | None = None
        self._cond: Wait | None = None
        self._deadline = 0.0
        self.stuck = 0
        self.errors = 0
        self.activities: dict[str, int] = {}
        self.step_times: dict[int, float] | None = None  # --profile: seconds spent per session line
        self._t_step = time.perf_counter()

    def _frame(self) -> None:
        self.frames += 1

    def find(self, name: str) -> Any:
        """An object of the screen on top (a popped screen may linger until its deferred delete)."""
        stack = self.kiosk.window.findChild(self._QObject, "stack")
        top = stack.property("currentItem") if stack is not None else None
        return top.findChild(self._QObject, name) if top is not None else None

    # -- waits ------------------------------------------------------------------------------------
    def shown(self) -> Wait:
        """The next frame after a change, then the DB worker idle (the screen's content is in)."""
        n = self.frames
        self.kiosk.window.update()
        return lambda: self.frames > n and not self.kiosk.db.pending

    def go(self, screen: str, **params: Any) -> Wait:
        self.app.go(screen, params)
        return self.shown()

    # -- one visitor ------------------------------------------------------------------------------
    ACTIVITIES = ("related", "route", "quiz", "search")

    def session(self, i: int) -> Iterator[Wait]:
        """One visitor: a hall, an exhibit with its narration, then one activity, then walking away.

        Visitors differ: session i does activity i % 4 (a related exhibit and the map, a route, a
        full quiz round, a search) in language (i // 4) % 2, so every 8 sessions cover every path in
        both languages, while hall i % 14 (and its exhibits, routes, quizzes) rotate independently.
        """
        from app.session import SessionState

        core = self.kiosk.core
        pack = self.pack
        hall = pack.halls[i % len(pack.halls)]
        exhibits = [e for e in pack.exhibits if e.hall == hall.id] or list(pack.exhibits)
        ex = exhibits[(i // len(pack.halls)) % len(exhibits)]
        lang = self.app.languages[(i // len(self.ACTIVITIES)) % len(self.app.languages)]
        self.kiosk.session.touch()  # the attract loop goes, a session starts
        yield lambda: core.state is SessionState.ACTIVE
        if lang != self.app.language:
            self.app.setLanguage(lang)
        yield self.go("hall", hallId=hall.id)
        yield self.go("exhibit", exhibitId=ex.id)
        if self.player is not None:
            self.player.playExhibit(ex.id, lang)  # synthesised once per exhibit and language, then cached
        activity = self.ACTIVITIES[i % len(self.ACTIVITIES)]
        if activity == "related":
            other = pack.exhibits[(i * 7 + 3) % len(pack.exhibits)]
            yield self.go("exhibit", exhibitId=other.id)
            self.app.back()
            yield self.shown()
            yield self.go("map", hallId=hall.id)
        elif activity == "route" and pack.routes:
            yield self.go("routes")
            yield self.go("route", routeId=pack.routes[(i // 8) % len(pack.routes)].id)
        elif activity == "quiz" and pack.quizzes:
            self.app.home()
            yield self.go("quiz")
            yield from self.quiz(pack.quizzes[(i // 8) % len(pack.quizzes)].id, i)
        elif activity == "search":
            yield self.go("search")
            model = self.find("searchModel")
            if model is not None:
                words = [self.app.t(e.title)[:2] for e in pack.exhibits]
                model.searchNow(words[(i // 8) % len(words)])  # what the keyboard's typing ends in
                yield lambda: model.property("state") not in ("searching", "pending")
        self.activities[activity] = self.activities.get(activity, 0) + 1
        # the visitor walks away: the idle timeout, then the countdown, then the reset
        self.clock.now += core.idle_timeout_s + 1
        self.kiosk.session.tick()  # what the session's 250 ms timer does; called now to save the wait
        yield lambda: core.state is SessionState.COUNTDOWN
        yield self.shown()  # the countdown overlay
        self.clock.now += core.countdown_s + 1
        self.kiosk.session.tick()
        yield lambda: core.state is SessionState.ATTRACT
        yield self.shown()
        self.sessions += 1

    def quiz(self, quiz_id: str, i: int) -> Iterator[Wait]:
        yield self.go("quiz-play", quizId=quiz_id)
        game = self.find("quizGame")
        if game is None:
            return
        yield lambda: game.property("phase") not in ("loading", "")
        if game.property("phase") == "ready":
            game.start()
        for _ in range(50):
            phase = game.property("phase")
            if phase == "question":
                options = game.property("options") or [0, 1]
                game.choose(0, (i + self.answers) % max(1, len(options)))
                game.confirm(0)  # multiple choice: answer with what was toggled
                self.answers += 1
            elif phase == "feedback":
                game.next()
            else:
                break
            yield lambda p=phase: game.property("phase") != p  # type: ignore[misc]

    # -- the loop ---------------------------------------------------------------------------------
    def run(self, count: int, minutes: float, every: int, report: Callable[[], None], done: Callable[[], None]) -> None:
        self._count, self._end = count, time.monotonic() + minutes * 60 if minutes else float("inf")
        self._every, self._report, self._done = every, report, done
        self._start_session()

    def _start_session(self) -> None:
        if self.sessions and self.sessions % self._every == 0 and getattr(self, "_reported", -1) != self.sessions:
            self._reported = self.sessions
            self._report()
        if self.sessions >= self._count or time.monotonic() > self._end:
            self._done()
            return
        self._gen = self.session(self.sessions)
        self._step()

    def _step(self) -> None:
        assert self._gen is not None
        now = time.perf_counter()
        if self.step_times is not None and self._gen.gi_frame is not None:
            key = self._gen.gi_frame.f_lineno
            self.step_times[key] = self.step_times.get(key, 0.0) + now - self._t_step
        self._t_step = now
        try:
            self._cond = next(self._gen)
        except StopIteration:
            self._QTimer.singleShot(0, self._start_session)
            return
        except Exception as exc:  # noqa: BLE001 - count it, end the visit, go on soaking
            self.errors += 1
            print(f"  (session {self.sessions}: {type(exc).__name__}: {exc}; session ended)", flush=True)
            self.kiosk.core.end()
            self.sessions += 1
            self._QTimer.singleShot(0, self._start_session)
            return
        self._deadline = time.monotonic() + 30
        self._poll()

    def _poll(self) -> None:
        assert self._cond is not None
        if self._cond():
            self._QTimer.singleShot(0, self._step)
        elif time.monotonic() > self._deadline:
            self.stuck += 1
            print(f"  (session {self.sessions}: a step did not finish in 30 s; going on)", flush=True)
            self._QTimer.singleShot(0, self._step)
        else:
            self._QTimer.singleShot(2, self._poll)


Row = tuple  # (sessions, minutes, RSS MB, fds, threads, DB MB, events[, RSS MB at the reset instant])


def summarize(rows: list[Row], warmup: int) -> list[str]:
    """The verdict from the printed rows.

    A row's RSS still swings by a few MB with what the attract video's decoder holds at that
    instant, so growth is judged on averages, not single rows: the mean RSS of the first quarter of the
    steady rows (those at or after `warmup` sessions) against the mean of the last quarter, and the
    least-squares trend over all steady rows.
    """
    steady = [r for r in rows if r[0] >= warmup] or rows
    n = len(steady)
    q = max(1, n // 4)
    floors = window_floors(steady, span=2000)
    head, tail = steady[:q], steady[-q:]
    mean = lambda rs: sum(r[2] for r in rs) / len(rs)  # noqa: E731
    mx, my = sum(r[0] for r in steady) / n, sum(r[2] for r in steady) / n
    var = sum((r[0] - mx) ** 2 for r in steady)
    slope = sum((r[0] - mx) * (r[2] - my) for r in steady) / var if var else 0.0
    span = steady[-1][0] - steady[0][0]
    out = [
        f"warm-up: RSS {rows[0][2]:.1f} MB at start → {steady[0][2]:.1f} MB at {steady[0][0]} sessions "
        f"(every screen, picture, glyph and narration seen at least once)",
        f"steady, {steady[0][0]}–{steady[-1][0]} sessions ({n} rows): RSS range {min(r[2] for r in steady):.1f}"
        f"–{max(r[2] for r in steady):.1f} MB; mean of the first {q} rows {mean(head):.1f} MB, of the last {q} rows "
        f"{mean(tail):.1f} MB: growth {mean(tail) - mean(head):+.1f} MB (target ≤ 20 MB)",
        f"trend {slope * 1000:+.2f} MB per 1,000 sessions (→ {slope * span:+.1f} MB over these {span} sessions)",
        "floor (lowest RSS in each 2,000 sessions: a swing cannot raise it, "
        "a leak does): " + ", ".join(f"{a}–{b}: {m:.1f}" for a, b, m in floors)
        + (f"; growth {floors[-1][2] - floors[0][2]:+.1f} MB (target ≤ 20 MB)" if len(floors) > 1 else ""),
        *([f"at the reset instant, before the rest (the attract video's decoder still starting): range "
           f"{min(r[7] for r in steady):.1f}–{max(r[7] for r in steady):.1f} MB; growth "
           f"{sum(r[7] for r in tail) / q - sum(r[7] for r in head) / q:+.1f} MB (quarter means)"]
          if all(len(r) > 7 for r in steady) else []),
        f"file descriptors {min(r[3] for r in steady)}–{max(r[3] for r in steady)} (first {steady[0][3]}, last "
        f"{steady[-1][3]}); threads {min(r[4] for r in steady)}–{max(r[4] for r in steady)} (first {steady[0][4]}, "
        f"last {steady[-1][4]}); database {steady[0][5]:.1f} → {steady[-1][5]:.1f} MB for {steady[-1][6]} events",
    ]
    return out


def window_floors(rows: list[Row], span: int) -> list[tuple[int, int, float]]:
    """(first, last session, lowest RSS) of each run of rows `span` sessions long."""
    out: list[tuple[int, int, float]] = []
    window: list[Row] = []
    for r in rows:
        if window and r[0] - window[0][0] >= span:
            out.append((window[0][0], window[-1][0], min(w[2] for w in window)))
            window = []
        window.append(r)
    if window and (not out or window[-1][0] - window[0][0] >= span // 2):  # a short tail would be noise
        out.append((window[0][0], window[-1][0], min(w[2] for w in window)))
    return out


def rows_from_log(path: Path) -> list[Row]:
    """The table rows of a saved soak output (to summarize a run again)."""
    rows: list[Row] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        if len(parts) in (7, 8) and parts[0].isdigit():  # 7: a run from before the instant column
            try:
                rows.append((int(parts[0]), float(parts[1]), float(parts[2]), int(parts[3]), int(parts[4]),
                             float(parts[5]), int(parts[6]), *(float(p) for p in parts[7:])))
            except ValueError:
                continue
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=20000)
    ap.add_argument("--minutes", type=float, default=0, help="stop after this long (whichever comes first)")
    ap.add_argument("--every", type=int, default=500, help="print a row every N sessions")
    ap.add_argument("--pack", type=Path, default=ROOT / "exhibits" / "fujian-red-map")
    ap.add_argument("--no-narration", action="store_true", help="do not start narrations")
    ap.add_argument("--warmup", type=int, default=1000, help="sessions before memory is judged (default 1000)")
    ap.add_argument("--summarize", type=Path, metavar="LOG", help="only print the verdict of a saved soak output")
    ap.add_argument("--profile", action="store_true", help="print where the sessions' time went, per script line")
    ap.add_argument("--no-video", action="store_true", help="attract loop as a slideshow instead of the video")
    ap.add_argument("--settle", type=float, default=1.5,
                    help="seconds of rest on the attract loop before each row is measured (default 1.5)")
    args = ap.parse_args()
    if args.summarize:
        for line in summarize(rows_from_log(args.summarize), args.warmup):
            print(line)
        return
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_QUICK_BACKEND", "software")

    import app.ui  # noqa: F401  (PySide6 work-arounds)
    from app.config import load_config
    from app.content.loader import load_pack
    from app.ui.kiosk import Kiosk, options_from_config, qt_application
    from app.ui.narration_wiring import install_narration
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop

    tmp = Path(tempfile.mkdtemp(prefix="hongtu-soak-"))
    cfg = load_config(ROOT / "kiosk_config.yaml", env={"HONGTU_DATA_DIR": str(tmp), "HONGTU_PACK": str(args.pack)})
    qapp = qt_application()
    narration = install_narration(cfg, args.pack)
    clock = FakeClock()
    opts = options_from_config(cfg, args.pack, windowed=True)
    opts.size = (1280, 800)
    opts.clock = clock
    if args.no_video:
        opts.attract_video = None
    kiosk = Kiosk(opts)
    kiosk.core.on_reset(narration.stop)
    kiosk.window.show()
    soak = Soak(kiosk, clock, load_pack(args.pack), None if args.no_narration else narration)
    if args.profile:
        soak.step_times = {}
    db = Path(cfg.db_path)
    rows: list[tuple] = []
    t0 = time.monotonic()

    def rest(seconds: float) -> None:
        """The kiosk's own event loop runs on, deferred deletes included (no session is driven)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            qapp.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def report() -> None:
        instant = rss_mb()
        rest(args.settle)
        row = (soak.sessions, (time.monotonic() - t0) / 60, rss_mb(), fds(), threads(), db_mb(db), events(db),
               instant)
        rows.append(row)
        print(f"{row[0]:>9} {row[1]:>8.1f} {row[2]:>9.1f} {row[3]:>5} {row[4]:>8} {row[5]:>8.2f} {row[6]:>9}"
              f" {row[7]:>10.1f}", flush=True)

    def done() -> None:
        if not rows or rows[-1][0] != soak.sessions:  # the last row, unless --every just printed it
            report()
        qapp.exit(0)

    def on_status() -> None:
        if kiosk.app.ready and not rows:
            print(f"soak: data in {tmp}; pack {args.pack}")
            print(f"{'sessions':>9} {'minutes':>8} {'RSS MB':>9} {'fds':>5} {'threads':>8} {'DB MB':>8} {'events':>9}"
                  f" {'instant MB':>10}")
            report()
            soak.run(args.sessions, args.minutes, args.every, report, done)

    kiosk.app.statusChanged.connect(on_status)
    on_status()
    qapp.exec()
    # the first rows are the warm-up (every screen, image and narration seen once); judge the rest
    print(f"{soak.sessions} sessions in {rows[-1][1]:.1f} min ({soak.frames} frames, {soak.answers} quiz answers, "
          f"{soak.stuck} stuck steps, {soak.errors} errors)")
    for line in summarize(rows, args.warmup):
        print(line)
    print("activities: " + ", ".join(f"{k} {v}" for k, v in sorted(soak.activities.items())))
    if soak.step_times:
        total = sum(soak.step_times.values())
        lines = Path(__file__).read_text(encoding="utf-8").splitlines()
        for line, secs in sorted(soak.step_times.items(), key=lambda kv: -kv[1])[:12]:
            print(f"  {secs / total:6.1%} {secs / max(1, soak.sessions) * 1000:7.1f} ms/session  {lines[line - 1].strip()}")
    kiosk.close()
    narration.shutdown()


if __name__ == "__main__":
    main()
