"""The UI fonts (app/fonts.py, `hongtu fonts`): what the subset holds, when it is rebuilt, and the
errors a person reads. Builds use a few characters and one or two fonts (well under a second each)."""
import json
import os
import shutil
import sys

import pytest
from click.testing import CliRunner
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from app import fonts
from app.cli import load_commands

SANS = fonts.FONTS[0]  # Hongtu Sans Regular, from NotoSansCJK-Regular.ttc
SERIF_BOLD = fonts.FONTS[2]  # Hongtu Serif Bold, from NotoSerifCJK-Bold.ttc
CHARS = set(range(0x20, 0x7F)) | {ord(c) for c in "红图福建革命历史纪念馆，。"}
RARE = 0x20BB7  # 𠮷, CJK Extension B: in the full Noto CJK SC face, not in GB 2312
COMMON_NOT_KEPT = ord("的")  # the commonest hanzi, deliberately left out of CHARS


def _source_dir():
    for d in fonts.SYSTEM_FONT_DIRS:
        if all((d / f.source).is_file() for f in (SANS, SERIF_BOLD)):
            return d
    pytest.skip("the Noto CJK collections are not installed (fonts-noto-cjk)")


@pytest.fixture(scope="module")
def system_fonts():
    return _source_dir()


@pytest.fixture
def own_source(tmp_path, system_fonts):
    """A copy of the Sans Regular collection this test may touch."""
    d = tmp_path / "src"
    d.mkdir()
    shutil.copy2(system_fonts / SANS.source, d / SANS.source)
    return d


def _names(font, name_id):
    return {rec.toUnicode() for rec in font["name"].names if rec.nameID == name_id}


