"""Benchmark of visit logging and sync. Prints a table.

  .venv/bin/python bench/sync.py [--events 100000] [--log-events 50000] [--batch-size 500] [--no-pg]

1. EventLog: events logged per second by the caller, the caller's worst and 99.9th-percentile
   log() latency (what a GUI thread would feel), and the time until all are on disk.
2. Push: time to deliver N events from a terminal database to a hub (`hongtu hub serve` in a
   separate process on 127.0.0.1), on SQLite and on PostgreSQL.
3. Hub ingest: events stored per second by HubStore.ingest (no HTTP), SQLite and PostgreSQL.

PostgreSQL uses $HONGTU_TEST_PG_URL, else a throwaway cluster from .ci/postgres.sh when
PostgreSQL is installed; otherwise those rows say why they were skipped.
"""
from __future__ import annotations

import argparse
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from app.events import EventLog  # noqa: E402
from app.events.schema import utc_now_iso  # noqa: E402
from app.events.store import open_events_db  # noqa: E402
from app.hub.storage import HubStore  # noqa: E402
from app.sync.push import Pusher  # noqa: E402


def bench_log(n: int, db: Path) -> list[tuple[str, str, str]]:
    el = EventLog(db, "bench-01", lambda: ("fujian-red-map", "1.0"))
    lat = []
    t0 = time.perf_counter()
    for i in range(n):
        a = time.perf_counter()
        if i % 3 == 0:
            el.log("exhibit_view", exhibit_id=f"e{i % 40}", dwell_s=float(i % 120), session_id=f"s{i // 20}")
        elif i % 3 == 1:
            el.log("session_start", session_id=f"s{i}", lang="zh")
        else:
            el.log("quiz_round", quiz_id="q1", score=i % 10, max_score=10, time_s=42.0, pk_result="win")
        lat.append(time.perf_counter() - a)
    t_caller = time.perf_counter() - t0
    el.flush(120)
    t_disk = time.perf_counter() - t0
    el.close()
    lat.sort()
    # The same caller-side work (validate, stamp, encode, enqueue) with no writer thread, side by
    # side: on a loaded machine the worst case is mostly the OS scheduler, not the event log.
    import json
    import queue

    from app.events.schema import validate

    q: queue.SimpleQueue = queue.SimpleQueue()
    base = []
    t0 = time.perf_counter()
    for i in range(n):
        a = time.perf_counter()
        d = validate("exhibit_view", {"exhibit_id": f"e{i % 40}", "dwell_s": float(i % 120), "session_id": "s"})
        q.put((str(uuid.uuid4()), utc_now_iso(), json.dumps(d)))
        base.append(time.perf_counter() - a)
    base.sort()
    return [
        ("EventLog: caller rate", f"{n / t_caller:,.0f} events/s", "target ≥ 5,000/s"),
        ("EventLog: on disk rate", f"{n / t_disk:,.0f} events/s", f"{n:,} events written in {t_disk:.2f} s"),
        ("EventLog: log() p99.9 / worst", f"{lat[int(len(lat) * 0.999)] * 1e3:.3f} / {lat[-1] * 1e3:.2f} ms",
         "a 60 fps frame is 16.7 ms"),
        ("baseline without writer thread", f"{base[int(len(base) * 0.999)] * 1e3:.3f} / {base[-1] * 1e3:.2f} ms",
         "p99.9 / worst of the same caller work, same run"),
    ]


