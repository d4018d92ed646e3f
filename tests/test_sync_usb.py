"""USB sync: export a signed bundle, import it at the hub (idempotently), carry the signed
acknowledgement back; truncated or tampered bundles and forged acknowledgements are refused whole."""
from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import app.cli.sync  # noqa: F401  (registers the commands)
from app.cli import cli
from app.events import EventLog
from app.events.store import backlog, open_events_db
from app.hub.importer import import_bundle
from app.hub.storage import HubStore
from app.sync.bundle import BundleError, apply_ack, export_bundle


@pytest.fixture
def setup(tmp_path):
    store = HubStore.open(tmp_path / "hub")
    token = store.add_terminal("t1", "gutian")
    el = EventLog(tmp_path / "var" / "hongtu.db", "t1", lambda: ("fujian-red-map", "1.0"))
    for i in range(120):
        el.log("exhibit_view", exhibit_id=f"e{i % 7}", dwell_s=i, session_id=f"s{i // 4}")
    el.log("quiz_round", quiz_id="q1", score=5, time_s=40, nickname="小红")
    el.close()
    yield store, token, open_events_db(tmp_path / "var" / "hongtu.db"), tmp_path / "usb"
    store.close()


def test_round_trip(setup):
    store, token, db, usb = setup
    res = export_bundle(db, "t1", token, usb)
    assert res.count == 121 and res.path.exists() and backlog(db) == 121  # not delivered until the ack
    imp = import_bundle(store, res.path)
    assert (imp.ack.accepted, imp.ack.duplicates) == (121, 0) and store.event_count("t1") == 121
    assert all("nickname" not in json.loads(r[3]) for r in store.rows(None, None))
    again = import_bundle(store, res.path)  # imported twice: stored once
    assert (again.ack.accepted, again.ack.duplicates) == (0, 121) and store.event_count() == 121
    assert apply_ack(db, "t1", token, imp.ack_path) == 121
    assert backlog(db) == 0
    assert export_bundle(db, "t1", token, usb).path is None  # nothing left to export


def test_overlapping_bundles_and_network_push(setup):
    store, token, db, usb = setup
    first = export_bundle(db, "t1", token, usb / "a")
    el = EventLog(db.conn.execute("PRAGMA database_list").fetchone()[2], "t1")
    el.log("search", query_length=5)
    el.close()
    second = export_bundle(db, "t1", token, usb / "b")  # contains the first bundle's events too
    assert second.count == 122
    import_bundle(store, second.path)
    imp = import_bundle(store, first.path)
    assert imp.ack.accepted == 0 and store.event_count() == 122
    apply_ack(db, "t1", token, imp.ack_path)
    assert backlog(db) == 1  # only what the first bundle held was acknowledged by its file


def _rewrite(path: Path, change) -> None:
    """Rebuild a bundle with one member altered by change(name, bytes) -> bytes."""
    with tarfile.open(path) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as tar:
        for m, data in members:
            data = change(m.name, data)
            m.size = len(data)
            tar.addfile(m, io.BytesIO(data))


