"""Narration text: from an exhibit's Markdown to the short chunks the TTS engine speaks.

`exhibit_text()` joins an exhibit's summary and body; `prepare()` strips Markdown, reads numbers
the Chinese way (see `zh_numbers`), splits the text into sentences and cuts sentences that are too
long into chunks of at most `max_chunk` characters. Every chunk is one synthesis job and one
caption; a long text is never sent to the engine whole.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from app.content.model import Exhibit, LText, Site, pick
from app.narration.errors import NothingToNarrate
from app.narration.zh_numbers import read_numbers_zh

MAX_CHUNK = 80  # characters per synthesis job / caption
MAX_CHARS = 20_000  # longest narration (≈ 80 minutes of Mandarin); beyond it the text is cut

_SENTENCE_END = re.compile(r"([。！？；!?;…]+|\.(?=\s|$))([”’\"'）)」』]*)")
_SOFT_BREAK = re.compile(r"([，,、：:—]+)")
_LIST_NUMBER = re.compile(r"(?m)^[ \t]*(\d{1,3})\.[ \t]+")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")


@dataclass(frozen=True)
class PreparedText:
    """Text ready for the engine: `chunks` in order, each at most MAX_CHUNK characters."""

    lang: str
    chunks: tuple[str, ...]
    truncated: bool = False  # the source was longer than MAX_CHARS

    @property
    def text(self) -> str:
        sep = "" if self.lang == "zh" else " "
        return sep.join(self.chunks)


def _fallback_to_plain(markdown: str) -> str:
    """Markdown subset (headings, bold/italic, lists, links, images, code) → plain text."""
    out: list[str] = []
    for line in markdown.splitlines():
        line = re.sub(r"^\s{0,3}#{1,6}\s*", "", line)  # headings
        line = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line)  # list markers
        line = re.sub(r"^\s*>\s?", "", line)  # quotes
        line = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", line)  # images → alt text
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)  # links → label
        line = re.sub(r"(\*\*|__|\*|_|`|~~)(?=\S)(.+?)(?<=\S)\1", r"\2", line)
        line = re.sub(r"^\s*(?:[-*_]\s*){3,}$", "", line)  # rules
        out.append(line)
    return "\n".join(out)


def markdown_to_plain(markdown: str) -> str:
    """Plain text of exhibit Markdown, using the content module's converter when present."""
    try:
        from app.content.markdown import to_plain  # type: ignore[attr-defined]
    except ImportError:
        return _fallback_to_plain(markdown)
    return to_plain(markdown)


def _paragraph_join(parts: list[str], lang: str) -> str:
    """Join title/summary/body so each part ends as a sentence (headings have no full stop)."""
    end = "。" if lang == "zh" else "."
    fixed = []
    for p in parts:
        p = p.strip()
        if p:
            fixed.append(p if _SENTENCE_END.search(p[-1]) or p[-1] in "”’\"')）" else p + end)
    return "\n".join(fixed)


def exhibit_text(exhibit: Exhibit, lang: str) -> str:
    """What is spoken for an exhibit: its summary, then its body (Markdown stripped)."""
    return _paragraph_join([pick(exhibit.summary, lang), markdown_to_plain(pick(exhibit.body, lang))], lang)


def site_text(site: Site, lang: str) -> str:
    """What is spoken for a route stop outside the hall: its name, then its introduction."""
    return _paragraph_join([pick(site.name, lang), markdown_to_plain(pick(site.intro, lang))], lang)


def ltext_text(text: LText | None, lang: str) -> str:
    return markdown_to_plain(pick(text, lang))


def split_sentences(text: str) -> list[str]:
    """Sentences of a plain text: ends at 。！？；.!?… (with closing quotes) and at line breaks."""
    sentences: list[str] = []
    for line in text.splitlines():
        line = _SPACES.sub(" ", line).strip()
        pos = 0
        for m in _SENTENCE_END.finditer(line):
            s = line[pos:m.end()].strip()
            if s:
                sentences.append(s)
            pos = m.end()
        if line[pos:].strip():
            sentences.append(line[pos:].strip())
    return [s for s in sentences if _speakable(s)]


def _speakable(s: str) -> bool:
    return any(unicodedata.category(c)[0] in "LN" for c in s)


def split_long(sentence: str, max_chunk: int = MAX_CHUNK) -> list[str]:
    """A sentence as chunks of at most max_chunk characters: cut at commas, then at spaces, then hard."""
    if len(sentence) <= max_chunk:
        return [sentence]
    pieces = [p for p in re.split(r"(?<=[，,、：:—])", sentence) if p]
    chunks: list[str] = []
    cur = ""
    for p in pieces:
        while len(p) > max_chunk:  # no comma for a long stretch: cut at a space or hard
            cut = p.rfind(" ", 0, max_chunk)
            cut = cut if cut > max_chunk // 2 else max_chunk
            if cur:
                chunks.append(cur)
                cur = ""
            chunks.append(p[:cut].strip())
            p = p[cut:].lstrip()
        if len(cur) + len(p) > max_chunk and cur:
            chunks.append(cur)
            cur = ""
        cur += p
    if cur.strip():
        chunks.append(cur.strip())
    return [c for c in chunks if c]


def prepare(text: str, lang: str, *, markdown: bool = True, max_chunk: int = MAX_CHUNK,
            max_chars: int = MAX_CHARS) -> PreparedText:
    """Plain, number-normalised chunks for the engine; raises NothingToNarrate for empty text."""
    # undecodable bytes (a command line cut mid-character) arrive as lone surrogates: drop them
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace").replace("\ufffd", "")
    plain = markdown_to_plain(text) if markdown else text
    plain = unicodedata.normalize("NFC", plain)
    # ordered list items keep their number ("1. …"): say it as an enumeration, not a sentence
    plain = _LIST_NUMBER.sub(r"\1、" if lang == "zh" else r"\1: ", plain)
    if lang == "zh":
        plain = read_numbers_zh(plain)
    chunks: list[str] = []
    total = 0
    truncated = False
    for sentence in split_sentences(plain):
        for chunk in split_long(sentence, max_chunk):
            if total + len(chunk) > max_chars:
                truncated = True
                break
            chunks.append(chunk)
            total += len(chunk)
        if truncated:
            break
    if not chunks:
        raise NothingToNarrate("nothing to narrate: the text is empty" + (" after removing Markdown" if text.strip() else ""))
    return PreparedText(lang, tuple(chunks), truncated)
