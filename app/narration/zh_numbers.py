"""Reading Arabic numerals the way a Chinese narrator says them.

`read_numbers_zh("1921年10月1日，158场，超20000人次，增长35.5%")` gives
"一九二一年十月一日，一百五十八场，超两万人次，增长百分之三十五点五". Years (four digits before 年)
are read digit by digit, quantities as cardinals with 万/亿, percentages with 百分之, decimals with
点; numbers glued to Latin letters (5G, 4K) and long digit strings (phone numbers, ids) are read
digit by digit.
"""
from __future__ import annotations

import re

DIGITS = "零一二三四五六七八九"
_SMALL_UNITS = ("", "十", "百", "千")
_BIG_UNITS = ("", "万", "亿", "万亿")
# Measure words after which a lone 2 is read 两 (2个 → 两个).
_LIANG_MEASURES = set("个位次名条支座件本张岁场项处种批家所间部只匹辆架艘")
_FULLWIDTH = str.maketrans("０１２３４５６７８９％", "0123456789%")
_DASHES = "-—–~～至到"

_NUMBER = re.compile(r"\d+(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?")
_YEAR_RANGE = re.compile(rf"(?<![\d.])(\d{{4}})(\s*[{_DASHES}]\s*)(\d{{4}})(?=\s*年)")
_YEAR = re.compile(r"(?<![\d.])(\d{4})(?=\s*年(?!代|级|龄))|(?<![\d.])(\d{2,4})(?=\s*年代)")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
_SIGN_WORDS = {"+": "加", "×": "乘", "=": "等于", "~": "至", "～": "至"}
_SIGNS = re.compile(r"(?<=[零一二三四五六七八九十百千万亿两A-Za-z])[+×=~～](?=[零一二三四五六七八九十两A-Za-z])")
_LATIN_GLUED = re.compile(r"(?<![\d.])(\d+)(?=[A-Za-z])|(?<=[A-Za-z])(\d+)")


def digits_zh(s: str) -> str:
    """Digit by digit: '1921' → '一九二一' (the reading of years, phone numbers, ids)."""
    return "".join(DIGITS[int(c)] if c.isdigit() else c for c in s)


def _below_10000(n: int) -> str:
    out: list[str] = []
    zero = False
    for pos in range(3, -1, -1):
        d = (n // 10**pos) % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[d] + _SMALL_UNITS[pos])
    return "".join(out)


def cardinal_zh(n: int) -> str:
    """A whole number as a Chinese cardinal: 158 → 一百五十八, 20000 → 两万, 1005 → 一千零五."""
    if n == 0:
        return "零"
    if n < 0:
        return "负" + cardinal_zh(-n)
    groups: list[int] = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    if len(groups) > len(_BIG_UNITS):
        return digits_zh(str(sum(g * 10000**i for i, g in enumerate(groups))))
    out: list[str] = []
    need_zero = False
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            need_zero = bool(out)
            continue
        if out and (need_zero or g < 1000):
            out.append("零")
        need_zero = False
        out.append(_below_10000(g) + _BIG_UNITS[i])
    text = "".join(out)
    if text.startswith("一十"):  # 10..19 are 十, 十五, not 一十五
        text = text[1:]
    # 两 before 千, 万, 亿 at the start of the number (两千, 两万, 两亿); 二百 stays.
    text = re.sub(r"^二(?=[千万亿])", "两", text)
    return text


def number_zh(token: str) -> str:
    """A numeral token ('158', '20,000', '3.5', '007') read in Chinese."""
    token = token.replace(",", "")
    if "." in token:
        whole, frac = token.split(".", 1)
        return number_zh(whole) + "点" + digits_zh(frac)
    if (len(token) > 1 and token.startswith("0")) or len(token) > 10:
        return digits_zh(token)
    return cardinal_zh(int(token))


def read_numbers_zh(text: str) -> str:
    """Replace every Arabic numeral in Chinese text by its spoken reading."""
    text = text.translate(_FULLWIDTH)
    text = _YEAR_RANGE.sub(lambda m: digits_zh(m[1]) + "至" + digits_zh(m[3]), text)
    text = _YEAR.sub(lambda m: digits_zh(m[1]) if m[1] else (digits_zh(m[2]) if len(m[2]) == 4 else cardinal_zh(int(m[2]))), text)
    text = _PERCENT.sub(lambda m: "百分之" + number_zh(m[1]), text)
    text = _LATIN_GLUED.sub(lambda m: digits_zh(m[1] or m[2]), text)

    def repl(m: re.Match[str]) -> str:
        token = m[0]
        after = text[m.end(): m.end() + 1]
        if token == "2" and after in _LIANG_MEASURES:
            return "两"
        return number_zh(token)

    text = _NUMBER.sub(repl, text)
    return _SIGNS.sub(lambda m: _SIGN_WORDS[m[0]], text)
