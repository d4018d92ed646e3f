"""Typed kiosk configuration: `kiosk_config.yaml` → `KioskConfig`, with `HONGTU_<KEY>` overrides.

Every key is a dataclass field whose metadata carries its documentation and its allowed range or
choices. An unknown key, a wrong type or an out-of-range value raises `ConfigError` with one line
naming the key and what was expected. Nested keys are overridden by `HONGTU_<SECTION>_<KEY>`
(for example `HONGTU_UI_IDLE_TIMEOUT_S=120`); values from the environment are read as YAML
scalars or flow lists (`true`, `120`, `[1, 2]`). Relative paths resolve against the folder of
the config file.
"""
from __future__ import annotations

import dataclasses
import functools
import os
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from app.ops.restart import normalize_daily_restart

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = REPO_ROOT / "kiosk_config.yaml"
# An installed terminal's own config (packaging/linux/install.sh; the Windows scripts' default): used
# when no config is named, so that every `hongtu` command in a support shell sees the kiosk's data.
SITE_CONFIG = (Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Hongtu" / "kiosk_config.yaml"
               if os.name == "nt" else Path("/etc/hongtu/kiosk_config.yaml"))
SAMPLE_PACK = REPO_ROOT / "exhibits" / "fujian-red-map"
ENV_PREFIX = "HONGTU_"


class ConfigError(Exception):
    """A configuration value that cannot be used; the message names the key."""


