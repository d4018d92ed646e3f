"""UI strings and the QML module: every qsTr() string has a Chinese translation, every file exists."""
from __future__ import annotations

import re

from app.ui.screens import MODULE_DIR, SCREENS
from app.ui.translator import load_tables

QSTR = re.compile(r'qsTr\("((?:[^"\\]|\\.)*)"\)')


def test_every_qml_string_has_a_chinese_translation() -> None:
    zh = load_tables()["zh"]
    missing = sorted(
        f"{qml.name}: {m}"
        for qml in MODULE_DIR.glob("*.qml")
        for m in QSTR.findall(qml.read_text(encoding="utf-8"))
        if m.replace('\\"', '"') not in zh
    )
    assert not missing, "add these to a table in app/ui/i18n/:\n" + "\n".join(missing)


def test_placeholders_survive_translation() -> None:
    for source, text in load_tables()["zh"].items():
        assert sorted(re.findall(r"%\d", source)) == sorted(re.findall(r"%\d", text)), source


def test_qmldir_and_screen_registry_name_existing_files() -> None:
    for line in (MODULE_DIR / "qmldir").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts and parts[-1].endswith(".qml"):
            assert (MODULE_DIR / parts[-1]).is_file(), line
    for name, qml in SCREENS.items():
        assert (MODULE_DIR / qml).is_file(), f"screen {name}: {qml}"
