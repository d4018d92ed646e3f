"""hongtu commands: content (pack validate)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from app.cli import cli, pack  # noqa: F401


_SINGULAR = {"halls": "hall", "exhibits": "exhibit", "routes": "route", "quizzes": "quiz",
             "questions": "question"}


def pack_counts(loaded) -> dict[str, int]:  # noqa: ANN001 - app.content.model.Pack
    """Counts shown in the summary of a good pack."""
    return {
        "halls": len(loaded.halls),
        "exhibits": len(loaded.exhibits),
        "routes": len(loaded.routes),
        "quizzes": len(loaded.quizzes),
        "questions": sum(len(q.questions) for q in loaded.quizzes),
    }


@pack.command("validate")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
def validate(path: Path, as_json: bool) -> None:
    """Check the content pack folder PATH and list every problem in it.

    Exits 0 and prints a one-line summary for a good pack; exits 1 and prints each problem as
    file:field: message, one per line, for a broken one.
    """
    from app.content.loader import PackError, load_pack

    try:
        loaded = load_pack(path)
    except PackError as exc:
        if as_json:
            click.echo(json.dumps({"ok": False, "path": str(path),
                                   "problems": [p.as_dict() for p in exc.problems]},
                                  ensure_ascii=False, indent=2))
        else:
            for problem in exc.problems:
                click.echo(str(problem))
            n = len(exc.problems)
            click.echo(f"{path}: {n} problem{'s' if n != 1 else ''}; the pack was refused",
                       err=True)
        sys.exit(1)
    counts = pack_counts(loaded)
    info = loaded.info
    if as_json:
        click.echo(json.dumps({"ok": True, "path": str(path), "id": info.id,
                               "version": info.version, "languages": list(info.languages),
                               "counts": counts, "problems": []}, ensure_ascii=False, indent=2))
    else:
        parts = ", ".join(f"{v} {k if v != 1 else _SINGULAR[k]}" for k, v in counts.items())
        click.echo(f"OK {info.id} {info.version}: {parts}")
