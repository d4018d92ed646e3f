"""The kinds of visit events and the fields each may carry.

Only counts, ids of content (exhibits, routes, quizzes), durations and scores are logged: never a
visitor's name, face, phone number, search text or image. A field not listed for its kind is
refused, and fields that look like personal data are refused with a message that says so.
"""
from __future__ import annotations

import math
import re
import uuid as _uuid
from datetime import datetime, timezone
from typing import Any, Mapping

FORMAT_VERSION = 1


class EventError(ValueError):
    """An event that cannot be logged or accepted; the message names the kind and field."""


# field -> (type, required). "num" = int or float, "id" = short text id, "text" = short text.
_SESSION = {"session_id": ("id", False)}
KINDS: dict[str, dict[str, tuple[str, bool]]] = {
    "session_start": {"session_id": ("id", True), "lang": ("id", False), "trigger": ("id", False)},
    "session_end": {"session_id": ("id", True), "duration_s": ("num", True), "reason": ("id", False)},
    "exhibit_view": {"exhibit_id": ("id", True), "hall_id": ("id", False), "dwell_s": ("num", True), **_SESSION},
    "narration_played": {"exhibit_id": ("id", True), "lang": ("id", False), "duration_s": ("num", False),
                         "completed": ("bool", False), **_SESSION},
    "route_started": {"route_id": ("id", True), **_SESSION},
    "route_stop": {"route_id": ("id", True), "stop_index": ("int", True), "exhibit_id": ("id", False), **_SESSION},
    "route_completed": {"route_id": ("id", True), "duration_s": ("num", False), **_SESSION},
    "quiz_round": {"quiz_id": ("id", True), "score": ("num", True), "max_score": ("num", False),
                   "correct": ("int", False), "questions": ("int", False), "time_s": ("num", True),
                   "pk_result": ("pk", False), "nickname": ("nick", False), **_SESSION},
    "search": {"query_length": ("int", True), "results": ("int", False), "lang": ("id", False), **_SESSION},
    "camera_count": {"interval_s": ("num", True), "in": ("int", True), "out": ("int", True),
                     "visitors": ("int", True), "camera_id": ("id", False)},
}
PK_RESULTS = ("win", "lose", "draw")
# Fields that would hold personal data; refused whatever the kind, with a clear reason.
PERSONAL_FIELDS = {"name", "real_name", "phone", "mobile", "email", "id_card", "idcard", "address", "face",
                   "image", "photo", "picture", "frame", "query", "text", "ip", "mac", "wechat", "birthday",
                   "age", "gender"}
_ID_RE = re.compile(r"^[A-Za-z0-9_.:@/-]{1,128}$")
NICKNAME_MAX = 32
_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def utc_now_iso() -> str:
    """The current UTC time as the events' timestamp text (`2026-11-21T05:03:12.123Z`)."""
    return to_iso(datetime.now(timezone.utc))


def to_iso(dt: datetime) -> str:
    """A datetime as UTC timestamp text with milliseconds and a `Z`."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_ts(text: Any, where: str = "ts") -> datetime:
    """Parse an event timestamp (ISO 8601 with a zone); raise EventError naming `where`."""
    if not isinstance(text, str):
        raise EventError(f"{where}: expected an ISO 8601 UTC timestamp, got {text!r}")
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise EventError(f"{where}: not an ISO 8601 timestamp: {text!r}") from None
    if dt.tzinfo is None:
        raise EventError(f"{where}: timestamp has no time zone: {text!r}")
    return dt.astimezone(timezone.utc)


def validate(kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Check one event's kind and fields; return the data as a plain dict or raise EventError."""
    if kind not in KINDS:
        raise EventError(f"unknown event kind {kind!r} (known: {', '.join(KINDS)})")
    if not isinstance(data, Mapping):
        raise EventError(f"{kind}: data must be an object, got {type(data).__name__}")
    spec = KINDS[kind]
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in PERSONAL_FIELDS or key.lower() in PERSONAL_FIELDS:
            raise EventError(f"{kind}.{key}: personal data is never logged")
        if key not in spec:
            raise EventError(f"{kind}.{key}: unknown field (allowed: {', '.join(spec)})")
        if value is None and not spec[key][1]:
            continue
        out[key] = _check_value(kind, key, spec[key][0], value)
    missing = [k for k, (_, req) in spec.items() if req and k not in out]
    if missing:
        raise EventError(f"{kind}: missing field {', '.join(missing)}")
    return out


def _check_value(kind: str, key: str, typ: str, value: Any) -> Any:
    where = f"{kind}.{key}"
    if typ in ("num", "int"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise EventError(f"{where}: expected a number, got {value!r}")
        if typ == "int" and not (isinstance(value, int) or float(value).is_integer()):
            raise EventError(f"{where}: expected a whole number, got {value!r}")
        if not math.isfinite(value) or value < 0:
            raise EventError(f"{where}: expected a finite number ≥ 0, got {value!r}")
        return int(value) if typ == "int" else value
    if typ == "bool":
        if not isinstance(value, bool):
            raise EventError(f"{where}: expected true or false, got {value!r}")
        return value
    if typ == "pk":
        if value not in PK_RESULTS:
            raise EventError(f"{where}: expected one of {', '.join(PK_RESULTS)}, got {value!r}")
        return value
    if typ == "nick":
        if not isinstance(value, str) or not value.strip() or len(value) > NICKNAME_MAX:
            raise EventError(f"{where}: expected a nickname of 1 to {NICKNAME_MAX} characters")
        return value
    if not isinstance(value, str) or not _ID_RE.match(value):
        raise EventError(f"{where}: expected a short id (letters, digits, _.:@/-), got {value!r}")
    return value


def strip_private(kind: str, data: dict[str, Any], sync_nicknames: bool) -> dict[str, Any]:
    """The data as it may leave the terminal: nicknames removed unless the config allows them."""
    if not sync_nicknames and "nickname" in data:
        data = {k: v for k, v in data.items() if k != "nickname"}
    return data


def validate_envelope(ev: Any, where: str) -> dict[str, Any]:
    """Check one event as it travels to the hub (uuid, seq, ts, kind, data, pack); return it."""
    if not isinstance(ev, Mapping):
        raise EventError(f"{where}: expected an object")
    uid = ev.get("uuid")
    if not isinstance(uid, str) or not _UUID_RE.match(uid):
        try:
            uid = str(_uuid.UUID(str(uid)))
        except ValueError:
            raise EventError(f"{where}.uuid: not a UUID: {ev.get('uuid')!r}") from None
    seq = ev.get("seq")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise EventError(f"{where}.seq: expected a whole number ≥ 1, got {seq!r}")
    ts = ev.get("ts")
    parse_ts(ts, f"{where}.ts")
    kind = ev.get("kind")
    if not isinstance(kind, str):
        raise EventError(f"{where}.kind: expected text, got {kind!r}")
    try:
        data = validate(kind, ev.get("data") if ev.get("data") is not None else {})
    except EventError as exc:
        raise EventError(f"{where}: {exc}") from None
    out = {"uuid": uid, "seq": seq, "ts": ts, "kind": kind, "data": data}
    for key in ("pack_id", "pack_version"):
        value = ev.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > 128):
            raise EventError(f"{where}.{key}: expected short text, got {value!r}")
        out[key] = value
    return out
