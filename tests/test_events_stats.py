"""Visit figures: per day/hour with camera counts beside sessions, top exhibits, routes, quiz;
date ranges; and `hongtu stats` in text, JSON and CSV."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta, timezone

from click.testing import CliRunner

import app.cli.sync  # noqa: F401  (registers the commands)
from app.cli import cli
from app.events.stats import compute_stats, stats_csv
from app.events.store import open_events_db

UTC = timezone.utc
TZ8 = timezone(timedelta(hours=8))


def rows():
    r = []
    for i in range(4):  # 4 sessions on Nov 20 at 09:xx Beijing time (01:xx UTC)
        r.append((f"2026-11-20T01:{i:02d}:00.000Z", "session_start", {"session_id": f"s{i}"}))
    r.append(("2026-11-20T16:30:00.000Z", "session_start", {"session_id": "s9"}))  # 00:30 on Nov 21, UTC+8
    r += [("2026-11-20T01:00:00.000Z", "camera_count", {"interval_s": 60, "in": 6, "out": 2, "visitors": 5}),
          ("2026-11-20T02:00:00.000Z", "camera_count", {"interval_s": 60, "in": 3, "out": 3, "visitors": 2})]
    r += [("2026-11-20T01:05:00.000Z", "exhibit_view", {"exhibit_id": "gutian", "dwell_s": 10}),
          ("2026-11-20T01:06:00.000Z", "exhibit_view", {"exhibit_id": "gutian", "dwell_s": 20}),
          ("2026-11-20T01:07:00.000Z", "exhibit_view", {"exhibit_id": "ruijin", "dwell_s": 100})]
    r += [("2026-11-20T01:10:00.000Z", "route_started", {"route_id": "r1"}),
          ("2026-11-20T01:11:00.000Z", "route_started", {"route_id": "r1"}),
          ("2026-11-20T01:12:00.000Z", "route_stop", {"route_id": "r1", "stop_index": 0}),
          ("2026-11-20T01:20:00.000Z", "route_completed", {"route_id": "r1"})]
    r += [("2026-11-20T01:30:00.000Z", "quiz_round", {"quiz_id": "q1", "score": 8, "max_score": 10, "time_s": 60,
                                                      "pk_result": "win", "session_id": "s0"}),
          ("2026-11-20T01:31:00.000Z", "quiz_round", {"quiz_id": "q1", "score": 6, "max_score": 10, "time_s": 80,
                                                      "pk_result": "lose", "session_id": "s0"}),
          ("2026-11-20T01:32:00.000Z", "search", {"query_length": 2})]
    return r


def test_figures_in_local_time():
    s = compute_stats(rows(), tz=TZ8)
    assert s["totals"]["sessions"] == 5 and s["totals"]["camera_visitors"] == 7 and s["totals"]["camera_in"] == 9
    assert s["per_day"] == [{"day": "2026-11-20", "sessions": 4, "camera_in": 9, "camera_visitors": 7},
                            {"day": "2026-11-21", "sessions": 1, "camera_in": 0, "camera_visitors": 0}]
    assert s["per_hour"][9] == {"hour": 9, "sessions": 4, "camera_in": 6, "camera_visitors": 5}
    assert s["per_hour"][10]["camera_visitors"] == 2 and s["per_hour"][0]["sessions"] == 1
    assert [e["exhibit_id"] for e in s["top_exhibits_by_views"]] == ["gutian", "ruijin"]
    assert [e["exhibit_id"] for e in s["top_exhibits_by_dwell"]] == ["ruijin", "gutian"]
    assert s["top_exhibits_by_views"][0]["avg_dwell_s"] == 15.0
    assert s["routes"]["started"] == 2 and s["routes"]["completed"] == 1 and s["routes"]["completion_rate"] == 0.5
    q = s["quiz"]
    assert (q["rounds"], q["sessions_with_quiz"], q["participation_rate"]) == (2, 1, 0.2)
    assert (q["avg_score"], q["avg_score_pct"], q["avg_time_s"]) == (7.0, 70.0, 70.0)
    assert q["pk"] == {"win": 1, "lose": 1, "draw": 0}


def test_csv_is_one_long_table():
    table = list(csv.reader(io.StringIO(stats_csv(compute_stats(rows(), tz=TZ8)))))
    assert table[0] == ["section", "key", "metric", "value"]
    assert ["per_day", "2026-11-20", "camera_visitors", "7"] in table
    assert ["routes", "r1", "completion_rate", "0.5"] in table
    assert ["quiz", "", "pk_win", "1"] in table


def test_cli_stats_reads_the_terminal_log(tmp_path, monkeypatch):
    cfg = tmp_path / "k.yaml"
    cfg.write_text(f"terminal_id: t1\ndata_dir: {tmp_path / 'var'}\n")
    db = open_events_db(tmp_path / "var" / "hongtu.db")
    with db.conn:
        db.conn.executemany("INSERT INTO visit_events (uuid, terminal_id, ts, kind, data) VALUES (?, 't1', ?, ?, ?)",
                            [(f"u{i}", ts, k, json.dumps(d)) for i, (ts, k, d) in enumerate(rows())])
    monkeypatch.setenv("HONGTU_CONFIG", str(cfg))
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()
    try:
        r = CliRunner().invoke(cli, ["stats", "--json"])
        assert r.exit_code == 0, r.output
        s = json.loads(r.output)
        assert s["totals"]["sessions"] == 5 and s["routes"]["completion_rate"] == 0.5
        r = CliRunner().invoke(cli, ["stats", "--from", "2026-11-21", "--to", "2026-11-30", "--json"])
        assert json.loads(r.output)["totals"]["events"] == 0  # all rows are on Nov 20 (UTC)
        r = CliRunner().invoke(cli, ["stats", "--csv"])
        assert r.exit_code == 0 and r.output.startswith("section,key,metric,value")
        r = CliRunner().invoke(cli, ["stats"])
        assert r.exit_code == 0 and "gutian" in r.output and "Routes: 2 started, 1 completed (50%)" in r.output
        r = CliRunner().invoke(cli, ["stats", "--from", "20-11-2026"])
        assert r.exit_code != 0 and "--from: expected a date YYYY-MM-DD" in r.output
        r = CliRunner().invoke(cli, ["stats", "--json", "--csv"])
        assert r.exit_code != 0
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_date_range_bounds():
    from app.events.stats import utc_bounds

    lo, hi = utc_bounds(date(2026, 11, 20), date(2026, 11, 20), TZ8)
    assert (lo, hi) == ("2026-11-19T16:00:00.000Z", "2026-11-20T16:00:00.000Z")


def test_sessions_that_end_in_admin_mode_are_staff_not_visitors():
    r = rows() + [("2026-11-20T01:40:00.000Z", "session_start", {"session_id": "staff1"}),
                  ("2026-11-20T01:45:00.000Z", "session_end", {"session_id": "staff1", "duration_s": 300, "reason": "admin"}),
                  ("2026-11-20T01:50:00.000Z", "session_end", {"session_id": "s1", "duration_s": 60, "reason": "idle"})]
    with_staff = compute_stats(r, tz=TZ8)
    assert with_staff["totals"]["sessions"] == compute_stats(rows(), tz=TZ8)["totals"]["sessions"]
    nov20 = next(d for d in with_staff["per_day"] if d["day"] == "2026-11-20")
    assert nov20["sessions"] == 4
    assert with_staff["per_hour"][9]["sessions"] == 4
