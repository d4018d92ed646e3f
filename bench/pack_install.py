"""Benchmark: install a generated ~1 GB signed pack, beside `sha256sum` + `cp` of the same files.

    .venv/bin/python bench/pack_install.py [--size-mb 1024] [--rounds 2] [--dir /var/tmp]

Generates a valid pack (the minimal test pack plus a few large random "videos" and a few hundred
small "images") in a temporary folder on disk, builds and signs it, then alternates, per round:

  baseline   sha256sum of every file + cp -r of the pack folder (what "check and copy" costs)
  baseline+s the same followed by `sync` (install fsyncs every file, so this is the fair match)
  install    `install_pack` in a child process: verify signature, check entries, unpack while
             hashing, fsync, validate with the loader, switch the pointer (time measured inside
             the child, without interpreter start-up)

and prints the times, the ratio install / baseline, and the child's peak RSS before and after the
install (flat memory: the peak does not grow with the pack size). Everything is deleted afterwards.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from app.config import load_config
from app.packs.install import install_pack
cfg = load_config(sys.argv[2], env={})
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
r = install_pack(Path(sys.argv[3]), cfg)
dt = time.perf_counter() - t
print(json.dumps({"seconds": dt, "rss_before_kb": rss0,
                  "rss_peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "version": r.version}))
"""


def write_random(path: Path, size: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    block = 1 << 22
    with open(path, "wb") as f:
        left = size
        while left > 0:
            n = min(block, left)
            f.write(os.urandom(n))
            left -= n


def generate(root: Path, size_mb: int, version: str) -> Path:
    from packbuilder import MINIMAL_MEDIA, pack_files, write_pack

    files = pack_files()
    files["pack.yaml"]["version"] = version
    write_pack(root, files, MINIMAL_MEDIA)
    total = size_mb << 20
    small_n, small_size = 300, 64 << 10
    big_total = max(total - small_n * small_size, 4 << 20)
    for i in range(4):
        write_random(root / "media" / "video" / f"film-{i}.mp4", big_total // 4)
    for i in range(small_n):
        write_random(root / "media" / "photos" / f"photo-{i:03d}.jpg", small_size)
    return root


def timed(cmd: list[str] | str, shell: bool = False) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, shell=shell, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mb", type=int, default=1024, help="approximate pack size (MB)")
    ap.add_argument("--rounds", type=int, default=2, help="alternating measurement rounds")
    ap.add_argument("--dir", type=Path, default=None, help="where to create the temporary folder (on disk)")
    args = ap.parse_args()

    from app.packs.archive import build_archive
    from app.packs.signing import generate_keypair, load_private_key

    work = Path(tempfile.mkdtemp(prefix="hongtu-bench-", dir=args.dir))
    try:
        t = time.perf_counter()
        key_path, pub_path = generate_keypair(work / "bench")
        key = load_private_key(key_path)
        src = generate(work / "src", args.size_mb, "1.0.0")
        hpacks = []
        for r in range(args.rounds):  # each round installs a new version (same media, new pack.yaml)
            pack_yaml = src / "pack.yaml"
            pack_yaml.write_text(pack_yaml.read_text(encoding="utf-8").replace(f"version: 1.0.{max(r - 1, 0)}",
                                                                               f"version: 1.0.{r}"), encoding="utf-8")
            hp = work / f"pack-{r}.hpack"
            tb = time.perf_counter()
            m = build_archive(src, hp, key=key)
            build_s = time.perf_counter() - tb
            assert m.version == f"1.0.{r}", m.version
            hpacks.append(hp)
        print(f"generated and built {args.rounds} pack version(s) of {m.total_size / 1e6:,.0f} MB, {len(m.files)} files each "
              f"in {time.perf_counter() - t:.1f} s; build + sign: {build_s:.1f} s "
              f"({m.total_size / 1e6 / build_s:,.0f} MB/s)")
        files = [str(p) for p in sorted(src.rglob("*")) if p.is_file()]
        cfg = work / "kiosk_config.yaml"
        cfg.write_text(json.dumps({"data_dir": str(work / "var"), "packs": {"trusted_keys": [str(pub_path)],
                                                                            "keep_versions": 20}}))
        rows = []
        for r in range(args.rounds):
            dst = work / f"copy-{r}"
            subprocess.run(["sync"], check=True)
            sha = timed(["sha256sum", *files])
            cp = timed(["cp", "-r", str(src), str(dst)])
            sync = timed(["sync"])
            shutil.rmtree(dst)
            subprocess.run(["sync"], check=True)
            out = subprocess.run([sys.executable, "-c", CHILD, str(REPO), str(cfg), str(hpacks[r])],
                                 check=True, capture_output=True, text=True).stdout
            res = json.loads(out)
            subprocess.run(["sync"], check=True)
            rows.append((sha, cp, sync, res))
            base, base_s = sha + cp, sha + cp + sync
            print(f"round {r + 1}: sha256sum {sha:.2f} s + cp {cp:.2f} s = {base:.2f} s (+ sync {sync:.2f} s = "
                  f"{base_s:.2f} s) | install {res['seconds']:.2f} s | ratio {res['seconds'] / base:.2f}x "
                  f"(vs baseline+sync {res['seconds'] / base_s:.2f}x) | install peak RSS "
                  f"{res['rss_peak_kb'] / 1024:.0f} MB (after imports {res['rss_before_kb'] / 1024:.0f} MB)")
        best_base = min(s + c for s, c, _, _ in rows)
        best_base_s = min(s + c + y for s, c, y, _ in rows)
        best_inst = min(r["seconds"] for *_, r in rows)
        peak = max(r["rss_peak_kb"] for *_, r in rows) / 1024
        mbps = m.total_size / 1e6 / best_inst
        print(f"best: baseline {best_base:.2f} s, baseline+sync {best_base_s:.2f} s, install {best_inst:.2f} s "
              f"({mbps:,.0f} MB/s) -> {best_inst / best_base:.2f}x baseline, {best_inst / best_base_s:.2f}x "
              f"baseline+sync (target <= 1.5x); peak RSS {peak:.0f} MB for a {m.total_size / 1e6:,.0f} MB pack")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
