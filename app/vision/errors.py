"""Exceptions raised by the vision pipeline; each message is one line naming the file or value."""
from __future__ import annotations


class VisionError(Exception):
    """Base class of every camera-counting error a person reads."""


class SourceError(VisionError):
    """A camera, stream or video file that cannot be opened or read."""


class ModelError(VisionError):
    """A detector model file that is missing or is not a usable person detector."""


class GeometryError(VisionError):
    """A counting line or dwell zone that does not fit the frame."""
