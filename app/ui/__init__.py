"""The Qt layer: view-models (QObject, @QmlElement) and the QML module `Hongtu`. Only this package imports Qt."""
from app.ui.qtfix import pin_bool_singletons, release_qml_payloads

pin_bool_singletons()
release_qml_payloads()  # before any view-model module registers its types
