"""The kiosk's UI fonts: Noto CJK cut down to the characters a Chinese museum kiosk shows.

The system's Noto CJK files hold 65,535 glyphs for five regions (19–27 MB each). Qt's FreeType
engine maps the whole file for each face it opens, and a long-running kiosk keeps opening faces and
touching more of those pages, and FreeType's per-face tables scale with the glyph count: in the
20,000-session soak that was about half of the memory growth (docs/operations.md). The UI fonts
keep the Simplified Chinese face and only GB 2312 (the 6,763 common hanzi and its symbols), ASCII,
Latin with pinyin tones, the punctuation and symbol blocks, and every character of the bundled sample
pack and the UI's own text: 3–5 MB each. A character outside them (a rare hanzi in a newly installed
pack) is still drawn: Qt falls back, glyph by glyph, to the full system or bundled Noto CJK fonts.

Built once by `hongtu fonts build` (scripts/setup.sh and the PyInstaller build run it), written to a
temporary name and renamed, with a manifest recording what they were built from, so a changed source
font or character list builds them again. Needs fontTools (build time only); no Qt here.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

REPO_ROOT = Path(__file__).resolve().parent.parent
SYSTEM_FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/noto-cjk"))
FONT_DIR_ENV = "HONGTU_UI_FONTS"
MANIFEST = "manifest.json"
FORMAT = 1  # bump when the character list rules or the subsetting options change

SANS_FAMILY = "Hongtu Sans"
SERIF_FAMILY = "Hongtu Serif"
FALLBACK_SANS = "Noto Sans CJK SC"
FALLBACK_SERIF = "Noto Serif CJK SC"


@dataclass(frozen=True)
class UiFont:
    source: str  # file name of the Noto CJK collection
    family: str  # family name written into the subset
    style: str  # "Regular" | "Bold"
    out: str  # file name of the subset

    @property
    def ps_name(self) -> str:
        return f"{self.family.replace(' ', '')}-{self.style}"


FONTS = (
    UiFont("NotoSansCJK-Regular.ttc", SANS_FAMILY, "Regular", "HongtuSans-Regular.otf"),
    UiFont("NotoSansCJK-Bold.ttc", SANS_FAMILY, "Bold", "HongtuSans-Bold.otf"),
    UiFont("NotoSerifCJK-Bold.ttc", SERIF_FAMILY, "Bold", "HongtuSerif-Bold.otf"),
)
SC_FACE = "CJK SC"  # the face of each collection the subset keeps (Simplified Chinese forms)

# Unicode blocks kept whole (as far as Noto has them): Latin with pinyin tones, punctuation, symbols
BLOCKS = (
    (0x0020, 0x007E), (0x00A0, 0x024F), (0x02B0, 0x02FF), (0x0370, 0x03FF), (0x0400, 0x04FF),
    (0x2000, 0x206F), (0x2070, 0x209F), (0x20A0, 0x20CF), (0x2100, 0x214F), (0x2150, 0x218F),
    (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2300, 0x23FF), (0x2460, 0x24FF), (0x2500, 0x257F),
    (0x25A0, 0x25FF), (0x2600, 0x26FF), (0x2700, 0x27BF), (0x3000, 0x303F), (0x3100, 0x312F),
    (0x31A0, 0x31BF), (0x3200, 0x32FF), (0x3300, 0x33FF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
)
TEXT_SUFFIXES = (".yaml", ".yml", ".json", ".md", ".txt", ".srt", ".vtt", ".qml", ".py")


class FontBuildError(Exception):
    """The UI fonts cannot be built (no source font, no fontTools, cannot write)."""


def font_dir() -> Path:
    """Where the UI fonts live: $HONGTU_UI_FONTS, else var/ui-fonts in the checkout."""
    env = os.environ.get(FONT_DIR_ENV, "").strip()
    return Path(env) if env else REPO_ROOT / "var" / "ui-fonts"


def gb2312() -> set[int]:
    """Every character of GB 2312 (rows 1–9 symbols, 16–87 hanzi)."""
    out: set[int] = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                out.add(ord(bytes((row, cell)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return out


def text_chars(roots: Iterable[Path]) -> set[int]:
    """The non-ASCII characters of every text file under `roots` (the sample pack, the UI sources)."""
    out: set[int] = set()
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if path.suffix.lower() in TEXT_SUFFIXES and "__pycache__" not in path.parts:
                out.update(ord(c) for c in path.read_text(encoding="utf-8", errors="ignore") if ord(c) > 0x7E)
    return out


def default_text_roots() -> list[Path]:
    return [REPO_ROOT / "exhibits", REPO_ROOT / "app" / "ui"]


def charset(roots: Iterable[Path] | None = None) -> set[int]:
    chars = gb2312() | text_chars(default_text_roots() if roots is None else roots)
    for lo, hi in BLOCKS:
        chars.update(range(lo, hi + 1))
    return chars


def default_source_dirs() -> list[Path]:
    """Where the full Noto CJK collections are looked for: $HONGTU_FONT_DIR (the PyInstaller bundle's
    fonts/), then the Debian/Fedora system folders."""
    bundled = os.environ.get("HONGTU_FONT_DIR", "").strip()
    return ([Path(bundled)] if bundled else []) + list(SYSTEM_FONT_DIRS)


def find_source(name: str, dirs: Iterable[Path] | None = None) -> Path:
    dirs = default_source_dirs() if dirs is None else list(dirs)
    for d in dirs:
        if (d / name).is_file():
            return d / name
    raise FontBuildError(f"{name}: not found in {', '.join(map(str, dirs))} (install fonts-noto-cjk)")


def _fingerprint(sources: list[Path], chars: set[int]) -> str:
    h = hashlib.sha256(f"format {FORMAT}\n".encode())
    for src in sources:
        st = src.stat()
        h.update(f"{src.name} {st.st_size} {int(st.st_mtime)}\n".encode())
    h.update(",".join(map(str, sorted(chars))).encode())
    return h.hexdigest()


def read_manifest(out_dir: Path) -> dict | None:
    """The manifest.json of a build folder, or None when it is missing or unreadable."""
    try:
        manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def up_to_date(out_dir: Path, fingerprint: str, specs: Sequence[UiFont] | None = None) -> bool:
    manifest = read_manifest(out_dir)
    specs = FONTS if specs is None else specs
    return (manifest is not None and manifest.get("fingerprint") == fingerprint
            and all((out_dir / f.out).is_file() for f in specs))


def installed(out_dir: Path | None = None, specs: Sequence[UiFont] | None = None) -> list[Path]:
    """The built UI font files, or [] when any is missing (the UI then uses the system Noto CJK)."""
    d = font_dir() if out_dir is None else out_dir
    paths = [d / f.out for f in (FONTS if specs is None else specs)]
    return paths if all(p.is_file() for p in paths) and (d / MANIFEST).is_file() else []


@dataclass(frozen=True)
class FontFile:
    """One built UI font: its file, size in bytes and number of characters (None: not built)."""
    spec: UiFont
    path: Path
    size: int | None
    characters: int | None


@dataclass(frozen=True)
class FontsStatus:
    folder: Path
    files: list[FontFile]
    built: bool  # every file and the manifest are there
    current: bool | None  # built from today's sources and character list (None: cannot tell, see reason)
    reason: str = ""  # why `current` is None (a source font is missing)


def built_files(out_dir: Path | None = None, specs: Sequence[UiFont] | None = None) -> list[FontFile]:
    """What is in the build folder, file by file. The character counts come from the manifest (or, for
    a manifest written before it recorded them, from the font's cmap when fontTools is there)."""
    out_dir = font_dir() if out_dir is None else out_dir
    recorded = (read_manifest(out_dir) or {}).get("files") or {}
    result = []
    for spec in FONTS if specs is None else specs:
        path = out_dir / spec.out
        try:
            size: int | None = path.stat().st_size
        except OSError:
            result.append(FontFile(spec, path, None, None))
            continue
        info = recorded.get(spec.out) if isinstance(recorded, dict) else None
        chars = info.get("characters") if isinstance(info, dict) and info.get("size") == size else None
        result.append(FontFile(spec, path, size, chars if isinstance(chars, int) else _count_chars(path)))
    return result


def _count_chars(path: Path) -> int | None:
    try:
        from fontTools.ttLib import TTFont
    except ImportError:
        return None
    try:
        with TTFont(str(path), lazy=True) as font:
            return len(font.getBestCmap() or {})
    except Exception:  # noqa: BLE001  (a damaged file: its count is unknown, status still shows it)
        return None


def status(out_dir: Path | None = None, source_dirs: Iterable[Path] | None = None,
           roots: Iterable[Path] | None = None, specs: Sequence[UiFont] | None = None, *,
           chars: Iterable[int] | None = None) -> FontsStatus:
    """Where the UI fonts are, whether they are built, and whether a build would change them (cheap:
    the character list and the source fonts' sizes and dates, no font is opened for that)."""
    out_dir = font_dir() if out_dir is None else out_dir
    specs = FONTS if specs is None else specs
    files = built_files(out_dir, specs)
    built = bool(installed(out_dir, specs))
    if not built:
        return FontsStatus(out_dir, files, False, False)
    try:
        sources = [find_source(f.source, source_dirs) for f in specs]
    except FontBuildError as exc:
        return FontsStatus(out_dir, files, True, None, str(exc))
    char_set = set(chars) if chars is not None else charset(roots)
    return FontsStatus(out_dir, files, True, up_to_date(out_dir, _fingerprint(sources, char_set), specs))


ProgressFn = Callable[[UiFont, Path], None]


def build(out_dir: Path | None = None, source_dirs: Iterable[Path] | None = None,
          roots: Iterable[Path] | None = None, force: bool = False, *, chars: Iterable[int] | None = None,
          specs: Sequence[UiFont] | None = None, progress: ProgressFn | None = None) -> tuple[list[Path], bool]:
    """Build the UI fonts into `out_dir`; returns (paths, built) — built False when already current.

    `chars` replaces the character list (default: `charset(roots)`) and `specs` the fonts to build
    (default: all of FONTS): tests build one font with a few characters in well under a second.
    `progress(spec, source)` is called before each font. All fonts are written to temporary names
    first and renamed only when every one succeeded, so a failed build keeps the previous fonts
    and leaves no temporary file. Raises FontBuildError with a one-line cause."""
    out_dir = font_dir() if out_dir is None else out_dir
    specs = FONTS if specs is None else tuple(specs)
    sources = [find_source(f.source, source_dirs) for f in specs]
    char_set = set(chars) if chars is not None else charset(roots)
    fingerprint = _fingerprint(sources, char_set)
    if not force and up_to_date(out_dir, fingerprint, specs):
        return [out_dir / f.out for f in specs], False
    try:
        from fontTools import subset  # noqa: F401  (build time only)
        from fontTools.ttLib import TTCollection, TTFont  # noqa: F401
    except ImportError as exc:
        raise FontBuildError("fontTools is not installed (pip install fonttools)") from exc
    _check_writable(out_dir)
    written: list[tuple[Path, Path]] = []  # (temporary, final)
    files: dict[str, dict[str, int]] = {}
    try:
        for spec, src in zip(specs, sources):
            if progress is not None:
                progress(spec, src)
            final = out_dir / spec.out
            tmp = out_dir / f".{spec.out}.{os.getpid()}.tmp"  # two builds at once never mix
            written.append((tmp, final))
            n_chars = _subset_one(spec, src, char_set, tmp)
            files[spec.out] = {"size": tmp.stat().st_size, "characters": n_chars}
        manifest = {"format": FORMAT, "fingerprint": fingerprint, "characters": len(char_set),
                    "sources": [str(s) for s in sources], "files": files}
        tmp_manifest = out_dir / f".{MANIFEST}.{os.getpid()}.tmp"
        written.append((tmp_manifest, out_dir / MANIFEST))
        _write(tmp_manifest, lambda: tmp_manifest.write_text(json.dumps(manifest, indent=1), encoding="utf-8"))
        for tmp, final in written:  # the manifest last: it vouches for the fonts before it
            _write(final, lambda: os.replace(tmp, final))
    finally:
        for tmp, _ in written:
            tmp.unlink(missing_ok=True)
    return [out_dir / f.out for f in specs], True


def _write(path: Path, fn: Callable[[], object]) -> None:
    try:
        fn()
    except OSError as exc:
        raise FontBuildError(f"{path}: cannot write ({exc.strerror or exc})") from exc


def _check_writable(out_dir: Path) -> None:
    """Fail before the minute of subsetting when the folder cannot be created or written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FontBuildError(f"{out_dir}: cannot create the font folder ({exc.strerror or exc})") from exc
    try:
        with tempfile.NamedTemporaryFile(dir=out_dir, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise FontBuildError(f"{out_dir}: cannot write to the font folder ({exc.strerror or exc})") from exc


def _subset_one(spec: UiFont, src: Path, chars: set[int], dest: Path) -> int:
    """Cut the SC face of `src` down to `chars`, rename it, save it as `dest`; its character count."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    try:
        # lazy: only the tables the subsetter touches are read, and only from the SC face (loading the
        # whole collection with lazy=False reads all ten faces' tables: 2–3 times slower, same bytes).
        # The source's timestamp is kept, so the same inputs give the same file.
        font = TTFont(str(src), fontNumber=_sc_index(src), lazy=True, recalcTimestamp=False)
    except FontBuildError:
        raise
    except Exception as exc:  # noqa: BLE001  (fontTools raises many kinds for a damaged file)
        raise FontBuildError(f"{src}: cannot read this font ({type(exc).__name__}: {exc})") from exc
    with font:
        try:
            options = subset.Options()
            options.layout_features = ["*"]  # vertical forms, proportional punctuation, …
            options.name_IDs = ["*"]
            options.name_languages = ["*"]
            options.notdef_outline = True
            options.hinting = True
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=chars)
            subsetter.subset(font)
            _rename(font, spec)
            n_chars = len(font.getBestCmap() or {})
        except Exception as exc:  # noqa: BLE001
            raise FontBuildError(f"{src}: cannot subset this font ({type(exc).__name__}: {exc})") from exc
        _write(dest, lambda: font.save(str(dest)))
    return n_chars


