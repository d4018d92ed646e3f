"""Offline narration: text preparation, a TTS worker process, an audio cache, the service (no Qt)."""
from app.narration.errors import (  # noqa: F401
    AudioFileError,
    EngineUnavailable,
    NarrationCancelled,
    NarrationError,
    NoVoiceError,
    NothingToNarrate,
    SynthesisError,
    SynthesisTimeout,
    WorkerCrashed,
)
