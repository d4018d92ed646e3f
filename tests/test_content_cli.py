"""`hongtu pack validate`: exit codes, the summary line, the problem list and --json."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import app.cli.content  # noqa: F401 - registers the command
from app.cli import cli
from packbuilder import pack_files, write_pack


def run(*args: str):
    return CliRunner().invoke(cli, ["pack", "validate", *args])


def test_good_pack_exits_0_with_a_one_line_summary(tmp_path: Path) -> None:
    result = run(str(write_pack(tmp_path / "p")))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == \
        "OK test-pack 1.0.0: 3 halls, 2 exhibits, 1 route, 1 quiz, 3 questions"


def test_broken_pack_exits_1_and_lists_every_problem(tmp_path: Path) -> None:
    files = pack_files()
    files["exhibits/changting.yaml"]["hall"] = "nowhere"
    files["quizzes/basics.yaml"]["questions"][0]["answer"] = 9
    root = write_pack(tmp_path / "p", files)
    (root / "media" / "photos" / "gutian.png").unlink()
    result = run(str(root))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "exhibits/changting.yaml:hall: unknown hall 'nowhere'",
        "exhibits/gutian-meeting.yaml:media[0].file: missing media file: "
        "media/photos/gutian.png does not exist",
        "quizzes/basics.yaml:questions[0].answer: answer index 9 is out of range: "
        "the options are numbered 0 to 2",
    ]
    assert "3 problems" in result.stderr


def test_json_output(tmp_path: Path) -> None:
    good = run(str(write_pack(tmp_path / "good")), "--json")
    assert good.exit_code == 0
    data = json.loads(good.stdout)
    assert data["ok"] is True and data["id"] == "test-pack"
    assert data["counts"] == {"halls": 3, "exhibits": 2, "routes": 1, "quizzes": 1, "questions": 3}

    files = pack_files()
    files["pack.yaml"]["schema"] = 3
    bad = run(str(write_pack(tmp_path / "bad", files)), "--json")
    assert bad.exit_code == 1
    data = json.loads(bad.stdout)
    assert data["ok"] is False
    assert data["problems"] == [{"file": "pack.yaml", "field": "schema", "message":
                                 "schema 3 is newer than this kiosk supports (1); "
                                 "update the kiosk software"}]


def test_missing_folder_exits_1(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nothing"))
    assert result.exit_code == 1
    assert "no such folder" in result.stdout


def test_help_documents_the_command() -> None:
    result = run("--help")
    assert result.exit_code == 0 and "PATH" in result.output and "--json" in result.output
