"""Run-time UI translation: qsTr() strings looked up in Python string tables.

QML writes its UI strings in English with `qsTr("Home")`. Each module in `app/ui/i18n/` holds a
`STRINGS = {"zh": {"Home": "首页", ...}}` table (one module per feature, so engineers never edit the
same file). `table_translator()` turns one language's table into an ordinary Qt `QTranslator` by
writing it in Qt's compiled `.qm` format in memory (`qm_bytes`); switching language installs it
and calls `engine.retranslate()`, so every qsTr() binding updates at once.

Why not a Python `QTranslator.translate()` override: Qt calls translators from its own threads too
(the QML type loader asks for error strings while it holds its locks), and a Python override needs
the GIL there. With the GUI thread holding the GIL while it waits for one of those locks (installing
a translator, loading a screen) the kiosk froze for good — seen in the test suite. A `.qm`
translator is pure C++ and never touches Python. No .ts/.qm build step: the tables are plain
Python, checked by tests for missing entries, compiled at start-up in a few milliseconds.
"""
from __future__ import annotations

import importlib
import pkgutil
import struct

from PySide6.QtCore import QTranslator

SOURCE_LANGUAGE = "en"

# the .qm format (qtbase/src/corelib/kernel/qtranslator.cpp)
_QM_MAGIC = bytes([0x3C, 0xB8, 0x64, 0x18, 0xCA, 0xEF, 0x9C, 0x95, 0xCD, 0x21, 0x1C, 0xBF, 0x60, 0xA1, 0xBD, 0xDD])
_BLOCK_HASHES, _BLOCK_MESSAGES, _BLOCK_LANGUAGE = 0x42, 0x69, 0xA7
_TAG_END, _TAG_TRANSLATION, _TAG_SOURCE = 1, 3, 6


def load_tables() -> dict[str, dict[str, str]]:
    """Merge the STRINGS tables of every module in app.ui.i18n: {lang: {source: text}}."""
    from app.ui import i18n

    merged: dict[str, dict[str, str]] = {}
    for mod in pkgutil.iter_modules(i18n.__path__):
        table = getattr(importlib.import_module(f"app.ui.i18n.{mod.name}"), "STRINGS", {})
        for lang, strings in table.items():
            merged.setdefault(lang, {}).update(strings)
    return merged


def _elf_hash(data: bytes) -> int:
    """Qt's lookup hash of a source text (UTF-8 bytes, no comment)."""
    h = 0
    for byte in data:
        h = ((h << 4) + byte) & 0xFFFFFFFF
        g = h & 0xF0000000
        if g:
            h ^= g >> 24
        h &= ~g & 0xFFFFFFFF
    return h or 1


def _block(tag: int, data: bytes) -> bytes:
    return struct.pack(">BI", tag, len(data)) + data


def qm_bytes(language: str, table: dict[str, str]) -> bytes:
    """`table` ({source: translation}) as a context-free Qt .qm file: every qsTr() context matches."""
    messages = bytearray()
    hashes: list[tuple[int, int]] = []
    for source, text in table.items():
        if not source or text is None:
            continue
        src = source.encode("utf-8")
        hashes.append((_elf_hash(src), len(messages)))
        tr = text.encode("utf-16-be")
        messages += struct.pack(">BI", _TAG_TRANSLATION, len(tr)) + tr
        messages += struct.pack(">BI", _TAG_SOURCE, len(src)) + src
        messages += bytes([_TAG_END])
    hashes.sort()
    offsets = b"".join(struct.pack(">II", h, o) for h, o in hashes)
    return (_QM_MAGIC + _block(_BLOCK_LANGUAGE, language.encode("ascii"))
            + _block(_BLOCK_HASHES, offsets) + _block(_BLOCK_MESSAGES, bytes(messages)))


def table_translator(language: str, table: dict[str, str]) -> QTranslator:
    """A QTranslator answering from `table`; keeps its .qm data alive (Qt does not copy it)."""
    data = qm_bytes(language, table)
    translator = QTranslator()
    if not translator.load(data):
        raise RuntimeError(f"the {language} UI strings could not be loaded as a Qt translation")
    translator._hongtu_qm = data  # type: ignore[attr-defined]  # Qt reads the bytes in place
    return translator
