"""Text preparation for narration: Markdown stripped, numbers read in Chinese, sentences and chunks."""
import pytest

from app.content.model import Exhibit, Site
from app.narration.errors import NothingToNarrate
from app.narration.text import MAX_CHARS, MAX_CHUNK, exhibit_text, prepare, site_text, split_sentences
from app.narration.zh_numbers import cardinal_zh, read_numbers_zh


@pytest.mark.parametrize("src, spoken", [
    ("1921年", "一九二一年"),
    ("2022年", "二零二二年"),
    ("1921—1949年", "一九二一至一九四九年"),
    ("158场", "一百五十八场"),
    ("超20000人次", "超两万人次"),
    ("20,000人", "两万人"),
    ("10月1日", "十月一日"),
    ("5G网络", "五G网络"),
    ("增长35%", "增长百分之三十五"),
    ("份额58.21%", "份额百分之五十八点二一"),
    ("96.41万", "九十六点四一万"),
    ("1005", "一千零五"),
    ("110", "一百一十"),
    ("15", "十五"),
    ("2个支部", "两个支部"),
    ("210000000", "两亿一千万"),
    ("80年代", "八十年代"),
    ("13800138000", "一三八零零一三八零零零"),
    ("１９２１年", "一九二一年"),
    ("1+9+N", "一加九加N"),
])
def test_numbers_are_read_the_chinese_way(src, spoken):
    assert read_numbers_zh(src) == spoken


def test_cardinals():
    assert cardinal_zh(0) == "零"
    assert cardinal_zh(10) == "十"
    assert cardinal_zh(100010) == "十万零一十"
    assert cardinal_zh(1_0000_0001) == "一亿零一"
    assert cardinal_zh(2000) == "两千"
    assert cardinal_zh(200) == "二百"


def test_markdown_is_stripped_and_lists_become_enumerations():
    chunks = prepare("## 会议\n\n会议确立了**思想建党**的原则。\n\n1. 第一项\n2. 第二项\n\n- 要点", "zh").chunks
    assert chunks == ("会议", "会议确立了思想建党的原则。", "一、第一项", "二、第二项", "要点")
    assert not any("*" in c or "#" in c for c in chunks)


def test_sentences_split_on_chinese_and_latin_punctuation():
    assert split_sentences("第一句。第二句！第三句？第四句；“引号里。”后面") == [
        "第一句。", "第二句！", "第三句？", "第四句；", "“引号里。”", "后面"]
    assert split_sentences("It is 3.5 m tall. Really? Yes!") == ["It is 3.5 m tall.", "Really?", "Yes!"]
    assert split_sentences("……\n\n   \n!!") == []  # nothing speakable


def test_long_sentences_are_cut_into_bounded_chunks():
    sentence = "，".join(["红色资源是我们党艰辛而辉煌奋斗历程的见证"] * 20) + "。"
    chunks = prepare(sentence, "zh").chunks
    assert len(chunks) > 1 and all(len(c) <= MAX_CHUNK for c in chunks)
    assert "".join(chunks) == sentence  # cut at commas, nothing lost


def test_fifty_thousand_characters_are_split_never_sent_whole():
    text = ("古田会议是中国共产党和红军建设史上的里程碑" * 2500)[:50_000]  # no punctuation at all
    prepared = prepare(text, "zh")
    assert all(len(c) <= MAX_CHUNK for c in prepared.chunks)
    assert prepared.truncated and sum(map(len, prepared.chunks)) <= MAX_CHARS
    assert len(prepared.chunks) >= MAX_CHARS // MAX_CHUNK


def test_empty_text_says_nothing_to_narrate():
    for text in ("", "   \n\n", "**  **", "# \n- \n"):
        with pytest.raises(NothingToNarrate, match="nothing to narrate"):
            prepare(text, "zh")


def test_exhibit_text_is_summary_then_body_and_site_text_is_name_then_intro():
    ex = Exhibit(id="e", hall="h", title={"zh": "古田会议"}, summary={"zh": "1929年召开的会议"},
                 body={"zh": "# 标题\n\n会议确立了**原则**。", "en": "The **principle**."})
    text = exhibit_text(ex, "zh")
    assert text.startswith("1929年召开的会议。")  # a summary without a full stop gets one
    assert "会议确立了原则。" in text and "**" not in text
    assert exhibit_text(ex, "en").endswith("The principle.")
    site = Site(name={"zh": "古田会议旧址"}, intro={"zh": "会议召开的地方。"})
    assert prepare(site_text(site, "zh"), "zh").chunks == ("古田会议旧址。", "会议召开的地方。")


def test_undecodable_bytes_from_a_command_line_are_dropped():
    cut = "古田会议".encode()[:-1].decode("utf-8", "surrogateescape")  # cut mid-character
    assert prepare(cut + "。", "zh").chunks == ("古田会。",)
