"""Start-up time: process start → first frame of the home screen (offscreen, software renderer).

    .venv/bin/python bench/startup.py [--runs 5] [--exhibits 5000]

Each measurement is a fresh child process; the parent times from just before spawning it to the
moment the child reports its first frame (the kiosk prints it once the home screen has its pack
content and a frame has been swapped — see HONGTU_PROBE_FIRST_FRAME in app/ui/kiosk.py). Three
cases, measured side by side in one run, median of --runs each:
  bare      a bare QML window (QGuiApplication + one Window with a Text)
  sample    the kiosk on the bundled sample pack (exhibits/fujian-red-map)
  large     the kiosk on a generated pack of --exhibits exhibits (bench/genpack.py), indexed once
            beforehand so the timing is a warm start
Targets: kiosk ≤ 3 × bare and ≤ 1.5 s.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE_QML = b"""
import QtQuick
import QtQuick.Window
Window {
    width: 1920; height: 1080; visible: true
    Text { anchors.centerIn: parent; text: "\xe7\xba\xa2\xe5\x9b\xbe Hongtu"; font.pixelSize: 64 }
}
"""


def bare_child() -> None:
    """Child process: a bare QML window; prints when its first frame is swapped."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQml import QQmlApplicationEngine
    from PySide6.QtQuick import QQuickWindow  # noqa: F401

    app = QGuiApplication(sys.argv[:1])
    engine = QQmlApplicationEngine()
    engine.loadData(BARE_QML)
    win = engine.rootObjects()[0]
    win.frameSwapped.connect(lambda: (print("HONGTU_FIRST_FRAME", flush=True), app.exit(0)))
    sys.exit(app.exec())


def _env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        QT_QUICK_BACKEND="software",
        HONGTU_PROBE_FIRST_FRAME="1",
        HONGTU_DATA_DIR=str(data_dir),
    )
    # a deployed kiosk runs from compiled bytecode; a sandbox's PYTHONDONTWRITEBYTECODE=1 would
    # make every child recompile every module
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measure(cmd: list[str], env: dict[str, str], timeout: float = 300) -> float:
    """Seconds from spawning `cmd` to its first-frame line."""
    with tempfile.TemporaryFile("w+") as errors:  # a file, not a pipe: a chatty child must not block
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors, env=env, cwd=ROOT, text=True)
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("HONGTU_FIRST_FRAME"):
                elapsed = time.perf_counter() - t0
                proc.wait(timeout)
                return elapsed
        proc.wait(timeout)
        errors.seek(0)
        err = errors.read()
    raise SystemExit(f"{' '.join(cmd)}: exited {proc.returncode} without a first frame: {err.strip()[-400:]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--exhibits", type=int, default=5000)
    ap.add_argument("--pack", type=Path, default=ROOT / "exhibits" / "fujian-red-map", help="the 'sample' pack")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "hongtu-bench",
                    help="folder for the generated pack and the databases (kept between runs)")
    ap.add_argument("--bare-child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.bare_child:
        bare_child()
        return 0

    sys.path.insert(0, str(ROOT / "bench"))
    from genpack import generate_pack, is_generated

    py = sys.executable
    large = args.work / f"pack-{args.exhibits}"
    if not is_generated(large, args.exhibits):
        print(f"generating a {args.exhibits}-exhibit pack in {large} …", flush=True)
        generate_pack(large, args.exhibits)
    cases = {
        "bare": ([py, str(Path(__file__).resolve()), "--bare-child"], args.work / "db-bare"),
        "sample": ([py, "main.py", "--windowed", "--pack", str(args.pack)], args.work / "db-sample"),
        f"large ({args.exhibits})": ([py, "main.py", "--windowed", "--pack", str(large)], args.work / "db-large"),
    }
    for name, (cmd, data) in cases.items():  # warm-up: index the packs, fill OS caches
        t = measure(cmd, _env(data), timeout=900)
        print(f"warm-up {name}: {t:.3f} s", flush=True)
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.runs):  # interleaved so every case sees the same machine load
        for name, (cmd, data) in cases.items():
            times[name].append(measure(cmd, _env(data)))
    bare = statistics.median(times["bare"])
    print(f"\nstart-up to first frame, median of {args.runs} (offscreen, software renderer)")
    for name, ts in times.items():
        med = statistics.median(ts)
        ratio = "" if name == "bare" else f"   {med / bare:.2f}× bare  (targets ≤ 3× and ≤ 1.5 s)"
        print(f"  {name:<14} {med:6.3f} s   min {min(ts):.3f}  max {max(ts):.3f}{ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
