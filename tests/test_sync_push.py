"""Network sync: batches acknowledged before they count as delivered; hub faults (500, timeout,
connection dropped mid-answer, 401) lose and duplicate nothing; backoff; a 6-hour outage under a
fake clock; and a real hub on 127.0.0.1 killed and restarted during a push."""
from __future__ import annotations

import json
import socket
import threading
import time
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from fastapi.testclient import TestClient

from app.events import EventLog
from app.events.store import backlog, open_events_db
from app.hub.server import create_app
from app.hub.storage import HubStore
from app.sync.push import Pusher, SyncError, sync_status

HUB = "http://hub.test"


@pytest.fixture
def hub(tmp_path):
    store = HubStore.open(tmp_path / "hub")
    token = store.add_terminal("t1", "gutian")
    with TestClient(create_app(store), base_url=HUB) as tc:
        yield store, token, tc
    store.close()


class FaultyHub:
    """An httpx transport in front of the in-process hub that fails on demand.

    mode: None (pass through), "500", "timeout", "drop-after" (the hub stores the batch, then the
    connection closes before the answer arrives), "down" (connection refused).
    """

    def __init__(self, tc: TestClient, drop_every: int = 0) -> None:
        self.tc, self.mode, self.calls, self.drop_every = tc, None, 0, drop_every
        self.refused = self.dropped = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.mode == "down":
            self.refused += 1
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        if self.mode == "timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        if self.mode == "500":
            return httpx.Response(500, text="Internal Server Error")
        r = self.tc.post(request.url.path, content=request.content, headers=dict(request.headers))
        if self.mode == "drop-after" or (self.drop_every and self.calls % self.drop_every == 0):
            self.dropped += 1
            raise httpx.RemoteProtocolError("peer closed connection without sending complete message body",
                                            request=request)
        return httpx.Response(r.status_code, content=r.content, headers={"content-type": "application/json"})


def terminal(tmp_path, n: int, **log_data):
    el = EventLog(tmp_path / "var" / "hongtu.db", "t1", lambda: ("fujian-red-map", "1.0"))
    for i in range(n):
        el.log("quiz_round", quiz_id="q1", score=i % 10, time_s=30, nickname="小明", session_id=f"s{i}")
    el.close()
    return open_events_db(tmp_path / "var" / "hongtu.db")


def pusher(db, token, transport=None, client=None, **kw):
    client = client or httpx.Client(transport=httpx.MockTransport(transport))
    return Pusher(db, "t1", HUB, token, batch_size=kw.pop("batch_size", 40), client=client, **kw)


def test_push_delivers_everything_once_without_nicknames(tmp_path, hub):
    store, token, tc = hub
    db = terminal(tmp_path, 130)
    p = pusher(db, token, client=tc)
    res = p.push_once()
    assert res.ok and res.delivered == 130 and res.batches == 4 and res.backlog == 0
    assert store.event_count("t1") == 130
    data = [json.loads(r[3]) for r in store.rows(None, None)]
    assert all("nickname" not in d for d in data)  # stays on the terminal by default
    assert json.loads(db.conn.execute("SELECT data FROM visit_events LIMIT 1").fetchone()[0])["nickname"] == "小明"
    assert p.push_once().delivered == 0 and store.event_count() == 130
    st = p.status()
    assert st.backlog == 0 and st.last_success and st.delivered_total == 130


def test_nicknames_sync_when_config_allows(tmp_path, hub):
    store, token, tc = hub
    db = terminal(tmp_path, 3)
    pusher(db, token, client=tc, sync_nicknames=True).push_once()
    assert all(json.loads(r[3])["nickname"] == "小明" for r in store.rows(None, None))


@pytest.mark.parametrize("mode", ["500", "timeout", "drop-after", "down"])
def test_hub_faults_mark_nothing_sent_and_the_next_pass_delivers(tmp_path, hub, mode):
    store, token, tc = hub
    db = terminal(tmp_path, 100)
    faulty = FaultyHub(tc)
    p = pusher(db, token, faulty)
    faulty.mode = mode
    res = p.push_once()
    assert not res.ok and res.delivered == 0 and backlog(db) == 100
    assert res.error and "hub.test" in res.error
    el = EventLog(tmp_path / "var" / "hongtu.db", "t1")  # visitors keep coming: the backlog grows
    for _ in range(10):
        el.log("search", query_length=3)
    el.close()
    assert backlog(db) == 110
    st = sync_status(db, HUB)
    assert st.last_error and st.failures_in_a_row == 1 and st.last_success is None
    faulty.mode = None
    res = p.push_once()
    assert res.ok and backlog(db) == 0
    assert store.event_count("t1") == 110  # nothing lost, nothing stored twice
    if mode == "drop-after":  # the hub had stored the first batch; the resend was counted as duplicates
        assert res.duplicates == 40
    assert sync_status(db, HUB).failures_in_a_row == 0


def test_401_keeps_everything_and_says_to_check_the_token(tmp_path, hub):
    store, token, tc = hub
    db = terminal(tmp_path, 20)
    faulty = FaultyHub(tc)
    res = pusher(db, "wrong-token", faulty).push_once()
    assert not res.ok and "401" in res.error and "sync.token" in res.error and backlog(db) == 20
    assert pusher(db, token, faulty).push_once().ok and store.event_count() == 20


def test_ack_that_does_not_match_the_batch_is_not_trusted(tmp_path):
    db = terminal(tmp_path, 5)
    res = pusher(db, "tok", lambda req: httpx.Response(200, json={"batch_id": "other", "accepted": 5,
                                                                   "duplicates": 0})).push_once()
    assert not res.ok and "does not match" in res.error and backlog(db) == 5
    res = pusher(db, "tok", lambda req: httpx.Response(200, text="<html>captive portal</html>")).push_once()
    assert not res.ok and "not JSON" in res.error and backlog(db) == 5


