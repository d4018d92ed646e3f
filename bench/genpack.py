"""Generate a large, valid content pack for benchmarks: plausible Chinese text from a vocabulary.

    python bench/genpack.py OUT_DIR --exhibits 5000

or, from another script: `from genpack import generate_pack; generate_pack(out_dir, 5000)`.
The pack has a province hall, 9 city halls and county halls below them (1+9+N), the exhibits
spread over them (zh text, en titles and summaries), a few routes and quizzes and tiny media.
The same `seed` gives the same pack.
"""
from __future__ import annotations

import argparse
import json
import random
import struct
import sys
import zlib
from pathlib import Path

GENERATOR_VERSION = 1

CITIES = [
    ("fuzhou", "福州", "Fuzhou"), ("xiamen", "厦门", "Xiamen"), ("ningde", "宁德", "Ningde"),
    ("putian", "莆田", "Putian"), ("quanzhou", "泉州", "Quanzhou"), ("zhangzhou", "漳州", "Zhangzhou"),
    ("longyan", "龙岩", "Longyan"), ("sanming", "三明", "Sanming"), ("nanping", "南平", "Nanping"),
]
COUNTIES = [
    ("gutian", "古田", "Gutian"), ("changting", "长汀", "Changting"), ("shanghang", "上杭", "Shanghang"),
    ("shouning", "寿宁", "Shouning"), ("pingnan", "屏南", "Pingnan"), ("ninghua", "宁化", "Ninghua"),
    ("jianning", "建宁", "Jianning"), ("taining", "泰宁", "Taining"), ("wuyishan", "武夷山", "Wuyishan"),
    ("xiapu", "霞浦", "Xiapu"), ("fuan", "福安", "Fu'an"), ("zhouning", "周宁", "Zhouning"),
    ("yongding", "永定", "Yongding"), ("liancheng", "连城", "Liancheng"), ("wuping", "武平", "Wuping"),
    ("pinghe", "平和", "Pinghe"), ("zhaoan", "诏安", "Zhao'an"), ("anxi", "安溪", "Anxi"),
    ("yongchun", "永春", "Yongchun"), ("xianyou", "仙游", "Xianyou"), ("minhou", "闽侯", "Minhou"),
    ("lianjiang", "连江", "Lianjiang"), ("pingtan", "平潭", "Pingtan"), ("tongan", "同安", "Tong'an"),
    ("jianou", "建瓯", "Jian'ou"), ("shunchang", "顺昌", "Shunchang"), ("datian", "大田", "Datian"),
]
SPIRITS = [
    ("红船精神", "Red Boat Spirit", "red-boat"), ("垦荒精神", "Land reclamation spirit", "land-reclamation"),
    ("蚂蚁岛精神", "Ant Island Spirit", "ant-island"), ("海霞精神", "Haixia Spirit", "haixia"),
    ("浙西南革命精神", "Southwest Zhejiang revolutionary spirit", "southwest-zhejiang"),
    ("古田会议精神", "Gutian Conference spirit", "gutian"), ("苏区精神", "Soviet Area spirit", "soviet-area"),
    ("长征精神", "Long March spirit", "long-march"), ("滴水穿石精神", "Dripping water spirit", "water-drop"),
]
SUBJECTS = [
    ("红色交通站", "red liaison station"), ("秘密电台", "secret radio station"), ("红军邮路", "Red Army mail route"),
    ("通信兵", "signal soldiers"), ("农民协会", "peasant association"), ("渔民合作社", "fishermen's cooperative"),
    ("青年突击队", "youth shock team"), ("海岛哨所", "island sentry post"), ("电话总机", "telephone switchboard"),
    ("无线电训练班", "radio training class"), ("苏维埃政府", "Soviet government"), ("扶贫工作队", "poverty relief team"),
    ("5G基站", "5G base station"), ("云上展馆", "cloud exhibition"), ("英烈纪念馆", "martyrs' memorial"),
    ("近邻党建", "neighbourhood party building"), ("红色家书", "red family letters"), ("研学基地", "study base"),
    ("革命旧址", "revolutionary site"), ("乡村振兴", "rural revitalisation"),
]
SUFFIXES = ["旧址", "陈列", "故事", "史料", "专题", "展区", "实物", "档案", "影像", "记忆"]
PEOPLE = ["老党员", "通信员", "女交通员", "红军战士", "青年志愿者", "渔民", "驻村干部", "讲解员", "报务员", "乡亲们"]
VERBS = ["传承", "坚守", "建设", "开辟", "守护", "讲述", "发扬", "践行", "铭记", "弘扬"]
OBJECTS = [
    "初心使命", "革命传统", "红色基因", "理想信念", "群众路线", "艰苦奋斗的作风", "信息通道", "红色血脉",
    "党的声音", "爱国情怀", "奉献精神", "科技力量",
]
OPENERS = [
    "{year}年，{people}在{place}{verb}{obj}，", "早在{year}年，{place}的{people}就开始{verb}{obj}，",
    "{place}是{spirit}的重要见证地，", "在{place}的山海之间，{people}用行动{verb}{obj}，",
    "走进{place}，可以看到{subject}留下的许多痕迹，",
]
MIDDLES = [
    "他们克服重重困难，把{subject}一步步建设起来。", "这段历史说明了{spirit}的深刻内涵。",
    "当年的电报和书信至今保存完好，讲述着{people}的忠诚。", "群众自发掩护、支援，形成了牢固的鱼水之情。",
    "如今，{subject}已经成为党员干部接受教育的课堂。", "展柜里的{suffix}让观众仿佛回到那个烽火年代。",
    "通过5G和大数据，参观者可以在屏幕上重温{spirit}。", "一代又一代人接力奋斗，久久为功。",
]
CLOSERS = [
    "今天，我们要继续{verb}{obj}。", "这正是{spirit}在新时代的生动体现。", "这里也是“1+9+N”研学和创红图的一站。",
    "它提醒每一位观众不忘初心、牢记使命。",
]
PERIODS = ["1927—1934年", "1929年", "1930年代", "1949年以后", "1955年", "改革开放以来", "2012年以来", "新时代"]


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A tiny valid one-colour PNG."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _lt(zh: str, en: str | None = None) -> str:
    return "{zh: %s, en: %s}" % (_q(zh), _q(en)) if en else _q(zh)


