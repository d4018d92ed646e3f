"""Jobs the DB worker runs for the view-models (plain Python, no Qt).

Each job is `fn(store: StoreContext, ...) -> data` and runs on the worker thread, so it may touch
SQLite and the file system. Jobs return plain data (content dataclasses, dicts, paths) that the
view-models turn into localised strings on the GUI thread.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

HOME_FEATURED = 12
_warned: set[str] = set()


@dataclass
class StoreContext:
    """What the worker opened: the database, the catalog and the pack folder."""

    db: Any
    catalog: Any
    pack_root: Path
    warning: str = ""  # e.g. "pack broken, showing the previously indexed catalog"

    def close(self) -> None:
        conn = getattr(self.db, "conn", None)
        if conn is not None:
            conn.close()


def resolve_media(pack_root: Path, file: str | None) -> str:
    """Absolute path of a pack media file, or '' (logged once) when it is missing or escapes."""
    if not file:
        return ""
    media = (pack_root / "media").resolve()
    path = Path(file)
    path = (path if path.is_absolute() else media / path).resolve()
    if not path.is_relative_to(pack_root.resolve()) or not path.is_file():
        if str(path) not in _warned:
            _warned.add(str(path))
            log.warning("missing media file: %s (showing a placeholder)", path)
        return ""
    return str(path)


@dataclass
class Card:
    """An exhibit card with its thumbnail resolved ('' → placeholder)."""

    id: str
    hall: str
    title: dict
    summary: dict
    period: dict
    tags: tuple[str, ...]
    thumb: str


def _cards(store: StoreContext, cards: list[Any]) -> list[Card]:
    return [
        Card(
            id=c.id,
            hall=c.hall,
            title=dict(c.title or {}),
            summary=dict(c.summary or {}),
            period=dict(c.period or {}),
            tags=tuple(c.tags or ()),
            thumb=resolve_media(store.pack_root, c.thumb),
        )
        for c in cards
    ]


def _first_cards(cat: Any, n: int) -> list[Any]:
    """The first `n` exhibit cards in pack order, without decoding the others."""
    return list(cat.exhibits(limit=n))


@dataclass
class HomeData:
    info: Any  # PackInfo
    halls: list[Any]  # list[Hall]
    featured: list[Card]
    tags: list[tuple[str, dict, int]]  # (tag id, label, exhibit count)
    exhibit_count: int
    attract_images: list[str] = field(default_factory=list)
    warning: str = ""


def home_data(store: StoreContext, featured: int = HOME_FEATURED) -> HomeData:
    """Everything the home screen and the attract slideshow need, in one round trip."""
    cat = store.catalog
    chosen = _cards(store, _first_cards(cat, featured))
    images = [c.thumb for c in chosen if c.thumb]
    info = cat.pack_info()
    if info.map:
        m = resolve_media(store.pack_root, info.map)
        if m:
            images.insert(0, m)
    return HomeData(
        info=info,
        halls=list(cat.halls()),
        featured=chosen,
        tags=list(cat.tags()),
        exhibit_count=cat.exhibit_count(),
        attract_images=images,
        warning=store.warning,
    )


def exhibit_cards(store: StoreContext, hall: str | None = None, tag: str | None = None) -> list[Card]:
    """Cards of a hall's (or a tag's, or all) exhibits."""
    return _cards(store, store.catalog.exhibits(hall=hall or None, tag=tag or None))


@dataclass
class ExhibitData:
    exhibit: Any  # Exhibit
    media: list[tuple[str, str, dict]]  # (kind, absolute path or '', caption)
    related: list[Card]  # exhibits sharing a tag
    routes: list[Any] = field(default_factory=list)  # Route objects with a stop at the exhibit
    questions: list[tuple[str, str]] = field(default_factory=list)  # (quiz id, question id)


def exhibit_detail(store: StoreContext, exhibit_id: str) -> ExhibitData | None:
    """One exhibit with its media resolved and its related exhibits, or None if unknown."""
    ex = store.catalog.exhibit(exhibit_id)
    if ex is None:
        return None
    media = [(m.kind, resolve_media(store.pack_root, m.file), dict(m.caption or {})) for m in ex.media]
    rel = store.catalog.related(exhibit_id)
    return ExhibitData(
        exhibit=ex,
        media=media,
        related=_cards(store, list(rel.exhibits)),
        routes=list(rel.routes),
        questions=list(rel.questions),
    )
