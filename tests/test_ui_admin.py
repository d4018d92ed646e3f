"""Admin mode in the running kiosk: gesture, PIN pad, lockout, timeout, packs screen, pack switch,
status/logs, change PIN, quit. Real kiosk (QML window offscreen), real packs built and signed here."""
from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import pytest

from app.config import AdminConfig
from app.packs.install import active_pack_path, install_pack
from app.packs.pin import AdminPin
from app.ui.tour import FakeClock
from packs_tools import assert_active, build, make_cfg, make_keys, tmp_folders

PIN = "2468"


# ---- helpers ----------------------------------------------------------------------------------------

def _title(version: str, en: str) -> callable:
    def mutate(files: dict) -> None:
        files["pack.yaml"]["title"] = {"zh": f"测试{version}", "en": en}
    return mutate


@pytest.fixture
def env(tmp_path):
    """Keys, a config (PIN set, 3 attempts, 15 s timeout), v1 installed, a USB folder."""
    key, pub = make_keys(tmp_path)
    usb = tmp_path / "usb"
    usb.mkdir()
    cfg = make_cfg(tmp_path, [pub], usb_mounts=[str(usb)])
    cfg = dataclasses.replace(cfg, admin=AdminConfig(hold_s=1.0, timeout_s=15, max_attempts=3))
    AdminPin(cfg).set_pin(PIN)
    install_pack(build(tmp_path, "1.0.0", key, mutate=_title("1", "Pack One")), cfg)
    return dataclasses.make_dataclass("Env", ["tmp", "key", "cfg", "usb"])(tmp_path, key, cfg, usb)


@pytest.fixture
def kiosk(env, kiosk_factory, qtbot):
    clock = FakeClock()
    k = kiosk_factory(active_pack_path(env.cfg), clock=clock, extra={"cfg": env.cfg, "follow_active": True})
    k.clock = clock
    k.app.setLanguage("en")  # the tests read English texts (the zh table is checked by the i18n tests)
    qtbot.waitUntil(lambda: k.app.ready, timeout=30000)
    qtbot.waitUntil(lambda: k.admin.jobs.pending == 0, timeout=10000)
    return k


def _walk(item, name: str):
    if item.objectName() == name:
        return item
    for child in item.childItems():
        hit = _walk(child, name)
        if hit is not None:
            return hit
    return None


def _all(k, name: str) -> list:
    out: list = []

    def walk(item) -> None:
        if item.objectName() == name:
            out.append(item)
        for child in item.childItems():
            walk(child)

    walk(k.window.contentItem())
    return out


def find(k, name: str):
    """A QML object by objectName: QObject children first, then the visual tree (Repeater delegates)."""
    from PySide6.QtCore import QObject

    return k.window.findChild(QObject, name) or _walk(k.window.contentItem(), name)


