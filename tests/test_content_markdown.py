"""The exhibit-body Markdown subset: safe rich text for QML and plain text for narration/search."""
from __future__ import annotations

from app.content.markdown import parse, to_html, to_plain

BODY = """# 古田会议
会议确立了**思想建党、
政治建军**的原则。

## 会议经过
- 召开时间：1929年12月
* 地点：上杭古田
  （今古田会议会址）

1. 第一天
2. 第二天
"""


def test_blocks_headings_bold_and_lists_to_html() -> None:
    assert to_html(BODY) == (
        "<h1>古田会议</h1>"
        "<p>会议确立了<b>思想建党、政治建军</b>的原则。</p>"
        "<h2>会议经过</h2>"
        "<ul><li>召开时间：1929年12月</li><li>地点：上杭古田（今古田会议会址）</li></ul>"
        "<ol><li>第一天</li><li>第二天</li></ol>"
    )


def test_plain_text_for_narration_and_search() -> None:
    assert to_plain(BODY) == (
        "古田会议\n\n会议确立了思想建党、政治建军的原则。\n\n会议经过\n\n"
        "召开时间：1929年12月\n地点：上杭古田（今古田会议会址）\n\n1. 第一天\n2. 第二天"
    )


def test_everything_else_is_escaped() -> None:
    html = to_html('<img src=x onerror="alert(1)"> & <a href="javascript:x">link</a>\n\n'
                   "**<script>bad()</script>**")
    assert "<img" not in html and "<a " not in html and "<script>" not in html
    assert html == ('<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; '
                    '&lt;a href=&quot;javascript:x&quot;&gt;link&lt;/a&gt;</p>'
                    "<p><b>&lt;script&gt;bad()&lt;/script&gt;</b></p>")


def test_latin_lines_join_with_a_space_and_headings_need_a_space() -> None:
    assert to_html("one\ntwo\r\nthree") == "<p>one two three</p>"
    assert to_html("#no-space\n\n#### four") == "<p>#no-space</p><p>#### four</p>"
    assert to_html("### Closing hashes ###") == "<h3>Closing hashes</h3>"


def test_unmatched_bold_and_single_stars_stay_literal() -> None:
    assert to_html("a **b and *c*") == "<p>a **b and *c*</p>"
    assert to_plain("**粗体** 和 ** 空格 **") == "粗体 和 ** 空格 **"


def test_ordered_list_keeps_its_start_number() -> None:
    assert to_html("3. three\n4. four") == '<ol start="3"><li>three</li><li>four</li></ol>'
    assert to_plain("3. three\n4. four") == "3. three\n4. four"


def test_list_kinds_do_not_merge_and_empty_input() -> None:
    blocks = parse("- a\n1. b\n- c")
    assert [b.kind for b in blocks] == ["ul", "ol", "ul"]
    assert to_html("") == "" and to_plain("  \n\n ") == ""
