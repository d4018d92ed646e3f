"""The bundled sample pack (exhibits/fujian-red-map) and the app's own media/ are complete and valid.

Checks the loader accepts the pack with zero problems and that it is rich enough to demo every
feature: the 1+9+N halls, 20+ bilingual exhibits, routes, 36+ quiz questions of all three types,
and media of every kind, all small enough to ship.
"""
from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import wave
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image

from app.content.loader import load_pack, validate_pack
from app.content.model import Pack

REPO = Path(__file__).resolve().parent.parent
PACK_DIR = REPO / "exhibits" / "fujian-red-map"
APP_MEDIA = REPO / "media"
NINE_CITIES = {"福州", "厦门", "漳州", "泉州", "三明", "莆田", "南平", "龙岩", "宁德"}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(PACK_DIR)


def test_sample_pack_validates_with_zero_problems() -> None:
    assert [str(p) for p in validate_pack(PACK_DIR)] == []


def test_pack_info(pack: Pack) -> None:
    info = pack.info
    assert (info.schema, info.id, info.languages) == (1, "fujian-red-map", ("zh", "en"))
    assert re.fullmatch(r"\d+\.\d+\.\d+", info.version)
    assert info.map and pack.media_path(info.map).is_file()
    with Image.open(pack.media_path(info.map)) as im:
        assert im.size == (1600, 1200)
    used = {t for e in pack.exhibits for t in e.tags}
    assert used <= set(info.tags), f"tags without a label: {used - set(info.tags)}"
    for tag, label in info.tags.items():
        assert re.fullmatch(r"[a-z0-9-]+", tag) and {"zh", "en"} <= set(label)


def test_halls_form_the_1_9_n_tree(pack: Pack) -> None:
    levels = Counter(h.level for h in pack.halls)
    assert levels["province"] == 1 and levels["city"] == 9 and levels["county"] >= 3
    province = next(h for h in pack.halls if h.level == "province")
    assert province.parent is None
    cities = [h for h in pack.halls if h.level == "city"]
    assert {c.parent for c in cities} == {province.id}
    assert {c.name["zh"][:2] for c in cities} == NINE_CITIES
    city_ids = {c.id for c in cities}
    assert all(h.parent in city_ids for h in pack.halls if h.level == "county")
    for h in pack.halls:
        assert {"zh", "en"} <= set(h.name) and {"zh", "en"} <= set(h.intro), h.id
        assert h.map_pos is not None and all(0 < v < 1 for v in h.map_pos), h.id


