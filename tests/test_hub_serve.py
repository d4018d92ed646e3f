"""`hongtu hub serve` as operators start it: a separate process on 127.0.0.1 that terminals push to."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from click.testing import CliRunner

import app.cli.sync  # noqa: F401  (registers the commands)
from app.cli import cli
from app.events import EventLog
from app.events.store import open_events_db
from app.sync.push import Pusher

REPO = Path(__file__).resolve().parent.parent


def test_serve_push_and_dashboard(tmp_path):
    data = tmp_path / "hub"
    r = CliRunner().invoke(cli, ["hub", "halls", str(REPO / "exhibits" / "fujian-red-map"), "--data", str(data)])
    assert r.exit_code == 0 and "imported" in r.output, r.output
    r = CliRunner().invoke(cli, ["hub", "add-terminal", "t-gutian-1", "--hall", "gutian", "--data", str(data)])
    assert r.exit_code == 0, r.output
    token = r.output.strip()
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    proc = subprocess.Popen([sys.executable, "-m", "app", "hub", "serve", "--data", str(data), "--port", str(port)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        end = time.monotonic() + 30
        while time.monotonic() < end:
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        el = EventLog(tmp_path / "var" / "hongtu.db", "t-gutian-1", lambda: ("fujian-red-map", "1.0"))
        for i in range(25):
            el.log("session_start", session_id=f"s{i}")
            el.log("exhibit_view", exhibit_id="gutian-meeting", dwell_s=30 + i, session_id=f"s{i}")
        el.close()
        res = Pusher(open_events_db(tmp_path / "var" / "hongtu.db"), "t-gutian-1", url, token, batch_size=20).push_once()
        assert res.ok and res.delivered == 50 and res.batches == 3
        stats = httpx.get(url + "/api/v1/stats", params={"hall": "longyan"}).json()
        assert stats["stats"]["totals"]["sessions"] == 25
        assert stats["network"]["sessions"] == 25
        page = httpx.get(url + "/").text
        assert "古田县级馆" in page and "gutian-meeting" in page and "t-gutian-1" in page
        bad = httpx.post(url + "/api/v1/events", content=b"{}", headers={"Authorization": "Bearer nope"})
        assert bad.status_code == 401
    finally:
        proc.terminate()
        proc.wait(20)
