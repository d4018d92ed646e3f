"""Reading pack YAML safely: the fast C loader when available, a size cap, duplicate-key detection,
and syntax errors turned into `Problem`s that carry the line number."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, ScalarNode

from app.content.problems import Problem

MAX_YAML_BYTES = 4 * 1024 * 1024  # a content file larger than this is refused unread

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE_TAG = "tag:yaml.org,2002:merge"


class NoDuplicateKeys:
    """Loader mixin: a key written twice in one mapping is an error (YAML would keep the last)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict:
        if isinstance(node, MappingNode):
            seen: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE_TAG:
                    continue
                if isinstance(key_node, ScalarNode):
                    key = self.construct_object(key_node)
                    try:
                        first = seen.get(key)
                    except TypeError:
                        continue  # unhashable keys are reported by the base constructor
                    if first is not None:
                        raise ConstructorError(
                            None, None, f"key '{key}' is written twice in the same mapping, "
                                        f"first on line {first}", key_node.start_mark,
                        )
                    seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]


class PackYamlLoader(NoDuplicateKeys, _Base):  # type: ignore[misc,valid-type]
    """Safe loader (libyaml-backed when available) that refuses duplicate keys."""


class YamlProblem(Exception):
    """Raised by `read_yaml` with the `Problem` describing why the file could not be read."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


_HINTS = {
    "mapping values are not allowed": "text that contains ': ' must be put in quotes",
    "found a tab character": "indent with spaces, not tabs",
}


def _hint(what: str, data: bytes | str, line: int) -> str:
    for start, hint in _HINTS.items():
        if start in what:
            return f"; {hint}"
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    lines = text.splitlines()
    if line < len(lines) and "\t" in lines[line][: len(lines[line]) - len(lines[line].lstrip())]:
        return "; indent with spaces, not tabs"
    return ""


def parse_yaml(data: bytes | str, rel: str) -> Any:
    """Parse YAML text of the pack file `rel`; raise `YamlProblem` on a syntax error."""
    try:
        return yaml.load(data, Loader=PackYamlLoader)  # noqa: S506 - safe loader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "syntax error"
        if exc.problem and exc.context:
            what = f"{exc.context}: {exc.problem}"
        if mark is not None:
            where = f"column {mark.column + 1}"
            if exc.context_mark is not None and exc.context_mark.line != mark.line:
                where += f"; started on line {exc.context_mark.line + 1}"
            raise YamlProblem(Problem(
                rel, f"line {mark.line + 1}",
                f"invalid YAML: {what} ({where}){_hint(what, data, mark.line)}"
            )) from None
        raise YamlProblem(Problem(rel, "", f"invalid YAML: {what}")) from None
    except yaml.reader.ReaderError as exc:
        raise YamlProblem(Problem(
            rel, "", f"not valid UTF-8 text ({exc.reason} at byte {exc.position}); "
                     "save the file as UTF-8")) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(Problem(rel, "", f"invalid YAML: {exc}".replace("\n", " "))) from None
    except RecursionError:
        raise YamlProblem(Problem(rel, "", "invalid YAML: nested too deeply")) from None


def read_yaml(path: Path, rel: str, max_bytes: int | None = None) -> Any:
    """Read and parse one pack file; raise `YamlProblem` if it is too large, unreadable or invalid."""
    if max_bytes is None:
        max_bytes = MAX_YAML_BYTES
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise YamlProblem(Problem(rel, "", f"cannot read the file: {exc.strerror}")) from None
    if len(data) > max_bytes:
        raise YamlProblem(Problem(
            rel, "", f"file is larger than {max_bytes // (1024 * 1024)} MB; split it or check it"
        ))
    return parse_yaml(data, rel)
