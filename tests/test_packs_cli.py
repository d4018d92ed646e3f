"""The hongtu pack / keys commands end to end, as a publisher and a hall's staff use them."""
from __future__ import annotations

import json

import pytest

from app.config import SAMPLE_PACK
from packs_tools import make_pack_dir, run  # noqa: F401  (run: a fixture)


def test_publisher_to_terminal_round_trip(tmp_path, run):
    run("keys", "generate", "--out", tmp_path / "museum")
    cfg = tmp_path / "kiosk_config.yaml"
    cfg.write_text(f"data_dir: {tmp_path / 'var'}\npacks:\n  trusted_keys: [museum.pub]\n")  # relative to config
    for v in ("1.0.0", "1.1.0"):
        make_pack_dir(tmp_path / f"src-{v}", v)
    run("pack", "build", tmp_path / "src-1.0.0", "--out", tmp_path / "a.hpack", "--key", tmp_path / "museum.key")
    run("pack", "build", tmp_path / "src-1.1.0", "--out", tmp_path / "b.hpack")
    assert "not signed" in run("pack", "verify", tmp_path / "b.hpack", "--config", cfg, ok=False)
    run("pack", "sign", tmp_path / "b.hpack", "--key", tmp_path / "museum.key")
    out = run("pack", "verify", tmp_path / "b.hpack", "--config", cfg)
    assert out.startswith("OK") and "trusted key" in out
    assert "trusted key" in run("pack", "verify", tmp_path / "b.hpack", "--trust", tmp_path / "museum.pub")
    run("pack", "install", tmp_path / "a.hpack", "--config", cfg)
    assert "previous 1.0.0 kept" in run("pack", "install", tmp_path / "b.hpack", "--config", cfg)
    listing = run("pack", "list", "--config", cfg)
    assert "* test-pack" in listing and "(shown)" in listing and "(previous)" in listing
    assert "1.1.0 -> 1.0.0" in run("pack", "rollback", "--config", cfg)
    rows = json.loads(run("pack", "list", "--json", "--config", cfg))
    assert [(r["version"], r["active"]) for r in rows] == [("1.0.0", True), ("1.1.0", False)]
    assert "active version" in run("pack", "remove", "test-pack", "1.0.0", "--config", cfg, ok=False)
    run("pack", "remove", "test-pack", "1.1.0", "--config", cfg)
    assert "no earlier version" in run("pack", "rollback", "--config", cfg, ok=False)


def test_build_refusal_lists_problems(tmp_path, run):
    def break_it(files):
        files["exhibits/changting.yaml"]["hall"] = "nowhere"

    src = make_pack_dir(tmp_path / "src", mutate=break_it)
    out = run("pack", "build", src, "--out", tmp_path / "x.hpack", ok=False)
    assert "error:" in out and "exhibits/changting.yaml" in out
    assert not (tmp_path / "x.hpack").exists()


def test_sample_pack_builds_and_installs(tmp_path, run):
    from app.content.loader import validate_pack

    assert validate_pack(SAMPLE_PACK) == []
    run("keys", "generate", "--out", tmp_path / "k")
    cfg = tmp_path / "kiosk_config.yaml"
    cfg.write_text(f"data_dir: {tmp_path / 'var'}\npacks:\n  trusted_keys: ['{tmp_path / 'k.pub'}']\n")
    run("pack", "build", SAMPLE_PACK, "--out", tmp_path / "s.hpack", "--key", tmp_path / "k.key")
    run("pack", "install", tmp_path / "s.hpack", "--config", cfg)
    from app.config import load_config
    from app.content.loader import load_pack

    loaded = load_pack(load_config(cfg, env={}).active_pack_path())
    assert loaded.info.id == load_pack(SAMPLE_PACK).info.id
