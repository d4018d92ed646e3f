"""Hongtu (红图): an offline-first touchscreen kiosk for red-education exhibition halls."""

__version__ = "0.1.0"
