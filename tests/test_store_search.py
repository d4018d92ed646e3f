"""app.store.search: Chinese of any length, English, ranking, AND, unsafe input, snippets."""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from app.content.model import Exhibit
from app.store.catalog import Catalog
from app.store.db import open_db
from app.store.search import search, spaced, split_terms

sys.path.insert(0, str(Path(__file__).resolve().parent))
from store_packs import sample_pack  # noqa: E402


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    pack = sample_pack(tmp_path_factory.mktemp("pack"))
    database = open_db(":memory:")
    Catalog(database).index_pack(pack)
    return database


def ids(db, query, **kw):
    return [h.exhibit_id for h in search(db, query, **kw)]


def test_one_character_chinese(db):
    assert set(ids(db, "党")) == {"5g-hall", "red-boat"}  # summary 党的故事, body 共产党
    assert ids(db, "岛") == ["dachen", "5g-hall"]  # title 大陈岛… above the tag label 海岛


def test_two_character_chinese_and_mixed(db):
    assert ids(db, "南湖") == ["red-boat"]
    assert ids(db, "5G") == ids(db, "5g") == ids(db, "５Ｇ") == ["5g-hall"]  # case and full width
    assert ids(db, "船精") == ["red-boat"]  # across no boundary inside 红船精神
    assert ids(db, "红船")[0] == "red-boat"


def test_short_terms_do_not_match_across_punctuation(db):
    # "…开天辟地、敢为人先…": 地 and 敢 are separated by '、'
    assert ids(db, "地敢") == []
    assert ids(db, "辟地") == ["red-boat"]


def test_three_or_more_characters(db):
    assert ids(db, "大陈岛垦荒") == ["dachen"]
    assert ids(db, "一任接着一任干") == ["water-drop"]
    assert ids(db, "不存在的内容") == []


def test_english_any_case(db):
    assert ids(db, "lake") == ["red-boat"]
    assert ids(db, "BOAT")[0] == "red-boat"
    assert ids(db, "Dripping water") == ["water-drop"]


def test_hall_names_and_tag_labels_are_searched(db):
    assert set(ids(db, "宁德馆")) == {"dachen", "water-drop"}
    assert set(ids(db, "Islands")) == {"dachen", "5g-hall"}  # tag label
    assert set(ids(db, "海岛")) == {"dachen", "5g-hall"}


def test_title_hits_rank_above_body_hits(db):
    # 红船 is the title of red-boat and only in water-drop's summary
    assert ids(db, "红船") == ["red-boat", "water-drop"]
    assert ids(db, "精神")[:2] in (["red-boat", "dachen"], ["dachen", "red-boat"])


def test_title_outranks_many_body_occurrences(tmp_path):
    pack = sample_pack(tmp_path / "p")
    noisy = Exhibit("noisy", "fj", {"zh": "长篇介绍"}, {"zh": "摘要"},
                    {"zh": "古田会议" * 40 + "。这是一段很长的正文。" * 20})
    titled = Exhibit("titled", "fj", {"zh": "古田会议会址与会议精神研究的一个相当长的标题"}, {"zh": "摘要"},
                     {"zh": "正文。"})
    database = open_db(":memory:")
    Catalog(database).index_pack(replace(pack, exhibits=pack.exhibits + (noisy, titled)))
    assert ids(database, "古田会议") == ["titled", "noisy"]
    assert ids(database, "古田") == ["titled", "noisy"]


def test_several_terms_must_all_match(db):
    assert ids(db, "红船 精神") == ["red-boat"]
    assert ids(db, "扶贫 红船") == ["water-drop"]  # long + short term together
    assert ids(db, "宁德 精准扶贫") == ["water-drop"]
    assert ids(db, "红船　首创") == ["red-boat"]  # ideographic space separates too
    assert ids(db, "红船 火星") == []


@pytest.mark.parametrize("query", [
    '"', '""', "'", "*", "红*", "AND", "OR", "NOT", "NEAR(红船 精神)", "(", ")", "title:红船",
    "{title}: 红船", "^红", "a-b", "红船 OR", '"红船', "-", "+", ":", ";", "\\", "\x00", "😀", "\ue000",
    " ", "", "红 * 船", "NEAR", "col:*",
])
def test_fts_syntax_in_user_input_is_safe(db, query):
    hits = search(db, query)
    assert isinstance(hits, list)


def test_fts_operators_are_plain_text(db):
    assert ids(db, "(测试)") == ["5g-hall"]  # literal parentheses in the body
    assert ids(db, '"引号"') == ["5g-hall"]
    assert ids(db, "AND OR") == ["5g-hall"]  # the words themselves, in the body text
    assert ids(db, "*") == [] and ids(db, "") == [] and ids(db, "   ") == []


def test_snippets_follow_the_language(db):
    zh = search(db, "boat", lang="zh")[0]
    assert "boat" in zh.snippet.lower()  # match only in English text: English snippet
    hit = search(db, "首创", lang="zh")[0]
    assert hit.exhibit_id == "red-boat" and "首创" in hit.snippet
    en = search(db, "红船精神", lang="en")[0]
    assert en.title == {"zh": "红船精神", "en": "The Red Boat Spirit"}
    assert en.snippet.startswith("Pioneering")  # title-only match: summary in the requested language
    body = search(db, "一任接着一任干", lang="zh")[0]
    assert body.snippet.startswith("一任接着一任干")
    assert all(h.score >= 0 for h in search(db, "党"))


def test_limit(db):
    assert len(search(db, "精", limit=1)) == 1
    assert search(db, "精", limit=0) == []


def test_helpers():
    assert split_terms(" 红船  精神\u3000ＡＢ ") == ["红船", "精神", "AB"]
    assert spaced("红船, 5G") == "红 船 \ue000 5 G"


def test_search_without_an_index_says_so():
    from app.store.db import StoreError

    with pytest.raises(StoreError, match="index a pack first"):
        search(open_db(":memory:"), "红船")
