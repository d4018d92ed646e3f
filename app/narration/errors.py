"""Exceptions raised by the narration service; each message is one line a person can act on."""
from __future__ import annotations


class NarrationError(Exception):
    """Base class: narration could not be produced."""


class NothingToNarrate(NarrationError):
    """The text is empty once Markdown and whitespace are removed."""


class NoVoiceError(NarrationError):
    """The TTS engine has no voice for the requested language."""


class EngineUnavailable(NarrationError):
    """No TTS engine could be started (pyttsx3 and the espeak-ng binary both failed)."""


class SynthesisError(NarrationError):
    """The engine failed on one job or produced unusable audio."""


class SynthesisTimeout(SynthesisError):
    """The engine did not answer within the timeout; its worker process was killed."""


class WorkerCrashed(SynthesisError):
    """The worker process exited while a job was running."""


class AudioFileError(NarrationError):
    """An audio file is missing, truncated or not decodable."""


class NarrationCancelled(NarrationError):
    """The caller no longer wants this narration (the visitor stopped it or tapped another)."""
