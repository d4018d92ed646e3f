"""`App`: the kiosk-wide view-model — pack info, screen stack, language and text size."""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Property, QObject, QTranslator, QUrl, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from app.content.model import pick
from app.ui import fonts as ui_fonts
from app.ui import screens
from app.ui.context import ui
from app.ui.translator import SOURCE_LANGUAGE, load_tables, table_translator

QML_IMPORT_NAME = "Hongtu.Models"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

UI_LANGUAGES = ("zh", "en")


def file_url(path: str) -> str:
    """A local path as a QML url string; '' stays ''."""
    return QUrl.fromLocalFile(path).toString() if path else ""


@QmlElement
@QmlSingleton
class App(QObject):
    """Kiosk-wide state, the QML singleton `App`."""

    languageChanged = Signal()
    largeTextChanged = Signal()
    packChanged = Signal()
    textChanged = Signal()  # pack loaded or language switched: every localised text may change
    hallsChanged = Signal()
    stackChanged = Signal()
    statusChanged = Signal()
    # op: "push" | "pop" | "home"; url of the QML file; initial properties
    navigate = Signal(str, str, "QVariantMap")

    def __init__(
        self,
        default_language: str = "zh",
        languages: tuple[str, ...] = UI_LANGUAGES,
        fullscreen: bool = False,
        large_text_default: bool = False,
        attract_video: str = "",
        animate: bool = True,
    ) -> None:
        super().__init__()
        self._languages = tuple(lang for lang in languages if lang in UI_LANGUAGES) or ("zh",)
        self._default_language = default_language if default_language in self._languages else self._languages[0]
        self._language = self._default_language
        self._large_default = large_text_default
        self._large = large_text_default
        self._fullscreen = fullscreen
        self._attract_video = attract_video
        self._animate = animate
        self._pack_default = "zh"  # the pack's default language, the fallback for content
        self._info: Any = None
        self.halls: list[Any] = []
        self.featured: list[Any] = []
        self._attract_images: list[str] = []
        self._exhibit_count = 0
        self._tags: list[tuple[str, Any, int]] = []
        self._ready = False
        self._error = ""
        self._warning = ""
        self._stack: list[tuple[str, dict]] = [("home", {})]
        self._engine: QQmlEngine | None = None
        self._tables = load_tables()
        self._translator: QTranslator | None = None
        self._translators: dict[str, QTranslator] = {}  # built once per language

    @staticmethod
    def create(engine: QQmlEngine) -> "App":
        obj = ui().app
        QQmlEngine.setObjectOwnership(obj, QQmlEngine.ObjectOwnership.CppOwnership)
        obj.attach_engine(engine)
        return obj

    def attach_engine(self, engine: QQmlEngine) -> None:
        """Let language switches retranslate this engine's qsTr() bindings."""
        self._engine = engine
        self._apply_translator()

    def detach_engine(self) -> None:
        """Remove this App's translator from the application (kiosk shut down)."""
        app = QGuiApplication.instance()
        if app is not None and self._translator is not None:
            app.removeTranslator(self._translator)
        self._translator = None
        self._engine = None

    # -- content helpers -----------------------------------------------------------------------
    def t(self, text: Any) -> str:
        """Pick a content text (LText) in the visitor's language, falling back to the pack's."""
        return pick(text, self._language, self._pack_default)

    def hall(self, hall_id: str) -> Any:
        return next((h for h in self.halls if h.id == hall_id), None)

    def set_home_data(self, data: Any) -> None:
        """Store what the worker's `home_data` job returned (GUI thread)."""
        self._info = data.info
        langs = tuple(getattr(data.info, "languages", ()) or ())
        if langs:
            self._pack_default = langs[0]
        self.halls = list(data.halls)
        self.featured = list(data.featured)
        self._attract_images = [file_url(p) for p in data.attract_images]
        self._exhibit_count = data.exhibit_count
        self._warning = data.warning
        self._tags = list(data.tags)
        self._ready = True
        self.packChanged.emit()
        self.textChanged.emit()
        self.hallsChanged.emit()
        self.statusChanged.emit()

    def set_error(self, message: str) -> None:
        self._error = message
        self.statusChanged.emit()

    # -- properties ----------------------------------------------------------------------------
    def _get_language(self) -> str:
        return self._language

    def _set_language(self, lang: str) -> None:
        if lang not in self._languages:
            log.warning("language %r not offered (have %s)", lang, self._languages)
            return
        if lang == self._language:
            return
        self._language = lang
        self._apply_translator()
        self.languageChanged.emit()
        self.textChanged.emit()

    language = Property(str, _get_language, _set_language, notify=languageChanged)

    @Property(str, notify=languageChanged)
    def defaultLanguage(self) -> str:  # noqa: N802
        return self._default_language

    @Property("QStringList", constant=True)
    def languages(self) -> list[str]:
        return list(self._languages)

    def _get_large(self) -> bool:
        return self._large

    def _set_large(self, on: bool) -> None:
        if bool(on) != self._large:
            self._large = bool(on)
            self.largeTextChanged.emit()

    largeText = Property(bool, _get_large, _set_large, notify=largeTextChanged)

    @Property(bool, constant=True)
    def animate(self) -> bool:
        """False in the screenshot tour and benchmarks: screen transitions take no time."""
        return self._animate

    @Property(bool, constant=True)
    def fullscreen(self) -> bool:
        return self._fullscreen

    @Property(bool, notify=statusChanged)
    def ready(self) -> bool:
        return self._ready

    @Property(str, notify=statusChanged)
    def error(self) -> str:
        return self._error

    @Property(str, notify=statusChanged)
    def warning(self) -> str:
        return self._warning

    @Property(str, notify=textChanged)
    def packTitle(self) -> str:  # noqa: N802
        return self.t(self._info.title) if self._info else ""

    @Property(str, notify=textChanged)
    def packPublisher(self) -> str:  # noqa: N802
        return self.t(self._info.publisher) if self._info else ""

    @Property(str, notify=textChanged)
    def packDescription(self) -> str:  # noqa: N802
        return self.t(getattr(self._info, "description", None)) if self._info else ""

    @Property("QVariantList", notify=textChanged)
    def tags(self) -> list[dict]:
        """The pack's tags (themes), most used first: {tagId, label, count}."""
        return [{"tagId": t, "label": self.t(label), "count": n} for t, label, n in self._tags]

    @Property(int, notify=packChanged)
    def exhibitCount(self) -> int:  # noqa: N802
        return self._exhibit_count

    @Property("QStringList", notify=packChanged)
    def attractImages(self) -> list[str]:  # noqa: N802
        return self._attract_images

    @Property(str, constant=True)
    def attractVideo(self) -> str:  # noqa: N802
        return file_url(self._attract_video)

    @Property(str, constant=True)
    def fontFamily(self) -> str:  # noqa: N802
        return ui_fonts.families().sans

    @Property(str, constant=True)
    def titleFamily(self) -> str:  # noqa: N802
        return ui_fonts.families().serif

    @Property(int, notify=stackChanged)
    def depth(self) -> int:
        return len(self._stack)

    @Property(str, notify=stackChanged)
    def currentScreen(self) -> str:  # noqa: N802
        return self._stack[-1][0]

    def stack(self) -> list[tuple[str, dict]]:
        """The screen stack, bottom (home) first."""
        return list(self._stack)

    # -- slots ---------------------------------------------------------------------------------
    @Slot(str)
    def setLanguage(self, lang: str) -> None:  # noqa: N802
        self._set_language(lang)

    @Slot()
    def toggleLanguage(self) -> None:  # noqa: N802
        i = self._languages.index(self._language)
        self._set_language(self._languages[(i + 1) % len(self._languages)])

    @Slot()
    def toggleLargeText(self) -> None:  # noqa: N802
        self._set_large(not self._large)

    @Slot(str, "QVariantMap")
    def go(self, screen: str, params: dict | None = None) -> None:
        """Push `screen` with `params`; a repeated tap on the same target is ignored."""
        params = dict(params or {})
        if self._stack[-1] == (screen, params):
            return
        url = QUrl.fromLocalFile(str(screens.screen_file(screen))).toString()
        if screen == "home":
            self.home()
            return
        self._stack.append((screen, params))
        self.stackChanged.emit()
        self.navigate.emit("push", url, {**params, "screenName": screen})

    @Slot()
    def back(self) -> None:
        if len(self._stack) > 1:
            self._stack.pop()
            self.stackChanged.emit()
            self.navigate.emit("pop", "", {})

    @Slot()
    def home(self) -> None:
        if len(self._stack) > 1:
            del self._stack[1:]
            self.stackChanged.emit()
            self.navigate.emit("home", "", {})

    @Slot()
    def clearScreens(self) -> None:  # noqa: N802
        """Drop every screen above home at once (no transition) and scroll home to the top."""
        if len(self._stack) > 1:
            del self._stack[1:]
            self.stackChanged.emit()
        self.navigate.emit("reset", "", {})

    @Slot()
    def resetVisitor(self) -> None:  # noqa: N802
        """Back to a fresh visitor: home screen, default language, default text size."""
        self.clearScreens()
        self._set_language(self._default_language)
        self._set_large(self._large_default)

    # -- translation ---------------------------------------------------------------------------
    def _apply_translator(self) -> None:
        app = QGuiApplication.instance()
        if app is None:
            return
        if self._translator is not None:
            app.removeTranslator(self._translator)
            self._translator = None
        if self._language != SOURCE_LANGUAGE and self._tables.get(self._language):
            translator = self._translators.get(self._language)
            if translator is None:
                translator = self._translators[self._language] = table_translator(
                    self._language, self._tables[self._language])
            self._translator = translator
            app.installTranslator(translator)
        if self._engine is not None:
            self._engine.retranslate()
