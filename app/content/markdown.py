"""The Markdown subset of exhibit bodies, rendered to safe rich text or to plain text.

Supported: paragraphs (separated by blank lines), headings `#`, `##`, `###` (a space after the
hashes), `**bold**`, unordered list items starting with `- ` or `* `, ordered items `1. `.
Everything else is shown literally: `to_html` escapes all text, so no tag written in content ever
reaches Qt's rich-text renderer (QML `Text.RichText`).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_HEADING_RE = re.compile(r"^(#{1,3})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_BULLET_RE = re.compile(r"^[ \t]*[-*][ \t]+(.*)$")
_ORDERED_RE = re.compile(r"^[ \t]*(\d{1,9})\.[ \t]+(.*)$")
_BOLD_RE = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


@dataclass
class Block:
    """One block of a body: kind is 'p', 'h1'..'h3', 'ul' or 'ol'."""

    kind: str
    lines: list[str] = field(default_factory=list)  # paragraph/heading text, or one per list item
    start: int = 1  # first number of an ordered list


def _join_soft(a: str, b: str) -> str:
    """Join two lines of one paragraph: no space between Chinese characters, else one space."""
    if not a:
        return b
    if _CJK.match(b[:1]) and _CJK.match(a[-1:]):
        return a + b
    return a + " " + b


def parse(md: str) -> list[Block]:
    """Split Markdown-subset text into blocks."""
    blocks: list[Block] = []
    current: Block | None = None
    for raw in md.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            current = None
            continue
        heading = _HEADING_RE.match(line)
        bullet = _BULLET_RE.match(raw)
        ordered = _ORDERED_RE.match(raw)
        if heading:
            blocks.append(Block(f"h{len(heading.group(1))}", [heading.group(2)]))
            current = None
        elif bullet or ordered:
            kind = "ul" if bullet else "ol"
            text = (bullet.group(1) if bullet else ordered.group(2)).strip()  # type: ignore[union-attr]
            if current is None or current.kind != kind:
                current = Block(kind, start=int(ordered.group(1)) if ordered else 1)
                blocks.append(current)
            current.lines.append(text)
        elif current is not None and current.kind in ("ul", "ol"):
            current.lines[-1] = _join_soft(current.lines[-1], line)  # continuation of the item
        elif current is not None and current.kind == "p":
            current.lines[0] = _join_soft(current.lines[0], line)
        else:
            current = Block("p", [line])
            blocks.append(current)
    return blocks


def _inline_html(text: str) -> str:
    return _BOLD_RE.sub(r"<b>\1</b>", html.escape(text, quote=True))


def _inline_plain(text: str) -> str:
    return _BOLD_RE.sub(r"\1", text)


def to_html(md: str) -> str:
    """Safe HTML for Qt rich text: only <p>, <h1>-<h3>, <b>, <ul>, <ol>, <li>; all else escaped."""
    out: list[str] = []
    for block in parse(md):
        if block.kind in ("ul", "ol"):
            start = f' start="{block.start}"' if block.kind == "ol" and block.start != 1 else ""
            items = "".join(f"<li>{_inline_html(t)}</li>" for t in block.lines)
            out.append(f"<{block.kind}{start}>{items}</{block.kind}>")
        else:
            out.append(f"<{block.kind}>{_inline_html(block.lines[0])}</{block.kind}>")
    return "".join(out)


def to_plain(md: str) -> str:
    """Plain text for narration and search: blocks separated by a blank line, list items one per
    line (ordered ones keep their number), no Markdown markers."""
    out: list[str] = []
    for block in parse(md):
        if block.kind == "ul":
            out.append("\n".join(_inline_plain(t) for t in block.lines))
        elif block.kind == "ol":
            out.append("\n".join(f"{block.start + i}. {_inline_plain(t)}"
                                 for i, t in enumerate(block.lines)))
        else:
            out.append(_inline_plain(block.lines[0]))
    return "\n\n".join(out)
