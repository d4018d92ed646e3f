"""Narration benchmark: tap → first sound, and synthesis speed, for each TTS engine.

    .venv/bin/python bench/narration.py [--runs 15] [--seeds ../shared/seeds]

Figures (medians over the runs, p95 in brackets):
- pre-rendered exhibit: time to resolve the exhibit's narration from the cache (service) and to
  hand it to QMediaPlayer until it reports PlayingState (Qt, offscreen; target ≤ 200 ms);
- uncached 200-character Chinese text: synthesis of a text never seen before with the worker
  already running (target ≤ 1.5 s), plus the one-off cold start of the worker process;
- synthesis speed: seconds of audio per CPU second of the worker (and the kiosk process).
Both engines are measured side by side in one run: pyttsx3 (primary) and the espeak-ng program
(fallback). Uses a temporary cache; never touches the kiosk's.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.config import KioskConfig  # noqa: E402
from app.content.model import Exhibit, Pack, PackInfo  # noqa: E402
from app.narration.engine import SynthWorker, worker_command  # noqa: E402
from app.narration.service import NarrationService  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"


def chinese_texts(seeds: Path, n: int, length: int = 200) -> list[str]:
    """n distinct 200-character Chinese passages from the seed articles."""
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt")))
    text = "".join(text.split())
    step = max(length, (len(text) - length) // max(1, n))
    return [text[i * step:i * step + length] for i in range(n)]


def cpu_of(pid: int | None) -> float:
    """User+system CPU seconds of a process (Linux /proc); 0 when unknown."""
    if not pid:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        # utime + stime + cutime + cstime: the espeak-ng program runs as the worker's child
        return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def stats(xs: list[float]) -> str:
    xs = sorted(xs)
    p95 = xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]
    return f"{statistics.median(xs) * 1000:7.1f} ms [{p95 * 1000:6.1f}]"


def qt_handoff(paths: list[Path]) -> list[float] | None:
    """Seconds from setSource() to PlayingState for each file (offscreen Qt; None if unavailable)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from PySide6.QtCore import QEventLoop, QTimer, QUrl
        from PySide6.QtGui import QGuiApplication
        from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
    except ImportError:
        return None
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    player, out = QMediaPlayer(), QAudioOutput()
    player.setAudioOutput(out)
    times = []
    saved = os.dup(2)  # FFmpeg prints each file's header on stderr
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        times = _handoff_loop(app, player, paths)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
    return times


def _handoff_loop(app, player, paths):  # noqa: ANN001, ANN202
    from PySide6.QtCore import QEventLoop, QTimer, QUrl
    from PySide6.QtMultimedia import QMediaPlayer

    times = []
    for path in paths:
        loop = QEventLoop()
        player.playbackStateChanged.connect(loop.quit)
        QTimer.singleShot(3000, loop.quit)
        t0 = time.perf_counter()
        player.setSource(QUrl.fromLocalFile(str(path)))
        player.play()
        if player.playbackState() != QMediaPlayer.PlaybackState.PlayingState:
            loop.exec()
        times.append(time.perf_counter() - t0)
        player.playbackStateChanged.disconnect(loop.quit)
        player.stop()
        player.setSource(QUrl())
        app.processEvents()
    return times


def bench_engine(engine: str, texts: list[str], runs: int, tmp: Path) -> dict[str, object]:
    cfg = KioskConfig(data_dir=tmp / engine)
    cfg = dataclasses.replace(cfg, narration=dataclasses.replace(cfg.narration, cache_dir=tmp / engine / "cache"))
    service = NarrationService(cfg, worker=SynthWorker(worker_command(engine), timeout_s=60))
    try:
        t0 = time.perf_counter()
        service.worker.start()
        cold_start = time.perf_counter() - t0
        service.prepare("预热。", "zh", use_cache=False)  # first job loads the voice
        # uncached 200-character texts
        uncached, audio_s, worker_cpu, own_cpu = [], 0.0, 0.0, 0.0
        for text in texts[:runs]:
            pid = service.worker.pid
            c0, p0, t0 = cpu_of(pid), time.process_time(), time.perf_counter()
            n = service.prepare(text, "zh", use_cache=False)
            uncached.append(time.perf_counter() - t0)
            worker_cpu += cpu_of(service.worker.pid) - c0 if service.worker.pid == pid else 0.0
            own_cpu += time.process_time() - p0
            audio_s += n.duration_s
        # pre-rendered exhibit: render once, then resolve from the cache per tap
        pack = Pack(root=tmp, info=PackInfo(1, "bench", "1", {"zh": "bench"}, ("zh",), {"zh": "bench"}),
                    halls=(), exhibits=(), routes=(), quizzes=())
        exhibit = Exhibit("bench-ex", "h", {"zh": "古田会议"}, {"zh": texts[0][:60] + "。"}, {"zh": texts[1]})
        service.prepare_exhibit(pack, exhibit, "zh")
        resolve, paths = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            n = service.prepare_exhibit(pack, exhibit, "zh")
            resolve.append(time.perf_counter() - t0)
            assert n.source == "cache"
            paths.append(n.path)
        return {"engine": service.worker.engine_name, "cold_start": cold_start, "uncached": uncached,
                "resolve": resolve, "paths": paths, "audio_s": audio_s, "worker_cpu": worker_cpu,
                "own_cpu": own_cpu, "chars": sum(len(t) for t in texts[:runs])}
    finally:
        service.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    args = parser.parse_args()
    texts = chinese_texts(args.seeds, args.runs)
    rows = []
    with tempfile.TemporaryDirectory(prefix="hongtu-bench-narration-") as tmp:
        for engine in ("pyttsx3", "espeak-ng"):
            r = bench_engine(engine, texts, args.runs, Path(tmp))
            handoff = qt_handoff(r["paths"])  # type: ignore[arg-type]
            r["handoff"] = handoff
            rows.append(r)
    print(f"Narration benchmark: {args.runs} runs, 200-character Chinese texts from {args.seeds}, rate {KioskConfig().narration.rate} wpm,"
          f" {os.cpu_count()} CPUs. Median [p95].")
    print(f"{'engine':<10} {'cached: resolve':>24} {'cached: +Qt play':>24} {'uncached 200 chars':>24} {'worker cold start':>18} {'audio s / CPU s':>16}")
    for r in rows:
        total = [a + b for a, b in zip(r["resolve"], r["handoff"])] if r["handoff"] else None
        speed = r["audio_s"] / r["worker_cpu"] if r["worker_cpu"] else float("nan")
        both = r["audio_s"] / (r["worker_cpu"] + r["own_cpu"]) if r["worker_cpu"] else float("nan")
        print(f"{r['engine']:<10} {stats(r['resolve']):>24} {stats(total) if total else 'n/a':>24} {stats(r['uncached']):>24}"
              f" {r['cold_start'] * 1000:15.0f} ms {speed:8.0f} ({both:.0f})")
    print("targets: pre-rendered exhibit ≤ 200 ms (tap → file handed to the player), uncached 200 characters ≤ 1.5 s.")
    print("audio s / CPU s: seconds of speech per CPU second of the worker (in brackets: worker + kiosk process).")
    r0 = rows[0]
    print(f"speech produced: {r0['audio_s']:.0f} s for {r0['chars']} characters ({r0['chars'] / r0['audio_s']:.1f} characters/s).")


if __name__ == "__main__":
    main()
