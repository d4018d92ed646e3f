"""Run-time UI translation: qsTr() strings looked up in Python string tables.

QML writes its UI strings in English with `qsTr("Home")`. Each module in `app/ui/i18n/` holds a
`STRINGS = {"zh": {"Home": "首页", ...}}` table (one module per feature, so engineers never edit the
same file). `TableTranslator` is a QTranslator that answers from those tables; switching language
installs/removes it and calls `engine.retranslate()`, so every qsTr() binding updates at once.
No .ts/.qm build step: the tables are plain Python, checked by tests for missing entries.
"""
from __future__ import annotations

import importlib
import pkgutil

from PySide6.QtCore import QTranslator

SOURCE_LANGUAGE = "en"


def load_tables() -> dict[str, dict[str, str]]:
    """Merge the STRINGS tables of every module in app.ui.i18n: {lang: {source: text}}."""
    from app.ui import i18n

    merged: dict[str, dict[str, str]] = {}
    for mod in pkgutil.iter_modules(i18n.__path__):
        table = getattr(importlib.import_module(f"app.ui.i18n.{mod.name}"), "STRINGS", {})
        for lang, strings in table.items():
            merged.setdefault(lang, {}).update(strings)
    return merged


class TableTranslator(QTranslator):
    """Translates qsTr() source strings into one language from a {source: text} table."""

    def __init__(self, language: str, table: dict[str, str]) -> None:
        super().__init__()
        self.lang = language
        self._table = table

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: D401, ANN001
        if source is None:
            return None
        return self._table.get(source)

    def isEmpty(self) -> bool:  # noqa: N802
        return not self._table

    def language(self) -> str:
        return self.lang