@pytest.mark.parametrize("damage, needle", [
    ("truncate", "truncated"),
    ("truncate-small", "truncated"),
    ("flip-event-byte", "SHA-256"),
    ("edit-count", "signature"),
    ("forge-events", "signature"),
    ("other-terminal", "signature"),
    ("not-a-bundle", "not a bundle"),
])
def test_damaged_or_tampered_bundles_are_refused_whole(setup, damage, needle):
    store, token, db, usb = setup
    path = export_bundle(db, "t1", token, usb).path
    raw = path.read_bytes()
    if damage == "truncate":  # cut in the middle of the events (an interrupted copy)
        with tarfile.open(path) as tar:
            m = tar.getmember("events.jsonl.gz")
        path.write_bytes(raw[: m.offset_data + m.size // 2])
    elif damage == "truncate-small":
        path.write_bytes(raw[:700])
    elif damage == "flip-event-byte":
        def flip(name, data):
            if name != "events.jsonl.gz":
                return data
            b = bytearray(data)
            b[len(b) // 2] ^= 0xFF
            return bytes(b)
        _rewrite(path, flip)
    elif damage == "edit-count":
        _rewrite(path, lambda n, d: d.replace(b'"count": 121', b'"count": 120') if n == "manifest.json" else d)
    elif damage == "forge-events":  # new events with a recomputed checksum, but no key to re-sign
        import gzip
        import hashlib

        def forge(name, data, cache={}):
            if name == "manifest.json":
                m = json.loads(data)
                m["events_sha256"] = hashlib.sha256(cache["ev"]).hexdigest()
                m["events_bytes"] = len(cache["ev"])
                return json.dumps(m).encode()
            lines = gzip.decompress(data).splitlines()
            cache["ev"] = gzip.compress(b"\n".join(lines[:-1]))
            return cache["ev"]
        with tarfile.open(path) as tar:  # events member first, so the manifest can use its checksum
            members = {m.name: (m, tar.extractfile(m).read()) for m in tar.getmembers()}
        with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as tar:
            for name in ("events.jsonl.gz", "manifest.json"):
                m, data = members[name]
                data = forge(name, data)
                m.size = len(data)
                tar.addfile(m, io.BytesIO(data))
    elif damage == "other-terminal":
        other = store.add_terminal("t2", "gutian")
        path = export_bundle(db, "t1", other, usb / "x").path  # t2's token claiming to be t1
    elif damage == "not-a-bundle":
        path.write_bytes(b"hello, this is a photo" * 100)
    with pytest.raises(BundleError, match=needle):
        import_bundle(store, path)
    assert store.event_count() == 0  # refused whole
    assert not list(path.parent.glob("*.ack.json"))


def test_unknown_terminal_bundle_is_refused(setup, tmp_path):
    store, token, db, usb = setup
    path = export_bundle(db, "t-unknown", token, usb).path
    with pytest.raises(BundleError, match="unknown terminal"):
        import_bundle(store, path)


def test_forged_or_foreign_acknowledgements_are_refused(setup):
    store, token, db, usb = setup
    ack = import_bundle(store, export_bundle(db, "t1", token, usb).path).ack_path
    doc = json.loads(ack.read_text())
    doc["seq_ranges"] = [[1, 10 ** 9]]
    forged = ack.with_name("forged.ack.json")
    forged.write_text(json.dumps(doc))
    with pytest.raises(BundleError, match="signature"):
        apply_ack(db, "t1", token, forged)
    with pytest.raises(BundleError, match="terminal_id"):
        apply_ack(db, "t9", token, ack)
    notjson = ack.with_name("x.ack.json")
    notjson.write_text("{")
    with pytest.raises(BundleError, match="bad JSON"):
        apply_ack(db, "t1", token, notjson)
    assert backlog(db) == 121


def test_cli_round_trip(tmp_path):
    hub_dir, usb = tmp_path / "hubdata", tmp_path / "usb"
    run = CliRunner().invoke
    r = run(cli, ["hub", "add-terminal", "t1", "--hall", "gutian", "--hall-name", "古田会议纪念馆",
                  "--level", "county", "--data", str(hub_dir)])
    assert r.exit_code == 0, r.output
    token = r.output.strip()
    cfg = tmp_path / "k.yaml"
    cfg.write_text(f"terminal_id: t1\ndata_dir: {tmp_path / 'var'}\nsync:\n  token: {token}\n")
    el = EventLog(tmp_path / "var" / "hongtu.db", "t1")
    for i in range(30):
        el.log("session_start", session_id=f"s{i}")
    el.close()
    r = run(cli, ["sync", "export", "--to", str(usb), "--config", str(cfg)])
    assert r.exit_code == 0 and "30 events" in r.output, r.output
    (bundle,) = usb.glob("*.hbundle")
    r = run(cli, ["hub", "import", str(bundle), "--data", str(hub_dir)])
    assert r.exit_code == 0 and "30 new events" in r.output, r.output
    (ackfile,) = usb.glob("*.ack.json")
    r = run(cli, ["sync", "ack", str(ackfile), "--config", str(cfg)])
    assert r.exit_code == 0 and "marked 30 events delivered" in r.output, r.output
    r = run(cli, ["sync", "status", "--json", "--config", str(cfg)])
    assert json.loads(r.output)["backlog"] == 0
    r = run(cli, ["sync", "export", "--to", str(usb), "--config", str(cfg)])
    assert "nothing to export" in r.output
    bundle.write_bytes(bundle.read_bytes()[:1000])
    r = run(cli, ["hub", "import", str(bundle), "--data", str(hub_dir)])
    assert r.exit_code == 1 and "truncated" in r.output
    r = run(cli, ["sync", "push", "--config", str(cfg)])
    assert r.exit_code == 1 and "sync.hub_url" in r.output


def test_terminal_logs_travel_with_the_bundle_and_are_covered_by_the_signature(setup, tmp_path):
    import gzip

    store, token, db, usb = setup
    logs = [{"ts": "2026-11-21T08:00:00Z", "level": "WARNING", "msg": "camera: retrying in 4 s"}]
    res = export_bundle(db, "t1", token, usb, logs=logs)
    imp = import_bundle(store, res.path, logs_dir=tmp_path / "terminal-logs")
    assert imp.logs_path is not None and imp.logs_path.parent.name == "t1"
    assert [json.loads(line) for line in gzip.decompress(imp.logs_path.read_bytes()).splitlines()] == logs
    # swap the logs member for another: the manifest's checksum refuses the whole bundle
    with tarfile.open(res.path) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    members["logs.jsonl.gz"] = gzip.compress(b'{"msg": "forged"}\n')
    forged = usb / "forged.hbundle"
    with tarfile.open(forged, "w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with pytest.raises(BundleError, match="logs.jsonl.gz: SHA-256"):
        import_bundle(store, forged)
