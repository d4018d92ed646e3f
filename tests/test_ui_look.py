"""The visitor screens' look, checked on the live item tree: every screen the visitor reaches, at
1280×800 in zh and en (and large text for several), reached with the screenshot tour's own steps
(`app.ui.tour`, one kiosk for all of them).

On each screen, over the visible items that are not hidden under an overlay:
- every enabled touch target (MouseArea, a TapHandler's item, AbstractButton: BigButton, Chip, the
  cards and tappable delegates) is at least 48×48 px and lies inside the window;
- no two touch targets overlap;
- no Text is cut or spills: a Text without elide must fit its box; its glyphs must lie inside the
  button or filled Rectangle it is drawn on, inside the window, and inside every clipping ancestor
  up to the nearest scrolling view (a Flickable cuts its content on purpose, along the directions
  it scrolls);
- the attract loop shows its picture as it is (nothing dims the map's legend) and its title sits
  on an opaque band (the map's hall labels do not show through); the sample map's legend text
  keeps a WCAG contrast of at least 4.5:1 in the screenshot.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.timeout(180)

REPO = Path(__file__).resolve().parents[1]
SAMPLE_PACK = REPO / "exhibits" / "fujian-red-map"
SIZE = (1280, 800)
MIN_TARGET = 48.0
EPS = 1.0  # px of rounding allowed in every comparison
ELIDE_NONE = 3  # Qt::ElideNone

# tour steps (app.ui.tour and the modules in TOUR_MODULES) that show each visitor screen
VISITOR_STEPS = [
    "attract", "home", "home-halls", "home-bottom", "hall-city", "exhibits-all", "exhibit",
    "exhibit-video", "map", "map-hall", "map-zoomed", "routes", "route", "route-step-site",
    "route-step-exhibit", "quiz-list", "quiz-question", "quiz-feedback", "quiz-result", "quiz-pk",
    "quiz-pk-winner", "quiz-leaderboard", "search-typing-keyboard", "search-results", "countdown",
]
LARGE_TEXT_STEPS = ["home", "hall-city", "exhibit", "map-hall", "route", "quiz-question", "quiz-pk",
                    "search-typing-keyboard"]

# Items left out of the touch-target rules, by objectName, each for a reason. They still cover
# what lies under them: a target or text hidden beneath one is not checked.
NOT_TARGETS: dict[str, str] = {
    # the attract loop: the whole screen is the button ("touch anywhere to begin")
    "attractTapAnywhere": "full-screen tap-anywhere area of the attract loop",
    # "Still there?": the whole window continues the session, its Continue button is checked
    "countdownTapAnywhere": "full-screen tap-anywhere area of the countdown overlay",
    # the band behind the on-screen keyboard only swallows taps beside the keys
    "keyboardBandBlocker": "keeps taps beside the on-screen keyboard from reaching the screen",
    # the map canvas pans/zooms and a tap on empty map clears the selection; its pins sit on it
    # and take the tap first (they are checked)
    "mapTapArea": "tap on empty map clears the selection (pins above it are checked)",
    # a gallery picture opens the full-screen viewer; its ‹ › ⤢ buttons lie on it and take their
    # taps first (they are checked)
    "galleryPage": "tap on the picture opens the viewer (its buttons above it are checked)",
    # the exhibit's video: a tap on the picture shows its controls, which lie on it (checked)
    "exhibitVideo": "tap on the video shows its controls (the controls above it are checked)",
}
# Item trees that are not ours to lay out, left out whole (they still cover what lies under them)
NOT_OURS: dict[str, str] = {
    # Qt Virtual Keyboard: its style draws the keys, and a few full-size input areas take the touches
    "inputPanel": "Qt Virtual Keyboard's own items (keys are drawn by its style, not items)",
}


@dataclass
class Problem:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


# ---- the item tree ------------------------------------------------------------------------------

def _describe(item: Any) -> str:
    """Class, objectName, text and QML file of an item, to find it in the source."""
    from PySide6.QtQml import QQmlEngine

    cls = item.metaObject().className().split("_QML")[0]
    parts = [cls]
    if item.objectName():
        parts.append(f"#{item.objectName()}")
    text = item.property("text")
    if isinstance(text, str) and text:
        parts.append(repr(text[:40]))
    ctx = QQmlEngine.contextForObject(item)
    if ctx is not None and ctx.baseUrl().fileName():
        parts.append(f"({ctx.baseUrl().fileName()})")
    else:  # a component's inner item: name the nearest ancestor that has a QML file or name
        p = item.parentItem()
        while p is not None:
            c = QQmlEngine.contextForObject(p)
            if p.objectName() or (c is not None and c.baseUrl().fileName()):
                parts.append(f"in {_describe(p)}")
                break
            p = p.parentItem()
    return " ".join(parts)


@dataclass
class Node:
    item: Any
    rect: Any  # QRectF in window coordinates
    visible_rect: Any  # rect cut by every clipping ancestor (empty when scrolled out), not by the window
    design_rect: Any  # rect cut by the clipping ancestors below the nearest Flickable
    local_clip: Any  # what those ancestors let show
    in_flickable: bool
    order: tuple  # paint order: (z, index) per level from the window's root
    ancestors: frozenset  # ids of the ancestor items


def _walk(window: Any) -> list[Node]:
    """Every effectively visible, not fully transparent item, with its window geometry."""
    from PySide6.QtCore import QRectF

    endless = QRectF(-1e6, -1e6, 2e6, 2e6)
    out: list[Node] = []
    # (item, clip, clip since the nearest Flickable, in a Flickable, order, ancestor ids, opacity)
    todo = [(window.contentItem(), endless, endless, False, (), frozenset(), 1.0)]
    while todo:
        item, clip, local, in_flick, order, anc, opacity = todo.pop()
        if not item.isVisible():
            continue
        opacity *= item.opacity()
        if opacity < 0.02:
            continue
        rect = item.mapRectToScene(QRectF(0, 0, item.width(), item.height()))
        out.append(Node(item, rect, rect.intersected(clip), rect.intersected(local), local, in_flick, order, anc))
        if item.inherits("QQuickFlickable"):
            clip = clip.intersected(rect)  # a Flickable clips (or should): what scrolls out is gone
            # it may cut its content only along the directions it scrolls
            h = item.property("contentWidth") > item.width() + EPS
            v = item.property("contentHeight") > item.height() + EPS
            local = QRectF(endless.x() if h else rect.x(), endless.y() if v else rect.y(),
                           endless.width() if h else rect.width(), endless.height() if v else rect.height())
            in_flick = True
        elif item.clip():
            clip, local = clip.intersected(rect), local.intersected(rect)
        kids = item.childItems()
        ranked = sorted(range(len(kids)), key=lambda i: kids[i].z())
        for rank, i in enumerate(ranked):
            todo.append((kids[i], clip, local, in_flick, order + (rank,), anc | {id(item)}, opacity))
    return out


def _is_target(item: Any) -> bool:
    # MouseArea and PinchArea have an `enabled` of their own beside QQuickItem's
    if not item.isEnabled() or not item.property("enabled"):
        return False
    if item.inherits("QQuickMouseArea") or item.inherits("QQuickAbstractButton"):
        return True
    for child in item.children():
        if child.inherits("QQuickTapHandler") and child.property("enabled"):
            return True
    return False


def _area(r: Any) -> float:
    return max(0.0, r.width()) * max(0.0, r.height())


def _inside(inner: Any, outer: Any) -> bool:
    return (inner.left() >= outer.left() - EPS and inner.top() >= outer.top() - EPS
            and inner.right() <= outer.right() + EPS and inner.bottom() <= outer.bottom() + EPS)


def _overlap(a: Any, b: Any) -> bool:
    r = a.intersected(b)
    return r.width() > EPS and r.height() > EPS


def _text_facts(item: Any) -> tuple[int, int, int, float, float]:
    """elide, horizontalAlignment, verticalAlignment, contentWidth, contentHeight of a Text (PySide
    cannot convert the enums: QML reads them)."""
    from PySide6.QtQml import QQmlEngine, QQmlExpression

    ctx, p = None, item
    while ctx is None and p is not None:  # an item made by compiled QML has no context: borrow one
        ctx, p = QQmlEngine.contextForObject(p), p.parentItem()
    value, undefined = QQmlExpression(ctx, item, "[elide, horizontalAlignment, verticalAlignment, "
                                                 "contentWidth, contentHeight]").evaluate()
    assert not undefined, f"cannot read the Text properties of {_describe(item)}"
    e, ha, va, cw, ch = value.toVariant() if hasattr(value, "toVariant") else value
    return int(e), int(ha), int(va), float(cw), float(ch)


def _text_box(item: Any, ha: int, va: int, cw: float, ch: float) -> Any:
    """Where a Text's glyphs are drawn, in window coordinates (its alignment applied)."""
    from PySide6.QtCore import QRectF

    w, h = item.width(), item.height()
    dx = (w - cw) / 2 if ha & 0x4 else (w - cw if ha & 0x2 else 0.0)  # AlignHCenter / AlignRight
    dy = (h - ch) / 2 if va & 0x80 else (h - ch if va & 0x40 else 0.0)  # AlignVCenter / AlignBottom
    return item.mapRectToScene(QRectF(dx, dy, cw, ch))


