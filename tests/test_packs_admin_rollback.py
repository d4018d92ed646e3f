"""The admin screen's Roll back follows the core rule: after a rollback it is offered again and switches back."""
from __future__ import annotations

from app.packs.install import install_pack
from packs_tools import assert_active, build
from test_ui_admin import _title, click, env, find, in_popup, kiosk, open_admin, screen_model  # noqa: F401 (fixtures)


def _roll_back_from(k, qtbot, packs, version: str, to: str) -> None:
    """Tap Roll back under the active `version` and confirm, as staff do; wait for the switch to `to`."""
    button = find(k, f"rollback-test-pack-{version}")
    assert button is not None and button.property("visible")
    click(k, button)
    dialog = find(k, "rollbackConfirm")
    qtbot.waitUntil(lambda: dialog.property("opened"), timeout=3000)
    click(k, in_popup(dialog, "confirmYes"))
    qtbot.waitUntil(lambda: packs.property("busy") == "" and packs.property("errorKind") == "rolledback"
                    and packs.property("message") == f"test-pack {to}", timeout=10000)


def test_admin_rollback_twice_returns_to_the_newer_version(kiosk, env, qtbot):
    k = kiosk
    install_pack(build(env.tmp, "2.0.0", env.key, mutate=_title("2", "Pack Two")), env.cfg)
    open_admin(k, qtbot)
    packs = screen_model(k, qtbot, "admin_packs", "adminPacksModel")
    qtbot.waitUntil(lambda: len(packs.property("installed")) == 2, timeout=10000)

    _roll_back_from(k, qtbot, packs, "2.0.0", "1.0.0")
    assert_active(env.cfg, "1.0.0")
    assert (packs.property("message"), packs.property("detail")) == ("test-pack 1.0.0", "2.0.0")
    qtbot.waitUntil(lambda: [(r["version"], r["active"], r["previous"]) for r in packs.property("installed")]
                    == [("1.0.0", True, False), ("2.0.0", False, True)], timeout=5000)
    assert packs.property("canRollback")

    _roll_back_from(k, qtbot, packs, "1.0.0", "2.0.0")
    assert_active(env.cfg, "2.0.0")
    assert (packs.property("message"), packs.property("detail")) == ("test-pack 2.0.0", "1.0.0")
    qtbot.waitUntil(lambda: [(r["version"], r["active"], r["previous"]) for r in packs.property("installed")]
                    == [("1.0.0", False, True), ("2.0.0", True, False)], timeout=5000)
