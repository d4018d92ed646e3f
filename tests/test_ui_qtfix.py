"""The PySide6 reference-count work-arounds (app/ui/qtfix.py) keep long-running kiosks alive."""
from __future__ import annotations

import sys

import pytest

pytestmark = pytest.mark.timeout(60)


def test_many_emits_and_translations_cannot_free_the_singletons(qapp) -> None:  # noqa: ANN001
    from PySide6.QtCore import QCoreApplication, QObject, Signal

    from app.ui.translator import table_translator

    class Emitter(QObject):
        ping = Signal()

    e = Emitter()
    tr = table_translator("zh", {"Home": "首页"})
    qapp.installTranslator(tr)
    try:
        before = sys.getrefcount(True), sys.getrefcount(None)
        # more calls than the singletons' natural reference counts: without the pin, this aborts
        n = max(before[0], before[1]) + 10_000 if sys.getrefcount(True) < 1 << 30 else 20_000
        for _ in range(min(n, 200_000)):
            e.ping.emit()
            assert QCoreApplication.translate("HeaderBar", "Home") == "首页"
        assert sys.getrefcount(True) > 1 << 30 and sys.getrefcount(None) > 1 << 30
    finally:
        qapp.removeTranslator(tr)
