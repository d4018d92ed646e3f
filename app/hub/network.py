"""The 1+9+N hall tree (province, cities, counties) and the figures rolled up along it."""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date, tzinfo
from pathlib import Path
from typing import Any

import yaml

from app.events.stats import compute_stats, local_tz, utc_bounds
from app.hub.storage import LEVELS, HubError, HubStore

UNASSIGNED = "(unassigned)"
SKEW_WARN_S = 120.0


def import_halls(store: HubStore, path: Path | str) -> int:
    """Load the hall hierarchy from a content pack's halls.yaml (or the pack folder); returns the count."""
    path = Path(path)
    if path.is_dir():
        path = path / "halls.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise HubError(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise HubError(f"{path}: not valid YAML ({exc})") from None
    halls = raw.get("halls") if isinstance(raw, dict) else raw
    if not isinstance(halls, list):
        raise HubError(f"{path.name}:halls: expected a list of halls")
    parsed = []
    for i, h in enumerate(halls):
        where = f"{path.name}:halls[{i}]"
        if not isinstance(h, dict) or not isinstance(h.get("id"), str) or not h["id"]:
            raise HubError(f"{where}.id: expected a hall id")
        level = h.get("level", "county")
        if level not in LEVELS:
            raise HubError(f"{where}.level: expected one of {', '.join(LEVELS)}, got {level!r}")
        name = h.get("name") or h["id"]
        if isinstance(name, dict):
            name = name.get("zh") or next(iter(name.values()), h["id"])
        parsed.append((h["id"], str(name), h.get("parent"), level))
    ids = {p[0] for p in parsed}
    for i, (hid, _, parent, _) in enumerate(parsed):
        if parent is not None and parent not in ids:
            raise HubError(f"{path.name}:halls[{i}].parent: unknown hall {parent!r}")
    for hid, name, parent, level in parsed:
        store.upsert_hall(hid, name=name, parent=parent, level=level)
    return len(parsed)


def network_report(store: HubStore, frm: date | None = None, to: date | None = None,
                   hall: str | None = None, tz: tzinfo | None = None) -> dict[str, Any]:
    """Everything the dashboard and /api/v1/stats show: the hall tree with rolled-up totals, the
    terminals (with clock skew), and the detailed figures of the selected hall's subtree."""
    tz = tz or local_tz()
    lo, hi = utc_bounds(frm, to, tz)
    halls = {h["id"]: h for h in store.halls()}
    terminals = store.terminals()
    for t in terminals:
        if t.hall_id and t.hall_id not in halls:
            halls[t.hall_id] = {"id": t.hall_id, "parent": None, "level": "county", "name": t.hall_id}
    if any(not t.hall_id for t in terminals):
        halls[UNASSIGNED] = {"id": UNASSIGNED, "parent": None, "level": "county", "name": UNASSIGNED}
    children: dict[str | None, list[str]] = defaultdict(list)
    for h in halls.values():
        parent = h["parent"] if h["parent"] in halls else None
        children[parent].append(h["id"])
    order = {lvl: i for i, lvl in enumerate(LEVELS)}
    for kids in children.values():
        kids.sort(key=lambda k: (order.get(halls[k]["level"], 9), halls[k]["name"]))
    term_hall = {t.id: (t.hall_id or UNASSIGNED) for t in terminals}

    # Own figures per hall, from grouped counts (camera counts summed from their data).
    own: dict[str, Counter] = defaultdict(Counter)
    counts = store._q("SELECT terminal_id, kind, count(*) FROM hub_events WHERE 1=1"
                      + (" AND ts >= ?" if lo else "") + (" AND ts < ?" if hi else "")
                      + " GROUP BY terminal_id, kind", [x for x in (lo, hi) if x])
    for tid, kind, n in counts:
        c = own[term_hall.get(tid, UNASSIGNED)]
        c["events"] += n
        c[{"session_start": "sessions", "exhibit_view": "exhibit_views",
           "quiz_round": "quiz_rounds"}.get(kind, "_" + kind)] += n
    for tid, _, _, data in store.rows(lo, hi, kinds=["camera_count"]):
        own[term_hall.get(tid, UNASSIGNED)]["camera_visitors"] += int(json.loads(data).get("visitors", 0))
    for t in terminals:
        own[term_hall[t.id]]["terminals"] += 1
    if UNASSIGNED in own and UNASSIGNED not in halls:
        halls[UNASSIGNED] = {"id": UNASSIGNED, "parent": None, "level": "county", "name": UNASSIGNED}
        children[None].append(UNASSIGNED)

    keys = ("terminals", "sessions", "camera_visitors", "exhibit_views", "quiz_rounds", "events")

    def node(hid: str, depth: int) -> dict[str, Any]:
        kids = [node(k, depth + 1) for k in children.get(hid, [])]
        total = {k: own[hid][k] + sum(c["totals"][k] for c in kids) for k in keys}
        return {**halls[hid], "depth": depth, "own": {k: own[hid][k] for k in keys}, "totals": total,
                "children": kids}

    tree = [node(h, 0) for h in children.get(None, [])]
    network = {k: sum(n["totals"][k] for n in tree) for k in keys}

    selected = None
    if hall:
        if hall not in halls:
            raise HubError(f"hall: unknown hall {hall!r}")
        sub, stack = set(), [hall]
        while stack:
            h = stack.pop()
            sub.add(h)
            stack.extend(children.get(h, []))
        selected = [t for t, h in term_hall.items() if h in sub]
        detail = compute_stats(((ts, k, d) for _, ts, k, d in store.rows(lo, hi, terminals=selected)), frm, to, tz)
    else:
        detail = compute_stats(((ts, k, d) for _, ts, k, d in store.rows(lo, hi)), frm, to, tz)
    return {
        "from": frm.isoformat() if frm else None,
        "to": to.isoformat() if to else None,
        "hall": hall,
        "network": network,
        "tree": tree,
        "terminals": [{"id": t.id, "hall_id": t.hall_id, "last_seen": t.last_seen, "clock_skew_s": t.last_skew_s,
                       "skew_warning": t.last_skew_s is not None and abs(t.last_skew_s) > SKEW_WARN_S,
                       "events": t.events, "max_seq": t.max_seq} for t in terminals],
        "stats": detail,
    }


def flatten(tree: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The tree's nodes in display order (depth-first)."""
    out: list[dict[str, Any]] = []
    for n in tree:
        out.append(n)
        out.extend(flatten(n["children"]))
    return out
