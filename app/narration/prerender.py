"""Pre-rendering a pack: every exhibit and every route stop, in every language, into the cache."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence

from app.content.model import Pack
from app.narration.errors import NarrationError, NothingToNarrate
from app.narration.service import Narration, NarrationService

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrerenderItem:
    """One narration of a pack: what it is (for messages) and how to produce it."""

    label: str  # 'exhibit gutian-meeting [zh]', 'route r1 stop 3 [en]'
    lang: str
    make: Callable[[], Narration]


@dataclass
class PrerenderReport:
    rendered: int = 0  # synthesised now
    cached: int = 0  # already in the cache
    recorded: int = 0  # the pack's own recording is used
    empty: int = 0  # nothing to narrate
    audio_s: float = 0.0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)  # 'label: reason'

    @property
    def total(self) -> int:
        return self.rendered + self.cached + self.recorded + self.empty + len(self.failures)


def pack_items(service: NarrationService, pack: Pack, langs: Sequence[str] | None = None) -> Iterator[PrerenderItem]:
    """Every exhibit, then every route stop outside the hall, in each language of the pack."""
    languages = [lang for lang in pack.info.languages if not langs or lang in langs]
    for lang in languages:
        for ex in pack.exhibits:
            yield PrerenderItem(f"exhibit {ex.id} [{lang}]", lang, lambda ex=ex, lang=lang: service.prepare_exhibit(pack, ex, lang))
        for route in pack.routes:
            for i, stop in enumerate(route.stops, 1):
                if stop.site is not None:
                    yield PrerenderItem(f"route {route.id} stop {i} [{lang}]", lang,
                                        lambda site=stop.site, lang=lang: service.prepare_site(site, lang))
                # a stop at an exhibit plays that exhibit's narration, rendered above


def prerender_pack(service: NarrationService, pack: Pack, langs: Sequence[str] | None = None,
                   progress: Callable[[int, int, PrerenderItem, str], None] | None = None) -> PrerenderReport:
    """Render every narration of `pack` into the cache; failures are collected, not raised."""
    items = list(pack_items(service, pack, langs))
    report = PrerenderReport()
    start = time.perf_counter()
    unavailable: dict[str, str] = {}
    for n, item in enumerate(items, 1):
        outcome = ""
        if item.lang in unavailable:
            report.failures.append(f"{item.label}: {unavailable[item.lang]}")
            outcome = "failed"
        else:
            try:
                narration = item.make()
            except NothingToNarrate:
                report.empty += 1
                outcome = "nothing to narrate"
            except NarrationError as exc:
                report.failures.append(f"{item.label}: {exc}")
                outcome = "failed"
                reason = service.available(item.lang)
                if not reason:
                    unavailable[item.lang] = reason.reason
            else:
                report.audio_s += narration.duration_s
                if narration.source == "recorded":
                    report.recorded += 1
                elif narration.source == "cache":
                    report.cached += 1
                else:
                    report.rendered += 1
                outcome = {"recorded": "recording", "cache": "cached"}.get(narration.source, "rendered") + f" {narration.duration_s:.1f} s"
        if progress:
            progress(n, len(items), item, outcome)
    report.seconds = time.perf_counter() - start
    return report
