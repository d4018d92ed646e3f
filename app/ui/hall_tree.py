"""The 1+9+N hall tree: order, descendants and map-label placement (plain Python, no Qt)."""
from __future__ import annotations

import re
from typing import Any, Iterable

LEVEL_RANK = {"province": 0, "city": 1, "county": 2}


def tree_order(halls: Iterable[Any]) -> list[tuple[Any, int]]:
    """Halls depth-first from the roots (pack order among siblings) as (hall, depth).

    A hall whose parent is unknown is treated as a root, so no hall is ever dropped.
    """
    halls = list(halls)
    ids = {h.id for h in halls}
    children: dict[str | None, list[Any]] = {}
    for h in halls:
        children.setdefault(h.parent if h.parent in ids else None, []).append(h)
    out: list[tuple[Any, int]] = []
    seen: set[str] = set()

    def walk(parent: str | None, depth: int) -> None:
        for h in children.get(parent, []):
            if h.id not in seen:
                seen.add(h.id)
                out.append((h, depth))
                walk(h.id, depth + 1)

    walk(None, 0)
    for h in halls:  # a cycle in bad data: still list the hall
        if h.id not in seen:
            out.append((h, 0))
    return out


def descendants(halls: Iterable[Any], hall_id: str) -> list[str]:
    """Ids of every hall below `hall_id` (children, their children, …)."""
    by_parent: dict[str, list[str]] = {}
    for h in halls:
        if h.parent:
            by_parent.setdefault(h.parent, []).append(h.id)
    out: list[str] = []
    todo = list(by_parent.get(hall_id, []))
    while todo:
        hid = todo.pop(0)
        if hid not in out and hid != hall_id:
            out.append(hid)
            todo.extend(by_parent.get(hid, []))
    return out


def label_left(pos: tuple[float, float], others: Iterable[tuple[float, float]],
               reach: float = 0.1, band: float = 0.04) -> bool:
    """Put a pin's label on its left when another pin sits just to its right (labels would collide)."""
    x, y = pos
    return any(0 < ox - x < reach and abs(oy - y) < band for ox, oy in others if (ox, oy) != (x, y))


def duration_parts(minutes: int) -> tuple[int, int]:
    """(hours, minutes) of a duration in minutes."""
    minutes = max(0, int(minutes))
    return minutes // 60, minutes % 60


_LEVEL_WORDS = re.compile(r"\s*\b(?:Provincial|City|County)\s+Hall\b|(?:市级|县级|区级)(?:展)?馆")


def short_name(name: str, level: str) -> str:
    """A hall's name for a map label: the level words dropped (the marker shows the level).

    '厦门市级馆' → '厦门', 'Gutian County Hall (Shanghang)' → 'Gutian (Shanghang)'; the province
    hall keeps its full name, and a name that would become empty stays as it is.
    """
    if level == "province":
        return name
    short = re.sub(r"\s{2,}", " ", _LEVEL_WORDS.sub("", name)).strip()
    return short or name
