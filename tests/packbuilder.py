"""Build small, valid content packs in a folder for tests (and bigger ones for benchmarks).

    files = pack_files()                       # {relative path: YAML data}, a valid pack
    files["halls.yaml"][2]["parent"] = "nowhere"
    root = write_pack(tmp_path / "pack", files)

`write_pack` writes every YAML file and the media files the minimal pack refers to (a real PNG and
a real WAV), so a test changes one thing and checks the one problem it expects.
"""
from __future__ import annotations

import copy
import io
import struct
import wave
import zlib
from pathlib import Path
from typing import Any

import yaml

_MINIMAL: dict[str, Any] = {
    "pack.yaml": {
        "schema": 1,
        "id": "test-pack",
        "version": "1.0.0",
        "title": {"zh": "测试展馆", "en": "Test Hall"},
        "languages": ["zh", "en"],
        "publisher": "测试出版方",
        "map": "map.png",
        "description": {"zh": "用于测试的小型内容包。", "en": "A small pack for tests."},
        "tags": {"gutian": {"zh": "古田会议", "en": "Gutian Meeting"}},
    },
    "halls.yaml": [
        {"id": "fujian", "level": "province", "name": {"zh": "福建馆", "en": "Fujian Hall"},
         "intro": "福建红色文化总馆。"},
        {"id": "longyan", "level": "city", "parent": "fujian", "name": "龙岩馆",
         "intro": "龙岩市展馆。", "map_pos": [0.3, 0.6], "address": "福建省龙岩市"},
        {"id": "shanghang", "level": "county", "parent": "longyan", "name": "上杭馆",
         "intro": "上杭县展馆。", "map_pos": [0.25, 0.7]},
    ],
    "exhibits/gutian-meeting.yaml": {
        "id": "gutian-meeting",
        "hall": "shanghang",
        "title": {"zh": "古田会议", "en": "The Gutian Meeting"},
        "summary": {"zh": "1929年召开的重要会议。", "en": "A key meeting held in 1929."},
        "body": "# 古田会议\n\n会议确立了**思想建党、政治建军**的原则。\n\n- 召开时间：1929年12月\n- 地点：上杭古田\n",
        "period": "1929",
        "tags": ["gutian"],
        "media": [{"file": "photos/gutian.png", "kind": "image",
                   "caption": {"zh": "会址", "en": "The meeting site"}}],
        "narration": {"zh": "audio/gutian-zh.wav"},
    },
    "exhibits/changting.yaml": {
        "id": "changting",
        "hall": "longyan",
        "title": {"zh": "红色小上海", "en": "Little Red Shanghai"},
        "summary": "长汀是中央苏区的经济中心。",
        "body": "长汀在土地革命时期十分繁荣。",
    },
    "routes/gutian-walk.yaml": {
        "id": "gutian-walk",
        "hall": "shanghang",
        "title": {"zh": "古田研学路线", "en": "Gutian study walk"},
        "theme": "思想建党",
        "duration_min": 90,
        "stops": [
            {"exhibit": "gutian-meeting"},
            {"site": {"name": "古田会议旧址", "intro": "会议召开的地方。", "address": "上杭县古田镇",
                      "map_pos": [0.26, 0.71]}},
            {"exhibit": "changting"},
        ],
    },
    "quizzes/basics.yaml": {
        "id": "basics",
        "title": {"zh": "基础知识", "en": "Basics"},
        "hall": "fujian",
        "time_limit_s": 60,
        "pick": 2,
        "questions": [
            {"id": "q1", "type": "single", "prompt": "古田会议在哪一年召开？",
             "options": ["1927年", "1929年", "1934年"], "answer": 1,
             "explanation": "1929年12月。", "exhibit": "gutian-meeting"},
            {"id": "q2", "type": "multi", "prompt": "哪些地方属于龙岩？",
             "options": ["上杭", "长汀", "莆田"], "answer": [0, 1]},
            {"id": "q3", "type": "truefalse", "prompt": {"zh": "长汀被称为红色小上海。",
                                                         "en": "Changting was called Little Red Shanghai."},
             "answer": True},
        ],
    },
}


