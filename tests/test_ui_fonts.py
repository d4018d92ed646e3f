"""The kiosk's UI fonts on the Qt side (app/ui/fonts.py over app/fonts.py).

With the built fonts (var/ui-fonts, or $HONGTU_UI_FONTS): Qt knows "Hongtu Sans" (Regular, Bold)
and "Hongtu Serif" (Bold), the App singleton and Theme hand them to QML, they draw the UI's text
exactly as the full Noto CJK did, and a character outside the subset still gets a real glyph from
the full Simplified-Chinese Noto face. Without them (an empty folder, an unreadable file) the kiosk
says so once in the log and uses the full Noto CJK families.

`families()` caches its answer in a module global: every test starts from a reset one
(monkeypatch, restored afterwards). Fonts registered with QFontDatabase stay for the process, so
the fallback tests check what `families()` answers and what QML then draws with, not that the
UI fonts are gone.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from app import fonts

pytestmark = pytest.mark.timeout(60)

# Not in GB 2312, not in the sample pack or the UI's text: not in the subset, in the full Noto CJK
RARE = "踳"  # U+8E33; its Japanese form in Noto CJK is a different glyph from the Chinese one
UI_SAMPLE = "红色记忆 · 福建革命历史展馆 ‹ 返回 ▶ 播放 ★ 第1题／共10题 “长征”（1934年）：？！ Gutian ā á ǎ à"


@pytest.fixture
def fresh(monkeypatch):  # noqa: ANN001, ANN201
    """app.ui.fonts with its cached answer cleared (restored after the test)."""
    from app.ui import fonts as ui_fonts

    monkeypatch.setattr(ui_fonts, "_families", None)
    return ui_fonts


@pytest.fixture
def built(qapp, fresh):  # noqa: ANN001, ANN201
    """The built UI fonts, registered; skipped when this checkout has none."""
    if not fonts.installed():
        pytest.skip(f"UI fonts not built in {fonts.font_dir()} (run `hongtu fonts build`)")
    fam = fresh.families()
    assert fam.built, f"the UI fonts in {fonts.font_dir()} did not register (see the log)"
    return fam


@pytest.fixture
def empty_font_dir(tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    d = tmp_path / "no-ui-fonts"
    d.mkdir()
    monkeypatch.setenv(fonts.FONT_DIR_ENV, str(d))
    return d


def _font(family: str, bold: bool = False, px: int = 32) -> Any:
    from PySide6.QtGui import QFont

    f = QFont(family)
    f.setPixelSize(px)
    f.setBold(bold)
    return f


def _runs(font: Any, text: str) -> dict[tuple[str, int], list[int]]:
    """{(family, weight): glyph indexes} of the glyph runs Qt lays `text` out with."""
    from PySide6.QtGui import QTextLayout

    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    out: dict[tuple[str, int], list[int]] = {}
    for run in layout.glyphRuns():
        raw = run.rawFont()
        out.setdefault((raw.familyName(), raw.weight()), []).extend(run.glyphIndexes())
    return out


def _draw(font: Any, text: str) -> Any:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter

    img = QImage(1400, 60, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.white)
    p = QPainter(img)
    p.setFont(font)
    p.setPen(Qt.GlobalColor.black)
    p.drawText(4, 44, text)
    p.end()
    return img


def _qml_font(qml_font_prop: str) -> tuple[Any, str]:
    """The font a QML Text gets from `Theme.<qml_font_prop>` in a fresh engine (fresh singletons)."""
    from PySide6.QtCore import QUrl
    from PySide6.QtQml import QQmlComponent, QQmlEngine

    from app.ui import context
    from app.ui.screens import QML_DIR
    from app.ui.viewmodels.app_state import App

    app_vm = App()
    old = context._current
    context.set_context(context.UiContext(db=None, app=app_vm, session=None))  # type: ignore[arg-type]
    engine = QQmlEngine()
    engine.addImportPath(str(QML_DIR))
    try:
        comp = QQmlComponent(engine)
        comp.setData(
            b"import QtQuick\nimport Hongtu\nimport Hongtu.Models\n"
            b"Text { text: '\\u7ea2\\u8272'; font.family: Theme." + qml_font_prop.encode()
            + b"; font.bold: true; font.pixelSize: Theme.fontLarge\n"
            b"  property string appFamily: App." + qml_font_prop.encode() + b" }\n",
            QUrl.fromLocalFile(str(Path(QML_DIR) / "FontsTest.qml")))
        obj = comp.create()
        assert obj is not None, comp.errorString()
        result = (obj.property("font"), obj.property("appFamily"))
        obj.deleteLater()
        return result
    finally:
        app_vm.detach_engine()
        engine.deleteLater()
        context.set_context(old)


# ---- with the built fonts -----------------------------------------------------------------------

def test_built_fonts_are_registered_with_their_styles(built) -> None:  # noqa: ANN001
    from PySide6.QtGui import QFontDatabase, QFontInfo

    assert (built.sans, built.serif) == ("Hongtu Sans", "Hongtu Serif")
    families = QFontDatabase.families()
    assert "Hongtu Sans" in families and "Hongtu Serif" in families
    assert {"Regular", "Bold"} <= set(QFontDatabase.styles("Hongtu Sans"))
    assert "Bold" in QFontDatabase.styles("Hongtu Serif")
    assert QFontDatabase.bold("Hongtu Sans", "Bold") and QFontDatabase.bold("Hongtu Serif", "Bold")
    for family, bold, weight in (("Hongtu Sans", False, 400), ("Hongtu Sans", True, 700),
                                 ("Hongtu Serif", True, 700)):
        info = QFontInfo(_font(family, bold))
        assert (info.family(), info.weight()) == (family, weight)


def test_app_and_theme_give_qml_the_ui_fonts(built) -> None:  # noqa: ANN001
    from PySide6.QtGui import QFontInfo, QGuiApplication

    from app.ui.kiosk import qt_application

    qt_application()
    assert QGuiApplication.font().family() == "Hongtu Sans"  # Text items without a family
    for prop, family in (("fontFamily", "Hongtu Sans"), ("titleFamily", "Hongtu Serif")):
        font, app_family = _qml_font(prop)
        assert app_family == family
        assert font.family() == family
        info = QFontInfo(font)
        assert (info.family(), info.bold()) == (family, True), f"Theme.{prop} resolves to {info.family()}"


def test_ui_fonts_draw_the_ui_text_like_the_full_noto(built) -> None:  # noqa: ANN001
    from PySide6.QtGui import QRawFont

    # every character of the pack and the UI that Noto CJK SC has, the subset has
    chars = sorted(fonts.text_chars(fonts.default_text_roots()))
    for ours, full, bold in (("Hongtu Sans", "Noto Sans CJK SC", False), ("Hongtu Sans", "Noto Sans CJK SC", True),
                             ("Hongtu Serif", "Noto Serif CJK SC", True)):
        raw_ours, raw_full = QRawFont.fromFont(_font(ours, bold)), QRawFont.fromFont(_font(full, bold))
        assert raw_ours.familyName() == ours and raw_full.familyName() == full
        lost = [chr(c) for c in chars if raw_full.supportsCharacter(c) and not raw_ours.supportsCharacter(c)]
        assert not lost, f"{ours}{' Bold' if bold else ''} lacks UI/pack characters Noto has: {''.join(lost[:40])}"
        # …and draws them to the same pixels (same outlines, same hinting)
        a, b = _draw(_font(ours, bold), UI_SAMPLE), _draw(_font(full, bold), UI_SAMPLE)
        assert a == b, f"{ours} draws {UI_SAMPLE!r} differently from {full}"


def test_character_outside_the_subset_falls_back_to_the_full_sc_face(built) -> None:  # noqa: ANN001
    from PySide6.QtGui import QRawFont

    code = ord(RARE)
    assert code not in fonts.gb2312()
    for ours, full, bold in (("Hongtu Sans", "Noto Sans CJK SC", False), ("Hongtu Sans", "Noto Sans CJK SC", True),
                             ("Hongtu Serif", "Noto Serif CJK SC", True)):
        assert not QRawFont.fromFont(_font(ours, bold)).supportsCharacter(code), f"{RARE} is in {ours}"
        expected = QRawFont.fromFont(_font(full, bold)).glyphIndexesForString(RARE)
        assert expected and expected[0] != 0, f"{full} has no glyph for {RARE}"
        weight = 700 if bold else 400
        runs = _runs(_font(ours, bold), f"红{RARE}色")
        # the two common hanzi from the subset, the rare one from the Simplified-Chinese face (not
        # fontconfig's first pick, the Japanese one, whose glyph differs), in the same weight
        assert set(runs) == {(ours, weight), (full, weight)}, runs
        assert len(runs[(ours, weight)]) == 2 and 0 not in runs[(ours, weight)], runs
        assert runs[(full, weight)] == [expected[0]], f"{RARE} in {ours}: {runs}"


# ---- without them ---------------------------------------------------------------------------------

def test_no_built_fonts_falls_back_to_noto_and_says_so(qapp, fresh, empty_font_dir, caplog) -> None:  # noqa: ANN001
    from PySide6.QtGui import QFontInfo

    with caplog.at_level(logging.WARNING, logger="app.ui.fonts"):
        fam = fresh.families()
        assert fresh.families() is fam  # cached: said once
    assert (fam.sans, fam.serif, fam.built) == ("Noto Sans CJK SC", "Noto Serif CJK SC", False)
    warnings = [r.getMessage() for r in caplog.records if r.name == "app.ui.fonts"]
    assert len(warnings) == 1 and str(empty_font_dir) in warnings[0] and "hongtu fonts build" in warnings[0]
    for prop, family in (("fontFamily", "Noto Sans CJK SC"), ("titleFamily", "Noto Serif CJK SC")):
        font, app_family = _qml_font(prop)
        assert app_family == family and QFontInfo(font).family() == family


def test_unloadable_font_file_falls_back_to_noto(qapp, fresh, empty_font_dir, caplog) -> None:  # noqa: ANN001
    for spec in fonts.FONTS:
        (empty_font_dir / spec.out).write_bytes(b"not a font")
    (empty_font_dir / fonts.MANIFEST).write_text("{}", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="app.ui.fonts"):
        fam = fresh.families()
    assert (fam.sans, fam.built) == ("Noto Sans CJK SC", False)
    first = empty_font_dir / fonts.FONTS[0].out
    assert any(str(first) in r.getMessage() and "could not load" in r.getMessage() for r in caplog.records)
