"""Exception classes of the pack tools. Every message is one line that names the cause."""
from __future__ import annotations


class PackError(Exception):
    """A pack archive or installation problem a person can act on."""


class ManifestError(PackError):
    """manifest.json is missing, malformed, or disagrees with the archive or the files."""


class UnsafeArchiveError(PackError):
    """An archive entry that could escape the install folder or is not a plain file."""


class SignatureError(PackError):
    """The signature is missing, made by an untrusted key, or does not match the manifest."""


class KeyFileError(PackError):
    """A key file that cannot be read or is not an Ed25519 key."""


class ArchiveReadError(PackError):
    """The archive could not be read (medium removed, file truncated or damaged)."""


class PackInvalidError(PackError):
    """The pack's content does not load; `problems` holds one line per problem."""

    def __init__(self, message: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(message)


class InstallError(PackError):
    """An installation, rollback or removal that could not be completed; nothing was switched."""


class PackStateError(PackError):
    """The installed-packs state (active.json) is unreadable or inconsistent."""


class PinError(Exception):
    """An admin PIN problem: not set, malformed, or wrong."""


class PinLockedError(PinError):
    """Too many wrong PINs: admin mode is locked for `remaining_s` more seconds."""

    def __init__(self, remaining_s: float) -> None:
        self.remaining_s = remaining_s
        super().__init__(f"admin mode locked after too many wrong PINs; try again in {int(remaining_s + 0.999)} s")