def click(k, item) -> None:
    """A real mouse click in the middle of a QML item."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtTest import QTest

    p = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
    QTest.mouseClick(k.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(int(p.x()), int(p.y())))


def in_popup(popup, name: str):
    return _walk(popup.property("contentItem"), name)


def enter_pin(k, qtbot, pin: str) -> None:
    for d in pin:
        k.admin.pinDigit(int(d))
    k.admin.pinOk()
    qtbot.waitUntil(lambda: not k.admin.busy, timeout=10000)


def open_admin(k, qtbot) -> None:
    k.admin.openPin()
    qtbot.waitUntil(lambda: k.admin.jobs.pending == 0, timeout=10000)
    enter_pin(k, qtbot, PIN)
    qtbot.waitUntil(lambda: k.app.currentScreen == "admin", timeout=5000)


def screen_model(k, qtbot, screen: str, name: str):
    k.app.go(screen, {})
    qtbot.waitUntil(lambda: find(k, name) is not None, timeout=5000)
    model = find(k, name)
    qtbot.waitUntil(lambda: k.admin.jobs.pending == 0, timeout=20000)
    return model


# ---- entering -----------------------------------------------------------------------------------------

def test_right_pin_opens_admin_and_suspends_the_visitor_session(kiosk, qtbot):
    k = kiosk
    k.admin.openPin()
    pad = find(k, "adminPinPad")
    assert pad is not None and pad.property("visible")
    assert not k.session._timer.isActive()  # visitor idle timer suspended
    click(k, find(k, "pinKey-2"))  # the keys are wired to the view-model
    assert k.admin.pinLength == 1
    click(k, find(k, "pinKey-back"))
    assert k.admin.pinLength == 0
    enter_pin(k, qtbot, PIN)
    assert k.admin.mode == "open"
    qtbot.waitUntil(lambda: k.app.currentScreen == "admin", timeout=5000)
    qtbot.waitUntil(lambda: find(k, "adminPinPad") is None, timeout=3000)
    k.admin.exitAdmin()
    assert k.admin.mode == "off" and k.session.attract and k.app.depth == 1
    assert k.session._timer.isActive()


def test_wrong_pins_count_down_then_lock_with_a_countdown(kiosk, qtbot):
    k = kiosk
    k.admin.openPin()
    qtbot.waitUntil(lambda: k.admin.jobs.pending == 0, timeout=5000)
    enter_pin(k, qtbot, "1111")
    assert k.admin.messageKind == "wrong" and k.admin.attemptsLeft == 2
    assert "2 attempts left" in find(k, "pinMessage").property("text")
    enter_pin(k, qtbot, "1112")
    assert "1 attempt left" in find(k, "pinMessage").property("text")
    enter_pin(k, qtbot, "1113")
    assert k.admin.mode == "pin" and k.admin.messageKind == "locked"
    assert 55 <= k.admin.lockedSeconds <= 60
    text = find(k, "pinMessage").property("text")
    assert "locked" in text and "1 min" in text
    assert not find(k, "pinKey-5").property("enabled")  # no typing while locked
    enter_pin(k, qtbot, PIN)  # ignored while locked
    assert k.admin.mode == "pin"
    k.clock.advance(30)
    k.admin.tick()
    left = k.admin.lockedSeconds
    assert 25 <= left <= 30 and f"{left} s" in find(k, "pinMessage").property("text")


def test_no_pin_set_tells_staff_to_run_set_pin(kiosk, env, qtbot):
    (Path(env.cfg.data_dir) / "admin_pin.json").unlink()
    kiosk.admin.openPin()
    qtbot.waitUntil(lambda: kiosk.admin.messageKind == "unset", timeout=5000)
    assert "hongtu admin set-pin" in find(kiosk, "pinMessage").property("text")
    assert not kiosk.admin.pinSet


def test_long_press_in_the_corner_opens_the_pad_and_a_tap_does_not(kiosk, qtbot):
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    k, left = kiosk, Qt.MouseButton.LeftButton
    none = Qt.KeyboardModifier.NoModifier
    QTest.mouseClick(k.window, left, none, QPoint(20, 20))  # a tap
    qtbot.wait(1300)
    assert k.admin.mode == "off"
    QTest.mousePress(k.window, left, none, QPoint(300, 300))  # a hold outside the corner
    qtbot.wait(1300)
    QTest.mouseRelease(k.window, left, none, QPoint(300, 300))
    assert k.admin.mode == "off"
    QTest.mousePress(k.window, left, none, QPoint(30, 30))  # hold_s = 1 in the corner
    qtbot.waitUntil(lambda: k.admin.mode == "pin", timeout=3000)
    QTest.mouseRelease(k.window, left, none, QPoint(30, 30))
    assert k.app.depth == 1
    k.admin.cancelPin()


def test_the_corner_does_not_block_the_header_back_button(kiosk, qtbot):
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtTest import QTest

    k, left, none = kiosk, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    k.app.go("exhibits", {})
    qtbot.waitUntil(lambda: any(b.property("visible") for b in _all(k, "backButton")), timeout=5000)
    qtbot.wait(100)  # laid out
    back = [b for b in _all(k, "backButton") if b.property("visible")][0]
    p = back.mapToScene(QPointF(back.width() / 4, back.height() / 2))
    at = QPoint(int(p.x()), int(p.y()))
    assert at.x() < 96 and at.y() < 96  # the button lies under the corner square
    QTest.mousePress(k.window, left, none, at)  # a long press on it opens the pad, and does not go back
    qtbot.waitUntil(lambda: k.admin.mode == "pin", timeout=3000)
    QTest.mouseRelease(k.window, left, none, at)
    qtbot.wait(100)
    assert k.app.depth == 2
    k.admin.cancelPin()
    QTest.mouseClick(k.window, left, none, at)  # a tap is still Back
    qtbot.waitUntil(lambda: k.app.depth == 1, timeout=3000)


def test_admin_mode_times_out_back_to_visitors(kiosk, qtbot):
    k = kiosk
    open_admin(k, qtbot)
    screen_model(k, qtbot, "admin_packs", "adminPacksModel")
    k.clock.advance(10)
    k.admin.tick()
    assert k.admin.mode == "open"  # not yet: 15 s
    k.admin.activity()
    k.clock.advance(14)
    k.admin.tick()
    assert k.admin.mode == "open"
    k.clock.advance(2)
    k.admin.tick()
    assert k.admin.mode == "off" and k.session.attract and k.app.depth == 1
    k.session.touch()  # the next visitor starts a normal session
    assert k.session.state == "active"


# ---- packs --------------------------------------------------------------------------------------------

def test_install_from_usb_switches_the_pack_only_after_the_session(kiosk, env, qtbot):
    k = kiosk
    build(env.tmp, "2.0.0", env.key, mutate=_title("2", "Pack Two")).rename(env.usb / "new.hpack")
    assert k.app.packTitle == "Pack One"
    open_admin(k, qtbot)
    packs = screen_model(k, qtbot, "admin_packs", "adminPacksModel")
    qtbot.waitUntil(lambda: packs.property("scanned"), timeout=10000)
    usb = packs.property("usb")
    assert [(u["packId"], u["version"], u["signer"], u["problem"]) for u in usb] == [("test-pack", "2.0.0", "trusted", "")]
    assert usb[0]["title"] == "Pack Two"
    seen: list[float] = []
    packs.progressChanged.connect(lambda: seen.append(packs.property("progress")))
    click(k, find(k, "install-0"))
    qtbot.waitUntil(lambda: packs.property("busy") == "" and packs.property("messageKind") != "", timeout=20000)
    assert packs.property("messageKind") == "ok", packs.property("detail")
    assert packs.property("errorKind") == "installed"
    assert seen and max(seen) == pytest.approx(1.0) and seen == sorted(seen)
    assert_active(env.cfg, "2.0.0")
    assert "Visitors will see it" in find(k, "packsHeadline").property("text")
    qtbot.waitUntil(lambda: [r["version"] for r in packs.property("installed") if r["active"]] == ["2.0.0"], timeout=5000)
    assert [r["version"] for r in packs.property("installed") if r["shown"]] == ["1.0.0"]

    # still in admin mode (a session in progress): the kiosk keeps showing version 1
    k.admin.follower.check()
    qtbot.wait(300)
    assert k.app.packTitle == "Pack One"
    k.admin.exitAdmin()  # the session ends: the kiosk switches between sessions
    qtbot.waitUntil(lambda: k.app.packTitle == "测试2", timeout=20000)  # a new visitor: default language
    assert k.admin.follower.shown == active_pack_path(env.cfg)


def test_a_visitor_session_is_never_interrupted_by_a_new_pack(kiosk, env, qtbot):
    k = kiosk
    k.session.touch()
    k.app.go("exhibits", {})
    install_pack(build(env.tmp, "2.0.0", env.key, mutate=_title("2", "Pack Two")), env.cfg)  # e.g. the CLI
    k.admin.follower.check()
    qtbot.wait(300)
    assert k.app.packTitle == "Pack One" and k.app.currentScreen == "exhibits"
    k.session.end()
    qtbot.waitUntil(lambda: k.app.packTitle == "测试2", timeout=20000)  # a new visitor: default language


def test_a_pack_repaired_in_place_by_a_reinstall_reaches_the_screen(env, kiosk_factory, qtbot):
    shown = active_pack_path(env.cfg)
    yaml_file = shown / "pack.yaml"
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace("Pack One", "Pack Bad"), encoding="utf-8")
    k = kiosk_factory(shown, clock=FakeClock(), extra={"cfg": env.cfg, "follow_active": True})
    k.app.setLanguage("en")
    qtbot.waitUntil(lambda: k.app.ready, timeout=30000)
    assert k.app.packTitle == "Pack Bad"  # the damaged copy, as indexed at start
    install_pack(env.tmp / "test-pack-1.0.0.hpack", env.cfg)  # the archive v1 came from: repairs the copy
    assert active_pack_path(env.cfg) == shown and "Pack One" in yaml_file.read_text(encoding="utf-8")
    with qtbot.waitSignal(k.admin.follower.switched, timeout=20000):
        k.session.end()  # between sessions the kiosk looks again, although the folder is the same
    k.app.setLanguage("en")
    assert k.app.packTitle == "Pack One"


def _tampered(src: Path, out: Path) -> Path:
    """The same archive with one byte of pack.yaml changed (same size): signature and sizes still fine."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "pack/pack.yaml":
                data = data.replace(b"schema: 1", b"schema: 1 ", 1)[:-1] if data.endswith(b"\n") else data
            zout.writestr(info, data)
    return out


