"""The screen registry: screen name → QML file in the `Hongtu` module folder.

`App.go(name, params)` pushes a screen; QML receives the file URL and pushes it on the StackView
with `params` as its initial properties. A feature replaces a "coming soon" entry by pointing its
name at its own QML file (one-line edit here) — nothing else needs to change.
"""
from __future__ import annotations

from pathlib import Path

QML_DIR = Path(__file__).resolve().parent / "qml"
MODULE_DIR = QML_DIR / "Hongtu"

# name -> QML file under app/ui/qml/Hongtu/
SCREENS: dict[str, str] = {
    "home": "HomeScreen.qml",
    "hall": "HallScreen.qml",  # params: hallId
    "exhibit": "ExhibitScreen.qml",  # params: exhibitId
    "exhibits": "ExhibitsScreen.qml",  # params: hallId / tag (browse all, or by theme)
    "map": "MapScreen.qml",  # red map (issue 3 §4); params: hallId (optional, preselected)
    "routes": "RoutesScreen.qml",  # study routes; params: hallId (optional: that hall's routes)
    "route": "RouteScreen.qml",  # one route and its guided tour; params: routeId
    "quiz": "QuizScreen.qml",  # the quiz list (issue 3 §5)
    "quiz-play": "QuizPlayScreen.qml",  # params: quizId (solo round, result, nickname)
    "quiz-pk": "PkScreen.qml",  # params: quizId (two-player PK round, winner)
    "quiz-board": "LeaderboardScreen.qml",  # params: quizId, entryId (highlighted new entry)
    "search": "SearchScreen.qml",  # search with the on-screen keyboard, browse by theme
    "admin": "AdminHome.qml",  # staff admin mode (issue 5)
    "admin_packs": "AdminPacks.qml",
    "admin_status": "AdminStatus.qml",
    "admin_logs": "AdminLogs.qml",
    "admin_pin": "AdminPinScreen.qml",
    "admin_stats": "AdminStatsScreen.qml",  # visitor figures (issue 6)
    "admin_sync": "AdminSyncScreen.qml",  # visit-log delivery: hub, USB export/ack (issue 6)
    "admin_camera": "AdminCameraScreen.qml",  # camera counting: state, counts, line/zone calibration (issue 7)
}


def screen_file(name: str) -> Path:
    """The QML file of a screen; KeyError names the unknown screen."""
    try:
        return MODULE_DIR / SCREENS[name]
    except KeyError:
        raise KeyError(f"unknown screen {name!r}; known: {', '.join(SCREENS)}") from None
