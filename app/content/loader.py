"""Load a content pack folder into the frozen model of `app.content.model`, or list every problem.

    pack = load_pack(Path("exhibits/fujian-red-map"))      # raises PackError(.problems)
    problems = validate_pack(Path("exhibits/fujian-red-map"))

The format is documented in docs/content-packs.md. Every defect in every file is collected (one
`Problem` each, printed `file:field: message`) before `PackError` is raised, so an editor fixes a
pack in one pass. Nothing in the content can make the loader read outside the pack: links are
refused wherever they are, and media paths are checked against the files found by one walk that
never follows links.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from app.content.fields import MISSING, FieldReader, join, suggest
from app.content.model import (
    SUPPORTED_SCHEMA, Exhibit, Hall, MediaItem, Pack, PackInfo, Question, Quiz, Route, RouteStop,
    Site,
)
from app.content.packfiles import PackFiles, scan_pack
from app.content.problems import PackError, Problem
from app.content.yamlio import YamlProblem, read_yaml

__all__ = ["load_pack", "validate_pack", "PackError", "Problem"]

PACK_ID_RE = re.compile(r"[a-z0-9-]+")
LANG_RE = re.compile(r"[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*")
SEMVER_RE = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(-(0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(\.(0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*)?"
    r"(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?"
)

HALL_LEVELS = ("province", "city", "county")
MEDIA_KINDS = ("image", "video", "audio")
QUESTION_TYPES = ("single", "multi", "truefalse")
TRUE_FALSE_OPTIONS = ({"zh": "正确", "en": "True"}, {"zh": "错误", "en": "False"})

PACK_FIELDS = (("schema", "id", "version", "title", "languages", "publisher"),
               ("map", "description", "tags"))
HALL_FIELDS = (("id", "level", "name", "intro"), ("parent", "map_pos", "address"))
EXHIBIT_FIELDS = (("id", "hall", "title", "summary", "body"), ("period", "tags", "media", "narration"))
MEDIA_FIELDS = (("file", "kind"), ("caption",))
ROUTE_FIELDS = (("id", "hall", "title", "theme", "duration_min", "stops"), ())
STOP_FIELDS = ((), ("exhibit", "site"))
SITE_FIELDS = (("name", "intro"), ("address", "map_pos"))
QUIZ_FIELDS = (("id", "title", "questions"), ("hall", "time_limit_s", "pick"))
QUESTION_FIELDS = (("id", "type", "prompt", "answer"), ("options", "explanation", "exhibit"))
DEFAULT_TIME_LIMIT_S = 120


def load_pack(root: Path | str) -> Pack:
    """Load and check the pack folder `root`; raise `PackError` listing every problem found."""
    return _PackLoader(Path(root)).load()


def validate_pack(root: Path | str) -> list[Problem]:
    """Every problem of the pack folder `root` ([] for a good pack)."""
    try:
        load_pack(root)
    except PackError as exc:
        return exc.problems
    return []


class _PackLoader:
    """One loading pass: reads each file, then checks references, duplicates and the hall tree."""

    def __init__(self, root: Path) -> None:
        self.given_root = root
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] | None = None
        self.files: PackFiles
        # kind -> id -> where it was first defined (file, field)
        self.defined: dict[str, dict[str, tuple[str, str]]] = {
            "hall": {}, "exhibit": {}, "route": {}, "quiz": {},
        }
        # (kind, id, file, field) for every reference, checked once all files are read
        self.refs: list[tuple[str, str, str, str]] = []
        # ids that may be defined in a file that could not be read (its name without .yaml), and
        # kinds whose definitions could not be read at all: references to them are not reported,
        # so one broken file does not bury the real problem under follow-on errors
        self.unreadable: dict[str, set[str]] = {"hall": set(), "exhibit": set(), "route": set(),
                                                "quiz": set()}
        self.unchecked: set[str] = set()

    # -- driver ------------------------------------------------------------------------------
    def load(self) -> Pack:
        given = self.given_root
        if not given.exists():
            raise PackError([Problem(str(given), "", "no such folder")])
        if not given.is_dir():
            hint = " (.hpack archives are installed with 'hongtu pack install')" \
                if given.suffix == ".hpack" else ""
            raise PackError([Problem(str(given), "", f"not a pack folder{hint}")])
        root = given.resolve()
        self.files = scan_pack(root, self.problems)

        info = self._pack_info()
        if info is None:  # schema newer than supported: nothing else can be judged
            raise PackError(self.problems)
        halls = self._halls()
        exhibits = tuple(self._exhibit(f) for f in self.files.yaml_files("exhibits"))
        routes = tuple(self._route(f) for f in self.files.yaml_files("routes"))
        quizzes = tuple(self._quiz(f) for f in self.files.yaml_files("quizzes"))
        self._check_references()
        self._check_hall_tree(halls)
        if self.problems:
            raise PackError(sorted(self.problems, key=self._file_rank))
        return Pack(root=root, info=info, halls=halls, exhibits=tuple(e for e in exhibits if e),
                    routes=tuple(r for r in routes if r), quizzes=tuple(q for q in quizzes if q))

    @staticmethod
    def _file_rank(problem: Problem) -> tuple[int, str]:
        """Sort key grouping problems by file, in reading order (the sort is stable)."""
        order = ("pack.yaml", "halls.yaml", "exhibits/", "routes/", "quizzes/")
        for rank, prefix in enumerate(order):
            if problem.file == prefix or (prefix.endswith("/") and problem.file.startswith(prefix)):
                return (rank, problem.file)
        return (len(order), problem.file)

    def _read(self, rel: str) -> Any:
        """The parsed YAML of `rel`, or MISSING (with a problem recorded)."""
        try:
            data = read_yaml(self.files.root / rel, rel)
        except YamlProblem as exc:
            self.problems.append(exc.problem)
            return MISSING
        if data is None:
            self.problems.append(Problem(rel, "", "the file is empty"))
            return MISSING
        return data

    def _reader(self, rel: str) -> FieldReader:
        return FieldReader(rel, self.problems, self.languages, self.files)

    def _define(self, kind: str, ident: str | None, reader: FieldReader, field: str) -> None:
        if ident is None:
            return
        seen = self.defined[kind]
        if ident in seen:
            first_file, first_field = seen[ident]
            reader.problem(field, f"duplicate {kind} id '{ident}' (first defined at "
                                  f"{first_file}:{first_field})")
        else:
            seen[ident] = (reader.file, field)

    def _ref(self, kind: str, ident: str | None, reader: FieldReader, field: str) -> None:
        if ident is not None:
            self.refs.append((kind, ident, reader.file, field))

    # -- pack.yaml ---------------------------------------------------------------------------
    def _pack_info(self) -> PackInfo | None:
        rel = "pack.yaml"
        if rel not in self.files.files:
            self.problems.append(Problem(rel, "", "file is missing: every pack has a pack.yaml"))
            return PackInfo(schema=SUPPORTED_SCHEMA, id="", version="", title={}, languages=("zh",),
                            publisher={})
        data = self._read(rel)
        r = self._reader(rel)
        checked = False
        if data is MISSING:
            data = {}
        elif not isinstance(data, dict):
            r.wrong_type("", "a mapping of fields", data)
            data = {}
        else:
            checked = True
        schema = data.get("schema", MISSING)
        if isinstance(schema, int) and not isinstance(schema, bool) and schema > SUPPORTED_SCHEMA:
            r.problem("schema", f"schema {schema} is newer than this kiosk supports "
                                f"({SUPPORTED_SCHEMA}); update the kiosk software")
            return None
        if checked:
            r.mapping(data, "", *PACK_FIELDS)
        schema_value = r.integer(data, "schema", "", minimum=1)
        pack_id = data.get("id", MISSING)
        if pack_id is not MISSING:
            if not isinstance(pack_id, str):
                r.wrong_type("id", "an id of lowercase letters, digits and '-'", pack_id)
                pack_id = None
            elif not PACK_ID_RE.fullmatch(pack_id):
                r.problem("id", f"'{pack_id}' is not a valid pack id: use lowercase letters, "
                                "digits and '-' only")
        version = data.get("version", MISSING)
        if version is not MISSING:
            if not isinstance(version, str):
                r.wrong_type("version", "a version like 1.0.0 written as text (semver)", version)
            elif not SEMVER_RE.fullmatch(version):
                r.problem("version", f"'{version}' is not a semver version like 1.0.0 or 1.2.0-rc.1")
        self.languages = self._languages(r, data)
        r.languages = self.languages
        tags: dict[str, Any] = {}
        raw_tags = data.get("tags", MISSING)
        if raw_tags is not MISSING and raw_tags is not None:
            if not isinstance(raw_tags, dict):
                r.wrong_type("tags", "a mapping {tag-id: label}", raw_tags)
            else:
                for tag, label in raw_tags.items():
                    if not isinstance(tag, str) or not tag.strip():
                        r.wrong_type(join("tags", str(tag)), "a tag id (text)", tag)
                        continue
                    tags[tag] = r.text_value(join("tags", tag), label)
        return PackInfo(
            schema=schema_value or SUPPORTED_SCHEMA,
            id=pack_id if isinstance(pack_id, str) else "",
            version=version if isinstance(version, str) else "",
            title=r.text(data, "title", "") or {},
            languages=self.languages or ("zh",),
            publisher=r.text(data, "publisher", "") or {},
            map=r.media_file(data, "map", "", kind="image", required=False),
            description=r.text(data, "description", "", required=False) or {},
            tags=tags,
        )

    def _languages(self, r: FieldReader, data: dict) -> tuple[str, ...] | None:
        value = data.get("languages", MISSING)
        if value is MISSING:
            return None
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            r.wrong_type("languages", "a list of language codes, default first, e.g. [zh, en]",
                         value)
            return None
        ok = True
        for i, lang in enumerate(value):
            if not isinstance(lang, str) or not LANG_RE.fullmatch(lang):
                r.problem(join("languages", i), f"{lang!r} is not a language code such as zh or en")
                ok = False
            elif lang in value[:i]:
                r.problem(join("languages", i), f"language '{lang}' is listed twice")
                ok = False
        return tuple(value) if ok else None

    # -- halls.yaml --------------------------------------------------------------------------
    def _halls(self) -> tuple[Hall, ...]:
        rel = "halls.yaml"
        if rel not in self.files.files:
            self.problems.append(Problem(rel, "", "file is missing: every pack has a halls.yaml"))
            self.unchecked.add("hall")
            return ()
        data = self._read(rel)
        if data is MISSING:
            self.unchecked.add("hall")
            return ()
        r = self._reader(rel)
        if isinstance(data, dict) and set(data) == {"halls"}:
            data = data["halls"]
        if not isinstance(data, list):
            r.wrong_type("halls", "a list of halls", data)
            self.unchecked.add("hall")
            return ()
        if not data:
            r.problem("halls", "the pack has no halls")
            return ()
        halls = []
        province: str | None = None
        for i, item in enumerate(data):
            path = join("halls", i)
            m = r.mapping(item, path, *HALL_FIELDS)
            if m is None:
                continue
            hall_id = r.ident(m, "id", path)
            self._define("hall", hall_id, r, join(path, "id"))
            level = r.choice(m, "level", path, HALL_LEVELS)
            parent = r.ident(m, "parent", path, required=False)
            if level == "province":
                if parent is not None:
                    r.problem(join(path, "parent"), "the province hall has no parent")
                if province is not None:
                    r.problem(join(path, "level"), f"a second province hall (the first is "
                                                   f"'{province}'); a pack has exactly one")
                else:
                    province = hall_id or "?"
            elif level is not None and m.get("parent") is None:
                r.problem(join(path, "parent"), f"missing: a {level} hall needs a parent hall "
                                                "(only the province hall has none)")
            self._ref("hall", parent, r, join(path, "parent"))
            halls.append(Hall(
                id=hall_id or "", level=level or "city", parent=parent,  # type: ignore[arg-type]
                name=r.text(m, "name", path) or {}, intro=r.text(m, "intro", path) or {},
                map_pos=r.position(m, "map_pos", path),
                address=r.text(m, "address", path, required=False),
            ))
        if province is None:
            r.problem("halls", "no province hall (level: province); a pack has exactly one")
        return tuple(halls)

    def _check_hall_tree(self, halls: tuple[Hall, ...]) -> None:
        parent_of: dict[str, str | None] = {}
        for h in halls:
            if h.id and h.id not in parent_of:  # a duplicate id is reported elsewhere
                parent_of[h.id] = h.parent
        index = {h.id: i for i, h in reversed(list(enumerate(halls)))}
        done: set[str] = set()
        for hall in halls:
            chain: list[str] = []
            node: str | None = hall.id
            while node and node in parent_of and node not in done and node not in chain:
                chain.append(node)
                node = parent_of[node]
            if node in chain:  # loop found: report it once, at its first hall in the file
                loop = chain[chain.index(node):]
                first = min(loop, key=lambda h: index[h])
                k = loop.index(first)
                loop = loop[k:] + loop[:k]
                self.problems.append(Problem(
                    "halls.yaml", join(join("halls", index[first]), "parent"),
                    "parent chain loops: " + " → ".join(loop + [first])))
            done.update(chain)

    # -- exhibits/*.yaml ---------------------------------------------------------------------
    def _exhibit(self, rel: str) -> Exhibit | None:
        data = self._read(rel)
        if data is MISSING:
            self.unreadable["exhibit"].add(rel.rsplit("/", 1)[-1].rsplit(".", 1)[0])
            return None
        r = self._reader(rel)
        m = r.mapping(data, "", *EXHIBIT_FIELDS, what="one exhibit (a mapping of fields)")
        if m is None:
            return None
        ex_id = r.ident(m, "id", "")
        self._define("exhibit", ex_id, r, "id")
        hall = r.ident(m, "hall", "")
        self._ref("hall", hall, r, "hall")
        tags: list[str] = []
        for i, tag in enumerate(r.list_of(m, "tags", "", required=False) or []):
            if not isinstance(tag, str) or not tag.strip():
                r.wrong_type(join("tags", i), "a tag (text)", tag)
            elif tag.strip() not in tags:
                tags.append(tag.strip())
        media = []
        for i, item in enumerate(r.list_of(m, "media", "", required=False) or []):
            path = join("media", i)
            mm = r.mapping(item, path, *MEDIA_FIELDS, what="{file, kind, caption}")
            if mm is None:
                continue
            kind = r.choice(mm, "kind", path, MEDIA_KINDS)
            media.append(MediaItem(
                file=r.media_file(mm, "file", path, kind=kind) or "",
                kind=kind or "image",  # type: ignore[arg-type]
                caption=r.text(mm, "caption", path, required=False) or {},
            ))
        narration: dict[str, str] = {}
        raw = m.get("narration")
        if raw is not None:
            if not isinstance(raw, dict):
                r.wrong_type("narration", "a mapping {language: audio file}", raw)
            else:
                for lang, file in raw.items():
                    field = join("narration", str(lang))
                    if self.languages is not None and lang not in self.languages:
                        r.problem(field, f"language '{lang}' is not in the pack's languages "
                                         f"({', '.join(self.languages)})")
                        continue
                    audio = r.media_value(field, file, "audio")
                    if audio:
                        narration[str(lang)] = audio
        return Exhibit(
            id=ex_id or "", hall=hall or "",
            title=r.text(m, "title", "") or {}, summary=r.text(m, "summary", "") or {},
            body=r.text(m, "body", "") or {}, period=r.text(m, "period", "", required=False),
            tags=tuple(tags), media=tuple(media), narration=narration,
        )

    # -- routes/*.yaml -----------------------------------------------------------------------
    def _route(self, rel: str) -> Route | None:
        data = self._read(rel)
        if data is MISSING:
            return None
        r = self._reader(rel)
        m = r.mapping(data, "", *ROUTE_FIELDS, what="one route (a mapping of fields)")
        if m is None:
            return None
        route_id = r.ident(m, "id", "")
        self._define("route", route_id, r, "id")
        hall = r.ident(m, "hall", "")
        self._ref("hall", hall, r, "hall")
        stops = []
        for i, item in enumerate(r.list_of(m, "stops", "", non_empty=True) or []):
            path = join("stops", i)
            sm = r.mapping(item, path, *STOP_FIELDS, what="{exhibit: id} or {site: {…}}")
            if sm is None:
                continue
            if ("exhibit" in sm) == ("site" in sm):
                r.problem(path, "a stop is either {exhibit: <id>} or {site: {name, intro, …}}")
                continue
            if "exhibit" in sm:
                ex = r.ident(sm, "exhibit", path)
                self._ref("exhibit", ex, r, join(path, "exhibit"))
                stops.append(RouteStop(exhibit=ex))
            else:
                spath = join(path, "site")
                site = r.mapping(sm["site"], spath, *SITE_FIELDS)
                if site is None:
                    continue
                stops.append(RouteStop(site=Site(
                    name=r.text(site, "name", spath) or {}, intro=r.text(site, "intro", spath) or {},
                    address=r.text(site, "address", spath, required=False),
                    map_pos=r.position(site, "map_pos", spath),
                )))
        return Route(
            id=route_id or "", hall=hall or "",
            title=r.text(m, "title", "") or {}, theme=r.text(m, "theme", "") or {},
            duration_min=r.integer(m, "duration_min", "", minimum=1) or 0, stops=tuple(stops),
        )

    # -- quizzes/*.yaml ----------------------------------------------------------------------
    def _quiz(self, rel: str) -> Quiz | None:
        data = self._read(rel)
        if data is MISSING:
            return None
        r = self._reader(rel)
        m = r.mapping(data, "", *QUIZ_FIELDS, what="one quiz (a mapping of fields)")
        if m is None:
            return None
        quiz_id = r.ident(m, "id", "")
        self._define("quiz", quiz_id, r, "id")
        hall = r.ident(m, "hall", "", required=False)
        self._ref("hall", hall, r, "hall")
        raw_questions = r.list_of(m, "questions", "")
        if raw_questions is not None and not raw_questions:
            r.problem("questions", "empty quiz: add at least one question")
        questions = []
        seen: dict[str, int] = {}
        for i, item in enumerate(raw_questions or []):
            q = self._question(r, join("questions", i), item, seen, i)
            if q is not None:
                questions.append(q)
        pick = r.integer(m, "pick", "", minimum=1, required=False)
        # pick above the number of questions is allowed: a round then uses every question.
        time_limit = r.integer(m, "time_limit_s", "", minimum=1, required=False)
        return Quiz(
            id=quiz_id or "", title=r.text(m, "title", "") or {}, questions=tuple(questions),
            time_limit_s=time_limit if time_limit is not None else DEFAULT_TIME_LIMIT_S,
            hall=hall, pick=pick,
        )

    def _question(self, r: FieldReader, path: str, item: Any, seen: dict[str, int],
                  index: int) -> Question | None:
        m = r.mapping(item, path, *QUESTION_FIELDS, what="a question (a mapping of fields)")
        if m is None:
            return None
        qid = r.ident(m, "id", path)
        if qid is not None:
            if qid in seen:
                r.problem(join(path, "id"), f"duplicate question id '{qid}' in this quiz (first at "
                                            f"questions[{seen[qid]}])")
            else:
                seen[qid] = index
        qtype = r.choice(m, "type", path, QUESTION_TYPES)
        exhibit = r.ident(m, "exhibit", path, required=False)
        self._ref("exhibit", exhibit, r, join(path, "exhibit"))
        options: tuple = ()
        answer: tuple[int, ...] = ()
        if qtype == "truefalse":
            if "options" in m:
                r.problem(join(path, "options"), "a truefalse question takes no options (the kiosk "
                                                 "shows 正确/错误 True/False)")
            options = TRUE_FALSE_OPTIONS
            if "answer" in m:
                value = m["answer"]
                if isinstance(value, bool):
                    answer = (0,) if value else (1,)
                else:
                    r.wrong_type(join(path, "answer"), "true or false", value)
        elif qtype in ("single", "multi"):
            raw = r.list_of(m, "options", path)
            if raw is None and "options" not in m:
                r.problem(join(path, "options"), f"missing required field: a {qtype} question "
                                                 "lists its options")
            opts = []
            for k, opt in enumerate(raw or []):
                t = r.text_value(join(join(path, "options"), k), opt)
                opts.append(t or {})
            if raw is not None and len(raw) < 2:
                r.problem(join(path, "options"), f"a {qtype} question needs at least 2 options, "
                                                 f"got {len(raw)}")
            options = tuple(opts)
            if "answer" in m:
                answer = self._answer(r, join(path, "answer"), m["answer"], qtype,
                                      len(raw) if raw is not None else None)
        return Question(
            id=qid or "", type=qtype or "single",  # type: ignore[arg-type]
            prompt=r.text(m, "prompt", path) or {}, options=options, answer=answer,
            explanation=r.text(m, "explanation", path, required=False) or {}, exhibit=exhibit,
        )

    @staticmethod
    def _answer(r: FieldReader, field: str, value: Any, qtype: str,
                n_options: int | None) -> tuple[int, ...]:
        def is_index(v: Any) -> bool:
            return isinstance(v, int) and not isinstance(v, bool)

        if qtype == "single":
            if isinstance(value, list) and len(value) == 1:
                value = value[0]
            elif isinstance(value, list):
                r.problem(field, f"a single-choice question has exactly one answer, got "
                                 f"{len(value)}; use type: multi for several")
                return ()
            if not is_index(value):
                r.wrong_type(field, "the 0-based index of the right option", value)
                return ()
            indices = [value]
        else:
            if not isinstance(value, list):
                r.wrong_type(field, "a list of 0-based option indices, e.g. [0, 2]", value)
                return ()
            if len(value) < 2:
                r.problem(field, f"a multi-choice question has at least 2 right options, got "
                                 f"{len(value)}; use type: single for one")
                return ()
            bad = [v for v in value if not is_index(v)]
            if bad:
                r.wrong_type(field, "a list of 0-based option indices", bad[0])
                return ()
            if len(set(value)) != len(value):
                r.problem(field, "an option index is listed twice")
                return ()
            indices = list(value)
        if n_options is not None:
            for v in indices:
                if not 0 <= v < n_options:
                    r.problem(field, f"answer index {v} is out of range: the options are "
                                     f"numbered 0 to {n_options - 1}")
                    return ()
        return tuple(sorted(indices))

    # -- cross references --------------------------------------------------------------------
    def _check_references(self) -> None:
        for kind, ident, file, field in self.refs:
            known = self.defined[kind]
            if ident not in known and kind not in self.unchecked \
                    and ident not in self.unreadable[kind]:
                hint = suggest(ident, known) if len(known) < 2000 else ""
                self.problems.append(Problem(file, field, f"unknown {kind} '{ident}'{hint}"))