def _scene_rect(item: Any) -> Any:
    from PySide6.QtCore import QRectF

    return item.mapRectToScene(QRectF(0, 0, item.width(), item.height()))


def _frame(item: Any) -> Any:
    """What a Text is drawn on: its nearest ancestor that is a button or a filled Rectangle (none
    past a Flickable: scrolling content has its own rule)."""
    p = item.parentItem()
    while p is not None and not p.inherits("QQuickFlickable"):
        if p.inherits("QQuickAbstractButton"):
            return p
        if p.inherits("QQuickRectangle") and p.property("color").alpha() > 0 and p.width() > 0:
            return p
        p = p.parentItem()
    return None


def inspect(window: Any, where: str) -> list[Problem]:
    """The look rules (module docstring) on the window as it is now."""
    from PySide6.QtCore import QRectF

    win = QRectF(0, 0, window.width(), window.height())
    nodes = _walk(window)
    covers = [n for n in nodes if n.item.objectName() in NOT_TARGETS or n.item.objectName() in NOT_OURS]
    foreign = {id(n.item) for n in nodes if n.item.objectName() in NOT_OURS}
    nodes = [n for n in nodes if not (n.ancestors & foreign)]

    def hidden(n: Node) -> Any:
        """The overlay that fully covers `n` (painted above it), else None."""
        for c in covers:
            if id(c.item) not in n.ancestors and c is not n and c.order > n.order and _inside(n.visible_rect, c.visible_rect):
                return c
        return None

    problems: list[Problem] = []
    targets: list[Node] = []
    for n in nodes:
        if n.item.objectName() in NOT_TARGETS or n.item.objectName() in NOT_OURS or not _is_target(n.item) \
                or _area(n.rect) < 1:
            continue
        if _area(n.visible_rect.intersected(win)) < 1 or hidden(n) is not None:
            continue
        targets.append(n)
        d = n.design_rect
        if d.width() < MIN_TARGET - EPS or d.height() < MIN_TARGET - EPS:
            problems.append(Problem(where, f"touch target {_describe(n.item)} is {d.width():.0f}×{d.height():.0f} px (< 48×48)"))
        if not _inside(n.visible_rect, win):
            problems.append(Problem(where, f"touch target {_describe(n.item)} at {_fmt(n.visible_rect)} leaves the window"))
        for c in covers:
            if (c.order > n.order and id(c.item) not in n.ancestors
                    and _overlap(n.visible_rect, c.visible_rect) and not _inside(n.visible_rect, c.visible_rect)):
                problems.append(Problem(where, f"touch target {_describe(n.item)} is partly under {_describe(c.item)}"))

    # overlaps; a target filling its target ancestor (a MouseArea in a tappable tile) is one target
    for i, a in enumerate(targets):
        for b in targets[i + 1:]:
            if not _overlap(a.visible_rect, b.visible_rect):
                continue
            outer, inner = (a, b) if id(a.item) in b.ancestors else (b, a) if id(b.item) in a.ancestors else (None, None)
            if outer is not None and _inside(outer.rect, inner.rect):
                continue
            problems.append(Problem(where, f"touch targets overlap: {_describe(a.item)} at {_fmt(a.visible_rect)} "
                                           f"and {_describe(b.item)} at {_fmt(b.visible_rect)}"))

    for n in nodes:
        item = n.item
        if not item.inherits("QQuickText") or not item.property("text") or _area(n.visible_rect.intersected(win)) < 1:
            continue
        if hidden(n) is not None:
            continue
        elide, ha, va, cw, ch = _text_facts(item)
        if elide == ELIDE_NONE and (cw > item.width() + EPS or ch > item.height() + EPS):
            problems.append(Problem(where, f"text {_describe(item)} needs {cw:.0f}×{ch:.0f} px but has "
                                           f"{item.width():.0f}×{item.height():.0f} (no elide)"))
            continue
        box = _text_box(item, ha, va, cw, ch)
        frame = _frame(item)
        if frame is not None and not _inside(box, _scene_rect(frame)):
            problems.append(Problem(where, f"text {_describe(item)} at {_fmt(box)} spills out of "
                                           f"{_describe(frame)} at {_fmt(_scene_rect(frame))}"))
        elif not _inside(box, n.local_clip):
            problems.append(Problem(where, f"text {_describe(item)} at {_fmt(box)} is cut by a clipping parent "
                                           f"(shows {_fmt(box.intersected(n.local_clip))})"))
        elif not n.in_flickable and not _inside(box, win):
            problems.append(Problem(where, f"text {_describe(item)} at {_fmt(box)} spills out of the window"))
    return problems


