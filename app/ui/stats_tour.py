"""Tour steps for the visitor-figures and sync screens, and the demo visit log they show.

The tour must never write into a terminal's real log, so these steps seed a month of plausible
visits (`seed_demo_events`) into a throw-away database and point the kiosk's events bridge at it
(plus a throw-away "USB stick" folder) for the rest of the tour.
"""
from __future__ import annotations

import atexit
import json
import random
import shutil
import tempfile
import uuid
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any, Iterable

from app.events.schema import to_iso, validate
from app.ui.tour import TourDriver, TourError, tour_step

DEMO_TERMINAL = "tour-demo-01"
UNREACHABLE_HUB = "http://127.0.0.1:9"  # the discard port: "Sync now" fails at once, as offline sites do


def insert_events(db: Any, terminal_id: str, rows: Iterable[tuple[datetime, str, dict[str, Any]]],
                  pack: tuple[str | None, str | None] = (None, None)) -> int:
    """Write (local or UTC datetime, kind, fields) events straight into `visit_events` (validated)."""
    conn = getattr(db, "conn", db)
    batch = [(str(uuid.uuid4()), terminal_id, pack[0], pack[1], to_iso(ts), kind,
              json.dumps(validate(kind, data), separators=(",", ":"))) for ts, kind, data in rows]
    with conn:
        conn.executemany("INSERT INTO visit_events (uuid, terminal_id, pack_id, pack_version, ts, kind, data) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)", sorted(batch, key=lambda r: r[4]))
    return len(batch)


def demo_visits(exhibits: list[str], routes: list[str], quizzes: list[str], today: date, days: int = 30,
                tz: tzinfo | None = None, seed: int = 7, until: datetime | None = None
                ) -> list[tuple[datetime, str, dict[str, Any]]]:
    """A month of visits: busier at weekends and late morning / mid-afternoon, camera counts
    beside the touch-screen sessions, a few favourite exhibits, routes and quiz rounds."""
    rng = random.Random(seed)
    tz = tz or datetime.now().astimezone().tzinfo
    until = until or datetime.now(tz)
    weights = [max(0.05, rng.random()) ** 2 for _ in exhibits]
    for i in range(min(4, len(weights))):
        weights[i] += 1.5 - 0.3 * i  # a few favourites
    hour_w = {9: 3, 10: 6, 11: 7, 12: 3, 13: 3, 14: 6, 15: 7, 16: 5, 17: 2}
    out: list[tuple[datetime, str, dict[str, Any]]] = []
    for d in range(days):
        day = today - timedelta(days=days - 1 - d)
        busy = 1.6 if day.weekday() >= 5 else 1.0
        for hour, w in hour_w.items():
            start = datetime.combine(day, time(hour), tz)
            if start >= until:
                break
            visitors = int(w * busy * rng.uniform(2.0, 3.4))
            out.append((start + timedelta(minutes=59, seconds=50), "camera_count",
                        {"interval_s": 3600, "in": visitors + rng.randint(0, 3), "out": visitors, "visitors": visitors}))
            for _ in range(int(visitors * rng.uniform(0.35, 0.55))):
                t = start + timedelta(seconds=rng.randint(0, 3000))
                sid = uuid.UUID(int=rng.getrandbits(128)).hex
                lang = "en" if rng.random() < 0.12 else "zh"
                out.append((t, "session_start", {"session_id": sid, "lang": lang, "trigger": "touch"}))
                t0 = t
                for eid in rng.choices(exhibits, weights, k=rng.randint(1, 5)) if exhibits else []:
                    dwell = round(rng.uniform(12, 150), 1)
                    t += timedelta(seconds=dwell)
                    out.append((t, "exhibit_view", {"exhibit_id": eid, "dwell_s": dwell, "session_id": sid}))
                    if rng.random() < 0.3:
                        out.append((t, "narration_played", {"exhibit_id": eid, "lang": lang, "session_id": sid,
                                                            "duration_s": round(rng.uniform(20, 90), 1),
                                                            "completed": rng.random() < 0.6}))
                if rng.random() < 0.25:
                    out.append((t, "search", {"query_length": rng.randint(1, 8), "results": rng.randint(0, 12),
                                              "session_id": sid}))
                if routes and rng.random() < 0.15:
                    rid = routes[rng.randrange(len(routes))]
                    out.append((t, "route_started", {"route_id": rid, "session_id": sid}))
                    if rng.random() < 0.55:
                        t += timedelta(minutes=rng.randint(8, 25))
                        out.append((t, "route_completed", {"route_id": rid, "duration_s": 600, "session_id": sid}))
                if quizzes and rng.random() < 0.3:
                    qs = rng.randint(5, 10)
                    right = rng.randint(2, qs)
                    fields: dict[str, Any] = {"quiz_id": quizzes[rng.randrange(len(quizzes))], "score": right * 10,
                                              "max_score": qs * 10, "correct": right, "questions": qs,
                                              "time_s": rng.randint(40, 160), "session_id": sid}
                    if rng.random() < 0.3:
                        fields["pk_result"] = rng.choice(["win", "lose", "draw"])
                    t += timedelta(seconds=fields["time_s"])
                    out.append((t, "quiz_round", fields))
                out.append((t + timedelta(seconds=20), "session_end",
                            {"session_id": sid, "duration_s": round((t - t0).total_seconds() + 20, 1), "reason": "idle"}))
    return [(ts.astimezone(timezone.utc), k, f) for ts, k, f in out if ts <= until]