def opt(default: Any, doc: str, *, lo: float | None = None, hi: float | None = None,
        choices: tuple[Any, ...] | None = None, factory: bool = False,
        check: typing.Callable[[Any], Any] | None = None) -> Any:
    """A config field with its documentation and its allowed values.

    `check(raw value)` (a key with its own format) returns the value to use, or raises
    ValueError(what is expected).
    """
    meta = {"doc": doc, "lo": lo, "hi": hi, "choices": choices, "check": check}
    if factory:
        return field(default_factory=default, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class UiConfig:
    idle_timeout_s: int = opt(90, "Seconds without a touch before the countdown starts.", lo=10, hi=3600)
    countdown_s: int = opt(10, "Length of the 'still there?' countdown before a reset.", lo=3, hi=60)
    large_text: bool = opt(False, "Start every visitor session in large-text mode.")
    width: int = opt(1920, "Window width when windowed (pixels).", lo=640, hi=7680)
    height: int = opt(1080, "Window height when windowed (pixels).", lo=480, hi=4320)
    attract_video: Path | None = opt(None, "Attract-loop video; empty = the pack's, else media/attract.mp4.")
    hide_cursor: bool = opt(True, "Hide the mouse cursor (touch hardware).")


@dataclass(frozen=True)
class NarrationConfig:
    enabled: bool = opt(True, "Offer spoken narration.")
    rate: int = opt(165, "Speech rate in words per minute.", lo=60, hi=400)
    volume: float = opt(0.9, "Default narration volume, 0.0 to 1.0.", lo=0.0, hi=1.0)
    cache_dir: Path | None = opt(None, "Narration audio cache; empty = <data_dir>/narration-cache.")
    cache_max_mb: int = opt(500, "Size limit of the narration cache (MB).", lo=1, hi=100_000)
    synth_timeout_s: float = opt(30.0, "Longest a single synthesis may take before the worker is restarted.", lo=1, hi=600)


@dataclass(frozen=True)
class PacksConfig:
    install_dir: Path | None = opt(None, "Where installed packs live; empty = <data_dir>/packs.")
    trusted_keys: list[str] = opt(list, "Publisher public keys (file paths or base64) whose signatures are trusted.", factory=True)
    allow_unsigned: bool = opt(False, "Install packs that carry no signature (not for production).")
    keep_versions: int = opt(2, "Installed versions kept per pack, the active one included.", lo=1, hi=20)
    usb_mounts: list[str] = opt(list, "Folders searched for .hpack files; empty = /media, /run/media, /mnt (Windows: D:\\ to Z:\\).", factory=True)
    max_unpacked_mb: int = opt(8192, "Largest unpacked pack accepted (MB); protects against archive bombs.", lo=1, hi=1_000_000)


@dataclass(frozen=True)
class AdminConfig:
    pin_hash: str = opt("", "Salted scrypt hash of the admin PIN (set with `hongtu admin set-pin`); empty = admin mode disabled.")
    hold_s: float = opt(3.0, "Seconds of long press in the top-left corner that opens the PIN pad.", lo=1, hi=30)
    timeout_s: int = opt(120, "Admin mode closes after this many idle seconds.", lo=15, hi=3600)
    max_attempts: int = opt(5, "Wrong PINs allowed before admin mode locks for a growing delay.", lo=1, hi=20)


@dataclass(frozen=True)
class SyncConfig:
    hub_url: str = opt("", "Base URL of the hub server; empty = no network sync (USB only).")
    token: str = opt("", "This terminal's token issued by the hub (`hongtu hub add-terminal`).")
    batch_size: int = opt(500, "Events per upload batch.", lo=1, hi=50_000)
    interval_s: int = opt(60, "Seconds between sync passes when all is well.", lo=5, hi=86_400)
    max_backoff_s: int = opt(1800, "Longest wait between retries after failures.", lo=10, hi=86_400)
    timeout_s: float = opt(20.0, "HTTP timeout per request.", lo=1, hi=600)
    retention_days: int = opt(90, "Days that sent and acknowledged events are kept.", lo=1, hi=3650)
    sync_nicknames: bool = opt(False, "Send leaderboard nicknames to the hub.")
    min_free_mb: int = opt(200, "Free disk space below which the oldest delivered events are pruned early.", lo=1, hi=1_000_000)


@dataclass(frozen=True)
class VisionConfig:
    enabled: bool = opt(False, "Run the camera visitor counter.")
    source: str = opt("0", "Camera index, video file or RTSP/HTTP URL.")
    detector: str = opt("default", "Person detector.", choices=("default", "onnx", "motion"))
    model: Path | None = opt(None, "YOLOX-nano ONNX file for the onnx detector.")
    width: int = opt(640, "Frames are scaled to this width before detection.", lo=160, hi=3840)
    detect_every: int = opt(2, "Run the detector on every Nth frame; track in between.", lo=1, hi=30)
    threads: int = opt(1, "CPU threads for the detector.", lo=1, hi=16)
    line: list[float] = opt(list, "Counting line x1, y1, x2, y2 (pixels or fractions); empty = none.", factory=True)
    zone: list[float] = opt(list, "Dwell zone x1, y1, x2, y2 (pixels or fractions); empty = none.", factory=True)
    min_dwell_s: float = opt(3.0, "Seconds in the zone that make a visitor.", lo=0, hi=3600)
    debug_recording: bool = opt(False, "Record annotated frames for debugging (expires; shown on screen).")
    debug_recording_min: int = opt(10, "Minutes a debug recording runs before it switches itself off.", lo=1, hi=240)


@dataclass(frozen=True)
class LogConfig:
    level: str = opt("INFO", "Log level.", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    max_mb: int = opt(10, "Size of one log file before rotation (MB).", lo=1, hi=1000)
    backups: int = opt(5, "Rotated log files kept.", lo=1, hi=100)


@dataclass(frozen=True)
class OpsConfig:
    daily_restart: str = opt("03:30", "Local time (HH:MM) of the daily clean restart while the hall is closed, "
                             "only under a supervisor (systemd, HONGTU_SUPERVISED=1); '' = never.",
                             check=normalize_daily_restart)


@dataclass(frozen=True)
class KioskConfig:
    terminal_id: str = opt("terminal-01", "This terminal's id, unique in the network.")
    hall: str = opt("", "Id of the hall this terminal stands in (from the pack's halls.yaml).")
    data_dir: Path = opt(Path("var"), "Database, installed packs, caches and logs.")
    pack: Path | None = opt(None, "Content pack folder to show; empty = the installed active pack, else the bundled sample.")
    fullscreen: bool = opt(True, "Frameless full-screen window (override with --windowed).")
    languages: list[str] = opt(lambda: ["zh", "en"], "Interface languages, the first is the default.", factory=True)
    ui: UiConfig = opt(UiConfig, "Visitor screens.", factory=True)
    narration: NarrationConfig = opt(NarrationConfig, "Spoken narration.", factory=True)
    packs: PacksConfig = opt(PacksConfig, "Content pack installation.", factory=True)
    admin: AdminConfig = opt(AdminConfig, "Staff admin mode.", factory=True)
    sync: SyncConfig = opt(SyncConfig, "Delivery of visit logs to the hub.", factory=True)
    vision: VisionConfig = opt(VisionConfig, "Camera visitor counting.", factory=True)
    log: LogConfig = opt(LogConfig, "Logging.", factory=True)
    ops: OpsConfig = opt(OpsConfig, "Running unattended.", factory=True)
    config_path: Path | None = field(default=None, compare=False, metadata={"internal": True})

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def db_path(self) -> Path:
        return self.data_dir / "hongtu.db"

    def active_pack_path(self) -> Path:
        """The pack to show: `pack` if set, else the installed active pack, else the sample."""
        if self.pack is not None:
            return self.pack
        from app.packs.install import active_pack_path  # core module, no Qt

        return active_pack_path(self) or SAMPLE_PACK


def default_config_path(env: Mapping[str, str] | None = None) -> Path:
    """The config file used when none is named: $HONGTU_CONFIG, else the terminal's installed
    config (SITE_CONFIG: /etc/hongtu/kiosk_config.yaml) if it exists, else kiosk_config.yaml beside main.py."""
    env = os.environ if env is None else env
    if "HONGTU_CONFIG" in env:
        return Path(env["HONGTU_CONFIG"])
    try:
        return SITE_CONFIG if SITE_CONFIG.is_file() else DEFAULT_CONFIG
    except PermissionError:  # /etc/hongtu is root:hongtu 0750
        raise ConfigError(f"{SITE_CONFIG}: cannot read (Permission denied); run the command as root or as the "
                          f"hongtu user") from None


def load_config(path: Path | str | None = None, env: Mapping[str, str] | None = None) -> KioskConfig:
    """Read the config file (default: `default_config_path()`)."""
    env = os.environ if env is None else env
    explicit = path is not None or "HONGTU_CONFIG" in env
    cfg_path = Path(path) if path is not None else default_config_path(env)
    raw: Any = {}
    if cfg_path.exists():
        try:
            raw = yaml.load(cfg_path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" line {mark.line + 1}" if mark else ""
            raise ConfigError(f"{cfg_path}:{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
        except OSError as exc:
            hint = "; run the command as root or as the hongtu user" if isinstance(exc, PermissionError) else ""
            raise ConfigError(f"{cfg_path}: cannot read ({exc.strerror}){hint}") from None
    elif explicit:
        raise ConfigError(f"{cfg_path}: config file not found")
    if not isinstance(raw, dict):
        raise ConfigError(f"{cfg_path}: expected a mapping of keys at the top level")
    base = cfg_path.resolve().parent
    _apply_env(raw, env)
    cfg = _build(KioskConfig, raw, "", str(cfg_path), base)
    _check(cfg, str(cfg_path))
    return dataclasses.replace(cfg, config_path=cfg_path.resolve() if cfg_path.exists() else None)


SUPPORTED_LANGUAGES = ("zh", "en")


def _check(cfg: KioskConfig, source: str) -> None:
    """Rules that span one key's type: list lengths and members."""
    if not cfg.languages or any(lang not in SUPPORTED_LANGUAGES for lang in cfg.languages):
        raise ConfigError(f"{source}: languages: expected a non-empty list of {', '.join(SUPPORTED_LANGUAGES)}, got {cfg.languages!r}")
    for key in ("line", "zone"):
        value = getattr(cfg.vision, key)
        if value and len(value) != 4:
            raise ConfigError(f"{source}: vision.{key}: expected 4 numbers x1, y1, x2, y2 (or empty), got {value!r}")


def env_names() -> dict[str, tuple[str, ...]]:
    """Every overridable key: environment variable name → key path."""
    names: dict[str, tuple[str, ...]] = {}

    def walk(cls: type, prefix: tuple[str, ...]) -> None:
        for f in _fields(cls):
            key = prefix + (f.name,)
            sub = _dataclass_type(_type_hints(cls)[f.name])
            if sub is not None:
                walk(sub, key)
            else:
                names[ENV_PREFIX + "_".join(key).upper()] = key

    walk(KioskConfig, ())
    return names


def _apply_env(raw: dict[str, Any], env: Mapping[str, str]) -> None:
    for name, key in env_names().items():
        if name not in env:
            continue
        try:
            value = yaml.safe_load(env[name]) if env[name].strip() else None
        except yaml.YAMLError:
            value = env[name]
        node = raw
        for part in key[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ConfigError(f"{name}: cannot override, '{part}' in the config file is not a section")
        node[key[-1]] = ("env", name, value)


# libyaml's loader when PyYAML has it (same result, ~15× faster: start-up)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_type_hints = functools.lru_cache(maxsize=None)(typing.get_type_hints)  # per section class, read-only


def _fields(cls: type) -> list[dataclasses.Field]:
    return [f for f in dataclasses.fields(cls) if not f.metadata.get("internal")]


def _dataclass_type(tp: Any) -> type | None:
    return tp if isinstance(tp, type) and dataclasses.is_dataclass(tp) else None


def _build(cls: type, raw: Any, prefix: str, source: str, base: Path) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: {prefix.rstrip('.') or 'top level'}: expected a section (mapping)")
    hints = _type_hints(cls)
    known = {f.name: f for f in _fields(cls)}
    for key in raw:
        if key not in known:
            where = f"{prefix}{key}"
            raise ConfigError(f"{source}: {where}: unknown key (known: {', '.join(known)})")
    values: dict[str, Any] = {}
    for name, f in known.items():
        if name not in raw:
            if isinstance(f.default, Path) and not f.default.is_absolute():
                values[name] = base / f.default
            continue
        value, origin = raw[name], source
        if isinstance(value, tuple) and len(value) == 3 and value[0] == "env":
            origin, value = value[1], value[2]
        sub = _dataclass_type(hints[name])
        if sub is not None:
            values[name] = _build(sub, value, f"{prefix}{name}.", source, base)
        else:
            where = f"{origin}: {prefix}{name}" if origin == source else origin
            values[name] = _coerce(hints[name], value, f.metadata, where, base)
    return cls(**values)


def _expected(tp: Any, meta: Mapping[str, Any]) -> str:
    lo, hi, choices = meta.get("lo"), meta.get("hi"), meta.get("choices")
    if choices:
        return "one of " + ", ".join(map(str, choices))
    names = {bool: "true or false", int: "a whole number", float: "a number", str: "text", Path: "a path"}
    desc = names.get(tp, getattr(tp, "__name__", str(tp)))
    if lo is not None and hi is not None:
        desc += f" from {lo:g} to {hi:g}"
    return desc


def _coerce(tp: Any, value: Any, meta: Mapping[str, Any], where: str, base: Path) -> Any:
    check = meta.get("check")
    if check is not None:  # a key with its own format (ops.daily_restart: HH:MM)
        try:
            return check(value)
        except ValueError as exc:
            raise ConfigError(f"{where}: expected {exc}, got {value!r}") from None
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None or value == "":
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _coerce(inner, value, meta, where, base)
    if origin is list:
        if value is None:
            return []
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list):
            raise ConfigError(f"{where}: expected a list, got {value!r}")
        return [_coerce(args[0], v, {}, f"{where}[{i}]", base) for i, v in enumerate(value)]
    ok = True
    if tp is bool:
        ok = isinstance(value, bool)
    elif tp is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif tp is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif tp is str:
        ok = isinstance(value, (str, int, float)) and not isinstance(value, bool)
        value = str(value) if ok else value
    elif tp is Path:
        ok = isinstance(value, str) and value != ""
        if ok:
            p = Path(os.path.expanduser(value))
            value = p if p.is_absolute() else base / p
    if not ok:
        raise ConfigError(f"{where}: expected {_expected(tp, meta)}, got {value!r}")
    lo, hi, choices = meta.get("lo"), meta.get("hi"), meta.get("choices")
    if choices and value not in choices:
        raise ConfigError(f"{where}: expected {_expected(tp, meta)}, got {value!r}")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ConfigError(f"{where}: expected {_expected(tp, meta)}, got {value!r}")
    return value


def describe() -> list[tuple[str, str, Any, str]]:
    """(key, env var, default, doc) for every key: the source of the documented defaults."""
    rows: list[tuple[str, str, Any, str]] = []
    envs = {v: k for k, v in env_names().items()}

    def walk(cls: type, prefix: tuple[str, ...]) -> None:
        inst = cls()
        for f in _fields(cls):
            key = prefix + (f.name,)
            sub = _dataclass_type(_type_hints(cls)[f.name])
            if sub is not None:
                walk(sub, key)
            else:
                rows.append((".".join(key), envs[key], getattr(inst, f.name), f.metadata["doc"]))

    walk(KioskConfig, ())
    return rows
