"""Search latency over a generated 5,000-exhibit pack: p50/p95 for 1-, 2- and 4-character Chinese queries.

    .venv/bin/python bench/search.py [--exhibits 5000] [--queries 300] [--pack-dir DIR]

Generates the pack with bench/genpack.py (reused when already there), loads it with the real
loader, indexes it into an on-disk database in a temporary folder (timed), then runs every query
once to warm up and once measured. Target: p95 ≤ 10 ms for each query length.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from genpack import CITIES, COUNTIES, OBJECTS, PEOPLE, SPIRITS, SUBJECTS, VERBS, generate_pack, is_generated  # noqa: E402

from app.content.loader import load_pack  # noqa: E402
from app.store.catalog import Catalog, fingerprint  # noqa: E402
from app.store.db import open_db  # noqa: E402
from app.store.search import search  # noqa: E402


def _queries(n: int, rng: random.Random) -> dict[str, list[str]]:
    """n queries per length, drawn from the generator's vocabulary plus some that match nothing."""
    words = (
        [z for _, z, _ in CITIES + COUNTIES] + [s[0] for s in SPIRITS] + [s[0] for s in SUBJECTS]
        + PEOPLE + VERBS + OBJECTS
    )
    text = "".join(words)
    chars = sorted(set(c for c in text if "\u4e00" <= c <= "\u9fff"))
    two = sorted({w[i : i + 2] for w in words for i in range(len(w) - 1) if all("\u4e00" <= c <= "\u9fff" for c in w[i : i + 2])})
    four = sorted({w[i : i + 4] for w in words for i in range(len(w) - 3) if all("\u4e00" <= c <= "\u9fff" for c in w[i : i + 4])})
    misses = {1: list("鲸鹤"), 2: ["火星", "鲸鱼"], 4: ["宇宙飞船", "海底隧道"]}
    out = {}
    for length, pool in ((1, chars), (2, two), (4, four)):
        picked = [rng.choice(pool) for _ in range(n - n // 20)] + [rng.choice(misses[length]) for _ in range(n // 20)]
        rng.shuffle(picked)
        out[f"{length}-char"] = picked
    return out


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exhibits", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=300, help="queries per length")
    parser.add_argument("--pack-dir", type=Path, default=None, help="where the generated pack is kept")
    args = parser.parse_args(argv)

    pack_dir = args.pack_dir or Path(tempfile.gettempdir()) / f"hongtu-bench-pack-{args.exhibits}"
    t0 = time.perf_counter()
    reused = is_generated(pack_dir, args.exhibits)
    if not reused:
        generate_pack(pack_dir, args.exhibits)
    t_gen = time.perf_counter() - t0

    t0 = time.perf_counter()
    pack = load_pack(pack_dir)
    t_load = time.perf_counter() - t0

    with tempfile.TemporaryDirectory(prefix="hongtu-bench-db-") as tmp:
        db = open_db(Path(tmp) / "hongtu.db")
        catalog = Catalog(db)
        t0 = time.perf_counter()
        catalog.index_pack(pack)
        t_index = time.perf_counter() - t0
        db_mb = (Path(tmp) / "hongtu.db").stat().st_size / 1e6
        fp_times = []
        for _ in range(10):
            t0 = time.perf_counter()
            fingerprint(pack_dir)
            fp_times.append((time.perf_counter() - t0) * 1000)

        queries = _queries(args.queries, random.Random(1))
        rows = []
        for label, qs in queries.items():
            for q in qs:  # warm-up pass
                search(db, q, "zh")
            times, hits = [], []
            for q in qs:
                t0 = time.perf_counter()
                result = search(db, q, "zh")
                times.append((time.perf_counter() - t0) * 1000)
                hits.append(len(result))
            rows.append((label, len(qs), statistics.median(times), _pct(times, 95), max(times), statistics.mean(hits)))
        # Baseline, same run: a LIKE scan over the stored texts, reading every row as ranking would
        # need (no ranking, no snippets: a lower bound for a scan-based search).
        for label in ("1-char", "2-char"):
            qs = queries[label][:100]
            times, hits = [], []
            for q in qs:
                t0 = time.perf_counter()
                found = db.execute(
                    "SELECT exhibit_id FROM search_docs WHERE texts LIKE ?", (f"%{q}%",)
                ).fetchall()
                times.append((time.perf_counter() - t0) * 1000)
                hits.append(len(found))
            rows.append((f"{label} LIKE scan", len(qs), statistics.median(times), _pct(times, 95), max(times),
                         statistics.mean(hits)))
        db.close()

    load1, _, _ = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load1:.1f} during the run "
          "(other work on the machine inflates the tail figures)")
    print(f"pack: {args.exhibits} exhibits at {pack_dir} ({'reused' if reused else f'generated in {t_gen:.2f} s'})")
    print(f"load_pack: {t_load:.2f} s   index (catalog + search, one transaction): {t_index:.2f} s   db size: {db_mb:.1f} MB")
    print(f"fingerprint of the pack folder ({sum(1 for _ in pack_dir.rglob('*'))} entries, is_current check): "
          f"median {statistics.median(fp_times):.1f} ms")
    print()
    print(f"{'query':<18} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'mean hits':>10}  target p95 ≤ 10 ms")
    for label, n, p50, p95, worst, mean_hits in rows:
        verdict = ("ok" if p95 <= 10 else "OVER") if "LIKE" not in label else "(baseline: full LIKE scan)"
        print(f"{label:<18} {n:>5} {p50:>8.2f} {p95:>8.2f} {worst:>8.2f} {mean_hits:>10.1f}  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
