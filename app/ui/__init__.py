"""The Qt layer: view-models (QObject, @QmlElement) and the QML module `Hongtu`. Only this package imports Qt."""
