"""Search screen: debounce, stale answers dropped, Chinese 1-2 character queries over the sample pack,
FTS syntax in visitor input, the search visit event, the pinyin keyboard and the theme browser."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.timeout(90)

SAMPLE = Path(__file__).resolve().parents[1] / "exhibits" / "fujian-red-map"


@pytest.fixture
def kiosk(kiosk_factory, qtbot):  # noqa: ANN001, ANN201
    k = kiosk_factory(SAMPLE)
    qtbot.waitUntil(lambda: k.app.ready, timeout=30000)
    return k


def _texts(item: Any) -> list[str]:  # noqa: ANN401
    """Every Text item's text under `item`."""
    out, todo = [], [item]
    while todo:
        node = todo.pop()
        if node.inherits("QQuickText"):  # not metaObject(): see app/ui/tour.py
            out.append(node.property("text"))
        todo.extend(node.childItems())
    return out


def _rows(model: Any) -> list[dict]:
    return [model.get(i) for i in range(model.rowCount())]


def _result(exhibit_id: str, title: str = "红船精神") -> Any:
    from app.ui.viewmodels.search import SearchResult

    return SearchResult(exhibit_id, {"zh": title}, "…嘉兴南湖的红船…", {"zh": "1921年"}, "", 1.0)


class _FakeSubmit:
    """Stands in for the DB worker: records jobs, the test answers them in any order."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, Any, Any]] = []

    def __call__(self, job: Any, ok: Any, err: Any) -> int:
        self.calls.append((job, ok, err))
        return len(self.calls)


def test_highlight_marks_every_match_case_insensitively_and_escapes_markup() -> None:
    from app.ui.viewmodels.search import HIGHLIGHT_COLOR, highlight

    mark = f'<b><font color="{HIGHLIGHT_COLOR}">'
    assert highlight("红船精神与红船", ["红船"]) == f"{mark}红船</font></b>精神与{mark}红船</font></b>"
    html = highlight("The Gutian <Meeting> & gutian", ["GUTIAN"])
    assert html.count(mark) == 2 and "&lt;Meeting&gt; &amp;" in html
    assert highlight("红色电波", ["红", "红色"]) == f"{mark}红色</font></b>电波"  # longest term wins
    assert highlight("a<b", []) == "a&lt;b" and highlight("", ["x"]) == ""


def test_typing_burst_sends_one_query_after_the_debounce(kiosk, qtbot) -> None:  # noqa: ANN001
    from app.ui.viewmodels.search import DEBOUNCE_MS, SearchModel

    m = SearchModel()
    fake = m.submit = _FakeSubmit()
    for text in ["红", "红船", "红船精"]:
        m.setProperty("query", text)
    assert fake.calls == [] and m.property("state") == "searching"
    qtbot.waitUntil(lambda: len(fake.calls) == 1, timeout=5000)
    qtbot.wait(DEBOUNCE_MS * 2)
    assert len(fake.calls) == 1
    fake.calls[0][1]([])  # the worker answers: nothing found for the last text typed
    assert m.property("state") == "none" and m.property("shownQuery") == "红船精"


def test_an_older_answer_arriving_after_a_newer_one_is_dropped(kiosk) -> None:  # noqa: ANN001
    from app.ui.viewmodels.search import SearchModel

    m = SearchModel()
    fake = m.submit = _FakeSubmit()
    m.searchNow("古")
    m.searchNow("古田")
    assert len(fake.calls) == 2
    (_, old_ok, _), (_, new_ok, _) = fake.calls
    new_ok([_result("gutian-meeting", "古田会议")])
    old_ok([_result("a"), _result("b"), _result("c")])  # slow answer to the older query
    assert [r["exhibitId"] for r in _rows(m)] == ["gutian-meeting"]
    assert m.property("shownQuery") == "古田" and m.property("state") == "results"
    assert _rows(m)[0]["titleHtml"].count("<b>") == 1

    m.searchNow("红")
    m.clear()  # cleared before the answer came: the answer must not bring results back
    fake.calls[-1][1]([_result("red-boat-spirit")])
    assert m.rowCount() == 0 and m.property("state") == "idle"


def _search(m: Any, qtbot: Any, text: str) -> list[dict]:  # noqa: ANN401
    m.searchNow(text)
    qtbot.waitUntil(lambda: m.property("shownQuery") == text.strip() and m.property("state") != "searching",
                    timeout=10000)
    return _rows(m)


def test_chinese_short_queries_find_sample_exhibits_through_the_db_worker(kiosk, qtbot) -> None:  # noqa: ANN001
    from app.ui.viewmodels.search import SearchModel

    m = SearchModel()
    one = _search(m, qtbot, "红")  # one character
    assert m.property("state") == "results" and len(one) >= 10
    assert all(r["thumb"].startswith("file://") for r in one)
    assert any("红" in r["title"] and '<font color="#B3261E">红</font>' in r["titleHtml"] for r in one)

    two = _search(m, qtbot, "红船")  # two characters
    assert two[0]["exhibitId"] == "red-boat-spirit" and two[0]["title"] == "红船精神"
    assert "红船" in two[0]["snippetHtml"] and two[0]["period"] == "1921年"

    assert _search(m, qtbot, "古田")[0]["exhibitId"] == "gutian-meeting"
    assert "red-radio-waves" in [r["exhibitId"] for r in _search(m, qtbot, "5G")]
    assert _search(m, qtbot, "火星基地") == [] and m.property("state") == "none"

    _search(m, qtbot, "古田")
    kiosk.app.setLanguage("en")  # the query runs again: snippets in English where the text matches
    qtbot.waitUntil(lambda: "Gutian" in _rows(m)[0]["title"], timeout=5000)
    gutian = _search(m, qtbot, "Gutian")
    assert gutian[0]["exhibitId"] == "gutian-meeting" and gutian[0]["title"] == "The Gutian Meeting"


@pytest.mark.parametrize("text", ['"', "*", "红船\"*", "NEAR(红 船)", "a OR b", "红' --", "^古田", "()", "title:红"])
def test_fts_syntax_in_visitor_input_is_harmless(kiosk, qtbot, text) -> None:  # noqa: ANN001
    from app.ui.viewmodels.search import SearchModel

    m = SearchModel()
    _search(m, qtbot, text)
    assert m.property("state") in ("results", "none"), m.property("error")


def test_search_event_logs_the_query_length_never_the_text(kiosk, qtbot) -> None:  # noqa: ANN001
    from app.events.schema import validate
    from app.ui.viewmodels.search import SearchModel

    logged: list[tuple[str, dict]] = []

    class Sink:
        def log(self, kind: str, **data: Any) -> str:  # noqa: ANN401
            logged.append((kind, validate(kind, data)))
            return "id"

    kiosk.ctx.events = Sink()
    m = SearchModel()
    _search(m, qtbot, "红")
    _search(m, qtbot, "红船")  # the same search growing: not a new event
    assert logged == []
    m.openResult("red-boat-spirit")
    assert logged == [("search", {"query_length": 2, "results": 1, "lang": "zh"})]
    assert kiosk.app.stack()[-1] == ("exhibit", {"exhibitId": "red-boat-spirit"})
    _search(m, qtbot, "古田")
    m.finish()  # leaving the screen
    assert logged[-1] == ("search", {"query_length": 2, "results": 3, "lang": "zh"})
    assert not any("红船" in str(data) or "古田" in str(data) for _, data in logged)

    from app.ui import search_tour as st
    from app.ui.tour import FakeClock, TourDriver

    d = TourDriver(kiosk, FakeClock())
    d.go("search")
    st.search_for(d, "5G")
    assert logged[-1][1]["query_length"] == 2 and logged[-1][1]["results"] < 11  # not logged yet
    kiosk.session.end()  # the visitor walked away: the search screen goes, the search is logged
    qtbot.waitUntil(lambda: logged[-1][1]["results"] == 11, timeout=5000)
    assert logged[-1] == ("search", {"query_length": 2, "results": 11, "lang": "zh"})


def test_pinyin_on_the_on_screen_keyboard_types_hongchuan_and_finds_the_red_boat(kiosk, qtbot) -> None:  # noqa: ANN001
    from app.ui import search_tour as st
    from app.ui.tour import FakeClock, TourDriver

    d = TourDriver(kiosk, FakeClock())
    d.go("search")
    keyboard = st.open_keyboard(d)
    field = st.item(d, "searchField")
    st.call(keyboard, "typeKeys", "hong")
    qtbot.waitUntil(lambda: "红" in st.call(keyboard, "candidates")[:5], timeout=10000)  # the IME answers
    assert st.call(keyboard, "preedit") != "" and field.property("text") == ""  # still composing
    assert st.call(keyboard, "selectCandidate", "红")
    st.call(keyboard, "typeKeys", "chuan")
    qtbot.waitUntil(lambda: "船" in st.call(keyboard, "candidates"), timeout=10000)
    assert st.call(keyboard, "selectCandidate", "船")
    assert field.property("text") == "红船"
    results = st.item(d, "searchResults")
    qtbot.waitUntil(lambda: results.property("visible") and results.property("count") == 1, timeout=5000)
    assert "红船" in st.item(d, "searchStatus").property("text")

    kiosk.app.setLanguage("en")  # the keyboard follows the visitor's language: English layout, no pinyin
    qtbot.waitUntil(lambda: st.call(keyboard, "locale") == "en_US", timeout=2000)
    st.call(d.current_screen(), "clearAll")
    st.call(keyboard, "typeKeys", "gutian")
    assert field.property("text") == "gutian"

    kiosk.session.end()  # next visitor: keyboard down, back to Chinese
    qtbot.waitUntil(lambda: not keyboard.property("open"), timeout=5000)
    assert st.call(keyboard, "locale") == "zh_CN"


def test_the_chinese_layout_takes_pinyin_back_from_the_english_input_method(kiosk, qtbot) -> None:  # noqa: ANN001
    """Qt Virtual Keyboard chooses the input method for a layout that has just loaded only if none is set:
    on a busy start its default English layout (plain input method) came up under a focused field and
    the Chinese layout, loaded afterwards, kept the plain one: "hong" typed letters, no candidates."""
    from PySide6.QtQml import QQmlEngine, QQmlExpression

    from app.ui import search_tour as st
    from app.ui.tour import FakeClock, TourDriver

    d = TourDriver(kiosk, FakeClock())
    d.go("search")
    keyboard = st.open_keyboard(d)
    field = st.item(d, "searchField")

    def ev(js: str) -> Any:  # noqa: ANN401
        return QQmlExpression(QQmlEngine.contextForObject(keyboard), keyboard, js).evaluate()[0]

    def method() -> str:
        return ev("String(InputContext.inputEngine.inputMethod)")

    assert "PinyinInputMethod" in method()
    ev("InputContext.inputEngine.inputMethod = panel.keyboard.plainInputMethod")  # the bad state, by hand
    qtbot.waitUntil(lambda: "PinyinInputMethod" in method() and keyboard.property("ready"), timeout=2000)

    # the race itself: the Chinese layout loads only after the keyboard chose the English input method
    kiosk.app.setLanguage("en")
    qtbot.waitUntil(lambda: st.call(keyboard, "locale") == "en_US" and "PlainInputMethod" in method(), timeout=2000)
    width = ev("panel.width")
    ev("panel.width = 0")  # the keyboard loads no layout while it has no width
    kiosk.app.setLanguage("zh")
    d.settle()
    assert ev("panel.keyboard.locale") == "zh_CN" and "PlainInputMethod" in method()
    assert "/zh_CN/" not in ev("String(panel.keyboard.keyboardLayoutLoader.source)")  # not loaded yet
    ev(f"panel.width = {width}")  # the Chinese layout loads now, after the input method was chosen
    qtbot.waitUntil(lambda: "PinyinInputMethod" in method() and keyboard.property("ready"), timeout=2000)
    assert "/zh_CN/" in ev("String(panel.keyboard.keyboardLayoutLoader.source)")
    st.call(keyboard, "typeKeys", "hong")
    qtbot.waitUntil(lambda: "红" in st.call(keyboard, "candidates")[:5], timeout=10000)
    assert field.property("text") == "" and st.call(keyboard, "preedit") != ""


def test_a_field_focused_before_the_keyboard_panel_loaded_gets_the_kiosks_keyboard(kiosk, qtbot) -> None:  # noqa: ANN001
    """Main.qml loads the keyboard asynchronously; a field focused before it exists (a busy machine,
    a screen focusing its field at once) must get the kiosk's keyboard when it loads, not Qt Virtual
    Keyboard's own desktop keyboard window (which kept the kiosk's panel closed for good)."""
    import os

    from PySide6.QtGui import QGuiApplication

    from app.ui import search_tour as st
    from app.ui.tour import FakeClock, TourDriver

    # set by kiosk.prepare_qt_environment (conftest uses it); without it this test hangs: Qt compiles
    # its own keyboard on the GUI thread while pytest-qt's message handler waits for the GIL
    assert os.environ.get("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE") == "1"
    d = TourDriver(kiosk, FakeClock())
    loader = d.find("keyboardLoader")
    loader.setProperty("active", False)  # as at start-up, before the asynchronous load finished
    qtbot.waitUntil(lambda: d.find("keyboardPanel") is None, timeout=5000)
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() == kiosk.window, timeout=5000)
    d.go("search")
    windows = len(QGuiApplication.allWindows())
    field = st.item(d, "searchField")
    field.forceActiveFocus()
    d.settle()
    assert len(QGuiApplication.allWindows()) == windows  # no keyboard window of Qt's own
    assert QGuiApplication.focusObject() == field

    loader.setProperty("active", True)
    keyboard = st.open_keyboard(d)  # up without another tap
    st.call(keyboard, "typeKeys", "hong")
    qtbot.waitUntil(lambda: "红" in st.call(keyboard, "candidates")[:5], timeout=10000)
    assert st.call(keyboard, "selectCandidate", "红")
    assert field.property("text") == "红"


def test_theme_browser_lists_every_tag_with_its_count_and_opens_the_theme(kiosk, qtbot) -> None:  # noqa: ANN001
    from app.ui import search_tour as st
    from app.ui.tour import FakeClock, TourDriver

    d = TourDriver(kiosk, FakeClock())
    tags = d.query(lambda s: s.catalog.tags())
    assert len(tags) >= 10
    d.go("search")
    browser = st.item(d, "tagBrowser")
    assert browser.property("count") == len(tags)
    for tag_id, label, count in tags:
        chip = st.item(d, f"tag-{tag_id}")
        texts = _texts(chip)
        assert label["zh"] in texts and str(count) in texts
        assert chip.property("height") >= 64
    st.item(d, f"tag-{tags[0][0]}").clicked.emit()
    assert kiosk.app.stack()[-1] == ("exhibits", {"tag": tags[0][0]})
