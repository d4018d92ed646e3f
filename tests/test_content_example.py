"""The full example of docs/content-packs.md is a real pack (tests/packs/example) that loads."""
from __future__ import annotations

import re
from pathlib import Path

from app.content.loader import load_pack
from app.content.markdown import to_html

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "tests" / "packs" / "example"


def test_example_pack_loads() -> None:
    pack = load_pack(EXAMPLE)
    assert pack.info.id == "gutian-example"
    assert [h.level for h in pack.halls] == ["province", "city", "county"]
    exhibit = pack.exhibit("gutian-meeting")
    assert exhibit.period == {"zh": "1929年12月"}
    assert "<b>思想建党、政治建军</b>" in to_html(exhibit.body["zh"])
    assert pack.hall("longyan").address == {"zh": "福建省龙岩市", "en": "Longyan, Fujian"}
    assert [q.type for q in pack.quizzes[0].questions] == ["single", "multi", "truefalse"]
    assert pack.quizzes[0].questions[0].options[0] == {"zh": "1927"}


def test_docs_show_the_example_files_verbatim() -> None:
    doc = (REPO / "docs" / "content-packs.md").read_text(encoding="utf-8")
    example = doc[doc.index("## Full example"):]
    blocks = dict(re.findall(r"\*\*`([^`]+)`\*\*\n\n```yaml\n(.*?)```", example, re.S))
    yaml_files = sorted(str(p.relative_to(EXAMPLE)) for p in EXAMPLE.rglob("*.yaml"))
    assert sorted(blocks) == yaml_files
    for rel, text in blocks.items():
        assert (EXAMPLE / rel).read_text(encoding="utf-8") == text, rel
