"""Small content packs built directly from the model dataclasses, for the store tests (no loader)."""
from __future__ import annotations

from pathlib import Path

from app.content.model import (
    Exhibit,
    Hall,
    MediaItem,
    Pack,
    PackInfo,
    Question,
    Quiz,
    Route,
    RouteStop,
    Site,
)


def sample_pack(root: Path, *, pack_id: str = "test-pack", version: str = "1.0.0") -> Pack:
    """A pack with 3 halls, 4 exhibits (zh + en), 2 routes and 1 quiz; writes its files under `root`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pack.yaml").write_text(f"id: {pack_id}\nversion: {version}\n", encoding="utf-8")
    (root / "media").mkdir(exist_ok=True)
    (root / "media" / "boat.png").write_bytes(b"\x89PNG fake")
    info = PackInfo(
        schema=1,
        id=pack_id,
        version=version,
        title={"zh": "测试展馆", "en": "Test hall"},
        languages=("zh", "en"),
        publisher={"zh": "测试"},
        map="map.png",
        description={"zh": "用于测试"},
        tags={"spirit": {"zh": "精神", "en": "Spirit"}, "sea": {"zh": "海岛", "en": "Islands"}},
    )
    halls = (
        Hall("fj", "province", None, {"zh": "福建省馆", "en": "Fujian hall"}, {"zh": "省级展馆"}, (0.5, 0.5)),
        Hall("nd", "city", "fj", {"zh": "宁德馆", "en": "Ningde hall"}, {"zh": "滴水穿石"}, (0.7, 0.3),
             {"zh": "宁德市"}),
        Hall("xm", "city", "fj", {"zh": "厦门馆", "en": "Xiamen hall"}, {"zh": "近邻党建"}),
    )
    exhibits = (
        Exhibit(
            id="red-boat",
            hall="fj",
            title={"zh": "红船精神", "en": "The Red Boat Spirit"},
            summary={"zh": "开天辟地、敢为人先的首创精神。", "en": "Pioneering spirit born on a boat."},
            body={"zh": "## 南湖\n\n1921年，中国共产党第一次全国代表大会在**南湖**的一条游船上闭幕。\n\n- 首创\n- 奋斗\n- 奉献",
                  "en": "In 1921 the first congress closed on a boat on **South Lake**."},
            period={"zh": "1921年"},
            tags=("spirit",),
            media=(MediaItem("video.mp4", "video"), MediaItem("boat.png", "image", {"zh": "红船"})),
            narration={"zh": "boat.ogg"},
        ),
        Exhibit(
            id="dachen",
            hall="nd",
            title={"zh": "大陈岛垦荒精神", "en": "Dachen Island pioneers"},
            summary={"zh": "青年志愿垦荒队登岛建设。", "en": "Young volunteers built the island."},
            body={"zh": "1956年，四百多名青年来到大陈岛，艰苦创业。"},
            tags=("spirit", "sea"),
        ),
        Exhibit(
            id="5g-hall",
            hall="xm",
            title={"zh": "5G智慧馆", "en": "5G smart hall"},
            summary={"zh": "用新技术讲述党的故事。"},
            body={"zh": "云上展馆让观众随时参观。(测试) AND OR * \"引号\""},
            tags=("sea",),
        ),
        Exhibit(
            id="water-drop",
            hall="nd",
            title={"zh": "滴水穿石", "en": "Dripping water wears stone"},
            summary={"zh": "宁德的精准扶贫实践，讲述红船般的坚持。"},
            body={"zh": "一任接着一任干，久久为功。"},
        ),
    )
    routes = (
        Route("in-hall", "fj", {"zh": "馆内路线"}, {"zh": "精神"}, 30,
              (RouteStop(exhibit="red-boat"), RouteStop(exhibit="dachen"))),
        Route("study", "nd", {"zh": "研学路线"}, {"zh": "扶贫"}, 120,
              (RouteStop(site=Site({"zh": "下党村"}, {"zh": "扶贫旧址"}, {"zh": "寿宁县"}, (0.1, 0.2))),
               RouteStop(exhibit="water-drop"))),
    )
    quizzes = (
        Quiz(
            "basics",
            {"zh": "基础知识"},
            (
                Question("q1", "single", {"zh": "红船在哪里？"}, ({"zh": "南湖"}, {"zh": "西湖"}), (0,),
                         {"zh": "嘉兴南湖"}, "red-boat"),
                Question("q2", "truefalse", {"zh": "大陈岛在浙江"}, ({"zh": "对"}, {"zh": "错"}), (0,),
                         exhibit="dachen"),
                Question("q3", "multi", {"zh": "哪些是精神？"}, ({"zh": "红船"}, {"zh": "海霞"}, {"zh": "石头"}),
                         (0, 1)),
            ),
            time_limit_s=60,
            hall="fj",
            pick=2,
        ),
    )
    return Pack(root, info, halls, exhibits, routes, quizzes)
