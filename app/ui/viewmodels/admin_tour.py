"""Tour steps of the staff admin screens (listed in `app.ui.tour.TOUR_MODULES`).

The admin screens need installed packs, files on a "USB stick" and a PIN. The tour must not touch
the terminal's real packs, so the first admin step builds a demo terminal in a temporary folder:
the pack the tour shows, built and signed as versions 1.0.0 and 1.1.0 (installed), and a USB folder
holding version 1.2.0, a copy altered after signing, one signed by an unknown publisher and one
half-copied file. Admin mode is then pointed at that demo config (PIN 2468). Everything on the
screenshots comes from the real code paths (describe_archive, install_pack, run_checks, the log);
only the "installing" shot freezes the progress bar at 42 %.
"""
from __future__ import annotations

import atexit
import dataclasses
import logging
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from app.ui.tour import TourDriver, TourError, tour_step

DEMO_PIN = "2468"
_demo: dict[str, Any] = {}


def _copy_version(src: Path, dst: Path, version: str) -> Path:
    import yaml

    shutil.copytree(src, dst)
    meta = yaml.safe_load((dst / "pack.yaml").read_text(encoding="utf-8"))
    meta["version"] = version
    (dst / "pack.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dst


def _altered_copy(src: Path, out: Path) -> Path:
    """The same archive with one byte of pack.yaml changed, sizes kept: only a full install notices."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "pack/pack.yaml" and data.endswith(b"\n"):
                data = data.replace(b"version:", b"version: ", 1)[:-1]
            zout.writestr(info, data)
    return out


def _demo_cfg(d: TourDriver) -> Any:
    """Build (once per process) the demo terminal and return its config."""
    if "cfg" in _demo:
        return _demo["cfg"]
    from app.ops.logs import JsonFormatter
    from app.packs.archive import build_archive
    from app.packs.install import install_pack
    from app.packs.pin import AdminPin
    from app.packs.signing import generate_keypair, load_private_key

    base = d.kiosk.admin.cfg
    if base is None:
        raise TourError("admin tour steps need the kiosk config (KioskOptions.extra['cfg'])")
    tmp = Path(tempfile.mkdtemp(prefix="hongtu-tour-admin-"))
    atexit.register(shutil.rmtree, tmp, True)
    usb = tmp / "usb" / "HALL-USB"
    usb.mkdir(parents=True)
    key_path, pub_path = generate_keypair(tmp / "museum")
    other_path, _ = generate_keypair(tmp / "stranger")
    key, other = load_private_key(key_path), load_private_key(other_path)
    cfg = dataclasses.replace(
        base, data_dir=tmp / "var", config_path=None, pack=None,
        packs=dataclasses.replace(base.packs, install_dir=None, trusted_keys=[str(pub_path)],
                                  usb_mounts=[str(tmp / "usb" / "*")], allow_unsigned=False),
        admin=dataclasses.replace(base.admin, max_attempts=5),
    )
    logs = tmp / "var" / "logs"
    logs.mkdir(parents=True)
    handler = logging.FileHandler(logs / "hongtu.log", encoding="utf-8")
    handler.setFormatter(JsonFormatter())
    app_log = logging.getLogger("app")
    app_log.addHandler(handler)
    if app_log.getEffectiveLevel() > logging.INFO:
        app_log.setLevel(logging.INFO)
    atexit.register(app_log.removeHandler, handler)

    src = Path(d.kiosk.opts.pack_path)
    builds = tmp / "build"
    builds.mkdir()
    for version in ("1.0.0", "1.1.0"):
        folder = _copy_version(src, builds / version, version)
        install_pack(build_archive_to(folder, builds / f"{version}.hpack", key, build_archive), cfg)
    pack_id = _pack_id(src)
    new = build_archive_to(_copy_version(src, builds / "1.2.0", "1.2.0"), usb / f"{pack_id}-1.2.0.hpack", key, build_archive)
    _altered_copy(new, usb / f"{pack_id}-1.2.0-copy.hpack")
    build_archive_to(builds / "1.2.0", usb / "other-publisher.hpack", other, build_archive)
    (usb / "unfinished-copy.hpack").write_bytes(new.read_bytes()[: new.stat().st_size // 3])
    AdminPin(cfg).set_pin(DEMO_PIN)
    _demo["cfg"] = cfg
    return cfg


def _pack_id(src: Path) -> str:
    import yaml

    return str(yaml.safe_load((src / "pack.yaml").read_text(encoding="utf-8")).get("id", src.name))


def build_archive_to(folder: Path, out: Path, key: Any, build: Any) -> Path:
    build(folder, out, key=key)
    return out


def _admin(d: TourDriver) -> Any:
    return d.kiosk.admin


def _start(d: TourDriver) -> Any:
    """Close any admin mode left open, keep the step's language, point admin mode at the demo."""
    admin = _admin(d)
    cfg = _demo_cfg(d)
    lang = d.app.language
    if admin.mode != "off":
        admin.exitAdmin()
        d.session.touch()
        d.app.setLanguage(lang)
    admin.cfg = cfg
    from app.packs.pin import AdminPin

    AdminPin(cfg).set_pin(DEMO_PIN)  # clears the failures of earlier runs
    d.settle()
    return admin


def _type(d: TourDriver, pin: str) -> None:
    admin = _admin(d)
    for ch in pin:
        admin.pinDigit(int(ch))
    d.settle()


def _enter(d: TourDriver, screen: str = "") -> Any:
    admin = _start(d)
    admin.openPin()
    d.wait(lambda: admin.jobs.pending == 0)
    _type(d, DEMO_PIN)
    admin.pinOk()
    if not d.wait(lambda: admin.mode == "open", 15):
        raise TourError("admin mode did not open with the demo PIN")
    d.settle()
    if screen:
        d.go(screen)
    _idle(d)
    return admin


def _idle(d: TourDriver) -> None:
    d.wait(lambda: _admin(d).jobs.pending == 0, 60)
    d.settle()


def _model(d: TourDriver, name: str) -> Any:
    """An object of the screen on top (a popped screen's objects may linger until deleted)."""
    from PySide6.QtCore import QObject

    screen = d.current_screen()
    m = screen.findChild(QObject, name) if screen is not None else None
    if m is None:
        raise TourError(f"{name} not found on the screen")
    return m


@tour_step("admin-pin")
def _pin(d: TourDriver) -> None:
    admin = _start(d)
    admin.openPin()
    _idle(d)
    _type(d, DEMO_PIN)


@tour_step("admin-pin-wrong")
def _pin_wrong(d: TourDriver) -> None:
    admin = _start(d)
    admin.openPin()
    _idle(d)
    _type(d, "1357")
    admin.pinOk()
    d.wait(lambda: not admin.busy and admin.messageKind != "", 10)
    _idle(d)


@tour_step("admin-home")
def _home(d: TourDriver) -> None:
    _enter(d)


def _packs(d: TourDriver) -> Any:
    _enter(d, "admin_packs")
    packs = _model(d, "adminPacksModel")
    d.wait(lambda: packs.property("scanned") and len(packs.property("installed")) > 0, 30)
    _idle(d)
    return packs


@tour_step("admin-packs")
def _packs_step(d: TourDriver) -> None:
    _packs(d)


@tour_step("admin-packs-installing")
def _packs_installing(d: TourDriver) -> None:
    packs = _packs(d)
    total = float(next(u.size for u in packs.usb_packs() if not u.problem) or 1)
    packs._set_busy("install")  # frozen mid-install for the picture
    packs._on_progress(total * 0.42, total)
    d.settle()


@tour_step("admin-packs-error")
def _packs_error(d: TourDriver) -> None:
    packs = _packs(d)
    names = [u["name"] for u in packs.property("usb")]
    altered = next((i for i, n in enumerate(names) if n.endswith("-copy.hpack")), None)
    if altered is None:
        raise TourError("the altered demo pack is missing from the USB list")
    packs.install(altered)
    d.wait(lambda: packs.property("busy") == "" and packs.property("messageKind") != "", 60)
    _idle(d)


@tour_step("admin-packs-rollback")
def _packs_rollback(d: TourDriver) -> None:
    from PySide6.QtCore import Q_ARG, QMetaObject

    packs = _packs(d)
    active = next(r for r in packs.property("installed") if r["active"])
    QMetaObject.invokeMethod(d.current_screen(), "askRollback", Q_ARG("QVariant", active["packId"]))
    d.settle()


@tour_step("admin-status")
def _status(d: TourDriver) -> None:
    _enter(d, "admin_status")
    st = _model(d, "adminStatusModel")
    d.wait(lambda: not st.property("loading"), 60)
    _idle(d)


@tour_step("admin-logs")
def _logs(d: TourDriver) -> None:
    _enter(d, "admin_logs")
    lg = _model(d, "adminLogsModel")
    d.wait(lambda: lg.property("loaded"), 30)
    _idle(d)


@tour_step("admin-change-pin")
def _change_pin(d: TourDriver) -> None:
    _enter(d, "admin_pin")
    chg = _model(d, "adminPinChange")
    for ch in DEMO_PIN:
        chg.digit(int(ch))
    chg.ok()
    d.wait(lambda: not chg.property("busy"), 10)
    for ch in "97":
        chg.digit(int(ch))
    d.settle()


@tour_step("admin-quit")
def _quit(d: TourDriver) -> None:
    from PySide6.QtCore import QMetaObject

    _enter(d)
    QMetaObject.invokeMethod(d.current_screen(), "askQuit")
    d.settle()