def test_subset_holds_the_kept_characters_only_and_is_renamed(tmp_path, system_fonts):
    out = tmp_path / "ui-fonts"
    paths, built = fonts.build(out, source_dirs=[system_fonts], chars=CHARS, specs=(SANS, SERIF_BOLD))
    assert built and paths == [out / SANS.out, out / SERIF_BOLD.out]
    with TTFont(str(fonts.find_source(SANS.source, [system_fonts])), fontNumber=2, lazy=True) as full:
        assert RARE in full.getBestCmap() and COMMON_NOT_KEPT in full.getBestCmap()

    for path, family, style, full_name in ((paths[0], "Hongtu Sans", "Regular", "Hongtu Sans"),
                                            (paths[1], "Hongtu Serif", "Bold", "Hongtu Serif Bold")):
        with TTFont(str(path)) as font:
            cmap = font.getBestCmap()
            assert set(cmap) == CHARS, f"{path.name}: {sorted(set(cmap) ^ CHARS)}"
            assert RARE not in cmap and COMMON_NOT_KEPT not in cmap
            pen = BoundsPen(font.getGlyphSet())
            font.getGlyphSet()[cmap[ord("红")]].draw(pen)
            assert pen.bounds is not None, "红 has no outline"  # real glyphs, not empty boxes
            assert _names(font, 1) == {family} and _names(font, 2) == {style}
            assert _names(font, 4) == {full_name} and _names(font, 6) == {family.replace(" ", "") + "-" + style}
            assert not _names(font, 16) and not _names(font, 17)  # no "Noto Sans CJK SC" left to confuse Qt
            assert not any("Noto" in n for i in (1, 3, 4, 6) for n in _names(font, i))
            cff = font["CFF "].cff
            assert cff.fontNames == [f"{family.replace(' ', '')}-{style}"]
            assert (cff.topDictIndex[0].FamilyName, cff.topDictIndex[0].FullName) == (family, full_name)

    manifest = json.loads((out / fonts.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["characters"] == len(CHARS)
    assert manifest["files"][SANS.out] == {"size": paths[0].stat().st_size, "characters": len(CHARS)}
    assert sorted(p.name for p in out.iterdir()) == sorted([SANS.out, SERIF_BOLD.out, fonts.MANIFEST])


def test_build_is_skipped_when_current_and_redone_when_source_or_charset_changes(tmp_path, own_source):
    out = tmp_path / "ui-fonts"
    build = lambda chars=CHARS, force=False: fonts.build(out, [own_source], chars=chars, specs=(SANS,),  # noqa: E731
                                                         force=force)[1]
    seen = []
    assert fonts.build(out, [own_source], chars=CHARS, specs=(SANS,), progress=lambda s, src: seen.append((s, src)))[1]
    assert seen == [(SANS, own_source / SANS.source)]
    first = (out / SANS.out).stat().st_mtime_ns
    assert build() is False and (out / SANS.out).stat().st_mtime_ns == first
    st = fonts.status(out, [own_source], specs=(SANS,), chars=CHARS)
    assert st.built and st.current and st.files[0].characters == len(CHARS)

    more = CHARS | {ord("的")}
    assert fonts.status(out, [own_source], specs=(SANS,), chars=more).current is False
    assert build(more) is True
    with TTFont(str(out / SANS.out)) as font:
        assert ord("的") in font.getBestCmap()
    assert build(more) is False

    src = own_source / SANS.source
    os.utime(src, (src.stat().st_atime, src.stat().st_mtime - 3600))  # a new fonts-noto-cjk version
    assert build(more) is True and build(more) is False
    previous = (out / SANS.out).read_bytes()
    assert build(more, force=True) is True
    assert (out / SANS.out).read_bytes() == previous  # the same inputs give the same file

    (out / SANS.out).unlink()  # a file gone: built again, not trusted to the manifest
    assert fonts.status(out, [own_source], specs=(SANS,), chars=more).built is False
    assert build(more) is True


def test_missing_source_font_is_named(tmp_path):
    with pytest.raises(fonts.FontBuildError, match=rf"^{SANS.source}: not found in {tmp_path} \(install fonts-noto-cjk\)$"):
        fonts.build(tmp_path / "out", [tmp_path], chars=CHARS, specs=(SANS,))
    assert not (tmp_path / "out").exists()


def test_missing_fonttools_is_named(tmp_path, system_fonts, monkeypatch):
    for name in ("fontTools", "fontTools.subset", "fontTools.ttLib"):
        monkeypatch.setitem(sys.modules, name, None)  # `import fontTools…` now raises ImportError
    with pytest.raises(fonts.FontBuildError, match=r"^fontTools is not installed \(pip install fonttools\)$"):
        fonts.build(tmp_path / "out", [system_fonts], chars=CHARS, specs=(SANS,))


def test_folder_that_cannot_be_created_or_written(tmp_path, system_fonts, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(fonts.FontBuildError, match=rf"^{blocker}/fonts: cannot create the font folder \(Not a directory\)$"):
        fonts.build(blocker / "fonts", [system_fonts], chars=CHARS, specs=(SANS,))

    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(fonts.tempfile, "NamedTemporaryFile", read_only)  # what a read-only folder answers
    out = tmp_path / "out"
    with pytest.raises(fonts.FontBuildError, match=rf"^{out}: cannot write to the font folder \(Permission denied\)$"):
        fonts.build(out, [system_fonts], chars=CHARS, specs=(SANS,))


def test_failed_write_keeps_the_previous_font_and_leaves_no_temporary_file(tmp_path, system_fonts, monkeypatch):
    out = tmp_path / "ui-fonts"
    fonts.build(out, [system_fonts], chars=CHARS, specs=(SANS,))
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def disk_full(self, file, *args, **kwargs):
        with open(file, "wb") as f:
            f.write(b"half a font")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(TTFont, "save", disk_full)
    with pytest.raises(fonts.FontBuildError, match=rf"^{out}/\.{SANS.out}\.{os.getpid()}\.tmp: cannot write \(No space left on device\)$"):
        fonts.build(out, [system_fonts], chars=CHARS | {ord("的")}, specs=(SANS,))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_charset_takes_the_pack_and_ui_text(tmp_path):
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "exhibit.yaml").write_text("title: 𠮷野家 ā\n", encoding="utf-8")
    (tmp_path / "pack" / "photo.jpg").write_bytes("龘".encode())  # not text: ignored
    chars = fonts.charset([tmp_path / "pack"])
    assert {RARE, ord("野"), ord("ā"), ord("的"), ord("，"), ord("A")} <= chars
    assert ord("龘") not in chars


def test_cli_build_and_status(tmp_path, system_fonts, monkeypatch):
    monkeypatch.setattr(fonts, "FONTS", (SANS,))
    monkeypatch.setattr(fonts, "charset", lambda roots=None: set(CHARS))
    monkeypatch.setenv("HONGTU_FONT_DIR", str(system_fonts))
    cli = load_commands()
    out = tmp_path / "ui-fonts"
    runner = CliRunner()

    result = runner.invoke(cli, ["fonts", "status", "--out", str(out)])
    assert result.exit_code == 0 and "not built" in result.output and f"{SANS.out}: missing" in result.output

    result = runner.invoke(cli, ["fonts", "build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"UI fonts built in {out}" in result.output
    assert f"  {SANS.out}: {(out / SANS.out).stat().st_size / 1e6:.1f} MB, {len(CHARS)} characters" in result.output

    result = runner.invoke(cli, ["fonts", "build", "--out", str(out)])
    assert result.exit_code == 0 and f"UI fonts up to date in {out}" in result.output
    assert runner.invoke(cli, ["fonts", "build", "--quiet", "--out", str(out)]).output == ""
    result = runner.invoke(cli, ["fonts", "status", "--out", str(out)])
    assert result.exit_code == 0 and result.output.rstrip().endswith("up to date")

    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = runner.invoke(cli, ["fonts", "build", "--out", str(blocker / "fonts")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip().splitlines()[-1] == (
        f"Error: UI fonts not built: {blocker}/fonts: cannot create the font folder (Not a directory)")
