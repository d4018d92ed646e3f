"""What is wrong with a pack: `Problem` (one defect, `file:field: message`) and `PackError`."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable


@dataclass(frozen=True)
class Problem:
    """One defect in a pack.

    `file` is relative to the pack root ('/'-separated), `field` a path inside that file such as
    `halls[3].parent` or `questions[2].answer` ('' when the problem concerns the whole file, or
    `line N` for a YAML syntax error).
    """

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        if self.field:
            return f"{self.file}:{self.field}: {self.message}"
        return f"{self.file}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


class PackError(Exception):
    """A pack that cannot be used; `.problems` lists every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
