"""The admin PIN: a salted scrypt hash with its parameters, constant-time comparison, and a lockout
that grows after every `admin.max_attempts` wrong PINs.

Storage: `<data_dir>/admin_pin.json` (written atomically, mode 0600) holds the hash and the lockout
counters, so the lock survives a restart. A JSON file rather than a database table keeps admin mode
usable even when the database is being migrated or is damaged. `admin.pin_hash` in the config is
the fallback hash (for terminals set up from a template) used while the file holds none.
The plain PIN is never stored or logged.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
import time
from pathlib import Path
from typing import Any, Callable

from app.packs.errors import PinError, PinLockedError
from app.packs.fsutil import atomic_write_json

PIN_FILE = "admin_pin.json"
PIN_RE = re.compile(r"^[0-9]{4,12}$")
SCRYPT_N, SCRYPT_R, SCRYPT_P, DKLEN = 1 << 14, 8, 1, 32
BASE_DELAY_S = 60.0
MAX_DELAY_S = 3600.0


def check_pin_format(pin: str) -> None:
    if not PIN_RE.match(pin or ""):
        raise PinError("the PIN must be 4 to 12 digits")


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """`scrypt$n=…,r=…,p=…$<salt>$<hash>` (base64) for a valid PIN."""
    check_pin_format(pin)
    salt = secrets.token_bytes(16)
    dk = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=DKLEN, maxmem=256 << 20)
    return f"scrypt$n={n},r={r},p={p}${base64.b64encode(salt).decode()}${base64.b64encode(dk).decode()}"


def verify_pin_hash(pin: str, stored: str) -> bool:
    """Constant-time check of `pin` against a `hash_pin` string."""
    try:
        algo, params, salt_b64, dk_b64 = stored.split("$")
        kv = dict(item.split("=") for item in params.split(","))
        n, r, p = int(kv["n"]), int(kv["r"]), int(kv["p"])
        salt, want = base64.b64decode(salt_b64, validate=True), base64.b64decode(dk_b64, validate=True)
    except (ValueError, KeyError, binascii.Error):
        raise PinError("the stored admin PIN hash is damaged; set a new PIN with `hongtu admin set-pin`") from None
    if algo != "scrypt" or not (2 <= n <= 1 << 20) or not (1 <= r <= 32) or not (1 <= p <= 16):
        raise PinError("the stored admin PIN hash uses unsupported parameters; set a new PIN")
    got = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=len(want), maxmem=256 << 20)
    return hmac.compare_digest(got, want)


class AdminPin:
    """The terminal's admin PIN and its lockout state (no Qt; call `check` off the GUI thread: scrypt takes ~50 ms)."""

    def __init__(self, cfg: Any, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(cfg.data_dir) / PIN_FILE
        self.fallback_hash: str = getattr(cfg.admin, "pin_hash", "") or ""
        self.max_attempts: int = getattr(cfg.admin, "max_attempts", 5)
        self.clock = clock

    def _load(self) -> dict[str, Any]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return raw if isinstance(raw, dict) else {}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            # A damaged file must not unlock anything: keep the fallback hash and lock state empty.
            return {}

    def _save(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_json(self.path, data, mode=0o600)

    def _hash(self, data: dict[str, Any]) -> str:
        return str(data.get("hash") or self.fallback_hash)

    def is_set(self) -> bool:
        return bool(self._hash(self._load()))

    def set_pin(self, pin: str) -> None:
        """Store a new PIN's hash; clears any lockout."""
        self._save({"hash": hash_pin(pin), "failures": 0, "lockouts": 0, "locked_until": 0.0})

    def locked_for(self) -> float:
        """Seconds until PINs are accepted again; 0 when not locked."""
        data = self._load()
        remaining = float(data.get("locked_until", 0.0)) - self.clock()
        return max(0.0, min(remaining, MAX_DELAY_S))  # a clock set backwards can't lock for longer

    def attempts_left(self) -> int:
        return max(0, self.max_attempts - int(self._load().get("failures", 0)))

    def check(self, pin: str) -> bool:
        """True for the right PIN (and the counters reset); False for a wrong one.

        Raises PinLockedError while locked (the PIN is not even compared) and PinError if no PIN is set.
        """
        data = self._load()
        stored = self._hash(data)
        if not stored:
            raise PinError("no admin PIN is set; set one with `hongtu admin set-pin`")
        remaining = self.locked_for()
        if remaining > 0:
            raise PinLockedError(remaining)
        ok = PIN_RE.match(pin or "") is not None and verify_pin_hash(pin, stored)
        if ok:
            if data.get("failures") or data.get("lockouts"):
                self._save({**data, "failures": 0, "lockouts": 0, "locked_until": 0.0})
            return True
        failures = int(data.get("failures", 0)) + 1
        lockouts = int(data.get("lockouts", 0))
        locked_until = 0.0
        if failures >= self.max_attempts:
            lockouts += 1
            failures = 0
            locked_until = self.clock() + min(BASE_DELAY_S * 2 ** (lockouts - 1), MAX_DELAY_S)
        self._save({**data, "failures": failures, "lockouts": lockouts, "locked_until": locked_until})
        if locked_until:
            raise PinLockedError(locked_until - self.clock())
        return False
