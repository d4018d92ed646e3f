"""Registers the kiosk's UI fonts (app/fonts.py) with Qt and says which families the QML uses."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from app import fonts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Families:
    sans: str
    serif: str
    built: bool  # the cut-down UI fonts are in use (False: the full system Noto CJK)


_families: Families | None = None


def families() -> Families:
    """The families the UI draws with (registering the UI fonts on first call; needs a QGuiApplication)."""
    global _families
    if _families is None:
        _families = _register()
    return _families


def _register() -> Families:
    from PySide6.QtGui import QFont, QFontDatabase

    paths = fonts.installed()
    if not paths:
        log.warning("UI fonts not built in %s (run `hongtu fonts build`): using the full system Noto CJK, "
                    "which costs more memory", fonts.font_dir())
        return Families(fonts.FALLBACK_SANS, fonts.FALLBACK_SERIF, False)
    for path in paths:
        if QFontDatabase.addApplicationFont(str(path)) < 0:
            log.warning("%s: Qt could not load this UI font: using the full system Noto CJK", path)
            return Families(fonts.FALLBACK_SANS, fonts.FALLBACK_SERIF, False)
    # A character outside the subset falls back glyph by glyph. Left to fontconfig (no locale on a
    # kiosk) that is Noto CJK's *Japanese* face, whose forms differ from the Simplified Chinese ones
    # for some hanzi; the substitutes make Qt try the full SC faces first (same file, same cost).
    QFont.insertSubstitutions(fonts.SANS_FAMILY, [fonts.FALLBACK_SANS])
    QFont.insertSubstitutions(fonts.SERIF_FAMILY, [fonts.FALLBACK_SERIF, fonts.FALLBACK_SANS])
    return Families(fonts.SANS_FAMILY, fonts.SERIF_FAMILY, True)
