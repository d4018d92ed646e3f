"""USB sync: signed event bundles (terminal → hub) and signed acknowledgements (hub → terminal).

A bundle is one file, `hongtu-events-<terminal>-<first>-<last>.hbundle`: an uncompressed tar
holding `manifest.json` and `events.jsonl.gz` (one event per line, gzip). The manifest records
the events file's size and SHA-256, the count and the sequence ranges, and is signed with
HMAC-SHA256 under a key derived from the terminal's token (`app.hub.storage.bundle_key`); the
hub keeps the same derived key. A bundle whose signature, checksum, size, count or gzip stream
does not match is refused whole. The acknowledgement file is JSON signed the same way, so a
terminal only prunes what its own hub confirmed.
"""
from __future__ import annotations

import gzip
import hashlib
import hmac
import io
import json
import tarfile
import uuid
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from app.events.schema import EventError, strip_private, to_iso, validate_envelope
from app.events.store import iter_undelivered, mark_delivered_ranges, seq_ranges
from app.hub.storage import bundle_key

BUNDLE_FORMAT = "hongtu-events-bundle"
ACK_FORMAT = "hongtu-events-ack"
VERSION = 1
SIG_ALG = "HMAC-SHA256"
MANIFEST, EVENTS, LOGS = "manifest.json", "events.jsonl.gz", "logs.jsonl.gz"
MAX_MANIFEST = 16 * 1024 * 1024


class BundleError(Exception):
    """A bundle or acknowledgement that cannot be used; the message names the file and the cause."""


def _canonical(doc: dict[str, Any]) -> bytes:
    return json.dumps({k: v for k, v in doc.items() if k != "signature"}, sort_keys=True,
                      ensure_ascii=False, separators=(",", ":")).encode()


def sign(doc: dict[str, Any], key: bytes) -> dict[str, Any]:
    """The document with its signature field added."""
    return {**doc, "signature": {"alg": SIG_ALG, "value": hmac.new(key, _canonical(doc), hashlib.sha256).hexdigest()}}


