"""Figures drawn from visit events: visitors per hour and day (sessions beside camera counts), top
exhibits by views and by dwell time, route completion, quiz participation and scores.

`compute_stats` takes plain (ts, kind, data) rows, so the terminal (its SQLite log) and the hub
(SQLite or PostgreSQL) share it. Hours and days are in local time (`tz`); timestamps are the
terminal's own.
"""
from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, Iterable

from app.events.schema import EventError, parse_ts, to_iso

TOP_N = 10


def local_tz() -> tzinfo:
    """The machine's local time zone."""
    return datetime.now().astimezone().tzinfo  # type: ignore[return-value]


def utc_bounds(frm: date | None, to: date | None, tz: tzinfo | None = None) -> tuple[str | None, str | None]:
    """UTC timestamp texts for local midnight of `frm` and the midnight after `to` (inclusive)."""
    tz = tz or local_tz()
    lo = to_iso(datetime.combine(frm, time(), tz)) if frm else None
    hi = to_iso(datetime.combine(to + timedelta(days=1), time(), tz)) if to else None
    return lo, hi


def parse_day(text: str | None, where: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise EventError(f"{where}: expected a date YYYY-MM-DD, got {text!r}") from None


def compute_stats(rows: Iterable[tuple[str, str, Any]], frm: date | None = None, to: date | None = None,
                  tz: tzinfo | None = None, top_n: int = TOP_N) -> dict[str, Any]:
    """Aggregate (ts, kind, data JSON text or dict) rows into the figures shown to staff."""
    tz = tz or local_tz()
    days: dict[str, Counter] = defaultdict(Counter)
    hours: dict[int, Counter] = defaultdict(Counter)
    kinds: Counter = Counter()
    views: Counter = Counter()
    dwell: Counter = Counter()
    routes: dict[str, Counter] = defaultdict(Counter)
    quizzes: dict[str, list[tuple[float, float | None, float]]] = defaultdict(list)
    pk: Counter = Counter()
    sessions_with_quiz: set[str] = set()
    started_at: dict[str, tuple[str, int]] = {}  # session id -> (day, hour) of its start
    staff_sessions: set[str] = set()  # sessions that ended in admin mode: staff, not visitors
    for ts, kind, data in rows:
        if isinstance(data, (str, bytes)):
            data = json.loads(data)
        local = parse_ts(ts).astimezone(tz)
        day, hour = local.date().isoformat(), local.hour
        kinds[kind] += 1
        if kind == "session_start":
            days[day]["sessions"] += 1
            hours[hour]["sessions"] += 1
            started_at[data.get("session_id", "")] = (day, hour)
        elif kind == "session_end" and data.get("reason") == "admin":
            staff_sessions.add(data.get("session_id", ""))
        elif kind == "camera_count":
            for key in ("in", "visitors"):
                days[day]["camera_" + key] += int(data.get(key, 0))
                hours[hour]["camera_" + key] += int(data.get(key, 0))
        elif kind == "exhibit_view":
            views[data["exhibit_id"]] += 1
            dwell[data["exhibit_id"]] += float(data.get("dwell_s", 0))
        elif kind in ("route_started", "route_completed", "route_stop"):
            routes[data["route_id"]][kind] += 1
        elif kind == "quiz_round":
            quizzes[data["quiz_id"]].append((float(data["score"]), data.get("max_score"), float(data["time_s"])))
            if data.get("pk_result"):
                pk[data["pk_result"]] += 1
            if data.get("session_id"):
                sessions_with_quiz.add(data["session_id"])

    def exhibit(eid: str) -> dict[str, Any]:
        return {"exhibit_id": eid, "views": views[eid], "dwell_s": round(dwell[eid], 1),
                "avg_dwell_s": round(dwell[eid] / views[eid], 1) if views[eid] else 0.0}

    for sid in staff_sessions & started_at.keys():
        day, hour = started_at[sid]
        days[day]["sessions"] -= 1
        hours[hour]["sessions"] -= 1
    sessions = kinds["session_start"] - len(staff_sessions & started_at.keys())
    started = sum(r["route_started"] for r in routes.values())
    completed = sum(r["route_completed"] for r in routes.values())
    rounds = [r for rs in quizzes.values() for r in rs]
    return {
        "from": frm.isoformat() if frm else None,
        "to": to.isoformat() if to else None,
        "totals": {
            "sessions": sessions,
            "camera_in": sum(d["camera_in"] for d in days.values()),
            "camera_visitors": sum(d["camera_visitors"] for d in days.values()),
            "exhibit_views": kinds["exhibit_view"],
            "narrations": kinds["narration_played"],
            "searches": kinds["search"],
            "quiz_rounds": kinds["quiz_round"],
            "events": sum(kinds.values()),
        },
        "per_day": [{"day": d, "sessions": c["sessions"], "camera_in": c["camera_in"],
                     "camera_visitors": c["camera_visitors"]} for d, c in sorted(days.items())],
        "per_hour": [{"hour": h, "sessions": hours[h]["sessions"], "camera_in": hours[h]["camera_in"],
                      "camera_visitors": hours[h]["camera_visitors"]} for h in range(24)],
        "top_exhibits_by_views": [exhibit(e) for e in sorted(views, key=lambda e: (-views[e], e))[:top_n]],
        "top_exhibits_by_dwell": [exhibit(e) for e in sorted(dwell, key=lambda e: (-dwell[e], e))[:top_n]],
        "routes": {
            "started": started,
            "completed": completed,
            "completion_rate": round(completed / started, 3) if started else None,
            "by_route": [{"route_id": r, "started": c["route_started"], "stops": c["route_stop"],
                          "completed": c["route_completed"],
                          "completion_rate": round(c["route_completed"] / c["route_started"], 3)
                          if c["route_started"] else None} for r, c in sorted(routes.items())],
        },
        "quiz": {
            "rounds": len(rounds),
            "sessions_with_quiz": len(sessions_with_quiz),
            "participation_rate": round(len(sessions_with_quiz) / sessions, 3) if sessions else None,
            "avg_score": _avg(r[0] for r in rounds),
            "avg_score_pct": _avg(100 * r[0] / float(r[1]) for r in rounds if r[1]),
            "avg_time_s": _avg(r[2] for r in rounds),
            "pk": {k: pk[k] for k in ("win", "lose", "draw")},
            "by_quiz": [{"quiz_id": q, "rounds": len(rs), "avg_score": _avg(r[0] for r in rs),
                         "avg_time_s": _avg(r[2] for r in rs)} for q, rs in sorted(quizzes.items())],
        },
    }


def _avg(values: Iterable[float]) -> float | None:
    vals = list(values)
    return round(sum(vals) / len(vals), 2) if vals else None


def stats_csv(stats: dict[str, Any]) -> str:
    """The figures as one long CSV table: section, key, metric, value."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["section", "key", "metric", "value"])
    for k, v in stats["totals"].items():
        w.writerow(["totals", "", k, v])
    for row in stats["per_day"]:
        for m in ("sessions", "camera_in", "camera_visitors"):
            w.writerow(["per_day", row["day"], m, row[m]])
    for row in stats["per_hour"]:
        for m in ("sessions", "camera_in", "camera_visitors"):
            w.writerow(["per_hour", f"{row['hour']:02d}", m, row[m]])
    for section in ("top_exhibits_by_views", "top_exhibits_by_dwell"):
        for row in stats[section]:
            for m in ("views", "dwell_s", "avg_dwell_s"):
                w.writerow([section, row["exhibit_id"], m, row[m]])
    r = stats["routes"]
    for m in ("started", "completed", "completion_rate"):
        w.writerow(["routes", "", m, _blank(r[m])])
    for row in r["by_route"]:
        for m in ("started", "stops", "completed", "completion_rate"):
            w.writerow(["routes", row["route_id"], m, _blank(row[m])])
    q = stats["quiz"]
    for m in ("rounds", "sessions_with_quiz", "participation_rate", "avg_score", "avg_score_pct", "avg_time_s"):
        w.writerow(["quiz", "", m, _blank(q[m])])
    for k, v in q["pk"].items():
        w.writerow(["quiz", "", f"pk_{k}", v])
    for row in q["by_quiz"]:
        for m in ("rounds", "avg_score", "avg_time_s"):
            w.writerow(["quiz", row["quiz_id"], m, _blank(row[m])])
    return out.getvalue()


def _blank(v: Any) -> Any:
    return "" if v is None else v


def stats_text(stats: dict[str, Any]) -> str:
    """The figures as a readable report for a terminal window."""
    t, r, q = stats["totals"], stats["routes"], stats["quiz"]
    span = f"{stats['from'] or 'start'} … {stats['to'] or 'now'}"
    lines = [f"Visits {span}",
             f"  sessions {t['sessions']}   camera visitors {t['camera_visitors']} (entries {t['camera_in']})",
             f"  exhibit views {t['exhibit_views']}   narrations {t['narrations']}   searches {t['searches']}",
             "", "Per day            sessions  camera visitors"]
    lines += [f"  {d['day']}      {d['sessions']:>8}  {d['camera_visitors']:>15}" for d in stats["per_day"]]
    busy = [h for h in stats["per_hour"] if h["sessions"] or h["camera_visitors"]]
    if busy:
        lines += ["", "Per hour of day    sessions  camera visitors"]
        lines += [f"  {h['hour']:02d}:00            {h['sessions']:>8}  {h['camera_visitors']:>15}" for h in busy]
    lines += ["", "Top exhibits by views           views   avg dwell s"]
    lines += [f"  {e['exhibit_id']:<28} {e['views']:>7}   {e['avg_dwell_s']:>11}" for e in stats["top_exhibits_by_views"]]
    lines += ["", "Top exhibits by dwell time    total s   views"]
    lines += [f"  {e['exhibit_id']:<28} {e['dwell_s']:>7}   {e['views']:>5}" for e in stats["top_exhibits_by_dwell"]]
    rate = "–" if r["completion_rate"] is None else f"{100 * r['completion_rate']:.0f}%"
    lines += ["", f"Routes: {r['started']} started, {r['completed']} completed ({rate})"]
    lines += [f"  {x['route_id']:<28} {x['started']:>4} → {x['completed']:>4}" for x in r["by_route"]]
    part = "–" if q["participation_rate"] is None else f"{100 * q['participation_rate']:.0f}% of sessions"
    lines += ["", f"Quiz: {q['rounds']} rounds, participation {part}, average score {_dash(q['avg_score'])}"
                  f" ({_dash(q['avg_score_pct'])}%), average time {_dash(q['avg_time_s'])} s",
              f"  PK: {q['pk']['win']} won, {q['pk']['lose']} lost, {q['pk']['draw']} drawn"]
    return "\n".join(lines)


def _dash(v: Any) -> str:
    return "–" if v is None else str(v)


def terminal_stats(db: Any, frm: date | None = None, to: date | None = None,
                   tz: tzinfo | None = None) -> dict[str, Any]:
    """The figures of this terminal's own event log between two local dates (inclusive)."""
    from app.events.store import rows_between

    lo, hi = utc_bounds(frm, to, tz)
    return compute_stats(rows_between(db, lo, hi), frm, to, tz)
