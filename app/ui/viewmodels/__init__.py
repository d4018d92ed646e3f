"""View-models exposed to QML under the import URI `Hongtu.Models` (see docs/architecture.md, UI).

Importing this package registers every type: App and Session (singletons), HallListModel,
ExhibitListModel, HallDetail, ExhibitDetail.
"""
from app.ui.viewmodels import app_state, details, lists, session_vm  # noqa: F401
from app.ui.viewmodels import links, media, search  # noqa: F401  (ExhibitLinks, MediaLog, SearchModel)

from app.ui.viewmodels import quiz  # noqa: F401  (QuizCatalog, QuizGame, LeaderboardView)
from app.ui.viewmodels import map, narration, routes  # noqa: F401  (RedMap, NarrationPlayer, RouteListModel, RouteTour)

QML_IMPORT_NAME = "Hongtu.Models"
