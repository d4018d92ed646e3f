"""Ed25519 publisher keys and the `signature.json` of a `.hpack`.

A key pair is NAME.key (private, PKCS#8 PEM, mode 0600) and NAME.pub (SubjectPublicKeyInfo PEM).
A key is named by its fingerprint: the first 32 hex digits of SHA-256 over the raw 32-byte public
key. The signature covers `Manifest.canonical_bytes()`; since the manifest holds every file's
SHA-256, it covers every byte of the pack.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.packs.errors import KeyFileError, SignatureError
from app.packs.manifest import Manifest

ALGORITHM = "ed25519"


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(key: Ed25519PublicKey) -> str:
    """Short, stable name of a public key (32 hex digits)."""
    return hashlib.sha256(raw_public(key)).hexdigest()[:32]


def generate_keypair(out: Path) -> tuple[Path, Path]:
    """Write OUT.key (private, 0600) and OUT.pub; refuse to overwrite either. Returns both paths."""
    key_path, pub_path = out.with_name(out.name + ".key"), out.with_name(out.name + ".pub")
    for p in (key_path, pub_path):
        if p.exists():
            raise KeyFileError(f"{p}: already exists; not overwriting a key")
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    os.chmod(key_path, 0o600)  # umask may have narrowed it further; never wider
    pub_pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                serialization.PublicFormat.SubjectPublicKeyInfo)
    pub_path.write_bytes(pub_pem)
    return key_path, pub_path


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read private key ({exc.strerror})") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise KeyFileError(f"{path}: not an unencrypted PEM private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: not an Ed25519 key")
    return key


def _raw_b64(text: str) -> Ed25519PublicKey | None:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    return Ed25519PublicKey.from_public_bytes(raw) if len(raw) == 32 else None


def load_public_key(spec: str | Path, base: Path | None = None) -> Ed25519PublicKey:
    """A public key from a .pub PEM file, a file holding base64 of the raw key, or that base64 text itself."""
    if isinstance(spec, str) and (key := _raw_b64(spec)) is not None:
        return key
    path = Path(spec)
    if not path.is_absolute() and base is not None:
        path = base / path
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read public key ({exc.strerror})") from None
    if b"PRIVATE KEY" in data:
        raise KeyFileError(f"{path}: this is a private key; give the .pub file")
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        key = _raw_b64(data.decode("ascii", "replace"))
        if key is None:
            raise KeyFileError(f"{path}: not a PEM public key or base64 Ed25519 key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{path}: not an Ed25519 public key")
    return key


def trust_set(specs: Iterable[str | Path], base: Path | None = None) -> dict[str, Ed25519PublicKey]:
    """Fingerprint → key for every trusted key spec."""
    keys = (load_public_key(s, base) for s in specs)
    return {fingerprint(k): k for k in keys}


@dataclass(frozen=True)
class Signature:
    key_fingerprint: str
    public_key: str  # base64 of the raw key: lets `verify` name an untrusted signer
    signature: str  # base64
    algorithm: str = ALGORITHM

    def to_bytes(self) -> bytes:
        obj = {"algorithm": self.algorithm, "key_fingerprint": self.key_fingerprint,
               "public_key": self.public_key, "signature": self.signature}
        return (json.dumps(obj, indent=2) + "\n").encode("utf-8")


def sign_manifest(manifest: Manifest, key: Ed25519PrivateKey) -> Signature:
    pub = key.public_key()
    sig = key.sign(manifest.canonical_bytes())
    return Signature(fingerprint(pub), base64.b64encode(raw_public(pub)).decode(), base64.b64encode(sig).decode())


def parse_signature(data: bytes) -> Signature:
    where = "signature.json"
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SignatureError(f"{where}: not valid JSON ({exc})") from None
    if not isinstance(raw, dict):
        raise SignatureError(f"{where}: expected a JSON object")
    for k in ("algorithm", "key_fingerprint", "public_key", "signature"):
        if not isinstance(raw.get(k), str):
            raise SignatureError(f"{where}:{k}: missing or not text")
    if raw["algorithm"] != ALGORITHM:
        raise SignatureError(f"{where}:algorithm: {raw['algorithm']!r} is not supported (only {ALGORITHM})")
    return Signature(raw["key_fingerprint"], raw["public_key"], raw["signature"], raw["algorithm"])


@dataclass(frozen=True)
class SignerCheck:
    """Outcome of `check_signature`: who signed, and whether that key is trusted."""

    fingerprint: str | None  # None: unsigned
    trusted: bool

    def describe(self) -> str:
        if self.fingerprint is None:
            return "unsigned"
        return f"signed by {'trusted' if self.trusted else 'UNTRUSTED'} key {self.fingerprint}"


def check_signature(manifest: Manifest, sig: Signature | None, trusted: dict[str, Ed25519PublicKey],
                    allow_unsigned: bool) -> SignerCheck:
    """Verify `sig` over `manifest`. Raises SignatureError unless the pack is acceptable.

    A signature that does not match (archive changed after signing) is always refused. An unsigned
    pack, or one signed by a key not in `trusted`, is accepted only with `allow_unsigned`.
    """
    if sig is None:
        if allow_unsigned:
            return SignerCheck(None, False)
        raise SignatureError("pack is not signed (signature.json missing) and unsigned packs are not allowed")
    try:
        sig_bytes = base64.b64decode(sig.signature, validate=True)
        embedded = Ed25519PublicKey.from_public_bytes(base64.b64decode(sig.public_key, validate=True))
    except (binascii.Error, ValueError):
        raise SignatureError("signature.json: signature or public_key is not valid base64 Ed25519 data") from None
    fp = fingerprint(embedded)
    if fp != sig.key_fingerprint:
        raise SignatureError(f"signature.json:key_fingerprint: {sig.key_fingerprint} does not match the public key ({fp})")
    key = trusted.get(fp, embedded)
    try:
        key.verify(sig_bytes, manifest.canonical_bytes())
    except InvalidSignature:
        raise SignatureError(f"signature by key {fp} does not match the manifest: the archive was changed after signing") from None
    if fp in trusted:
        return SignerCheck(fp, True)
    if allow_unsigned:
        return SignerCheck(fp, False)
    raise SignatureError(f"signed by key {fp}, which is not in packs.trusted_keys")