def _fmt(r: Any) -> str:
    return f"({r.x():.0f},{r.y():.0f} {r.width():.0f}×{r.height():.0f})"


# ---- contrast -----------------------------------------------------------------------------------

def _luminance(rgb: tuple[int, int, int]) -> float:
    def lin(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = rgb[:3]
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_contrast(image: Any) -> float:
    """Contrast of the text in a region of a picture against its background: the background is
    the median luminance, the ink the 1st or 99th percentile (whichever stands out more), so
    anti-aliased glyph edges and scaling noise do not count."""
    raw = image.convert("RGB").tobytes()
    lum = sorted(_luminance((raw[i], raw[i + 1], raw[i + 2])) for i in range(0, len(raw), 3))
    n = len(lum)
    assert n > 100, "the legend region is empty"
    bg, dark, light = lum[n // 2], lum[n // 100], lum[n - 1 - n // 100]
    return max((light + 0.05) / (bg + 0.05), (bg + 0.05) / (dark + 0.05))


# ---- the run ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def look(qapp, tmp_path_factory) -> dict[str, Any]:  # noqa: ANN001
    """Run the visitor steps through `run_tour` (one kiosk), inspecting each screen before its shot."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from app.config import load_config
    from app.ui import tour

    tmp = tmp_path_factory.mktemp("look")
    cfg = load_config(None, env={"HONGTU_DATA_DIR": str(tmp / "data")})
    for name in tour.TOUR_MODULES:
        __import__(name)
    by_name = {s.name: s for s in tour.TOUR_STEPS}
    missing = [n for n in VISITOR_STEPS + LARGE_TEXT_STEPS if n not in by_name]
    assert not missing, f"tour steps gone: {missing}"
    problems: list[Problem] = []
    seen: list[str] = []
    attract: dict[str, Any] = {}

    def checked(name: str, large: bool) -> tour.TourStep:
        step = by_name[name]

        def run(d: tour.TourDriver) -> None:
            lang = d.app.property("language")  # before the step: the attract loop resets it
            if large:
                d.app.setProperty("largeText", True)
                d.settle()
            step.run(d)
            d.settle()
            # delegates a view let go of are deleted later, by the event loop the tour never runs:
            # delete them now, as a running kiosk would have, so they are not taken for the screen
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            where = f"{name} [{lang}{', large text' if large else ''}]"
            seen.append(where)
            problems.extend(inspect(d.kiosk.window, where))
            if name == "attract":
                attract[lang] = _attract_facts(d)

        return tour.TourStep(name + ("-large" if large else ""), run)

    steps = [checked(n, False) for n in VISITOR_STEPS] + [checked(n, True) for n in LARGE_TEXT_STEPS]
    files = tour.run_tour(cfg, tmp / "shots", pack_path=SAMPLE_PACK, db_path=tmp / "look.db",
                          sizes=[SIZE], steps=steps)
    return {"problems": problems, "seen": seen, "files": files, "attract": attract}


def _attract_facts(d: Any) -> dict[str, Any]:
    """The attract loop's picture and band, in window coordinates."""
    from app.ui.search_tour import find_item

    root = d.find("attract")
    assert root is not None, "the attract loop is not showing"
    slide = find_item(root, "attractSlide0")
    band = find_item(root, "attractBand")
    if slide is None or band is None:
        return {}  # the attract test names what is missing
    from PySide6.QtCore import QRectF

    def scene(item: Any) -> Any:
        return item.mapRectToScene(QRectF(0, 0, item.width(), item.height()))

    return {"slide_opacity": slide.property("opacity"), "slide": scene(slide), "band": scene(band),
            "band_color": band.property("color"), "painted": slide.property("paintedWidth"),
            "painted_h": slide.property("paintedHeight")}


def test_visitor_screens_have_big_separate_targets_and_uncut_text(look: dict[str, Any]) -> None:
    expected = len(VISITOR_STEPS + LARGE_TEXT_STEPS) * 2
    assert len(look["seen"]) == expected == len(look["files"])
    problems = look["problems"]
    assert not problems, f"{len(problems)} look problems:\n" + "\n".join(map(str, problems))


def test_attract_picture_is_undimmed_and_its_legend_is_readable(look: dict[str, Any]) -> None:
    from PIL import Image

    for lang in ("zh", "en"):
        facts = look["attract"][lang]
        assert facts, "the attract loop has no items named attractSlide0 and attractBand"
        # the picture is drawn as it is: a dimmed picture halves the contrast of its legend
        assert facts["slide_opacity"] == pytest.approx(1.0)
        # the title sits on an opaque band that the picture does not reach
        assert facts["band_color"].alpha() == 255
        assert facts["slide"].bottom() <= facts["band"].top() + EPS
        # the sample map's legend (top right of the picture, ~x 72–98%, y 22–40%) in the screenshot
        shot = next(f for f in look["files"] if f.name.endswith(f"-{lang}-01-attract.png"))
        s = facts["slide"]
        pw, ph = facts["painted"], facts["painted_h"]
        left, top = s.x() + (s.width() - pw) / 2, s.y() + (s.height() - ph) / 2
        with Image.open(shot) as im:
            legend = im.crop((round(left + pw * 0.72), round(top + ph * 0.22),
                              round(left + pw * 0.98), round(top + ph * 0.40)))
            ratio = text_contrast(legend)
        assert ratio >= 4.5, f"{shot.name}: the map legend's text contrast is {ratio:.2f}:1 (< 4.5:1)"


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast((118, 118, 118), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)


_DEFECTS_QML = b"""
import QtQuick
import QtQuick.Controls.Basic
Window {
    width: 400; height: 300; visible: true
    MouseArea { objectName: "tooSmall"; x: 10; y: 10; width: 40; height: 40 }
    Button { objectName: "left"; x: 100; y: 10; width: 100; height: 60 }
    Button { objectName: "right"; x: 150; y: 40; width: 100; height: 60 }
    MouseArea { objectName: "offWindow"; x: 360; y: 230; width: 80; height: 60 }
    Text { objectName: "tooWide"; x: 10; y: 120; width: 50; text: "a line that is far too long" }
    Rectangle {
        x: 10; y: 200; width: 60; height: 30; color: "white"
        Text { objectName: "spills"; y: 4; text: "spilling out"; font.pixelSize: 20 }
    }
    Item {
        x: 120; y: 200; width: 60; height: 30; clip: true
        Text { objectName: "cut"; y: 12; text: "cut"; font.pixelSize: 24 }
    }
    Button { objectName: "fine"; x: 250; y: 150; width: 60; height: 60; text: "OK" }
    MouseArea { objectName: "attractTapAnywhere"; x: 0; y: 260; width: 30; height: 30 }
}
"""


def test_the_rules_catch_each_kind_of_defect(qapp) -> None:  # noqa: ANN001
    """The checks are not vacuous: a window with one defect of each kind fails each rule once."""
    from PySide6.QtQml import QQmlApplicationEngine
    from PySide6.QtQuick import QQuickWindow  # noqa: F401  (root objects come back as QQuickWindow)

    engine = QQmlApplicationEngine()
    engine.loadData(_DEFECTS_QML)
    window = engine.rootObjects()[0]
    try:
        found = [p.what for p in inspect(window, "defects")]

        def about(name: str) -> list[str]:
            return [w for w in found if f"#{name}" in w]

        assert any("40×40" in w for w in about("tooSmall"))
        assert any("overlap" in w and "#right" in w for w in about("left"))
        assert any("leaves the window" in w for w in about("offWindow"))
        assert any("no elide" in w for w in about("tooWide")), found
        assert any("spills out of" in w for w in about("spills"))
        assert any("clipping parent" in w for w in about("cut"))
        assert not about("fine") and not about("attractTapAnywhere")  # whitelisted by name
        assert len(found) == 6, found
    finally:
        window.close()
        engine.deleteLater()