# ---- tour steps ---------------------------------------------------------------------------------

_demo: dict[int, Path] = {}


def use_demo_log(d: TourDriver) -> Path:
    """Seed (once per kiosk) a throw-away visit log and USB folder and point the bridge at them."""
    from app.events.store import open_events_db, set_state
    from app.ui.events_bridge import SyncSettings

    bridge = d.kiosk.events
    key = id(bridge)
    if key not in _demo:
        folder = Path(tempfile.mkdtemp(prefix="hongtu-tour-log-"))
        atexit.register(shutil.rmtree, folder, True)
        ids = d.query(lambda s: ([c.id for c in s.catalog.exhibits()], [r.id for r in s.catalog.routes()],
                                 [q.id for q in s.catalog.quizzes()]))
        if not ids[0]:
            raise TourError("the pack has no exhibits to show visitor figures for")
        db = open_events_db(folder / "demo.db")
        today = date.today()  # a whole day of visits, also when the tour runs before opening time
        end = datetime.combine(today, time(23, 59)).astimezone()
        insert_events(db, DEMO_TERMINAL, demo_visits(*ids, today=today, until=end))
        # an export two days ago that the hub confirmed: part of the log counts as delivered
        db.conn.execute("UPDATE visit_events SET delivered_at = ?, delivered_via = 'usb' WHERE ts < ?",
                        (to_iso(datetime.now(timezone.utc) - timedelta(days=2)),
                         to_iso(datetime.now(timezone.utc) - timedelta(days=3))))
        db.conn.commit()
        set_state(db, delivered_total=db.conn.execute(
            "SELECT COUNT(*) FROM visit_events WHERE delivered_at IS NOT NULL").fetchone()[0])
        db.conn.close()
        (folder / "USB-DISK").mkdir()
        _demo[key] = folder
    folder = _demo[key]
    bridge.settings = SyncSettings(db_path=folder / "demo.db", terminal_id=DEMO_TERMINAL, hub_url=UNREACHABLE_HUB,
                                   token="tour-demo-token", usb_mounts=[str(folder / "USB-DISK")], timeout_s=2)
    return folder


def _find(d: TourDriver, name: str) -> Any:
    """An object of the screen on top (a popped screen's twin may not be deleted yet)."""
    from PySide6.QtCore import QObject

    screen = d.current_screen()
    return screen.findChild(QObject, name) if screen is not None else None


def _wait_jobs(d: TourDriver, name: str, busy_prop: str) -> None:
    obj = _find(d, name)
    if obj is None:
        raise TourError(f"{name}: not on the screen")
    if not d.wait(lambda: not obj.property(busy_prop) and not d.kiosk.events.jobs.pending, 30):
        raise TourError(f"{name}: still busy after 30 s")
    d.settle()


def _scroll_to_end(d: TourDriver) -> None:
    # through QML: a Python wrapper of a QML child found after a relayout may be a stale one
    from PySide6.QtCore import QMetaObject

    QMetaObject.invokeMethod(d.current_screen(), "scrollToEnd")
    d.settle()


@tour_step("admin-stats-today")
def _stats_today(d: TourDriver) -> None:
    use_demo_log(d)
    d.go("admin_stats")
    _wait_jobs(d, "visitorStats", "loading")


@tour_step("admin-stats-30d")
def _stats_month(d: TourDriver) -> None:
    use_demo_log(d)
    d.go("admin_stats")
    vs = _find(d, "visitorStats")
    vs.setProperty("period", "30d")
    _wait_jobs(d, "visitorStats", "loading")
    _scroll_to_end(d)


@tour_step("admin-sync-error")
def _sync_error(d: TourDriver) -> None:
    use_demo_log(d)
    d.go("admin_sync")
    _wait_jobs(d, "syncPanel", "busy")
    _find(d, "syncPanel").syncNow()
    _wait_jobs(d, "syncPanel", "busy")


@tour_step("admin-sync-usb-export")
def _sync_export(d: TourDriver) -> None:
    folder = use_demo_log(d)
    d.go("admin_sync")
    _wait_jobs(d, "syncPanel", "busy")
    _find(d, "syncPanel").exportTo(str(folder / "USB-DISK"))
    _wait_jobs(d, "syncPanel", "busy")