def _sc_index(src: Path) -> int | None:
    """Index of the Simplified Chinese face in a collection (None for a single-face file)."""
    from fontTools.ttLib import TTCollection

    if src.suffix.lower() not in (".ttc", ".otc"):
        return None
    with TTCollection(str(src), lazy=True) as collection:
        for i, font in enumerate(collection.fonts):
            if font["name"].getDebugName(1).endswith(SC_FACE):
                return i
    raise FontBuildError(f"{src}: no '{SC_FACE}' face in this collection")


def _rename(font, spec: UiFont) -> None:
    """Own family names, so Qt never confuses the subset with the full system font."""
    full = f"{spec.family} {spec.style}" if spec.style != "Regular" else spec.family
    table = font["name"]
    for rec in list(table.names):
        if rec.nameID in (16, 17, 21, 22):  # typographic family/style: the plain ones say it all
            table.removeNames(nameID=rec.nameID)
    for name_id, value in ((1, spec.family), (2, spec.style), (3, f"Hongtu:{spec.ps_name}"), (4, full),
                           (6, spec.ps_name)):
        table.removeNames(nameID=name_id)
        table.setName(value, name_id, 3, 1, 0x409)
        table.setName(value, name_id, 1, 0, 0)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [spec.ps_name]
        top = cff.topDictIndex[0]
        top.FullName = full
        top.FamilyName = spec.family
