"""bench/soak.py: the harness plays real sessions through the kiosk, and its verdict reads rows right."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

pytestmark = pytest.mark.timeout(150)


def test_a_short_soak_plays_every_activity_without_errors(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_QUICK_BACKEND="software", TMPDIR=str(tmp_path))
    out = subprocess.run([sys.executable, "bench/soak.py", "--sessions", "8", "--every", "4", "--warmup", "4",
                          "--settle", "0.3"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=140)
    assert out.returncode == 0, out.stderr[-2000:]
    text = out.stdout
    assert "8 sessions in" in text and "0 stuck steps, 0 errors" in text, text
    assert "activities: quiz 2, related 2, route 2, search 2" in text, text
    rows = [line.split() for line in text.splitlines() if len(line.split()) == 8 and line.split()[0].isdigit()]
    assert [int(r[0]) for r in rows][:3] == [0, 4, 8]
    assert all(float(r[7]) > 0 for r in rows)  # the RSS at the reset instant, before the rest
    assert int(rows[-1][6]) > 0  # visit events reached the database
    assert "growth" in text and "trend" in text


def test_the_verdict_averages_quarters_and_ignores_the_warm_up(tmp_path: Path) -> None:
    from bench.soak import rows_from_log, summarize

    log = tmp_path / "soak.log"
    lines = ["soak: data in /tmp/x", "sessions minutes RSS fds threads DB events",
             "        0      0.0     160.0    29       13     0.70         0"]
    # after the warm-up, RSS swings ±30 MB around 380 MB with no trend
    for i, sessions in enumerate(range(1000, 25000, 1000)):
        lines.append(f"{sessions:>9} {sessions / 200:>8.1f} {380 + (30 if i % 2 else -30):>9.1f}    35       20"
                     f" {5 + sessions / 1e4:>8.2f} {sessions * 5:>9}")
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = rows_from_log(log)
    assert len(rows) == 25
    verdict = "\n".join(summarize(rows, warmup=1000))
    assert "160.0 MB at start → 350.0 MB at 1000 sessions" in verdict
    assert "growth +0.0 MB" in verdict and "descriptors 35–35" in verdict and "threads 20–20" in verdict
    assert "1000–2000: 350.0" in verdict and "growth +0.0 MB (target" in verdict.split("floor")[1]
