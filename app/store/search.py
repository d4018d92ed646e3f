"""Full-text search over exhibits, in every language of the pack, Chinese included.

Two FTS5 tables hold the same text (titles, tags, hall names, summaries, bodies as plain text):

- `search_tri` uses the trigram tokenizer and answers terms of 3 or more characters;
- `search_uni` holds the text with every letter/digit as its own token, so a 1- or 2-character
  term (党, 红船, 5G) is a one- or two-token phrase query (bodies are Markdown made plain with
  `app.content.markdown.to_plain`). Between words and at punctuation a
  boundary token (U+E000, a private-use character) is inserted, so a phrase never matches
  across a word or sentence boundary.

Both are contentless (`content=''`); the text shown in snippets lives in `search_docs`. A query is
split on whitespace into terms that must all match (AND). Terms are always quoted as FTS5
phrases, so operators and punctuation in user input are plain text. When every term has 3+
characters the trigram table answers; otherwise every term is a character phrase in the unigram
table.

Ranking goes by tiers: exhibits whose title holds every term, then those whose tags, hall name or
summary do, then the rest; inside a tier, bm25. A tier with more than RANK_MAX_ROWS matches (a
character found in most exhibits) is taken in pack order, which keeps 1-character queries fast.
`index_pack` runs inside `Catalog.index_pack`'s transaction.
"""
from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from typing import Iterable

import sqlite_utils

from app.content.model import LText, Pack
from app.store.db import StoreError

from app.content.markdown import to_plain

MIGRATIONS: list[str] = [
    """
    CREATE TABLE search_docs (
        docid INTEGER PRIMARY KEY,
        exhibit_id TEXT NOT NULL UNIQUE,
        texts TEXT NOT NULL
    );
    CREATE VIRTUAL TABLE search_tri USING fts5(
        title, tags, hall, summary, body, content='', tokenize='trigram'
    );
    CREATE VIRTUAL TABLE search_uni USING fts5(
        title, tags, hall, summary, body, content='', tokenize='unicode61 remove_diacritics 2'
    );
    """,
]

_BOUNDARY_TOKEN = "\ue000"  # private-use character: a token for FTS5, never a word character here
_NON_WORD = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class SearchHit:
    exhibit_id: str
    title: LText
    snippet: str  # plain text around the first match, in the requested language when it matches there
    score: float  # higher is better


# ---- text preparation ---------------------------------------------------------------------------


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def spaced(text: str) -> str:
    """Every letter/digit as its own token, runs of anything else as one boundary token."""
    return " ".join(_NON_WORD.sub(_BOUNDARY_TOKEN, _norm(text)))


def _join(texts: Iterable[str]) -> str:
    return "\n".join(t for t in texts if t)


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


# ---- indexing -----------------------------------------------------------------------------------


def index_pack(db: sqlite_utils.Database, pack: Pack) -> None:
    """Replace the search index with the exhibits of `pack` (call inside a transaction)."""
    conn = db.conn
    conn.execute("DELETE FROM search_docs")
    conn.execute("INSERT INTO search_tri (search_tri) VALUES ('delete-all')")
    conn.execute("INSERT INTO search_uni (search_uni) VALUES ('delete-all')")
    langs = list(pack.info.languages)
    halls = {h.id: h for h in pack.halls}
    tag_labels = pack.info.tags
    docs, tri, uni = [], [], []
    for docid, e in enumerate(pack.exhibits, start=1):
        body_plain = {lang: _collapse(to_plain(text)) for lang, text in e.body.items()}
        order = langs + [lang for lang in {**e.title, **e.summary, **body_plain} if lang not in langs]
        texts = {
            lang: [e.title.get(lang, ""), _collapse(e.summary.get(lang, "")), body_plain.get(lang, "")]
            for lang in order
            if lang in e.title or lang in e.summary or lang in body_plain
        }
        hall = halls.get(e.hall)
        tags_text = _join(
            [t for t in e.tags] + [label for t in e.tags for label in (tag_labels.get(t) or {}).values()]
        )
        columns = (
            _norm(_join(e.title.values())),
            _norm(tags_text),
            _norm(_join(hall.name.values())) if hall else "",
            _norm(_join(e.summary.values())),
            _norm(_join(body_plain.values())),
        )
        docs.append((docid, e.id, json.dumps(texts, ensure_ascii=False, separators=(",", ":"))))
        tri.append((docid, *columns))
        uni.append((docid, *(spaced(c) for c in columns)))
    conn.executemany("INSERT INTO search_docs (docid, exhibit_id, texts) VALUES (?, ?, ?)", docs)
    conn.executemany(
        "INSERT INTO search_tri (rowid, title, tags, hall, summary, body) VALUES (?, ?, ?, ?, ?, ?)", tri
    )
    conn.executemany(
        "INSERT INTO search_uni (rowid, title, tags, hall, summary, body) VALUES (?, ?, ?, ?, ?, ?)", uni
    )


# ---- querying -----------------------------------------------------------------------------------


def split_terms(query: str) -> list[str]:
    """The query's whitespace-separated terms, NFKC-normalised (full-width → half-width)."""
    return [t for t in _norm(query).split() if t]


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _uni_phrase(term: str) -> str | None:
    tokens = spaced(term).split()
    while tokens and tokens[0] == _BOUNDARY_TOKEN:
        tokens.pop(0)
    while tokens and tokens[-1] == _BOUNDARY_TOKEN:
        tokens.pop()
    return _phrase(" ".join(tokens)) if tokens else None


