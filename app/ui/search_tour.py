"""Tour steps for search (with the on-screen keyboard), browse by theme, exhibit video and the
full-screen picture viewer. Listed in `app.ui.tour.TOUR_MODULES`."""
from __future__ import annotations

from typing import Any

from app.ui.tour import TourDriver, TourError, tour_step

# what a visitor types in each language: pinyin syllables and the characters picked for them
_TYPED = {
    "zh": [("hong", "红"), ("chuan", "船")],
    "en": [("gutian", "")],
}
_RESULTS_QUERY = {"zh": "古田", "en": "Gutian"}
_NO_MATCH_QUERY = {"zh": "火星基地", "en": "moon base"}


def call(obj: Any, method: str, *args: Any) -> Any:
    """Invoke a QML function of `obj`; a JS array/object comes back as a Python value."""
    from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QMetaObject

    result = QMetaObject.invokeMethod(obj, method, Q_RETURN_ARG("QVariant"), *[Q_ARG("QVariant", a) for a in args])
    return result.toVariant() if hasattr(result, "toVariant") else result


def find_item(root: Any, object_name: str) -> Any:
    """The first visual descendant of `root` named `object_name` (delegates included), or None."""
    stack = [root]
    while stack:
        node = stack.pop(0)
        if node.objectName() == object_name:
            return node
        stack.extend(node.childItems())
    return None


_screen_ref: Any = None


def item(d: TourDriver, object_name: str) -> Any:
    """An item of the current screen by objectName (popped screens may linger until deleted)."""
    from PySide6.QtCore import QObject

    global _screen_ref
    screen = _screen_ref = d.current_screen()  # shiboken invalidates children of a dropped wrapper
    found = find_item(screen, object_name) if screen is not None else None
    if found is None and screen is not None:  # not an item (a Popup, a model)
        found = screen.findChild(QObject, object_name)
    if found is None:
        raise TourError(f"no QML item named {object_name!r} on screen {d.app.property('currentScreen')!r}")
    return found


def open_keyboard(d: TourDriver) -> Any:
    """Focus the search field (the keyboard slides up); returns the KeyboardPanel.

    Main.qml loads the panel asynchronously, so on a busy machine it may not exist yet when the
    field takes focus: it comes up once loaded (KeyboardPanel.showForFocusedField). Returns once
    keys can be typed (`ready`: the layout and its input method have loaded too)."""
    item(d, "searchField").forceActiveFocus()

    def ready() -> bool:
        keyboard = d.find("keyboardPanel")
        return keyboard is not None and bool(keyboard.property("ready"))  # up, and its layout loaded

    if not d.wait(ready, 15):
        keyboard = d.find("keyboardPanel")
        state = ("the panel was not loaded" if keyboard is None
                 else "its layout or input method did not load" if keyboard.property("open")
                 else "the panel stayed closed")
        raise TourError(f"the on-screen keyboard did not open for the search field ({state})")
    d.settle()
    return d.find("keyboardPanel")


def type_on_keyboard(d: TourDriver, keyboard: Any, keys: str, pick: str = "") -> None:
    """Press `keys` on the on-screen keyboard, then commit the candidate `pick` (pinyin)."""
    call(keyboard, "typeKeys", keys)
    d.settle()
    if pick and not call(keyboard, "selectCandidate", pick):
        offered = call(keyboard, "candidates") or []
        raise TourError(f"pinyin {keys!r} did not offer {pick!r} (offered {', '.join(offered[:10])})")
    d.settle()


def wait_for_search(d: TourDriver) -> None:
    model = item(d, "searchModel")
    field = item(d, "searchField")

    def answered() -> bool:
        typed = (field.property("text") or "").strip()
        return model.property("shownQuery") == typed and model.property("state") != "searching"

    if not d.wait(answered, 10):
        raise TourError("the search did not answer within 10 s")
    d.settle()


def search_for(d: TourDriver, text: str) -> None:
    """Type `text` into the search field directly (what a tapped suggestion does)."""
    call(d.current_screen(), "runSuggestion", text)
    wait_for_search(d)


def _exhibit_with(store: Any, kind: str) -> str:
    """The exhibit with the most media of `kind` (the first exhibit if none has any)."""
    cards = store.catalog.exhibits()
    if not cards:
        raise TourError("the pack has no exhibits")
    return max(cards, key=lambda c: sum(1 for m in store.catalog.exhibit(c.id).media if m.kind == kind)).id


def _exhibit_with_links(store: Any) -> str:
    cards = store.catalog.exhibits()
    if not cards:
        raise TourError("the pack has no exhibits")

    def links(card: Any) -> int:
        rel = store.catalog.related(card.id)
        return len(rel.routes) + len(rel.questions)

    return max(cards, key=links).id


@tour_step("search-empty")
def _search_empty(d: TourDriver) -> None:
    d.go("search")


@tour_step("search-typing-keyboard")
def _search_typing(d: TourDriver) -> None:
    d.go("search")
    keyboard = open_keyboard(d)
    steps = _TYPED.get(d.app.property("language"), _TYPED["en"])
    for keys, pick in steps[:-1]:
        type_on_keyboard(d, keyboard, keys, pick)
    call(keyboard, "typeKeys", steps[-1][0])  # the last syllable stays composing: candidates show
    wait_for_search(d)


@tour_step("search-results")
def _search_results(d: TourDriver) -> None:
    d.go("search")
    search_for(d, _RESULTS_QUERY.get(d.app.property("language"), "Gutian"))


@tour_step("search-no-match")
def _search_none(d: TourDriver) -> None:
    d.go("search")
    search_for(d, _NO_MATCH_QUERY.get(d.app.property("language"), "moon base"))


@tour_step("exhibit-video")
def _exhibit_video(d: TourDriver) -> None:
    d.go("exhibit", exhibitId=d.query(lambda s: _exhibit_with(s, "video")))


@tour_step("exhibit-links")
def _exhibit_links(d: TourDriver) -> None:
    d.go("exhibit", exhibitId=d.query(_exhibit_with_links))
    d.settle()
    text = item(d, "exhibitText")
    if text is not None:
        text.setProperty("contentY", max(0, text.property("contentHeight") - text.property("height")))
    d.settle()


def _open_viewer(d: TourDriver, index: int) -> Any:
    d.go("exhibit", exhibitId=d.query(lambda s: _exhibit_with(s, "image")))
    viewer = item(d, "imageViewer")
    call(viewer, "show", index)  # clamps to the pictures there are
    d.settle()
    return viewer


@tour_step("image-viewer")
def _image_viewer(d: TourDriver) -> None:
    _open_viewer(d, 1)


@tour_step("image-viewer-zoomed")
def _image_viewer_zoomed(d: TourDriver) -> None:
    from PySide6.QtCore import QPointF

    _open_viewer(d, 1)
    view = item(d, "imageViewerList")
    page = view.property("currentItem")
    if page is not None:
        call(page, "zoomAt", 2.5, QPointF(page.property("width") * 0.5, page.property("height") * 0.45))
    d.settle()
