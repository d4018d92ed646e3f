"""`hongtu hub import`: ingest a USB bundle and write the acknowledgement the terminal carries back."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from app.hub.storage import Ack, HubStore
from app.sync.bundle import make_ack, read_bundle


@dataclass(frozen=True)
class ImportResult:
    terminal_id: str
    ack: Ack
    ack_path: Path
    logs_path: Path | None = None  # the terminal's log entries that came with the bundle


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


def import_bundle(store: HubStore, path: Path | str, ack_dir: Path | str | None = None,
                  logs_dir: Path | str | None = None) -> ImportResult:
    """Verify the whole bundle, store its events once each, write `<bundle>.ack.json`; the
    terminal's logs, if the bundle carries them, go to `<logs_dir>/<terminal>/<bundle_id>.jsonl.gz`."""
    path = Path(path)
    bundle = read_bundle(path, store.terminal_bundle_key)
    m = bundle.manifest
    ack = store.ingest(m["terminal_id"], m["bundle_id"], bundle.events, source="usb")
    key = store.terminal_bundle_key(m["terminal_id"])
    assert key is not None
    doc = make_ack(m, ack.accepted, ack.duplicates, key)
    out = Path(ack_dir) if ack_dir else path.parent
    out.mkdir(parents=True, exist_ok=True)
    ack_path = out / (path.name.removesuffix(".hbundle") + ".ack.json")
    tmp = ack_path.with_suffix(".partial")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(ack_path)
    logs_path = None
    if bundle.logs is not None and logs_dir is not None:
        logs_path = Path(logs_dir) / _safe(m["terminal_id"]) / f"{_safe(m['bundle_id'])}.jsonl.gz"
        logs_path.parent.mkdir(parents=True, exist_ok=True)
        logs_path.write_bytes(bundle.logs)
    return ImportResult(m["terminal_id"], ack, ack_path, logs_path)