def test_a_damaged_pack_names_its_cause_and_changes_nothing(kiosk, env, qtbot):
    k = kiosk
    good = build(env.tmp, "2.0.0", env.key)
    _tampered(good, env.usb / "a-tampered.hpack")
    (env.usb / "b-truncated.hpack").write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    open_admin(k, qtbot)
    packs = screen_model(k, qtbot, "admin_packs", "adminPacksModel")
    qtbot.waitUntil(lambda: len(packs.property("usb")) == 2, timeout=10000)
    tampered, truncated = packs.property("usb")
    assert tampered["problem"] == ""  # only a full read finds it
    assert truncated["problemKind"] == "damaged" and "truncated" in truncated["problem"]
    assert find(k, "install-1").property("visible") is False
    packs.install(0)
    qtbot.waitUntil(lambda: packs.property("busy") == "", timeout=20000)
    assert packs.property("messageKind") == "error" and packs.property("errorKind") == "damaged"
    assert "SHA-256" in packs.property("detail")
    headline = find(k, "packsHeadline").property("text")
    assert "damaged" in headline and "unchanged" in headline
    assert_active(env.cfg, "1.0.0")
    assert tmp_folders(env.cfg) == []


def test_untrusted_signature_is_named(kiosk, env, qtbot):
    other, _pub = make_keys(env.tmp, "stranger")
    build(env.tmp, "2.0.0", other).rename(env.usb / "stranger.hpack")
    open_admin(kiosk, qtbot)
    packs = screen_model(kiosk, qtbot, "admin_packs", "adminPacksModel")
    qtbot.waitUntil(lambda: len(packs.property("usb")) == 1, timeout=10000)
    row = packs.property("usb")[0]
    assert row["problemKind"] == "signature" and "trusted" in row["problem"]


