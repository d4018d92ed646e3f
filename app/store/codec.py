"""JSON-friendly dicts to and from the frozen content dataclasses (LText stays a dict, tuples come back)."""
from __future__ import annotations

from typing import Any, Mapping

from app.content.model import (
    Exhibit,
    Hall,
    LText,
    MediaItem,
    PackInfo,
    Question,
    Quiz,
    Route,
    RouteStop,
    Site,
)


def _lt(text: LText | None) -> dict[str, str] | None:
    return None if text is None else dict(text)


def _pos(value: Any) -> tuple[float, float] | None:
    return None if value is None else (float(value[0]), float(value[1]))


def info_to_dict(info: PackInfo) -> dict[str, Any]:
    return {
        "schema": info.schema,
        "id": info.id,
        "version": info.version,
        "title": _lt(info.title),
        "languages": list(info.languages),
        "publisher": _lt(info.publisher),
        "map": info.map,
        "description": _lt(info.description),
        "tags": {k: dict(v) for k, v in info.tags.items()},
    }


def info_from_dict(d: Mapping[str, Any]) -> PackInfo:
    return PackInfo(
        schema=d["schema"],
        id=d["id"],
        version=d["version"],
        title=d["title"],
        languages=tuple(d["languages"]),
        publisher=d["publisher"],
        map=d.get("map"),
        description=d.get("description") or {},
        tags=d.get("tags") or {},
    )


def hall_to_dict(h: Hall) -> dict[str, Any]:
    return {
        "id": h.id,
        "level": h.level,
        "parent": h.parent,
        "name": _lt(h.name),
        "intro": _lt(h.intro),
        "map_pos": None if h.map_pos is None else list(h.map_pos),
        "address": _lt(h.address),
    }


def hall_from_dict(d: Mapping[str, Any]) -> Hall:
    return Hall(
        id=d["id"],
        level=d["level"],
        parent=d.get("parent"),
        name=d["name"],
        intro=d["intro"],
        map_pos=_pos(d.get("map_pos")),
        address=d.get("address"),
    )


def media_to_dict(m: MediaItem) -> dict[str, Any]:
    return {"file": m.file, "kind": m.kind, "caption": _lt(m.caption)}


def media_from_dict(d: Mapping[str, Any]) -> MediaItem:
    return MediaItem(file=d["file"], kind=d["kind"], caption=d.get("caption") or {})


def exhibit_to_dict(e: Exhibit) -> dict[str, Any]:
    return {
        "id": e.id,
        "hall": e.hall,
        "title": _lt(e.title),
        "summary": _lt(e.summary),
        "body": _lt(e.body),
        "period": _lt(e.period),
        "tags": list(e.tags),
        "media": [media_to_dict(m) for m in e.media],
        "narration": dict(e.narration),
    }


def exhibit_from_dict(d: Mapping[str, Any]) -> Exhibit:
    return Exhibit(
        id=d["id"],
        hall=d["hall"],
        title=d["title"],
        summary=d["summary"],
        body=d["body"],
        period=d.get("period"),
        tags=tuple(d.get("tags") or ()),
        media=tuple(media_from_dict(m) for m in d.get("media") or ()),
        narration=d.get("narration") or {},
    )


def site_to_dict(s: Site) -> dict[str, Any]:
    return {
        "name": _lt(s.name),
        "intro": _lt(s.intro),
        "address": _lt(s.address),
        "map_pos": None if s.map_pos is None else list(s.map_pos),
    }


def site_from_dict(d: Mapping[str, Any]) -> Site:
    return Site(name=d["name"], intro=d["intro"], address=d.get("address"), map_pos=_pos(d.get("map_pos")))


def route_to_dict(r: Route) -> dict[str, Any]:
    return {
        "id": r.id,
        "hall": r.hall,
        "title": _lt(r.title),
        "theme": _lt(r.theme),
        "duration_min": r.duration_min,
        "stops": [
            {"exhibit": s.exhibit, "site": None if s.site is None else site_to_dict(s.site)}
            for s in r.stops
        ],
    }


def route_from_dict(d: Mapping[str, Any]) -> Route:
    return Route(
        id=d["id"],
        hall=d["hall"],
        title=d["title"],
        theme=d["theme"],
        duration_min=d["duration_min"],
        stops=tuple(
            RouteStop(
                exhibit=s.get("exhibit"),
                site=None if s.get("site") is None else site_from_dict(s["site"]),
            )
            for s in d["stops"]
        ),
    )


def question_to_dict(q: Question) -> dict[str, Any]:
    return {
        "id": q.id,
        "type": q.type,
        "prompt": _lt(q.prompt),
        "options": [dict(o) for o in q.options],
        "answer": list(q.answer),
        "explanation": _lt(q.explanation),
        "exhibit": q.exhibit,
    }


def question_from_dict(d: Mapping[str, Any]) -> Question:
    return Question(
        id=d["id"],
        type=d["type"],
        prompt=d["prompt"],
        options=tuple(d["options"]),
        answer=tuple(d["answer"]),
        explanation=d.get("explanation") or {},
        exhibit=d.get("exhibit"),
    )


def quiz_to_dict(q: Quiz) -> dict[str, Any]:
    return {
        "id": q.id,
        "title": _lt(q.title),
        "questions": [question_to_dict(x) for x in q.questions],
        "time_limit_s": q.time_limit_s,
        "hall": q.hall,
        "pick": q.pick,
    }


def quiz_from_dict(d: Mapping[str, Any]) -> Quiz:
    return Quiz(
        id=d["id"],
        title=d["title"],
        questions=tuple(question_from_dict(x) for x in d["questions"]),
        time_limit_s=d.get("time_limit_s", 120),
        hall=d.get("hall"),
        pick=d.get("pick"),
    )
