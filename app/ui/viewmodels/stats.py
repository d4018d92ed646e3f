"""`VisitorStats`: the admin "visitor figures" screen (`admin_stats`, issue 6 §2).

The figures come from `app.events.stats.compute_stats` over this terminal's event log, computed
on the events worker (`ui().events.jobs`), never on the GUI thread. Exhibit, route and quiz titles
are looked up in the catalog on the DB worker and localised on the GUI thread, so a language
switch relabels without recomputing. Periods: "today", "7d", "30d" (local days, today inclusive).
"""
from __future__ import annotations

import logging
from datetime import date, timedelta, tzinfo
from functools import partial
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement

from app.ui.context import ui

QML_IMPORT_NAME = "Hongtu.Models"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

PERIODS = {"today": 1, "7d": 7, "30d": 30}
MIN_DAYS_CHART = 7  # the per-day chart shows at least a week, also for "today"
TOP_SHOWN = 8


# ---- worker-thread jobs (no Qt) -------------------------------------------------------------------

def figures_job(store: Any, db_path: Any, period: str, today: date, tz: tzinfo | None = None) -> dict[str, Any]:
    """Events-worker job: the period's figures, today's hours and the per-day series."""
    from app.events.stats import compute_stats, local_tz, utc_bounds
    from app.events.store import rows_between

    tz = tz or local_tz()
    days = PERIODS[period]
    frm = today - timedelta(days=days - 1)
    span_from = min(frm, today - timedelta(days=MIN_DAYS_CHART - 1))
    lo, hi = utc_bounds(span_from, today, tz)
    rows = list(rows_between(store.db(db_path), lo, hi))
    period_lo = utc_bounds(frm, None, tz)[0] or ""
    today_lo = utc_bounds(today, None, tz)[0] or ""
    figures = compute_stats((r for r in rows if r[0] >= period_lo), frm, today, tz)
    hours = compute_stats((r for r in rows if r[0] >= today_lo), today, today, tz)["per_hour"]
    by_day = {d["day"]: d for d in compute_stats(rows, span_from, today, tz)["per_day"]}
    series = []
    for i in range((today - span_from).days + 1):
        day = (span_from + timedelta(days=i)).isoformat()
        d = by_day.get(day, {})
        series.append({"day": day, "sessions": d.get("sessions", 0), "camera_visitors": d.get("camera_visitors", 0)})
    return {"period": period, "figures": figures, "hours_today": hours, "per_day": series}


def titles_job(store: Any, exhibits: list[str], routes: list[str], quizzes: list[str]) -> dict[str, dict]:
    """DB-worker job: the catalog titles (language maps) of the ids shown in the figures."""
    cat = store.catalog
    out: dict[str, dict] = {"exhibit": {}, "route": {}, "quiz": {}}
    for eid in exhibits:
        card = cat.exhibit_card(eid)
        if card is not None:
            out["exhibit"][eid] = dict(card.title or {})
    for rid in routes:
        r = cat.route(rid)
        if r is not None:
            out["route"][rid] = dict(r.title or {})
    for qid in quizzes:
        q = cat.quiz(qid)
        if q is not None:
            out["quiz"][qid] = dict(q.title or {})
    return out


def nice_max(value: float) -> int:
    """A round upper bound for a chart axis (≥ value, ≥ 4): 4, 5, 8, 10, 20, 25, 40, 50, …"""
    value = max(4.0, float(value))
    step = 1
    while True:
        for m in (1, 2, 2.5, 4, 5, 8):
            if step * m * 1.0 >= value and float(step * m).is_integer():
                return int(step * m)
        step *= 10


def _minutes(seconds: float) -> float | int:
    """Minutes for a label: one decimal below 100, whole minutes above."""
    m = seconds / 60
    return round(m, 1) if m < 100 else int(round(m))


def hour_window(hours: list[dict[str, Any]], first: int = 8, last: int = 18) -> tuple[int, int]:
    """The hours to draw: opening hours (8–18) widened to any hour that had visitors."""
    busy = [h["hour"] for h in hours if h["sessions"] or h["camera_visitors"]]
    return (min([first, *busy]), max([last, *busy]))


