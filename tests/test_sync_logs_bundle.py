"""`hongtu sync export` with no undelivered events still writes a bundle carrying the logs (what
support needs after a database recovery), and the hub imports and acknowledges it cleanly."""
from __future__ import annotations

import gzip
import json

from click.testing import CliRunner

from app.cli import load_commands
from app.events.store import open_events_db

cli = load_commands()


def test_logs_only_bundle_round_trip_and_corrupt_database_note(tmp_path):
    hub_dir, usb, var = tmp_path / "hubdata", tmp_path / "usb", tmp_path / "var"
    run = CliRunner().invoke
    r = run(cli, ["hub", "add-terminal", "t1", "--data", str(hub_dir)])
    assert r.exit_code == 0, r.output
    cfg = tmp_path / "k.yaml"
    cfg.write_text(f"terminal_id: t1\ndata_dir: {var}\nsync:\n  token: {r.output.strip()}\n")
    # a fresh database right after a recovery: the damaged one moved aside, the log says why
    open_events_db(var / "hongtu.db").conn.close()
    (var / "hongtu.db.corrupt-20261121T080000Z").write_bytes(b"damaged")
    (var / "hongtu.db.corrupt-20261121T080000Z-wal").write_bytes(b"")
    (var / "logs").mkdir()
    entries = [{"ts": "2026-11-21T08:00:00Z", "level": "ERROR", "logger": "app.ops.dbrecovery",
                "msg": "database var/hongtu.db was damaged (file is not a database); moved aside"}]
    (var / "logs" / "hongtu.log").write_text("".join(json.dumps(e) + "\n" for e in entries))

    r = run(cli, ["sync", "export", "--to", str(usb), "--config", str(cfg)])
    assert r.exit_code == 0, r.output
    (bundle,) = usb.glob("hongtu-events-t1-logs-*.hbundle")
    assert r.output.startswith(f"no undelivered events; the bundle carries the logs only: wrote {bundle} (1 log entries)")
    notes = [line for line in r.output.splitlines() if line.startswith("note: ")]
    assert len(notes) == 1 and "hongtu.db.corrupt-20261121T080000Z is a damaged database" in notes[0]
    assert "not yet delivered are in that file" in notes[0] and "call support" in notes[0]

    r = run(cli, ["hub", "import", str(bundle), "--data", str(hub_dir)])
    assert r.exit_code == 0, r.output
    assert "t1: 0 new events, 0 already stored" in r.output and "terminal logs:" in r.output
    (logs,) = (hub_dir / "terminal-logs" / "t1").glob("*.jsonl.gz")
    assert [json.loads(line) for line in gzip.decompress(logs.read_bytes()).splitlines()] == entries
    (ack,) = usb.glob("*.ack.json")
    r = run(cli, ["sync", "ack", str(ack), "--config", str(cfg)])
    assert r.exit_code == 0 and "marked 0 events delivered" in r.output, r.output

    (var / "logs" / "hongtu.log").unlink()
    (var / "hongtu.db.corrupt-20261121T080000Z").unlink()
    r = run(cli, ["sync", "export", "--to", str(tmp_path / "usb2"), "--config", str(cfg)])
    assert r.output.strip() == "nothing to export: no undelivered events and no log entries"
    assert not (tmp_path / "usb2").exists() or not any((tmp_path / "usb2").iterdir())
