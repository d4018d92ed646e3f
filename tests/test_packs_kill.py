"""`kill -9` of `hongtu pack install` at every stage: the active pack stays whole and cleanup finishes the job."""
from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.config import load_config
from app.packs.install import PAUSE_ENV, cleanup_stale, install_dir_of, install_pack
from app.packs.state import read_state
from packs_tools import assert_active, build, make_keys, tmp_folders

REPO = Path(__file__).resolve().parent.parent
# (stage at which the process is killed, version active afterwards)
STAGES = [("checked", "1.0.1"), ("unpacking", "1.0.1"), ("unpacked", "1.0.1"), ("validated", "1.0.1"),
          ("moved", "1.0.1"), ("switching", "1.0.1"), ("switched", "1.1.0")]


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("kill")
    key, pub = make_keys(tmp)
    hpacks = {v: build(tmp, v, key, media={"video/big.mp4": os.urandom(2 << 20)} if v == "1.1.0" else None)
              for v in ("1.0.0", "1.0.1", "1.1.0")}
    return tmp, pub, hpacks


def run_until_killed(cfg_path: Path, hpack: Path, stage: str) -> None:
    env = {**os.environ, PAUSE_ENV: stage, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "app", "pack", "install", str(hpack), "--config", str(cfg_path)],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, cwd=REPO)
    deadline = time.monotonic() + 30
    seen = b""
    try:
        while f"HONGTU_PACK_STAGE {stage}".encode() not in seen:
            left = deadline - time.monotonic()
            assert left > 0 and proc.poll() is None, f"never reached {stage}: {seen.decode(errors='replace')}"
            ready, _, _ = select.select([proc.stderr], [], [], left)
            if ready:
                seen += os.read(proc.stderr.fileno(), 4096)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.parametrize("stage, after", STAGES)
def test_kill_at_stage(setup, tmp_path, stage, after):
    tmp, pub, hpacks = setup
    cfg_path = tmp_path / "kiosk_config.yaml"
    cfg_path.write_text(f"data_dir: {tmp_path / 'var'}\npacks:\n  trusted_keys: ['{pub}']\n")
    cfg = load_config(cfg_path, env={})
    install_pack(hpacks["1.0.0"], cfg)
    install_pack(hpacks["1.0.1"], cfg)

    run_until_killed(cfg_path, hpacks["1.1.0"], stage)

    # the kiosk, starting now, finds a whole pack without any cleanup having run
    from app.content.loader import load_pack
    from app.packs.install import active_pack_path

    assert load_pack(active_pack_path(cfg)).info.version == after
    cleanup_stale(cfg)  # what the kiosk does at start-up
    assert_active(cfg, after)
    root = install_dir_of(cfg)
    state = read_state(root)
    on_disk = sorted(p.name for p in (root / "test-pack").iterdir() if p.is_dir())
    assert on_disk == sorted(v.version for v in state.packs["test-pack"].versions)
    assert not list(root.glob(".active.json.tmp-*")) and tmp_folders(cfg) == []
    # and the next attempt simply works
    r = install_pack(hpacks["1.1.0"], cfg)
    assert r.version == "1.1.0"
    assert_active(cfg, "1.1.0")