def test_cancel_stops_the_install_cleanly(kiosk, env, qtbot):
    k = kiosk
    build(env.tmp, "2.0.0", env.key, media={"big.bin": b"x" * (6 << 20)}).rename(env.usb / "big.hpack")
    open_admin(k, qtbot)
    packs = screen_model(k, qtbot, "admin_packs", "adminPacksModel")
    qtbot.waitUntil(lambda: len(packs.property("usb")) == 1, timeout=10000)
    packs.progressChanged.connect(lambda: packs.cancelInstall())  # cancel at the first progress report
    packs.install(0)
    qtbot.waitUntil(lambda: packs.property("busy") == "", timeout=20000)
    assert packs.property("errorKind") == "cancelled"
    assert_active(env.cfg, "1.0.0")


def test_rollback_asks_first_then_switches_back(kiosk, env, qtbot):
    k = kiosk
    install_pack(build(env.tmp, "2.0.0", env.key, mutate=_title("2", "Pack Two")), env.cfg)
    open_admin(k, qtbot)
    packs = screen_model(k, qtbot, "admin_packs", "adminPacksModel")
    qtbot.waitUntil(lambda: len(packs.property("installed")) == 2, timeout=10000)
    assert packs.property("canRollback")
    click(k, find(k, "rollback-test-pack-2.0.0"))
    dialog = find(k, "rollbackConfirm")
    qtbot.waitUntil(lambda: dialog.property("opened"), timeout=3000)
    assert_active(env.cfg, "2.0.0")  # nothing yet
    click(k, in_popup(dialog, "confirmYes"))
    qtbot.waitUntil(lambda: packs.property("errorKind") == "rolledback", timeout=10000)
    assert_active(env.cfg, "1.0.0")
    qtbot.waitUntil(lambda: [r["version"] for r in packs.property("installed") if r["active"]] == ["1.0.0"], timeout=5000)
    packs.remove("test-pack", "2.0.0")
    qtbot.waitUntil(lambda: packs.property("errorKind") == "removed", timeout=10000)
    qtbot.waitUntil(lambda: [r["version"] for r in packs.property("installed")] == ["1.0.0"], timeout=5000)
    assert not (Path(env.cfg.data_dir) / "packs" / "test-pack" / "2.0.0").exists()


# ---- other screens ------------------------------------------------------------------------------------

def test_quit_asks_for_confirmation(kiosk, qtbot):
    k = kiosk
    quits: list[int] = []
    k.admin._quit = lambda: quits.append(1)
    open_admin(k, qtbot)
    qtbot.waitUntil(lambda: find(k, "tileQuit") is not None, timeout=5000)
    click(k, find(k, "tileQuit"))
    dialog = find(k, "quitConfirm")
    qtbot.waitUntil(lambda: dialog.property("opened"), timeout=3000)
    assert quits == []
    click(k, in_popup(dialog, "confirmNo"))
    qtbot.waitUntil(lambda: not dialog.property("visible"), timeout=3000)
    assert quits == []
    click(k, find(k, "tileQuit"))
    qtbot.waitUntil(lambda: dialog.property("opened"), timeout=3000)
    click(k, in_popup(dialog, "confirmYes"))
    assert quits == [1]


