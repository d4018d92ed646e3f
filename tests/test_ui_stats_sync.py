"""The admin sync view-model (issue 6 §4–5): backlog and status, "Sync now" against a real hub on
127.0.0.1 and against an unreachable one, and the USB round trip (export onto a stick folder, the
hub imports it and writes the acknowledgement, the acknowledgement is imported back)."""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
from packbuilder import write_pack

pytestmark = pytest.mark.timeout(90)


def _seed(db_path: Path, n: int) -> None:
    from app.events import EventLog

    with EventLog(db_path, "t1") as log:
        for i in range(n):
            log.log("exhibit_view", exhibit_id=f"e{i % 3}", dwell_s=10 + i)


@pytest.fixture
def sync_kiosk(kiosk_factory, qtbot, tmp_path: Path):  # noqa: ANN001, ANN201
    from app.hub.storage import HubStore
    from app.ui.events_bridge import SyncSettings

    db = tmp_path / "hongtu.db"
    _seed(db, 5)
    hub = HubStore.open(tmp_path / "hub")
    token = hub.add_terminal("t1", None)
    stick = tmp_path / "stick"
    stick.mkdir()
    k = kiosk_factory(write_pack(tmp_path / "pack"), db_path=db)
    qtbot.waitUntil(lambda: k.app.ready, timeout=30000)
    k.events.settings = SyncSettings(db_path=db, terminal_id="t1", hub_url="", token=token, usb_mounts=[str(stick)],
                                     timeout_s=5)
    yield k, hub, stick
    hub.close()


def _idle(qtbot, sp) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: sp.loaded and not sp.busy, timeout=20000)
    qtbot.wait(20)
    qtbot.waitUntil(lambda: not sp.busy, timeout=20000)


def test_usb_export_and_acknowledgement_round_trip(sync_kiosk, qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from app.hub.importer import import_bundle
    from app.ui.viewmodels.sync_vm import SyncPanel

    k, hub, stick = sync_kiosk
    sp = SyncPanel()
    _idle(qtbot, sp)
    assert sp.backlog == 5 and sp.hubUrl == "" and sp.tokenSet and sp.lastSuccess == ""
    assert [m["path"] for m in sp.mounts] == [str(stick)]

    sp.exportTo(str(stick))
    assert sp.busy and sp.action == "export"
    _idle(qtbot, sp)
    assert (sp.resultKind, sp.result) == ("ok", "exported:5")
    bundle = Path(sp.exportedPath)
    assert bundle.parent == stick and bundle.name == "hongtu-events-t1-1-5.hbundle" and bundle.is_file()
    assert sp.backlog == 5  # exported, not yet confirmed by the hub

    sp.importAck(str(stick))  # nothing from the hub yet
    _idle(qtbot, sp)
    assert (sp.resultKind, sp.result) == ("info", "noack")

    res = import_bundle(hub, bundle)  # at the hub
    assert res.ack.accepted == 5 and res.ack_path.parent == stick
    sp.importAck(str(stick))
    _idle(qtbot, sp)
    assert (sp.resultKind, sp.result) == ("ok", "acked:5:1") and sp.backlog == 0

    sp.exportTo(str(stick))
    _idle(qtbot, sp)
    assert (sp.resultKind, sp.result, sp.exportedPath) == ("info", "nothing", "")


def test_a_tampered_acknowledgement_is_refused(sync_kiosk, qtbot) -> None:  # noqa: ANN001
    import json

    from app.hub.importer import import_bundle
    from app.ui.viewmodels.sync_vm import SyncPanel

    k, hub, stick = sync_kiosk
    sp = SyncPanel()
    _idle(qtbot, sp)
    sp.exportTo(str(stick))
    _idle(qtbot, sp)
    ack = import_bundle(hub, Path(sp.exportedPath)).ack_path
    doc = json.loads(ack.read_text())
    doc["seq_ranges"] = [[1, 99]]
    ack.write_text(json.dumps(doc))
    sp.importAck(str(stick))
    _idle(qtbot, sp)
    assert sp.resultKind == "error" and "signature does not match" in sp.result and str(ack) in sp.result
    assert sp.backlog == 5


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_sync_now_against_a_real_hub_and_an_unreachable_one(sync_kiosk, qtbot) -> None:  # noqa: ANN001
    import dataclasses

    import uvicorn

    from app.hub.server import create_app
    from app.ui.viewmodels.sync_vm import SyncPanel

    k, hub, stick = sync_kiosk
    port = _free_port()
    k.events.settings = dataclasses.replace(k.events.settings, hub_url=f"http://127.0.0.1:{_free_port()}")
    sp = SyncPanel()
    _idle(qtbot, sp)
    sp.syncNow()  # nobody listens there
    _idle(qtbot, sp)
    assert sp.resultKind == "error" and "127.0.0.1" in sp.result
    assert sp.backlog == 5 and sp.errorIsCurrent and "127.0.0.1" in sp.lastError

    server = uvicorn.Server(uvicorn.Config(create_app(hub), host="127.0.0.1", port=port, log_level="error",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        end = time.monotonic() + 20
        while not server.started and time.monotonic() < end:
            time.sleep(0.02)
        k.events.settings = dataclasses.replace(k.events.settings, hub_url=f"http://127.0.0.1:{port}")
        sp.syncNow()
        _idle(qtbot, sp)
        assert (sp.resultKind, sp.result) == ("ok", "delivered:5:0")
        assert sp.backlog == 0 and sp.lastSuccess != "" and not sp.errorIsCurrent and sp.deliveredTotal == 5
        assert hub.event_count("t1") == 5
    finally:
        server.should_exit = True
        thread.join(20)


def test_no_hub_means_usb_only(sync_kiosk, qtbot) -> None:  # noqa: ANN001
    from app.ui.viewmodels.sync_vm import SyncPanel

    sp = SyncPanel()
    _idle(qtbot, sp)
    sp.syncNow()
    assert (sp.resultKind, sp.busy) == ("error", False) and "hub_url" in sp.result


def test_usb_targets_keep_configured_folders_and_real_mounts(tmp_path: Path) -> None:
    from app.ui.viewmodels.sync_vm import usb_targets

    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "c").mkdir(parents=True)
    found = [m["path"] for m in usb_targets([str(tmp_path / "a"), str(tmp_path / "b") + "/*", str(tmp_path / "none")])]
    assert found == [str(tmp_path / "a")]  # a glob match that is no mount point is not offered