def test_map_positions_match_the_drawn_map(pack: Pack) -> None:
    """halls.yaml map_pos = where tools/make_sample_media.py draws each hall on the map."""
    spec = importlib.util.spec_from_file_location("make_sample_media", REPO / "tools" / "make_sample_media.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    for hall in pack.halls:
        lon, lat = tool.PLACES[hall.id][2:4]
        assert hall.map_pos == pytest.approx(tool.map_fraction(lon, lat), abs=0.002), hall.id


def test_exhibits_are_bilingual_and_sized(pack: Pack) -> None:
    assert len(pack.exhibits) >= 20
    ids = {e.id for e in pack.exhibits}
    for spirit in ("red-boat-spirit", "dachen-land-reclamation", "ant-island-spirit",
                   "southwest-zhejiang-spirit", "haixia-spirit", "smart-hall-5g", "red-map-1-9-n",
                   "ten-study-routes", "dishui-chuanshi", "neighbour-party-building", "gutian-meeting",
                   "central-red-courier-line"):
        assert spirit in ids
    for e in pack.exhibits:
        assert {"zh", "en"} <= set(e.title) and {"zh", "en"} <= set(e.summary), e.id
        assert 150 <= len(CJK.findall(e.body["zh"])) <= 400, e.id
        assert any(m.kind == "image" for m in e.media), e.id


def test_media_kinds_present(pack: Pack) -> None:
    kinds = Counter(m.kind for e in pack.exhibits for m in e.media)
    assert kinds["image"] >= len(pack.exhibits) and kinds["video"] >= 1 and kinds["audio"] >= 1
    assert any(sum(m.kind == "image" for m in e.media) >= 3 for e in pack.exhibits)
    narrated = [e for e in pack.exhibits if e.narration]
    assert narrated and all(pack.media_path(f).is_file() for e in narrated for f in e.narration.values())
    for e in pack.exhibits:
        card = pack.media_path(f"images/{e.id}.jpg")
        with Image.open(card) as im:
            assert im.size == (1280, 720), card


def test_every_media_file_is_used_and_the_pack_is_small(pack: Pack) -> None:
    media_dir = PACK_DIR / "media"
    on_disk = {p.relative_to(media_dir).as_posix() for p in media_dir.rglob("*") if p.is_file()}
    used = {m.file for e in pack.exhibits for m in e.media}
    used |= {f for e in pack.exhibits for f in e.narration.values()} | {pack.info.map}
    assert on_disk == used
    assert sum(p.stat().st_size for p in PACK_DIR.rglob("*") if p.is_file()) < 12 * 1024 * 1024
    for f in used:
        if f.endswith(".mp4"):
            assert (media_dir / f).stat().st_size < 2 * 1024 * 1024


def test_routes(pack: Pack) -> None:
    assert len(pack.routes) >= 4
    in_hall = [r for r in pack.routes if all(s.exhibit for s in r.stops) and len(r.stops) >= 5]
    study = [r for r in pack.routes if sum(1 for s in r.stops if s.site) >= 2]
    assert in_hall and len(study) >= 3
    for r in pack.routes:
        assert r.duration_min > 0 and {"zh", "en"} <= set(r.title)
        for s in r.stops:
            if s.site:
                assert s.site.address and s.site.map_pos and {"zh", "en"} <= set(s.site.name)


def test_quizzes(pack: Pack) -> None:
    questions = [q for quiz in pack.quizzes for q in quiz.questions]
    assert len(pack.quizzes) >= 2 and len(questions) >= 36
    assert set(Counter(q.type for q in questions)) == {"single", "multi", "truefalse"}
    for q in questions:
        assert q.exhibit and pack.exhibit(q.exhibit), q.id
        assert {"zh", "en"} <= set(q.prompt) and {"zh", "en"} <= set(q.explanation), q.id


def test_correct_options_are_stated_in_the_linked_exhibit(pack: Pack) -> None:
    """Each right answer of a choice question appears word for word in its exhibit's Chinese text."""
    for quiz in pack.quizzes:
        for q in quiz.questions:
            if q.type == "truefalse":
                continue
            e = pack.exhibit(q.exhibit)
            text = "".join(t.get("zh", "") for t in (e.title, e.summary, e.body, e.period or {}))
            for i in q.answer:
                assert q.options[i]["zh"] in text, f"{quiz.id}/{q.id}: {q.options[i]['zh']}"


def test_app_media() -> None:
    attract = APP_MEDIA / "attract.mp4"
    assert attract.is_file() and attract.stat().st_size < 3 * 1024 * 1024
    with Image.open(APP_MEDIA / "attract-poster.jpg") as im:
        assert im.size == (1280, 720)
    for name in ("tap", "correct", "wrong"):
        with wave.open(str(APP_MEDIA / "sounds" / f"{name}.wav")) as w:
            assert w.getnchannels() == 1 and w.getsampwidth() == 2
            assert 0.03 < w.getnframes() / w.getframerate() < 1.0
    for icon in ("home", "back", "map", "route", "quiz", "search", "language", "narration"):
        svg = (APP_MEDIA / "icons" / f"{icon}.svg").read_text(encoding="utf-8")
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert (APP_MEDIA / "README.md").is_file()


def _duration_s(path: Path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                          str(path)], capture_output=True, text=True, check=True, timeout=30)
    return float(out.stdout.strip())


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="ffprobe (ffmpeg) not installed")
def test_video_and_audio_durations(pack: Pack) -> None:
    videos = [pack.media_path(m.file) for e in pack.exhibits for m in e.media if m.kind == "video"]
    assert videos and all(8 <= _duration_s(v) <= 12 for v in videos)
    assert 15 <= _duration_s(APP_MEDIA / "attract.mp4") <= 20
    narrations = [pack.media_path(f) for e in pack.exhibits for f in e.narration.values()]
    assert all(_duration_s(a) > 10 for a in narrations)