def test_visitor_figures_tile_says_coming_when_no_stats_screen(kiosk, qtbot):
    from app.ui.screens import SCREENS

    open_admin(kiosk, qtbot)
    qtbot.waitUntil(lambda: find(kiosk, "tileStats") is not None, timeout=5000)
    click(kiosk, find(kiosk, "tileStats"))
    if "admin_stats" in SCREENS:
        assert kiosk.app.currentScreen == "admin_stats"
    else:
        assert find(kiosk, "statsNote").property("visible") and kiosk.app.currentScreen == "admin"


def test_status_and_logs_screens_show_checks_notices_and_entries(kiosk, env, qtbot):
    import json

    from app.ops.notices import add_notice

    k = kiosk
    logs = Path(env.cfg.data_dir) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    (logs / "hongtu.log").write_text("\n".join(json.dumps({"ts": f"2026-01-01T10:00:0{i}", "level": "INFO",
                                                            "logger": "t", "msg": f"entry {i}"}) for i in range(3)) + "\n")
    add_notice(Path(env.cfg.data_dir), "the database was moved aside")
    open_admin(k, qtbot)
    st = screen_model(k, qtbot, "admin_status", "adminStatusModel")
    qtbot.waitUntil(lambda: not st.property("loading"), timeout=30000)
    names = [c["name"] for c in st.property("checks")]
    assert "disk space" in names and all(c["status"] in ("ok", "warn", "fail") for c in st.property("checks"))
    assert st.property("installedPack") == "test-pack 1.0.0"
    assert [n["message"] for n in st.property("notices")] == ["the database was moved aside"]
    st.clearNotices()
    qtbot.waitUntil(lambda: st.property("notices") == [] and not st.property("loading"), timeout=30000)
    k.app.back()
    lg = screen_model(k, qtbot, "admin_logs", "adminLogsModel")
    qtbot.waitUntil(lambda: lg.property("loaded"), timeout=5000)
    assert [e["msg"] for e in lg.property("entries")][:3] == ["entry 2", "entry 1", "entry 0"]


def test_change_pin_old_then_new_twice(kiosk, env, qtbot):
    k = kiosk
    open_admin(k, qtbot)
    chg = screen_model(k, qtbot, "admin_pin", "adminPinChange")

    def typed(pin: str) -> None:
        for d in pin:
            chg.digit(int(d))
        chg.ok()
        qtbot.waitUntil(lambda: not chg.property("busy"), timeout=10000)

    typed("0000")
    assert chg.property("messageKind") == "wrong" and chg.property("stage") == "old"
    typed(PIN)
    assert chg.property("stage") == "new"
    typed("12")
    assert chg.property("messageKind") == "format"
    typed("13579")
    typed("13570")
    assert chg.property("messageKind") == "mismatch" and chg.property("stage") == "new"
    typed("13579")
    typed("13579")
    assert chg.property("stage") == "done"
    assert AdminPin(env.cfg).check("13579")


def test_a_new_pack_that_fails_to_load_keeps_the_old_content_and_tells_staff(kiosk, env, qtbot):
    from app.ops.notices import list_notices

    k = kiosk
    result = install_pack(build(env.tmp, "2.0.0", env.key, mutate=_title("2", "Pack Two")), env.cfg)
    (result.path / "halls.yaml").write_text("- id: [broken\n", encoding="utf-8")  # damaged on disk after install
    failed: list[str] = []
    k.admin.follower.failed.connect(failed.append)
    k.session.end()
    qtbot.waitUntil(lambda: bool(failed), timeout=20000)
    assert k.app.packTitle == "测试1" and k.admin.follower.shown.name == "1.0.0"
    assert "halls.yaml" in failed[0] and "previous content" in failed[0]
    assert any("halls.yaml" in n["message"] for n in list_notices(Path(env.cfg.data_dir)))
    k.admin.follower.check()  # not retried (nor noticed again) until another pack becomes active
    qtbot.wait(300)
    assert len(failed) == 1


def test_while_the_attract_loop_shows_the_poll_picks_up_a_cli_install(kiosk, env, qtbot):
    k = kiosk
    k.session.end()  # the attract loop: between visitors
    qtbot.wait(200)
    install_pack(build(env.tmp, "2.0.0", env.key, mutate=_title("2", "Pack Two")), env.cfg)
    k.admin.follower._poll()  # what its timer does every few seconds
    qtbot.waitUntil(lambda: k.app.packTitle == "测试2", timeout=20000)
    assert k.session.attract