# ---- the view-model ---------------------------------------------------------------------------------

@QmlElement
class VisitorStats(QObject):
    """Figures for QML: `period` (settable), `loading`, `error`, totals, chart series and lists."""

    changed = Signal()
    periodChanged = Signal()

    def __init__(self, parent: QObject | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self._period = "today"
        self._today = today  # fixed "today" for tests; None = the real date at each load
        self._data: dict[str, Any] = {}
        self._titles: dict[str, dict] = {"exhibit": {}, "route": {}, "quiz": {}}
        self._loading = False
        self._error = ""
        self._request = 0
        ui().app.textChanged.connect(self.changed)
        self.refresh()

    # -- loading ---------------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        """Recompute the figures of the current period on the events worker."""
        bridge = ui().events
        if bridge is None or bridge.settings.db_path is None:
            self._set_error("no event log on this terminal")
            return
        self._request += 1
        rid, period, path = self._request, self._period, bridge.settings.db_path
        today = self._today or date.today()
        self._loading = True
        self.changed.emit()
        bridge.jobs.call(lambda store: figures_job(store, path, period, today),
                         partial(self._on_figures, rid), partial(self._on_error, rid))

    def _on_figures(self, rid: int, data: dict[str, Any]) -> None:
        if rid != self._request:
            return  # an older period's answer
        self._data, self._loading, self._error = data, False, ""
        f = data["figures"]
        exhibits = sorted({e["exhibit_id"] for k in ("top_exhibits_by_views", "top_exhibits_by_dwell")
                           for e in f[k]} - set(self._titles["exhibit"]))
        routes = sorted({r["route_id"] for r in f["routes"]["by_route"]} - set(self._titles["route"]))
        quizzes = sorted({q["quiz_id"] for q in f["quiz"]["by_quiz"]} - set(self._titles["quiz"]))
        if exhibits or routes or quizzes:
            ui().db.call(lambda store: titles_job(store, exhibits, routes, quizzes), self._on_titles,
                         self._on_titles_error)
        self.changed.emit()

    def _on_titles_error(self, exc: BaseException) -> None:
        log.warning("figures: titles not loaded: %s", exc)

    def _on_titles(self, titles: dict[str, dict]) -> None:
        for k, v in titles.items():
            self._titles[k].update(v)
        self.changed.emit()

    def _on_error(self, rid: int, exc: BaseException) -> None:
        if rid == self._request:
            self._set_error(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)

    def _set_error(self, message: str) -> None:
        log.warning("visitor figures: %s", message)
        self._loading, self._error = False, message
        self.changed.emit()

    def _title(self, kind: str, item_id: str) -> str:
        text = self._titles[kind].get(item_id)
        return ui().app.t(text) if text else item_id

    # -- properties ------------------------------------------------------------------------------
    def _get_period(self) -> str:
        return self._period

    def _set_period(self, period: str) -> None:
        if period not in PERIODS:
            log.warning("figures: unknown period %r (have %s)", period, ", ".join(PERIODS))
            return
        if period != self._period:
            self._period = period
            self.periodChanged.emit()
            self.refresh()

    period = Property(str, _get_period, _set_period, notify=periodChanged)

    @Property(bool, notify=changed)
    def loading(self) -> bool:
        return self._loading

    @Property(str, notify=changed)
    def error(self) -> str:
        return self._error

    @Property(bool, notify=changed)
    def ready(self) -> bool:
        return bool(self._data)

    def _figures(self) -> dict[str, Any]:
        return self._data.get("figures", {})

    @Property("QVariantMap", notify=changed)
    def totals(self) -> dict[str, Any]:
        """sessions, camera_visitors, camera_in, exhibit_views, narrations, searches, quiz_rounds, events."""
        return dict(self._figures().get("totals", {}))

    @Property("QVariantMap", notify=changed)
    def hourChart(self) -> dict[str, Any]:  # noqa: N802
        """Today per hour: {labels, sessions, camera, max} over the opening hours (widened to data)."""
        hours = self._data.get("hours_today", [])
        if not hours:
            return {"labels": [], "sessions": [], "camera": [], "max": 4}
        a, b = hour_window(hours)
        shown = [h for h in hours if a <= h["hour"] <= b]
        return self._series([f"{h['hour']:02d}" for h in shown], shown)

    @Property("QVariantMap", notify=changed)
    def dayChart(self) -> dict[str, Any]:  # noqa: N802
        """Per day: {labels (MM-DD, every few days on long spans), sessions, camera, max}."""
        days = self._data.get("per_day", [])
        every = 1 if len(days) <= 10 else 5
        labels = [d["day"][5:] if (len(days) - 1 - i) % every == 0 else "" for i, d in enumerate(days)]
        return self._series(labels, days)

    @staticmethod
    def _series(labels: list[str], rows: list[dict[str, Any]]) -> dict[str, Any]:
        sessions = [int(r["sessions"]) for r in rows]
        camera = [int(r["camera_visitors"]) for r in rows]
        return {"labels": labels, "sessions": sessions, "camera": camera,
                "max": nice_max(max([0, *sessions, *camera]) * 1.1)}

    @Property("QVariantList", notify=changed)
    def topByViews(self) -> list[dict[str, Any]]:  # noqa: N802
        """[{title, value, fraction, detail}] — views, with the average dwell in `detail` (seconds)."""
        rows = self._figures().get("top_exhibits_by_views", [])[:TOP_SHOWN]
        top = max([1, *(r["views"] for r in rows)])
        return [{"exhibitId": r["exhibit_id"], "title": self._title("exhibit", r["exhibit_id"]),
                 "value": r["views"], "fraction": r["views"] / top, "avgDwell": r["avg_dwell_s"]} for r in rows]

    @Property("QVariantList", notify=changed)
    def topByDwell(self) -> list[dict[str, Any]]:  # noqa: N802
        """[{title, minutes, fraction, views}] — total dwell time per exhibit."""
        rows = self._figures().get("top_exhibits_by_dwell", [])[:TOP_SHOWN]
        top = max([1.0, *(r["dwell_s"] for r in rows)])
        return [{"exhibitId": r["exhibit_id"], "title": self._title("exhibit", r["exhibit_id"]),
                 "minutes": _minutes(r["dwell_s"]), "fraction": r["dwell_s"] / top,
                 "views": r["views"]} for r in rows]

    @Property("QVariantMap", notify=changed)
    def routes(self) -> dict[str, Any]:
        """{started, completed, rate (0..1 or -1), byRoute: [{title, started, completed, rate}]}."""
        r = self._figures().get("routes", {})
        rate = r.get("completion_rate")
        by = sorted(r.get("by_route", []), key=lambda x: (-x["started"], x["route_id"]))[:TOP_SHOWN]
        return {"started": r.get("started", 0), "completed": r.get("completed", 0),
                "rate": -1 if rate is None else rate,
                "byRoute": [{"title": self._title("route", x["route_id"]), "started": x["started"],
                             "completed": x["completed"],
                             "rate": -1 if x["completion_rate"] is None else x["completion_rate"]} for x in by]}

    @Property("QVariantMap", notify=changed)
    def quiz(self) -> dict[str, Any]:
        """{rounds, participation (0..1 or -1), avgScore, avgPct, avgTime (-1 = none), win, lose, draw, byQuiz}."""
        q = self._figures().get("quiz", {})
        if not q:
            return {}

        def num(v: Any) -> float:
            return -1 if v is None else v

        pk = q.get("pk", {})
        return {"rounds": q.get("rounds", 0), "participation": num(q.get("participation_rate")),
                "avgScore": num(q.get("avg_score")), "avgPct": num(q.get("avg_score_pct")),
                "avgTime": num(q.get("avg_time_s")), "win": pk.get("win", 0), "lose": pk.get("lose", 0),
                "draw": pk.get("draw", 0),
                "byQuiz": [{"title": self._title("quiz", x["quiz_id"]), "rounds": x["rounds"],
                            "avgScore": num(x["avg_score"]), "avgTime": num(x["avg_time_s"])}
                           for x in sorted(q.get("by_quiz", []), key=lambda x: -x["rounds"])[:4]]}
