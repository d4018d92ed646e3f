"""app.store.catalog: indexing a pack, reading it back, atomic replacement, ensure_catalog."""
from __future__ import annotations

import os
import sqlite3
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from app.store import catalog as catalog_module
from app.store import search as search_module
from app.store.catalog import Catalog, ExhibitCard, ensure_catalog, fingerprint
from app.store.db import open_db
from app.store.search import search

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from genpack import generate_pack  # noqa: E402
from store_packs import sample_pack  # noqa: E402


@pytest.fixture()
def pack(tmp_path):
    return sample_pack(tmp_path / "pack")


@pytest.fixture()
def catalog(tmp_path, pack):
    cat = Catalog(open_db(tmp_path / "data" / "hongtu.db"))
    cat.index_pack(pack)
    return cat


def test_empty_catalog(tmp_path):
    cat = Catalog(open_db(tmp_path / "h.db"))
    assert cat.pack_info() is None and cat.pack_root() is None
    assert cat.halls() == [] and cat.exhibits() == [] and cat.tags() == []
    assert cat.exhibit("red-boat") is None
    assert not cat.is_current(tmp_path)


def test_round_trip_to_the_model_dataclasses(catalog, pack):
    assert catalog.pack_info() == pack.info
    assert catalog.pack_root() == pack.root.resolve()
    assert catalog.halls() == list(pack.halls)
    assert [catalog.exhibit(e.id) for e in pack.exhibits] == list(pack.exhibits)
    assert catalog.routes() == list(pack.routes)
    assert catalog.route("study") == pack.routes[1]
    assert catalog.quizzes() == list(pack.quizzes)
    assert catalog.quiz("basics") == pack.quizzes[0]
    boat = catalog.exhibit("red-boat")
    assert isinstance(boat.tags, tuple) and isinstance(boat.media, tuple)
    assert isinstance(catalog.quiz("basics").questions[2].answer, tuple)
    assert catalog.halls()[0].map_pos == (0.5, 0.5)
    assert catalog.route("nope") is None and catalog.quiz("nope") is None


def test_exhibit_cards_filters_and_thumb(catalog):
    cards = catalog.exhibits()
    assert [c.id for c in cards] == ["red-boat", "dachen", "5g-hall", "water-drop"]  # pack order
    boat = cards[0]
    assert boat == ExhibitCard("red-boat", "fj", {"zh": "红船精神", "en": "The Red Boat Spirit"},
                               boat.summary, {"zh": "1921年"}, ("spirit",), "boat.png")  # first *image*
    assert cards[1].thumb is None
    assert [c.id for c in catalog.exhibits(hall="nd")] == ["dachen", "water-drop"]
    assert [c.id for c in catalog.exhibits(tag="sea")] == ["dachen", "5g-hall"]
    assert [c.id for c in catalog.exhibits(hall="nd", tag="sea")] == ["dachen"]
    assert catalog.exhibits(hall="nowhere") == []
    assert [c.id for c in catalog.exhibits(limit=1)] == [catalog.exhibits()[0].id] and catalog.exhibits(limit=0) == []
    assert catalog.media_path("boat.png") == catalog.pack_root() / "media" / "boat.png"
    assert [r.id for r in catalog.routes(hall="nd")] == ["study"]


def test_related_and_tags(catalog):
    rel = catalog.related("red-boat")
    assert [r.id for r in rel.routes] == ["in-hall"]
    assert rel.questions == (("basics", "q1"),)
    assert [c.id for c in rel.exhibits] == ["dachen"]
    rel = catalog.related("dachen")
    assert [c.id for c in rel.exhibits] == ["red-boat", "5g-hall"]  # one shared tag each, pack order
    assert catalog.related("water-drop").routes[0].id == "study"
    assert catalog.tags() == [("sea", {"zh": "海岛", "en": "Islands"}, 2),
                              ("spirit", {"zh": "精神", "en": "Spirit"}, 2)]


def test_is_current_follows_the_pack_files(catalog, pack):
    assert catalog.is_current(pack.root)
    f = pack.root / "pack.yaml"
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert not catalog.is_current(pack.root)
    (pack.root / "media" / "new.png").write_bytes(b"x")
    assert fingerprint(pack.root) != fingerprint(pack.root.parent)


def test_reindex_replaces_everything(catalog, tmp_path):
    other = sample_pack(tmp_path / "other", pack_id="other", version="2.0.0")
    other = replace(other, exhibits=other.exhibits[:1], routes=(), quizzes=())
    catalog.index_pack(other)
    assert catalog.pack_info().id == "other"
    assert [c.id for c in catalog.exhibits()] == ["red-boat"]
    assert catalog.exhibit("dachen") is None
    assert catalog.routes() == [] and catalog.quizzes() == []
    assert [h.exhibit_id for h in search(catalog.db, "大陈岛")] == []
    assert [h.exhibit_id for h in search(catalog.db, "红船")] == ["red-boat"]


def test_failed_index_leaves_the_previous_catalog(catalog, tmp_path):
    bad = sample_pack(tmp_path / "bad", pack_id="bad")
    bad = replace(bad, exhibits=bad.exhibits + bad.exhibits[:1])  # duplicate id: fails mid-way
    with pytest.raises(sqlite3.IntegrityError):
        catalog.index_pack(bad)
    assert not catalog.db.conn.in_transaction
    assert catalog.pack_info().id == "test-pack"
    assert len(catalog.exhibits()) == 4
    assert [h.exhibit_id for h in search(catalog.db, "大陈岛")] == ["dachen"]


def test_readers_never_see_half_a_pack(catalog, tmp_path, monkeypatch):
    """While index_pack is half done, another connection still sees the whole old catalog."""
    reader = Catalog(open_db(tmp_path / "data" / "hongtu.db"))
    seen = {}
    real = search_module.index_pack

    def spy(db, pack):
        seen["exhibits"] = [c.id for c in reader.exhibits()]
        seen["pack"] = reader.pack_info().id
        real(db, pack)

    monkeypatch.setattr(catalog_module.search, "index_pack", spy)
    new = sample_pack(tmp_path / "new", pack_id="new")
    catalog.index_pack(replace(new, exhibits=new.exhibits[:2]))
    assert seen == {"exhibits": ["red-boat", "dachen", "5g-hall", "water-drop"], "pack": "test-pack"}
    assert [c.id for c in reader.exhibits()] == ["red-boat", "dachen"]


def test_ensure_catalog_loads_indexes_and_keeps_the_last_good_pack(tmp_path):
    root = generate_pack(tmp_path / "gen", 12)
    db = open_db(tmp_path / "h.db")
    cat = ensure_catalog(db, root)
    assert cat.pack_info().id == "bench-12" and len(cat.exhibits()) == 12
    assert cat.is_current(root)
    stamp = db.execute("SELECT indexed_at, fingerprint FROM catalog_pack").fetchone()
    ensure_catalog(db, root)  # current: not re-indexed
    assert db.execute("SELECT indexed_at, fingerprint FROM catalog_pack").fetchone() == stamp

    from app.content.loader import PackError

    (root / "exhibits" / "ex-00003.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(PackError):
        ensure_catalog(db, root)
    cat = Catalog(db)
    assert len(cat.exhibits()) == 12 and cat.exhibit("ex-00003") is not None
    assert not cat.is_current(root)
