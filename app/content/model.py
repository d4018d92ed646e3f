"""The content model of a pack: plain, immutable data shared by the loader, the store and the UI.

Localised text (`LText`) is a mapping from language code to text. A pack field written as a plain
string is stored under the pack's default language (the first of `languages`). Use `pick()` to read
it in the visitor's language with a fallback.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Mapping

LText = Mapping[str, str]
HallLevel = Literal["province", "city", "county"]
MediaKind = Literal["image", "video", "audio"]
QuestionType = Literal["single", "multi", "truefalse"]

SUPPORTED_SCHEMA = 1


def pick(text: LText | None, lang: str, fallback: str = "zh") -> str:
    """The text in `lang`, else in `fallback`, else in any language, else ''."""
    if not text:
        return ""
    if lang in text:
        return text[lang]
    if fallback in text:
        return text[fallback]
    return next(iter(text.values()))


@dataclass(frozen=True)
class MediaItem:
    file: str  # path relative to the pack's media/ folder, '/'-separated
    kind: MediaKind
    caption: LText = field(default_factory=dict)


@dataclass(frozen=True)
class Hall:
    id: str
    level: HallLevel
    parent: str | None  # hall id; None only for the province hall
    name: LText
    intro: LText
    map_pos: tuple[float, float] | None = None  # fractions (x, y) of the map image
    address: LText | None = None


@dataclass(frozen=True)
class Exhibit:
    id: str
    hall: str
    title: LText
    summary: LText
    body: LText  # Markdown subset: paragraphs, headings, bold, lists
    period: LText | None = None
    tags: tuple[str, ...] = ()
    media: tuple[MediaItem, ...] = ()
    narration: Mapping[str, str] = field(default_factory=dict)  # lang -> audio file under media/


@dataclass(frozen=True)
class Site:
    """A place outside the hall on a study route."""

    name: LText
    intro: LText
    address: LText | None = None
    map_pos: tuple[float, float] | None = None


@dataclass(frozen=True)
class RouteStop:
    exhibit: str | None = None  # exactly one of exhibit / site is set
    site: Site | None = None


@dataclass(frozen=True)
class Route:
    id: str
    hall: str
    title: LText
    theme: LText
    duration_min: int
    stops: tuple[RouteStop, ...]


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    prompt: LText
    options: tuple[LText, ...]  # for truefalse: the loader fills (True, False) labels
    answer: tuple[int, ...]  # 0-based option indices; exactly one for single and truefalse
    explanation: LText = field(default_factory=dict)
    exhibit: str | None = None


@dataclass(frozen=True)
class Quiz:
    id: str
    title: LText
    questions: tuple[Question, ...]
    time_limit_s: int = 120
    hall: str | None = None
    pick: int | None = None  # random N questions per round; None = all


@dataclass(frozen=True)
class PackInfo:
    schema: int
    id: str
    version: str
    title: LText
    languages: tuple[str, ...]  # first is the default
    publisher: LText
    map: str | None = None  # image under media/
    description: LText = field(default_factory=dict)
    tags: Mapping[str, LText] = field(default_factory=dict)  # tag id -> label

    @property
    def default_language(self) -> str:
        return self.languages[0]


@dataclass(frozen=True)
class Pack:
    root: Path
    info: PackInfo
    halls: tuple[Hall, ...]
    exhibits: tuple[Exhibit, ...]
    routes: tuple[Route, ...]
    quizzes: tuple[Quiz, ...]

    def media_path(self, file: str) -> Path:
        return self.root / "media" / file

    def hall(self, hall_id: str) -> Hall | None:
        return next((h for h in self.halls if h.id == hall_id), None)

    def exhibit(self, exhibit_id: str) -> Exhibit | None:
        return next((e for e in self.exhibits if e.id == exhibit_id), None)