# Ranking tiers, best first: an exhibit is placed in the first tier whose columns hold every term.
_TIERS = ("{title}", "{tags hall summary}", "")
_TIER_SCORE = 100.0
# bm25 column weights (title, tags, hall, summary, body), used inside a tier.
_WEIGHTS = "4.0, 3.0, 2.0, 2.0, 1.0"
# A tier with more matches than this is taken in pack order: bm25 costs ~1-2 µs per matching row,
# and a term found in most exhibits has almost no discriminating weight (FTS5 clamps its idf).
RANK_MAX_ROWS = 1500


def _ranked(conn, table: str, expr: str, limit: int) -> list[tuple[int, float]]:
    """(docid, score) of the best `limit` matches of `expr` in `table`, tier by tier."""
    taken: dict[int, float] = {}
    for tier, columns in enumerate(_TIERS):
        where = f"{columns} : ({expr})" if columns else expr
        count = conn.execute(f"SELECT COUNT(*) FROM {table} WHERE {table} MATCH ?", (where,)).fetchone()[0]
        if not count:
            continue
        fetch = limit + len(taken)
        base = _TIER_SCORE * (len(_TIERS) - tier)
        if count <= RANK_MAX_ROWS:
            rows = conn.execute(
                f"SELECT rowid, bm25({table}, {_WEIGHTS}) AS r FROM {table} WHERE {table} MATCH ?"
                f" ORDER BY r, rowid LIMIT {fetch}",
                (where,),
            )
            scored = ((int(rowid), base + min(-float(r), _TIER_SCORE - 1)) for rowid, r in rows)
        else:
            rows = conn.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ? LIMIT {fetch}", (where,))
            scored = ((int(rowid), base) for (rowid,) in rows)
        for docid, score in scored:
            if docid not in taken:
                taken[docid] = score
                if len(taken) >= limit:
                    return list(taken.items())
    return list(taken.items())


def search(
    db: sqlite_utils.Database, query: str, lang: str | None = None, limit: int = 20
) -> list[SearchHit]:
    """Exhibits matching every term of `query`, best first. Any input is safe (no FTS syntax).

    Terms of 3+ characters go to the trigram table; when any term is shorter, every term is
    looked up as a character phrase in the unigram table (one query ANDs them all)."""
    if limit <= 0:
        return []
    terms = split_terms(query)
    if not terms:
        return []
    conn = db.conn
    try:
        if all(len(t) >= 3 for t in terms):
            ranked = _ranked(conn, "search_tri", " AND ".join(_phrase(t) for t in terms), limit)
        else:
            phrases = [p for p in (_uni_phrase(t) for t in terms) if p]
            if not phrases:
                return []
            ranked = _ranked(conn, "search_uni", " AND ".join(phrases), limit)
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            raise StoreError("no search index in this database: index a pack first (Catalog.index_pack)") from exc
        raise StoreError(f"search for {query!r} failed: {exc}") from exc
    if not ranked:
        return []
    placeholders = ",".join("?" * len(ranked))
    rows = {
        docid: (exhibit_id, json.loads(texts))
        for docid, exhibit_id, texts in conn.execute(
            f"SELECT docid, exhibit_id, texts FROM search_docs WHERE docid IN ({placeholders})",
            [d for d, _ in ranked],
        )
    }
    hits = []
    for docid, score in ranked:
        exhibit_id, texts = rows[docid]
        title = {code: parts[0] for code, parts in texts.items() if parts[0]}
        hits.append(SearchHit(exhibit_id, title, snippet(texts, terms, lang), score))
    return hits


# ---- snippets -----------------------------------------------------------------------------------

SNIPPET_BEFORE = 14
SNIPPET_AFTER = 46


def _find(text: str, terms: list[str]) -> tuple[int, int] | None:
    """(start, length) of the earliest occurrence of any term in `text`, case-insensitively."""
    folded = text.casefold()
    if len(folded) != len(text):  # casefold changed lengths (ß → ss): search the text as is
        folded = text
    best: tuple[int, int] | None = None
    for term in terms:
        pos = folded.find(term.casefold())
        if pos != -1 and (best is None or pos < best[0]):
            best = (pos, len(term))
    return best


def _window(text: str, start: int, length: int) -> str:
    lo = max(0, start - SNIPPET_BEFORE)
    hi = min(len(text), start + length + SNIPPET_AFTER)
    return ("…" if lo > 0 else "") + text[lo:hi] + ("…" if hi < len(text) else "")


def snippet(texts: dict[str, list[str]], terms: list[str], lang: str | None) -> str:
    """Text around the first match in a summary or body, in `lang` first, then the other languages.
    Without a match outside the title: the beginning of the summary (in `lang` when it has one)."""
    order = ([lang] if lang in texts else []) + [code for code in texts if code != lang]
    for code in order:
        for text in texts[code][1:]:
            normalised = _norm(text)
            for source in (text,) if normalised == text else (text, normalised):
                found = _find(source, terms)
                if found:
                    return _window(source, *found)
    for code in order:
        if texts[code][1]:
            return _window(texts[code][1], 0, 0)
    return ""