def _paragraph(rng: random.Random, place: str, spirit: str, subject: str) -> str:
    words = dict(
        year=rng.randint(1921, 2023), people=rng.choice(PEOPLE), place=place, verb=rng.choice(VERBS),
        obj=rng.choice(OBJECTS), spirit=spirit, subject=subject, suffix=rng.choice(SUFFIXES),
    )
    parts = [rng.choice(OPENERS)] + rng.sample(MIDDLES, rng.randint(2, 4)) + [rng.choice(CLOSERS)]
    return "".join(p.format(**words) for p in parts)


def generate_pack(out_dir: Path | str, n_exhibits: int = 5000, seed: int = 7) -> Path:
    """Write a valid pack with `n_exhibits` exhibits into `out_dir` (created; existing files overwritten)."""
    rng = random.Random(seed)
    root = Path(out_dir)
    for sub in ("exhibits", "routes", "quizzes", "media/images"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for old in (root / "exhibits").glob("*.yaml"):
        old.unlink()
    images = []
    for i in range(8):
        name = f"images/card-{i}.png"
        (root / "media" / name).write_bytes(_png(8, 6, (180 + i * 9, 20 + i * 5, 30)))
        images.append(name)
    (root / "media" / "map.png").write_bytes(_png(16, 16, (200, 40, 40)))

    tags = [(slug, zh, en) for zh, en, slug in SPIRITS] + [
        ("communications", "红色通信", "Red communications"), ("poverty-alleviation", "脱贫攻坚", "Poverty alleviation"),
        ("study-route", "研学路线", "Study routes"), ("smart-hall", "智慧展馆", "Smart halls"),
    ]
    tag_lines = "".join(f"  {slug}: {_lt(zh, en)}\n" for slug, zh, en in tags)
    (root / "pack.yaml").write_text(
        "schema: 1\n"
        f"id: bench-{n_exhibits}\n"
        "version: 1.0.0\n"
        f"title: {_lt(f'基准测试红图（{n_exhibits}件展品）', f'Benchmark red map ({n_exhibits} exhibits)')}\n"
        "languages: [zh, en]\n"
        f"publisher: {_lt('红图基准测试', 'Hongtu benchmark')}\n"
        "map: map.png\n"
        f"description: {_lt('由 bench/genpack.py 生成的测试内容包。', 'Generated by bench/genpack.py.')}\n"
        f"tags:\n{tag_lines}",
        encoding="utf-8",
    )

    halls: list[tuple[str, str, str]] = [("fj-province", "福建", "Fujian")]  # (id, zh place, en place)
    lines = [
        "- id: fj-province\n  level: province\n"
        f"  name: {_lt('福建省级红色通信馆', 'Fujian Provincial Hall')}\n"
        f"  intro: {_lt('1+9+N矩阵的中枢。', 'Hub of the 1+9+N network.')}\n  map_pos: [0.5, 0.5]\n"
    ]
    for i, (cid, zh, en) in enumerate(CITIES):
        halls.append((cid, zh, en))
        lines.append(
            f"- id: {cid}\n  level: city\n  parent: fj-province\n"
            f"  name: {_lt(zh + '市级馆', en + ' City Hall')}\n"
            f"  intro: {_lt(zh + '的红色通信故事。', 'Red communications in ' + en + '.')}\n"
            f"  map_pos: [{0.1 + 0.09 * i:.2f}, {0.2 + 0.07 * i:.2f}]\n"
        )
    for i, (kid, zh, en) in enumerate(COUNTIES):
        parent = CITIES[i % len(CITIES)][0]
        halls.append((kid, zh, en))
        lines.append(
            f"- id: {kid}\n  level: county\n  parent: {parent}\n"
            f"  name: {_lt(zh + '县级馆', en + ' County Hall')}\n"
            f"  intro: {_lt(zh + '的革命旧址与研学线路。', 'Sites and study routes of ' + en + '.')}\n"
        )
    (root / "halls.yaml").write_text("".join(lines), encoding="utf-8")

    exhibit_ids = []
    for n in range(n_exhibits):
        hall_id, place_zh, place_en = halls[n % len(halls)]
        spirit_zh, spirit_en, spirit_tag = rng.choice(SPIRITS)
        subject_zh, subject_en = rng.choice(SUBJECTS)
        suffix = rng.choice(SUFFIXES)
        ex_id = f"ex-{n:05d}"
        exhibit_ids.append(ex_id)
        title_zh = f"{place_zh}{subject_zh}{suffix}"
        title_en = f"{place_en} {subject_en} ({n})"
        summary_zh = f"{place_zh}的{subject_zh}见证了{spirit_zh}，{rng.choice(VERBS)}{rng.choice(OBJECTS)}。"
        summary_en = f"How the {subject_en} of {place_en} carries the {spirit_en}."
        paras = [_paragraph(rng, place_zh, spirit_zh, subject_zh) for _ in range(rng.randint(2, 3))]
        body = (
            f"## {subject_zh}\n\n" + paras[0] + "\n\n**" + spirit_zh + "**的要点：\n\n"
            + "".join(f"- {rng.choice(VERBS)}{rng.choice(OBJECTS)}\n" for _ in range(3)) + "\n"
            + "\n\n".join(paras[1:])
        )
        extra = rng.choice(tags[len(SPIRITS):])[0]
        text = (
            f"id: {ex_id}\nhall: {hall_id}\n"
            f"title: {_lt(title_zh, title_en)}\n"
            f"summary: {_lt(summary_zh, summary_en)}\n"
            f"body: {_q(body)}\n"
            f"period: {_q(rng.choice(PERIODS))}\n"
            f"tags: [{spirit_tag}, {extra}]\n"
            f"media:\n  - file: {images[n % len(images)]}\n    kind: image\n"
            f"    caption: {_q(title_zh)}\n"
        )
        (root / "exhibits" / f"{ex_id}.yaml").write_text(text, encoding="utf-8")

    for old in list((root / "routes").glob("*.yaml")) + list((root / "quizzes").glob("*.yaml")):
        old.unlink()
    for r in range(5):
        hall_id, place_zh, place_en = halls[r]
        stops = "".join(f"  - exhibit: {exhibit_ids[(r * 37 + k * 11) % n_exhibits]}\n" for k in range(5))
        stops += (
            f"  - site:\n      name: {_lt(place_zh + '革命旧址', place_en + ' revolutionary site')}\n"
            f"      intro: {_q('户外研学点。')}\n      address: {_q('福建省' + place_zh)}\n"
        )
        (root / "routes" / f"route-{r}.yaml").write_text(
            f"id: route-{r}\nhall: {hall_id}\ntitle: {_lt(place_zh + '研学路线', place_en + ' study route')}\n"
            f"theme: {_q(rng.choice(SPIRITS)[0])}\nduration_min: {30 + 15 * r}\nstops:\n{stops}",
            encoding="utf-8",
        )
    for z in range(3):
        qs = []
        for k in range(10):
            ex = exhibit_ids[(z * 101 + k * 13) % n_exhibits]
            spirit = SPIRITS[(z + k) % len(SPIRITS)][0]
            if k % 3 == 2:
                qs.append(
                    f"  - id: q{k}\n    type: truefalse\n    prompt: {_q(spirit + '诞生于新时代。')}\n"
                    f"    answer: false\n    exhibit: {ex}\n"
                )
            else:
                opts = "".join(f"      - {_q(s[0])}\n" for s in SPIRITS[:4])
                qs.append(
                    f"  - id: q{k}\n    type: single\n    prompt: {_q('下列哪一项是展品所讲述的精神？')}\n"
                    f"    options:\n{opts}    answer: {k % 4}\n"
                    f"    explanation: {_q('请回顾展品内容。')}\n    exhibit: {ex}\n"
                )
        (root / "quizzes" / f"quiz-{z}.yaml").write_text(
            f"id: quiz-{z}\ntitle: {_lt(f'红色知识竞答{z + 1}', f'Red history quiz {z + 1}')}\n"
            f"time_limit_s: 90\npick: 5\nquestions:\n" + "".join(qs),
            encoding="utf-8",
        )
    (root / ".genpack").write_text(f"{GENERATOR_VERSION} {n_exhibits} {seed}\n", encoding="utf-8")
    return root


def is_generated(out_dir: Path | str, n_exhibits: int, seed: int = 7) -> bool:
    """True when `out_dir` already holds the pack `generate_pack(out_dir, n_exhibits, seed)` writes."""
    stamp = Path(out_dir) / ".genpack"
    try:
        return stamp.read_text(encoding="utf-8").split() == [str(GENERATOR_VERSION), str(n_exhibits), str(seed)]
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--exhibits", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    root = generate_pack(args.out_dir, args.exhibits, args.seed)
    print(f"wrote {args.exhibits} exhibits to {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
