"""UI translation: the i18n tables become a plain C++ QTranslator (.qm in memory), so Qt's own
threads can translate while the GUI thread switches language, without ever needing the GIL."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(120)

ROOT = Path(__file__).resolve().parent.parent


def test_every_table_string_translates_in_any_context_and_unknown_ones_fall_back(qapp) -> None:  # noqa: ANN001
    from PySide6.QtCore import QCoreApplication

    from app.ui.translator import load_tables, table_translator

    zh = load_tables()["zh"]
    tr = table_translator("zh", zh)
    qapp.installTranslator(tr)
    try:
        wrong = {s: QCoreApplication.translate("HomeScreen", s) for s, t in zh.items()
                 if QCoreApplication.translate("HomeScreen", s) != t}
        assert not wrong
        assert QCoreApplication.translate("AnyOtherScreen", "Home") == zh["Home"]
        assert QCoreApplication.translate("HomeScreen", "no such string, 没有") == "no such string, 没有"
    finally:
        qapp.removeTranslator(tr)


SWITCHING = r"""
import sys, threading
sys.path.insert(0, sys.argv[1])
import app.ui  # noqa: F401
from PySide6.QtCore import QCoreApplication
from app.ui.translator import table_translator
qapp = QCoreApplication([])
stop = False

def other_thread():  # what Qt's QML loader thread does for its error strings
    while not stop:
        QCoreApplication.translate("QQmlTypeLoader", "Home")

threading.Thread(target=other_thread, daemon=True).start()
translators = [table_translator("zh", {"Home": "首页"}), table_translator("zh", {"Home": "主页"})]
for i in range(20000):  # language switches on the GUI thread
    qapp.installTranslator(translators[i % 2])
    qapp.removeTranslator(translators[i % 2])
stop = True
print("switched")
"""


def test_switching_language_while_another_thread_translates_never_freezes() -> None:
    """With a Python QTranslator.translate() override this froze within seconds: the other thread
    held Qt's translator lock waiting for the GIL, the GUI thread held the GIL waiting for the lock."""
    out = subprocess.run([sys.executable, "-c", SWITCHING, str(ROOT)], capture_output=True, text=True, timeout=100)
    assert out.returncode == 0 and "switched" in out.stdout, out.stderr[-2000:]
