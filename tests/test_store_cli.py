"""`hongtu search`: --pack (in-memory index), --json, --lang, --limit, the terminal database, errors."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import app.cli.search  # noqa: F401  (registers the command)
from app.cli import cli

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from genpack import generate_pack  # noqa: E402


@pytest.fixture(scope="module")
def pack_dir(tmp_path_factory):
    return generate_pack(tmp_path_factory.mktemp("gen") / "pack", 30)


def run(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env)


def test_search_pack_human_output(pack_dir):
    result = run("search", "党", "--pack", str(pack_dir), "--limit", "5")
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert 1 <= len(lines) <= 5
    ex_id, title, snippet = lines[0].split("\t")
    assert ex_id.startswith("ex-") and title and "党" in title + snippet


def test_search_pack_json(pack_dir):
    result = run("search", "精神", "--pack", str(pack_dir), "--json", "--lang", "en")
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert hits and set(hits[0]) == {"id", "title", "snippet", "score"}
    assert set(hits[0]["title"]) == {"zh", "en"}
    assert all(h["id"].startswith("ex-") for h in hits)


def test_search_several_words_and_no_hit(pack_dir):
    both = json.loads(run("search", "福州", "研学", "--pack", str(pack_dir), "--json").stdout)
    one = json.loads(run("search", "福州", "--pack", str(pack_dir), "--json").stdout)
    assert {h["id"] for h in both} <= {h["id"] for h in one}
    result = run("search", "宇宙飞船", "--pack", str(pack_dir))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(run("search", "宇宙飞船", "--pack", str(pack_dir), "--json").stdout) == []


def test_search_broken_pack_fails_with_the_problems(tmp_path):
    root = generate_pack(tmp_path / "broken", 3)
    (root / "exhibits" / "ex-00001.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    result = run("search", "党", "--pack", str(root))
    assert result.exit_code == 1
    assert "ex-00001.yaml" in result.stderr and "does not load" in result.stderr


def test_search_terminal_database_from_config(tmp_path, pack_dir):
    config = tmp_path / "kiosk_config.yaml"
    config.write_text(f"data_dir: {tmp_path / 'var'}\npack: {pack_dir}\n", encoding="utf-8")
    result = run("search", "福州", "--config", str(config), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)
    assert (tmp_path / "var" / "hongtu.db").exists()
    again = run("search", "福州", "--config", str(config), "--json")  # reuses the catalog
    assert json.loads(again.stdout) == json.loads(result.stdout)
