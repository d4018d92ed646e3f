"""The hub: idempotent ingest, auth, size limits, malformed bodies, skew, halls, dashboard and
stats — on SQLite and on a real PostgreSQL server (HONGTU_TEST_PG_URL, or one started here)."""
from __future__ import annotations

import glob
import gzip
import json
import os
import shutil
import subprocess
import tempfile
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.events.schema import to_iso
from app.hub.network import import_halls, network_report
from app.hub.storage import HubError, HubStore

REPO = Path(__file__).resolve().parent.parent


def _pg_installed() -> bool:
    if shutil.which("initdb") and shutil.which("pg_ctl"):
        return True
    return bool(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


@pytest.fixture(scope="session")
def pg_url():
    """A PostgreSQL URL: $HONGTU_TEST_PG_URL, else a throwaway cluster from .ci/postgres.sh."""
    url = os.environ.get("HONGTU_TEST_PG_URL")
    if url:
        yield url
        return
    if not _pg_installed():
        pytest.skip("PostgreSQL is not installed (no initdb/pg_ctl) and HONGTU_TEST_PG_URL is not set")
    # Not under pytest's private tmp folder: as root the server runs as `postgres` and must reach it.
    folder = Path(tempfile.mkdtemp(prefix="hongtu-pg."))
    proc = subprocess.run(["bash", str(REPO / ".ci" / "postgres.sh"), "start", str(folder)],
                          capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        pytest.fail(f".ci/postgres.sh start failed: {proc.stderr[-2000:]}")
    try:
        yield proc.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(["bash", str(REPO / ".ci" / "postgres.sh"), "stop", str(folder)], capture_output=True,
                       timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path):
    if request.param == "sqlite":
        s = HubStore.open(tmp_path / "hub")
        yield s
        s.close()
        return
    import psycopg

    base = request.getfixturevalue("pg_url")
    name = "hongtu_t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = base.rsplit("/", 1)[0] + "/" + name
    s = HubStore.open(db_url=url)
    yield s
    s.close()
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def client(store):
    from fastapi.testclient import TestClient

    from app.hub.server import create_app

    with TestClient(create_app(store, max_body_bytes=200_000, max_json_bytes=2_000_000)) as c:
        yield c


def ev(seq: int, kind: str = "session_start", ts: str = "2026-11-20T02:00:00.000Z", **data):
    data = data or {"session_id": f"s{seq}"}
    return {"uuid": str(uuid.uuid4()), "seq": seq, "ts": ts, "kind": kind, "data": data,
            "pack_id": "fujian-red-map", "pack_version": "1.0"}


def post(client, token, terminal, events, batch_id=None, sent_at=None, raw=None, encoding="gzip"):
    doc = {"terminal_id": terminal, "batch_id": batch_id or str(uuid.uuid4()), "events": events}
    if sent_at:
        doc["sent_at"] = sent_at
    body = raw if raw is not None else json.dumps(doc).encode()
    if encoding == "gzip" and raw is None:
        body = gzip.compress(body)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if encoding:
        headers["Content-Encoding"] = encoding
    return client.post("/api/v1/events", content=body, headers=headers)


def test_batch_stored_once_and_acked(store, client):
    tok = store.add_terminal("t1", "fz")
    events = [ev(i) for i in range(1, 6)]
    r = post(client, tok, "t1", events, batch_id="b-1")
    assert r.status_code == 200, r.text
    assert r.json() == {"batch_id": "b-1", "accepted": 5, "duplicates": 0, "max_seq": 5}
    again = post(client, tok, "t1", events, batch_id="b-1")  # the same batch twice
    assert again.json() == {"batch_id": "b-1", "accepted": 0, "duplicates": 5, "max_seq": 5}
    mixed = post(client, tok, "t1", events[3:] + [ev(6)])  # overlapping batch: one new event
    assert (mixed.json()["accepted"], mixed.json()["duplicates"]) == (1, 2)
    assert store.event_count("t1") == 6
    assert store.terminals()[0].events == 6 and store.terminals()[0].max_seq == 6


def test_out_of_order_batches(store, client):
    tok = store.add_terminal("t1", "fz")
    events = [ev(i) for i in range(1, 31)]
    for chunk in (events[20:], events[:10], events[10:20]):
        assert post(client, tok, "t1", chunk).status_code == 200
    assert store.event_count() == 30
    assert store.terminals()[0].max_seq == 30
    assert set(store.event_uuids("t1")) == {e["uuid"] for e in events}


def test_unknown_terminal_and_bad_token_are_401(store, client):
    tok = store.add_terminal("t1", "fz")
    other = store.add_terminal("t2", "fz")
    assert post(client, "not-a-token", "t1", [ev(1)]).status_code == 401
    assert client.post("/api/v1/events", content=b"{}").status_code == 401  # no token at all
    r = post(client, other, "t1", [ev(1)])  # t2's token claiming to be t1
    assert r.status_code == 401 and "does not match" in r.json()["error"]
    assert post(client, tok, "t1", [ev(1)]).status_code == 200
    new = store.add_terminal("t1", None)  # re-issued token: the old one stops working
    assert post(client, tok, "t1", [ev(2)]).status_code == 401
    assert post(client, new, "t1", [ev(2)]).status_code == 200
    assert store.event_count() == 2


def test_oversized_body_is_413_with_a_clear_message(store, client):
    tok = store.add_terminal("t1", "fz")
    big = os.urandom(300_000)  # incompressible, over the 200 kB limit
    r = post(client, tok, "t1", [], raw=big)
    assert r.status_code == 413 and "batch_size" in r.json()["error"]
    bomb = gzip.compress(b" " * 5_000_000)  # small on the wire, 5 MB unpacked (limit 2 MB)
    r = post(client, tok, "t1", [], raw=bomb)
    assert r.status_code == 413 and "decompressed" in r.json()["error"]
    assert store.event_count() == 0


@pytest.mark.parametrize("raw, encoding, needle", [
    (b"\x1f\x8bnot gzip at all", "gzip", "gzip"),
    (gzip.compress(b"{not json"), "gzip", "JSON"),
    (gzip.compress(b"[1, 2]"), "gzip", "object"),
    (gzip.compress(json.dumps({"terminal_id": "t1", "batch_id": "b"}).encode()), "gzip", "events"),
    (gzip.compress(json.dumps({"terminal_id": "t1", "batch_id": "b", "events": [{"uuid": "x"}]}).encode()),
     "gzip", "uuid"),
    (json.dumps({"terminal_id": "t1", "batch_id": "b", "events": []}).encode(), "br", "Content-Encoding"),
], ids=["not-gzip", "not-json", "not-object", "no-events", "bad-uuid", "unknown-encoding"])
def test_malformed_bodies_are_422(store, client, raw, encoding, needle):
    tok = store.add_terminal("t1", "fz")
    r = post(client, tok, "t1", [], raw=raw, encoding=encoding)
    assert r.status_code == 422, r.text
    assert needle in r.json()["error"]


def test_a_bad_event_refuses_the_whole_batch(store, client):
    tok = store.add_terminal("t1", "fz")
    bad = ev(2, "search", query_length=4)
    bad["data"]["query"] = "毛泽东"  # search text is personal data: never accepted
    r = post(client, tok, "t1", [ev(1), bad])
    assert r.status_code == 422 and "events[1]" in r.json()["error"] and "personal" in r.json()["error"]
    r = post(client, tok, "t1", [ev(1), ev(2, "teleport", x=1)])
    assert r.status_code == 422 and "unknown event kind" in r.json()["error"]
    assert store.event_count() == 0


def test_clock_skew_is_recorded_and_shown(store, client):
    tok = store.add_terminal("t1", "fz")
    behind = to_iso(datetime.now(timezone.utc) - timedelta(minutes=10))  # terminal clock 10 min slow
    assert post(client, tok, "t1", [ev(1, ts=behind)], sent_at=behind).status_code == 200
    t = store.terminals()[0]
    assert 590 < t.last_skew_s < 700
    report = client.get("/api/v1/stats").json()
    assert report["terminals"][0]["skew_warning"] is True
    page = client.get("/").text
    assert "+6" in page and "clock skew" in page.lower()
    # stats use the terminal's own timestamps, not the hub's receive time
    day = behind[:10]
    assert report["stats"]["per_day"][0]["day"] in (day, (datetime.fromisoformat(day) + timedelta(days=1)).date().isoformat(),
                                                    (datetime.fromisoformat(day) - timedelta(days=1)).date().isoformat())


def write_halls(path: Path) -> Path:
    path.write_text("""
halls:
  - {id: fj, level: province, parent: null, name: {zh: 福建省革命历史纪念馆, en: Fujian}}
  - {id: fz, level: city, parent: fj, name: 福州}
  - {id: ly, level: city, parent: fj, name: 龙岩}
  - {id: gutian, level: county, parent: ly, name: 古田会议纪念馆}
  - {id: changting, level: county, parent: ly, name: 长汀}
""", encoding="utf-8")
    return path


def test_halls_tree_rollups_and_dashboard(store, client, tmp_path):
    assert import_halls(store, write_halls(tmp_path / "halls.yaml")) == 5
    toks = {t: store.add_terminal(t, h) for t, h in
            (("t-fj", "fj"), ("t-gt1", "gutian"), ("t-gt2", "gutian"), ("t-ct", "changting"))}
    cam = {"interval_s": 60, "in": 5, "out": 4, "visitors": 5}
    post(client, toks["t-fj"], "t-fj", [ev(1), ev(2)])
    post(client, toks["t-gt1"], "t-gt1", [ev(1), ev(2, "camera_count", **cam)])
    post(client, toks["t-gt2"], "t-gt2", [ev(1, "exhibit_view", exhibit_id="gutian-1", dwell_s=30)])
    post(client, toks["t-ct"], "t-ct", [ev(1), ev(2), ev(3)])
    rep = network_report(store)
    assert rep["network"]["sessions"] == 6 and rep["network"]["camera_visitors"] == 5
    (fj,) = rep["tree"]
    assert fj["totals"]["sessions"] == 6 and fj["own"]["sessions"] == 2 and fj["totals"]["terminals"] == 4
    ly = next(c for c in fj["children"] if c["id"] == "ly")
    assert ly["totals"]["sessions"] == 4 and ly["totals"]["camera_visitors"] == 5
    assert next(c for c in fj["children"] if c["id"] == "fz")["totals"]["sessions"] == 0
    sub = client.get("/api/v1/stats", params={"hall": "ly"}).json()
    assert sub["stats"]["totals"]["sessions"] == 4 and sub["stats"]["top_exhibits_by_views"][0]["exhibit_id"] == "gutian-1"
    page = client.get("/")
    assert page.status_code == 200 and "古田会议纪念馆" in page.text and "<svg" in page.text
    assert "http://" not in page.text.replace('xmlns="http://www.w3.org/2000/svg"', "")  # no CDN
    assert client.get("/api/v1/stats", params={"hall": "nope"}).status_code == 422
    assert client.get("/api/v1/stats", params={"from": "yesterday"}).status_code == 422


def test_halls_file_errors_name_the_field(store, tmp_path):
    bad = tmp_path / "halls.yaml"
    bad.write_text("halls:\n  - {id: a, level: province}\n  - {id: b, level: city, parent: zz}\n")
    with pytest.raises(HubError, match=r"halls.yaml:halls\[1\].parent: unknown hall 'zz'"):
        import_halls(store, bad)
    bad.write_text("halls:\n  - {id: a, level: village}\n")
    with pytest.raises(HubError, match=r"halls\[0\].level"):
        import_halls(store, bad)


def test_stats_date_range_uses_terminal_timestamps(store, client):
    tok = store.add_terminal("t1", "fz")
    post(client, tok, "t1", [ev(1, ts="2026-10-01T04:00:00.000Z"), ev(2, ts="2026-11-01T04:00:00.000Z")])
    rep = client.get("/api/v1/stats", params={"from": "2026-10-15", "to": "2026-11-15"}).json()
    assert rep["network"]["sessions"] == 1 and rep["stats"]["totals"]["sessions"] == 1


@pytest.mark.parametrize("store", ["postgres"], indirect=True)  # a PostgreSQL connection only
def test_lost_postgres_connection_is_reopened(store):
    import psycopg

    tok = store.add_terminal("t1", "fz")
    pid = store._q("SELECT pg_backend_pid()")[0][0]
    with psycopg.connect(store._url, autocommit=True) as admin:  # e.g. the database server restarted
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with pytest.raises(psycopg.Error):
        store.event_count()
    assert store.authenticate(tok) == "t1"  # the next request works again
    assert store.ingest("t1", "b", [ev(1)]).accepted == 1
