"""Visitor sessions cut off by a SIGKILL or a power loss: closed at the next start.

A kiosk that dies in a session leaves its `session_start` without a `session_end`.
`close_interrupted_sessions` finds those sessions and writes, for each, a `session_end` with
`reason="interrupted"` and `duration_s` = the time of the last event stored for the session minus
its start (0 when the start is all there is). The new event is stamped with that same time (the
last moment the session was seen alive, so it counts on the session's own day and hour), carries
the start's pack, a new UUID and the next `seq`, and is undelivered, so it syncs like any other.

The kiosk's `EventLog` runs it on its writer thread before it writes anything else, so no session
is live while it looks. After each run the highest `seq` checked is kept in `sync_state`
(`CHECKPOINT_KEY`): every session started up to there is closed, so the next run only looks at
sessions started since (one index range; a 100k-event log is checked in milliseconds). Without a
checkpoint (a log from before this repair existed) the whole history is checked once. Running it
twice adds nothing: a session counts as closed as soon as any `session_end` with its id follows
its start.

Staff sessions. A session in which hall staff opened admin mode ends, on the normal path, with
`reason="admin"` (`app.ui.events_bridge`), and `app.events.stats.compute_stats` (the terminal's
figures and the hub's) leaves such sessions out of the visitor counts. Admin mode itself is no
visit event (a new kind would make an older hub refuse the whole batch), so the event log's writer
notes it locally, in order with the events: `EventLog.mark_staff(session_id)` keeps
{session id: time admin mode opened} in `sync_state` (`STAFF_KEY`, never synced). A cut-off session
noted there is closed like the normal path closes it, with `reason="admin"`, and its last-seen
time is at least when admin mode opened; the notes are cleared in the same transaction, since at
start-up every session is closed.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from app.events.log import INSERT_SQL, event_row
from app.events.schema import EventError, parse_ts
from app.events.store import conn_of, get_state, set_state

log = logging.getLogger(__name__)

CHECKPOINT_KEY = "sessions_closed_through_seq"
REASON = "interrupted"
STAFF_KEY = "staff_sessions_open"  # {session id: ts admin mode opened} for sessions not yet ended
STAFF_REASON = "admin"  # what the normal path writes for a staff session (app.ui.events_bridge)
STAFF_KEEP = 100  # notes kept at most between two starts (oldest dropped)


@dataclass(frozen=True)
class OpenSession:
    """A `session_start` with no `session_end` after it."""

    seq: int
    session_id: str
    started: str  # ts of the start
    last_seen: str  # ts of the last event stored for the session (the start's when none)
    pack_id: str | None
    pack_version: str | None
    staff_since: str | None = None  # when admin mode opened in the session (None: a visitor session)

    @property
    def reason(self) -> str:
        """The `session_end` reason the closer writes: "admin" for a staff session, else "interrupted"."""
        return STAFF_REASON if self.staff_since is not None else REASON

    @property
    def duration_s(self) -> float:
        """Seconds from the start to the last stored event; never negative (clock set back)."""
        try:
            d = (parse_ts(self.last_seen) - parse_ts(self.started)).total_seconds()
        except EventError:
            return 0.0
        return round(max(0.0, d), 1)


def find_open_sessions(db: Any, after_seq: int = 0) -> list[OpenSession]:
    """Sessions started after `after_seq` that have no `session_end`, in start order."""
    conn = conn_of(db)
    starts = [(seq, ts, json.loads(data).get("session_id"), pack_id, pack_version)
              for seq, ts, data, pack_id, pack_version in conn.execute(
                  "SELECT seq, ts, data, pack_id, pack_version FROM visit_events "
                  "WHERE kind = 'session_start' AND seq > ? ORDER BY seq", (after_seq,))]
    starts = [s for s in starts if isinstance(s[2], str) and s[2]]
    if not starts:
        return []
    first = starts[0][0]
    ended: dict[str, int] = {}  # session id -> seq of its last session_end
    for seq, sid in conn.execute("SELECT seq, json_extract(data, '$.session_id') FROM visit_events "
                                 "WHERE kind = 'session_end' AND seq > ?", (first,)):
        if isinstance(sid, str) and seq > ended.get(sid, 0):
            ended[sid] = seq
    open_ = [s for s in starts if ended.get(s[2], 0) < s[0]]
    if not open_:
        return []
    ids = json.dumps(sorted({s[2] for s in open_}))
    last: dict[str, str] = {}  # session id -> ts of its event with the highest seq
    for sid, _seq, ts in conn.execute(  # SQLite: a bare column next to max() comes from that row
            "SELECT json_extract(data, '$.session_id') AS sid, max(seq), ts FROM visit_events "
            "WHERE seq >= ? AND sid IN (SELECT value FROM json_each(?)) GROUP BY sid", (open_[0][0], ids)):
        last[sid] = ts
    staff = staff_notes(db)
    out = []
    for seq, ts, sid, pack_id, pack_version in open_:
        seen, since = last.get(sid, ts), staff.get(sid)
        if since is not None and _later(since, seen):
            seen = since  # admin mode opened after the session's last event: alive until then at least
        out.append(OpenSession(seq, sid, ts, seen, pack_id, pack_version, since))
    return out


def _later(a: str, b: str) -> bool:
    try:
        return parse_ts(a) > parse_ts(b)
    except EventError:
        return False


def staff_notes(db: Any) -> dict[str, str]:
    """{session id: ts} of the sessions noted as having opened admin mode (see `note_staff_session`)."""
    notes = get_state(db, STAFF_KEY, {})
    if not isinstance(notes, dict):
        return {}
    return {k: v for k, v in notes.items() if isinstance(k, str) and isinstance(v, str)}


def note_staff_session(conn: Any, session_id: str, ts: str) -> None:
    """Note that admin mode opened at `ts` in session `session_id`, inside the caller's transaction
    (the event log's writer, right after that session's queued events). Keeps the newest `STAFF_KEEP`."""
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (STAFF_KEY,)).fetchone()
    try:
        notes = json.loads(row[0]) if row else {}
    except ValueError:
        notes = {}
    if not isinstance(notes, dict):
        notes = {}
    notes.pop(session_id, None)
    notes[session_id] = ts
    notes = dict(list(notes.items())[-STAFF_KEEP:])
    conn.execute("INSERT INTO sync_state(key, value) VALUES (?, ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (STAFF_KEY, json.dumps(notes)))


def close_interrupted_sessions(db: Any, terminal_id: str) -> int:
    """Write a `session_end` for every open session; returns how many.

    The reason is "interrupted", or "admin" for a session noted as having opened admin mode (a
    staff session, left out of the visitor figures as on the normal path). Only sessions started
    after the stored checkpoint are looked at; the checkpoint moves to the newest event, and the
    staff notes are cleared, in the same transaction as the new events. Call it only when no
    session is live (at start-up, before the event log writes anything else).
    """
    conn = conn_of(db)
    after = get_state(db, CHECKPOINT_KEY, 0)
    after = after if isinstance(after, int) and not isinstance(after, bool) and after >= 0 else 0
    rows = []
    for s in find_open_sessions(db, after):
        try:
            rows.append(event_row(terminal_id, s.pack_id, s.pack_version, s.last_seen, "session_end",
                                  {"session_id": s.session_id, "duration_s": s.duration_s, "reason": s.reason}))
        except EventError as exc:  # a start written by something else with an odd id: leave it
            log.warning("interrupted session %s not closed: %s", s.session_id, exc)
            continue
        if s.staff_since is not None:
            log.info("session %s was cut off in admin mode (opened %s): closed as a staff session",
                     s.session_id, s.staff_since)
    with conn:
        if rows:
            conn.executemany(INSERT_SQL, rows)
        conn.execute("DELETE FROM sync_state WHERE key = ?", (STAFF_KEY,))
        top = conn.execute("SELECT max(seq) FROM visit_events").fetchone()[0] or 0
        if top != after:
            set_state(db, **{CHECKPOINT_KEY: top})
    return len(rows)
