"""Search as you type, measured through the kiosk UI: query → rows in the SearchModel.

    .venv/bin/python bench/search_ui.py [--exhibits 5000] [--rounds 40]

Builds the real kiosk offscreen (DB worker, view-models, QML window) over the sample pack and over
a generated pack (bench/genpack.py, reused when already there), then for 1-, 2- and 4-character
Chinese queries times `SearchModel.searchNow(text)` until the rows are in the model (DB worker
round trip, FTS query, thumbnails, model reset on the GUI thread). A second figure types words
key by key at 80 ms per key and counts the queries the debounce actually sends. Prints p50/p95.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SAMPLE = Path(__file__).resolve().parents[1] / "exhibits" / "fujian-red-map"
QUERIES = {
    "1-char": ["红", "党", "田", "船", "电", "精", "山", "路"],
    "2-char": ["红船", "古田", "精神", "长征", "通信", "苏区", "5G", "闽西"],
    "4-char": ["古田会议", "红色通信", "中央苏区", "研学路线", "红船精神", "智慧展馆"],
}
WORDS = ["红色通信", "古田会议", "长征精神", "Gutian"]


def _pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def _measure(pack: Path, rounds: int) -> tuple[list[tuple], tuple[int, int, float]]:
    import app.ui  # noqa: F401
    from app.ui.kiosk import Kiosk, KioskOptions, qt_application
    from app.ui.viewmodels.search import SearchModel

    qapp = qt_application()
    with tempfile.TemporaryDirectory(prefix="hongtu-bench-ui-") as tmp:
        kiosk = Kiosk(KioskOptions(db_path=Path(tmp) / "k.db", pack_path=pack, fullscreen=False,
                                   size=(1280, 800), animate=False, start_active=True))
        try:
            end = time.monotonic() + 600
            while not kiosk.app.ready:
                if kiosk.home_error or time.monotonic() > end:
                    raise SystemExit(f"kiosk did not start: {kiosk.home_error or 'timeout'}")
                qapp.processEvents()
                time.sleep(0.005)
            model = SearchModel()
            sent = []
            real_submit = model.submit
            model.submit = lambda job, ok, err: (sent.append(1), real_submit(job, ok, err))[1]

            def wait_for(text: str) -> None:
                # (not a busy loop: each void PySide6 call drops a reference to None on Python 3.11)
                while not (model.property("shownQuery") == text and model.property("state") != "searching"):
                    qapp.processEvents()
                    time.sleep(0.0005)

            rows = []
            for label, qs in QUERIES.items():
                for q in qs:  # warm-up
                    model.searchNow(q)
                    wait_for(q)
                times, hits = [], []
                for i in range(rounds):
                    q = qs[i % len(qs)]
                    model.clear()
                    t0 = time.perf_counter()
                    model.searchNow(q)
                    wait_for(q)
                    times.append((time.perf_counter() - t0) * 1000)
                    hits.append(model.rowCount())
                rows.append((label, len(times), statistics.median(times), _pct(times, 95), statistics.mean(hits)))

            # typing key by key, 80 ms apart: how many queries does the debounce let through?
            model.clear()
            sent.clear()
            keys = 0
            t_typing = time.perf_counter()
            for word in WORDS:
                for n in range(1, len(word) + 1):
                    model.setProperty("query", word[:n])
                    keys += 1
                    end = time.perf_counter() + 0.08
                    while time.perf_counter() < end:
                        qapp.processEvents()
                        time.sleep(0.005)
                wait_for(word)
                model.clear()
            typing = (keys, len(sent), time.perf_counter() - t_typing)
        finally:
            kiosk.close()
    return rows, typing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exhibits", type=int, default=5000, help="size of the generated pack (0: sample only)")
    parser.add_argument("--rounds", type=int, default=40, help="timed queries per length")
    args = parser.parse_args(argv)

    packs = [("sample pack (24 exhibits)", SAMPLE)]
    if args.exhibits:
        from genpack import generate_pack, is_generated

        gen = Path(tempfile.gettempdir()) / f"hongtu-bench-pack-{args.exhibits}"
        if not is_generated(gen, args.exhibits):
            generate_pack(gen, args.exhibits)
        packs.append((f"generated pack ({args.exhibits} exhibits)", gen))

    for name, pack in packs:
        rows, (keys, sent, seconds) = _measure(pack, args.rounds)
        print(f"{name}: query → rows in the SearchModel (DB worker, thumbnails, model reset)")
        print(f"  {'query':<7} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'hits':>6}")
        for label, n, p50, p95, hits in rows:
            print(f"  {label:<7} {n:>4} {p50:>8.1f} {p95:>8.1f} {hits:>6.1f}")
        print(f"  typing {keys} keys at 80 ms/key: {sent} queries sent by the 150 ms debounce "
              f"({keys / max(1, sent):.1f} keys per query, {seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
