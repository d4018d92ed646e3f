"""Camera visitor counting (no Qt): source → person detector → tracker → line and dwell counters.

Nothing here stores an image: frames live in memory only, except the opt-in, self-expiring debug
recording (`app.vision.recording`).
"""
from app.vision.errors import GeometryError, ModelError, SourceError, VisionError

__all__ = ["VisionError", "SourceError", "ModelError", "GeometryError"]