def check_signature(doc: dict[str, Any], key: bytes, where: str) -> None:
    sig = doc.get("signature")
    if not isinstance(sig, dict) or sig.get("alg") != SIG_ALG or not isinstance(sig.get("value"), str):
        raise BundleError(f"{where}: signature missing or not {SIG_ALG}")
    want = hmac.new(key, _canonical(doc), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(want, sig["value"]):
        raise BundleError(f"{where}: signature does not match (tampered, or signed with another terminal's token)")


# -- terminal side ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ExportResult:
    path: Path | None  # None when there was nothing to export
    count: int  # events in the bundle (0: a bundle carrying the logs only)
    first_seq: int | None
    last_seq: int | None
    log_entries: int = 0


def export_bundle(db: Any, terminal_id: str, token: str, out_dir: Path | str,
                  sync_nicknames: bool = False, logs: list[dict[str, Any]] | None = None) -> ExportResult:
    """Write every undelivered event into one signed bundle in `out_dir`. Events stay
    undelivered until the hub's acknowledgement file is imported with `hongtu sync ack`.
    `logs` (the terminal's recent log entries) travel along for support staff, covered by the signature.
    With no undelivered events but some logs, the bundle carries the logs only (count 0, no seq
    ranges: the hub imports it and acknowledges nothing); with neither, nothing is written."""
    if not token:
        raise BundleError("sync.token: not set; the hub issues it with `hongtu hub add-terminal`")
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BundleError(f"{out_dir}: cannot create the folder ({exc.strerror})") from None
    raw = io.BytesIO()
    seqs: list[int] = []
    with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as gz:
        for e in iter_undelivered(db):
            w = e.wire()
            w["data"] = strip_private(e.kind, w["data"], sync_nicknames)
            gz.write(json.dumps(w, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
            seqs.append(e.seq)
    if not seqs and not logs:
        return ExportResult(None, 0, None, None)
    events = raw.getvalue()
    members = [(EVENTS, events)]
    extra: dict[str, Any] = {}
    if logs:
        log_bytes = gzip.compress(b"".join(json.dumps(e, ensure_ascii=False).encode() + b"\n" for e in logs), mtime=0)
        members.append((LOGS, log_bytes))
        extra = {"logs_file": LOGS, "logs_bytes": len(log_bytes), "logs_sha256": hashlib.sha256(log_bytes).hexdigest()}
    manifest = sign({
        "format": BUNDLE_FORMAT, "version": VERSION, "bundle_id": str(uuid.uuid4()), "terminal_id": terminal_id,
        "created_at": to_iso(datetime.now(timezone.utc)), "count": len(seqs), "first_seq": seqs[0] if seqs else None,
        "last_seq": seqs[-1] if seqs else None, "seq_ranges": seq_ranges(seqs), "events_file": EVENTS,
        "events_bytes": len(events), "events_sha256": hashlib.sha256(events).hexdigest(), **extra,
    }, bundle_key(token))
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in terminal_id)
    span = f"{seqs[0]}-{seqs[-1]}" if seqs else f"logs-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}"
    path = out_dir / f"hongtu-events-{safe}-{span}.hbundle"
    tmp = path.with_suffix(".partial")
    mbytes = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
    with open(tmp, "wb") as f:
        with tarfile.open(fileobj=f, mode="w", format=tarfile.USTAR_FORMAT) as tar:
            for name, data in [(MANIFEST, mbytes), *members]:
                info = tarfile.TarInfo(name)
                info.size, info.mtime, info.mode = len(data), int(datetime.now().timestamp()), 0o644
                tar.addfile(info, io.BytesIO(data))
        f.flush()
        import os

        os.fsync(f.fileno())
    tmp.replace(path)
    return ExportResult(path, len(seqs), seqs[0] if seqs else None, seqs[-1] if seqs else None, len(logs or ()))


def apply_ack(db: Any, terminal_id: str, token: str, path: Path | str) -> int:
    """Check a hub acknowledgement file and mark its events delivered; returns how many changed."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BundleError(f"{path}: cannot read ({exc.strerror})") from None
    except ValueError as exc:
        raise BundleError(f"{path}: not an acknowledgement file (bad JSON: {exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != ACK_FORMAT:
        raise BundleError(f"{path}: not a Hongtu acknowledgement file (format: {ACK_FORMAT!r} expected)")
    if doc.get("version") != VERSION:
        raise BundleError(f"{path}: version: unsupported {doc.get('version')!r}")
    if doc.get("terminal_id") != terminal_id:
        raise BundleError(f"{path}: terminal_id: for terminal {doc.get('terminal_id')!r}, this is {terminal_id!r}")
    check_signature(doc, bundle_key(token), str(path))
    ranges = doc.get("seq_ranges")
    if not isinstance(ranges, list) or not all(isinstance(r, list) and len(r) == 2 for r in ranges):
        raise BundleError(f"{path}: seq_ranges: expected a list of [first, last] pairs")
    return mark_delivered_ranges(db, terminal_id, ranges, "usb")


# -- hub side --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bundle:
    manifest: dict[str, Any]
    events: list[dict[str, Any]]
    logs: bytes | None = None  # gzip JSON lines of the terminal's recent log entries


def read_bundle(path: Path | str, key_for: Callable[[str], bytes | None]) -> Bundle:
    """Open and verify a bundle completely; raise BundleError on any mismatch (nothing is used)."""
    path = Path(path)
    where = str(path)
    try:
        with tarfile.open(path, mode="r:") as tar:
            members = {m.name: m for m in tar.getmembers()}
            if MANIFEST not in members or EVENTS not in members:
                raise BundleError(f"{where}: not a Hongtu bundle ({MANIFEST} and {EVENTS} expected)")
            for name in (MANIFEST, EVENTS):
                if not members[name].isfile():
                    raise BundleError(f"{where}: {name} is not a regular file")
            if members[MANIFEST].size > MAX_MANIFEST:
                raise BundleError(f"{where}: {MANIFEST} is too large")
            mbytes = tar.extractfile(members[MANIFEST]).read()  # type: ignore[union-attr]
            ebytes = tar.extractfile(members[EVENTS]).read()  # type: ignore[union-attr]
            lbytes = None
            if LOGS in members and members[LOGS].isfile():
                lbytes = tar.extractfile(members[LOGS]).read()  # type: ignore[union-attr]
    except FileNotFoundError:
        raise BundleError(f"{where}: no such file") from None
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BundleError(f"{where}: truncated or not a bundle ({exc})") from None
    try:
        manifest = json.loads(mbytes)
    except ValueError as exc:
        raise BundleError(f"{where}: {MANIFEST}: not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
        raise BundleError(f"{where}: {MANIFEST}: format: {BUNDLE_FORMAT!r} expected")
    if manifest.get("version") != VERSION:
        raise BundleError(f"{where}: {MANIFEST}: version: unsupported {manifest.get('version')!r}")
    terminal = manifest.get("terminal_id")
    key = key_for(terminal) if isinstance(terminal, str) else None
    if key is None:
        raise BundleError(f"{where}: terminal_id: unknown terminal {terminal!r} (register it with "
                          f"`hongtu hub add-terminal`)")
    check_signature(manifest, key, f"{where}: {MANIFEST}")
    if len(ebytes) != manifest.get("events_bytes"):
        raise BundleError(f"{where}: {EVENTS}: {len(ebytes)} bytes, manifest says {manifest.get('events_bytes')} "
                          f"(truncated copy?)")
    if hashlib.sha256(ebytes).hexdigest() != manifest.get("events_sha256"):
        raise BundleError(f"{where}: {EVENTS}: SHA-256 does not match the manifest (damaged or tampered)")
    if lbytes is not None and hashlib.sha256(lbytes).hexdigest() != manifest.get("logs_sha256"):
        raise BundleError(f"{where}: {LOGS}: SHA-256 does not match the manifest (damaged or tampered)")
    try:
        lines = gzip.decompress(ebytes).splitlines()
    except (OSError, EOFError, zlib.error) as exc:
        raise BundleError(f"{where}: {EVENTS}: damaged gzip stream ({exc})") from None
    events = []
    try:
        for i, line in enumerate(lines):
            events.append(validate_envelope(json.loads(line), f"{EVENTS} line {i + 1}"))
    except ValueError as exc:
        raise BundleError(f"{where}: {exc}") from None
    if len(events) != manifest.get("count"):
        raise BundleError(f"{where}: {len(events)} events, manifest says {manifest.get('count')}")
    if seq_ranges(e["seq"] for e in events) != manifest.get("seq_ranges"):
        raise BundleError(f"{where}: event sequence numbers do not match the manifest's seq_ranges")
    return Bundle(manifest, events, lbytes)


def make_ack(manifest: dict[str, Any], accepted: int, duplicates: int, key: bytes) -> dict[str, Any]:
    """The signed acknowledgement the hub writes for an imported bundle."""
    return sign({"format": ACK_FORMAT, "version": VERSION, "bundle_id": manifest["bundle_id"],
                 "terminal_id": manifest["terminal_id"], "hub_received_at": to_iso(datetime.now(timezone.utc)),
                 "count": manifest["count"], "accepted": accepted, "duplicates": duplicates,
                 "seq_ranges": manifest["seq_ranges"]}, key)


__all__ = ["BundleError", "EventError", "export_bundle", "apply_ack", "read_bundle", "make_ack", "ExportResult"]