def test_backoff_grows_with_jitter_and_is_capped(tmp_path):
    db = terminal(tmp_path, 1)
    p = pusher(db, "tok", lambda r: httpx.Response(500), interval_s=60, max_backoff_s=300, rng=lambda: 0.5)
    delays = []
    for _ in range(8):
        p.push_once()
        delays.append(p.next_delay(False))
    assert delays[:4] == [5.0, 10.0, 20.0, 40.0] and delays[-1] == 300.0
    assert p.next_delay(True) == 60.0
    lo = pusher(db, "tok", lambda r: httpx.Response(500), rng=lambda: 0.0).next_delay(False)
    hi = pusher(db, "tok", lambda r: httpx.Response(500), rng=lambda: 0.999).next_delay(False)
    assert lo < hi  # jitter spreads terminals that failed together


def test_six_hour_outage_with_a_fake_clock(tmp_path, hub):
    """Visitors all day, hub down from 09:00 to 15:00: zero events lost, zero duplicated."""
    store, token, tc = hub
    db = open_events_db(tmp_path / "var" / "hongtu.db")
    el = EventLog(tmp_path / "var" / "hongtu.db", "t1")
    faulty = FaultyHub(tc, drop_every=5)  # besides the outage, every 5th answer is lost on the way back
    start = datetime(2026, 11, 21, 8, 0, tzinfo=timezone.utc)
    clock = {"t": start}
    outage = (start + timedelta(hours=1), start + timedelta(hours=7))
    end = start + timedelta(hours=9)
    logged = []

    def fake_sleep(seconds: float) -> None:
        clock["t"] += timedelta(seconds=seconds)
        # one visitor session per simulated minute, until the hall closes
        due = int((min(clock["t"], end) - start).total_seconds() // 60)
        while len(logged) < due:
            logged.append(el.log("session_start", session_id=f"s{len(logged)}"))
        el.flush()
        faulty.mode = "down" if outage[0] <= clock["t"] < outage[1] else None

    p = pusher(db, token, faulty, batch_size=50, interval_s=60, max_backoff_s=900,
               sleep=fake_sleep, clock=lambda: clock["t"])
    p.run(lambda: (clock["t"] >= end and backlog(db) == 0) or clock["t"] > end + timedelta(days=1))
    el.close()
    assert len(logged) == 9 * 60
    assert faulty.refused >= 6 and faulty.dropped >= 3  # the outage and the lost answers did happen
    assert store.event_count("t1") == len(logged)
    assert sorted(store.event_uuids("t1")) == sorted(logged)
    failures = db.conn.execute("SELECT count(*) FROM visit_events WHERE delivered_at IS NULL").fetchone()[0]
    assert failures == 0


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class ServerThread:
    def __init__(self, store: HubStore, port: int) -> None:
        import uvicorn

        self.server = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port,
                                                    log_level="error", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        end = time.monotonic() + 20
        while not self.server.started and time.monotonic() < end:
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(20)


def test_real_hub_killed_and_restarted_during_a_push(tmp_path):
    store = HubStore.open(tmp_path / "hub")
    token = store.add_terminal("t1", "gutian")
    port = _free_port()
    db = terminal(tmp_path, 300)
    p = Pusher(db, "t1", f"http://127.0.0.1:{port}", token, batch_size=50, timeout_s=5)
    srv = ServerThread(store, port)
    assert p.push_once(max_batches=2).delivered == 100
    srv.stop()
    res = p.push_once()
    assert not res.ok and backlog(db) == 200
    srv = ServerThread(store, port)
    try:
        assert p.push_once().ok and backlog(db) == 0
    finally:
        srv.stop()
    assert store.event_count("t1") == 300


def test_connection_closed_mid_response_by_a_real_socket(tmp_path):
    """A server that reads the request, sends half an HTTP answer and hangs up."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    port = srv.getsockname()[1]

    def serve():
        for _ in range(2):
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            conn.settimeout(5)
            try:
                conn.recv(1 << 20)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"batch")
            except OSError:
                pass
            conn.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    db = terminal(tmp_path, 10)
    res = Pusher(db, "t1", f"http://127.0.0.1:{port}", "tok", timeout_s=5).push_once()
    srv.close()
    assert not res.ok and backlog(db) == 10 and ("RemoteProtocolError" in res.error or "ReadError" in res.error)  # which one depends on the race


def test_missing_hub_url_or_token_is_a_clear_error(tmp_path):
    db = terminal(tmp_path, 1)
    with pytest.raises(SyncError, match="sync.hub_url"):
        Pusher(db, "t1", "", "tok")
    with pytest.raises(SyncError, match="sync.token"):
        Pusher(db, "t1", HUB, "")


def test_background_loop_prunes_and_reports_a_full_disk(tmp_path, hub):
    store, token, tc = hub
    db = terminal(tmp_path, 50)
    clock = {"t": datetime(2026, 11, 21, 8, tzinfo=timezone.utc)}
    passes = []

    def fake_sleep(s):
        clock["t"] += timedelta(seconds=s)
        passes.append(s)

    p = pusher(db, token, client=tc, sleep=fake_sleep, clock=lambda: clock["t"], retention_days=30,
               disk_free_fn=lambda: 1024, min_free_bytes=10 ** 9)
    p.run(lambda: len(passes) >= 3)
    assert store.event_count() == 50
    st = sync_status(db, HUB)
    assert st.disk_warning and "disk nearly full" in st.disk_warning
    assert db.conn.execute("SELECT count(*) FROM visit_events").fetchone()[0] == 0  # all delivered, so prunable