def pack_files() -> dict[str, Any]:
    """A fresh deep copy of the minimal valid pack: {path relative to the root: YAML data}."""
    return copy.deepcopy(_MINIMAL)


def png_bytes(width: int = 4, height: int = 3, rgb: tuple[int, int, int] = (200, 16, 46)) -> bytes:
    """A real, tiny PNG image (no Pillow needed)."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def wav_bytes(seconds: float = 0.1, rate: int = 8000) -> bytes:
    """A real, short, silent mono WAV file."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\x00\x00" * int(seconds * rate))
    return buf.getvalue()


MINIMAL_MEDIA = {"map.png": png_bytes(), "photos/gutian.png": png_bytes(),
                 "audio/gutian-zh.wav": wav_bytes()}


def write_yaml(root: Path, rel: str, data: Any) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_text(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_pack(root: Path, files: dict[str, Any] | None = None,
               media: dict[str, bytes] | None = None) -> Path:
    """Write `files` (default: the minimal pack) and `media` (default: its media) under `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, data in (pack_files() if files is None else files).items():
        write_yaml(root, rel, data)
    for rel, blob in (MINIMAL_MEDIA if media is None else media).items():
        path = root / "media" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob)
    return root


def build_large_pack(root: Path, n_exhibits: int = 5000, n_cities: int = 9,
                     counties_per_city: int = 3) -> Path:
    """A valid generated pack with `n_exhibits` exhibits spread over 1+9+27 halls (benchmarks)."""
    files = pack_files()
    halls = [files["halls.yaml"][0]]
    for c in range(n_cities):
        halls.append({"id": f"city-{c}", "level": "city", "parent": "fujian",
                      "name": {"zh": f"第{c}市馆", "en": f"City hall {c}"}, "intro": "市级展馆。",
                      "map_pos": [0.1 + 0.08 * c, 0.5]})
        for k in range(counties_per_city):
            halls.append({"id": f"county-{c}-{k}", "level": "county", "parent": f"city-{c}",
                          "name": f"第{c}-{k}县馆", "intro": "县级展馆。"})
    files["halls.yaml"] = halls
    leaf = [h["id"] for h in halls[1:]]
    words = "红船 井冈山 长征 延安 古田 才溪 长汀 闽西 苏区 星火 燎原 初心 使命 信仰 党史 精神".split()
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n_exhibits):
        w1, w2 = words[i % len(words)], words[(i * 7 + 3) % len(words)]
        write_yaml(root, f"exhibits/ex-{i:05d}.yaml", {
            "id": f"ex-{i:05d}", "hall": leaf[i % len(leaf)],
            "title": {"zh": f"{w1}{w2}展品{i}", "en": f"Exhibit {i}"},
            "summary": {"zh": f"关于{w1}与{w2}的展品。", "en": f"About exhibit {i}."},
            "body": f"## {w1}\n\n这件展品讲述了**{w2}**的故事。\n\n- 第一点\n- 第二点\n",
            "period": str(1921 + i % 80), "tags": [w1, w2],
            "media": [{"file": "photos/gutian.png", "kind": "image", "caption": f"图{i}"}],
        })
    del files["exhibits/gutian-meeting.yaml"], files["exhibits/changting.yaml"]
    files["routes/gutian-walk.yaml"]["hall"] = "fujian"
    files["routes/gutian-walk.yaml"]["stops"] = [{"exhibit": "ex-00000"}, {"exhibit": "ex-00001"}]
    files["quizzes/basics.yaml"]["questions"][0]["exhibit"] = "ex-00000"
    return write_pack(root, files)


if __name__ == "__main__":  # python tests/packbuilder.py OUT_DIR [N_EXHIBITS]
    import sys

    out = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    build_large_pack(out, count)
    print(f"wrote a {count}-exhibit pack to {out}")