def make_terminal_db(path: Path, n: int) -> None:
    el = EventLog(path, "bench-01", lambda: ("fujian-red-map", "1.0"))
    for i in range(n):
        el.log("exhibit_view", exhibit_id=f"e{i % 40}", dwell_s=float(i % 120), session_id=f"s{i // 20}")
    el.close()


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@contextmanager
def hub_process(data: Path, db_url: str | None) -> Iterator[tuple[str, str]]:
    store = HubStore.open(data, db_url)
    token = store.add_terminal("bench-01", "gutian")
    store.close()
    port = free_port()
    args = [sys.executable, "-m", "app", "hub", "serve", "--data", str(data), "--port", str(port)]
    if db_url:
        args += ["--db-url", db_url]
    proc = subprocess.Popen(args, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import httpx

        end = time.monotonic() + 30
        while time.monotonic() < end:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", token
    finally:
        proc.terminate()
        proc.wait(20)


def bench_push(n: int, batch: int, tmp: Path, label: str, db_url: str | None) -> tuple[str, str, str]:
    term = tmp / f"term-{label}.db"
    make_terminal_db(term, n)
    with hub_process(tmp / f"hub-{label}", db_url) as (url, token):
        p = Pusher(open_events_db(term), "bench-01", url, token, batch_size=batch, timeout_s=60)
        t0 = time.perf_counter()
        res = p.push_once()
        dt = time.perf_counter() - t0
    if not res.ok or res.delivered != n:
        return (f"push {n:,} events → hub ({label})", "FAILED", res.error or f"delivered {res.delivered}")
    return (f"push {n:,} events → hub ({label})", f"{dt:.2f} s", f"{n / dt:,.0f} events/s, batches of {batch}; "
            "target ≤ 15 s")


def bench_ingest(store: HubStore, n: int, batch: int, label: str) -> tuple[str, str, str]:
    store.add_terminal("ingest-01", "gutian")
    ts = utc_now_iso()
    events = [{"uuid": str(uuid.uuid4()), "seq": i + 1, "ts": ts, "kind": "exhibit_view",
               "data": {"exhibit_id": f"e{i % 40}", "dwell_s": 12.5}, "pack_id": "p", "pack_version": "1"}
              for i in range(n)]
    t0 = time.perf_counter()
    for i in range(0, n, batch):
        store.ingest("ingest-01", str(uuid.uuid4()), events[i:i + batch])
    dt = time.perf_counter() - t0
    t1 = time.perf_counter()
    for i in range(0, n, batch):  # everything again: all duplicates
        store.ingest("ingest-01", str(uuid.uuid4()), events[i:i + batch])
    dt_dup = time.perf_counter() - t1
    return (f"hub ingest ({label})", f"{n / dt:,.0f} events/s",
            f"{n:,} new in {dt:.2f} s; resent as duplicates {n / dt_dup:,.0f} events/s")


@contextmanager
def postgres(tmp: Path) -> Iterator[str | None]:
    url = os.environ.get("HONGTU_TEST_PG_URL")
    if url:
        yield url
        return
    if not (shutil.which("initdb") or glob.glob("/usr/lib/postgresql/*/bin/initdb")):
        yield None
        return
    folder = Path(tempfile.mkdtemp(prefix="hongtu-pg."))
    out = subprocess.run(["bash", str(REPO / ".ci" / "postgres.sh"), "start", str(folder)], capture_output=True,
                         text=True, timeout=120)
    try:
        yield out.stdout.strip().splitlines()[-1] if out.returncode == 0 else None
    finally:
        subprocess.run(["bash", str(REPO / ".ci" / "postgres.sh"), "stop", str(folder)], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def fresh_pg_db(base: str) -> str:
    import psycopg

    name = "hongtu_bench_" + uuid.uuid4().hex[:8]
    with psycopg.connect(base, autocommit=True) as c:
        c.execute(f"CREATE DATABASE {name}")
    return base.rsplit("/", 1)[0] + "/" + name


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000, help="events pushed to the hub")
    ap.add_argument("--log-events", type=int, default=50_000, help="events logged through EventLog")
    ap.add_argument("--batch-size", type=int, default=500, help="events per upload batch (sync.batch_size)")
    ap.add_argument("--no-pg", action="store_true", help="skip PostgreSQL")
    a = ap.parse_args()
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        rows += bench_log(a.log_events, tmp / "log.db")
        rows.append(bench_push(a.events, a.batch_size, tmp, "SQLite", None))
        s = HubStore.open(tmp / "ingest-sqlite")
        rows.append(bench_ingest(s, a.events, a.batch_size, "SQLite"))
        s.close()
        if a.no_pg:
            rows.append(("PostgreSQL", "skipped", "--no-pg"))
        else:
            with postgres(tmp) as pg:
                if pg is None:
                    rows.append(("PostgreSQL", "skipped", "not installed and HONGTU_TEST_PG_URL not set"))
                else:
                    rows.append(bench_push(a.events, a.batch_size, tmp, "PostgreSQL", fresh_pg_db(pg)))
                    s = HubStore.open(db_url=fresh_pg_db(pg))
                    rows.append(bench_ingest(s, a.events, a.batch_size, "PostgreSQL"))
                    s.close()
    w = max(len(r[0]) for r in rows)
    v = max(len(r[1]) for r in rows)
    print(f"{'measure':<{w}}  {'value':>{v}}  note")
    print("-" * (w + v + 40))
    for name, value, note in rows:
        print(f"{name:<{w}}  {value:>{v}}  {note}")


if __name__ == "__main__":
    main()
