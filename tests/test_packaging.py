"""The systemd units parse cleanly (`systemd-analyze verify`) and keep the watchdog settings the kiosk relies on;
the frozen build carries the UI fonts (hongtu.spec bundles ui-fonts/, hongtu_entry.py points HONGTU_UI_FONTS at it)."""
import ast
import configparser
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from app import fonts

ROOT = Path(__file__).resolve().parent.parent
UNITS = sorted((ROOT / "packaging" / "linux").glob("*.service"))
SPEC = ROOT / "packaging" / "hongtu.spec"
ENTRY = ROOT / "packaging" / "hongtu_entry.py"


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_unit_verifies(unit, tmp_path):
    copy = tmp_path / unit.name
    shutil.copy(unit, copy)
    result = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60)
    # The build and the compositor are not installed on a development machine; anything else is a defect.
    complaints = [line for line in (result.stdout + result.stderr).splitlines()
                  if line.strip() and "is not executable" not in line]
    assert complaints == []


@pytest.mark.parametrize("name", ["hongtu-kiosk.service", "hongtu-kiosk-x11.service"])
def test_kiosk_units_are_watched_and_restarted(name):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(Path(UNITS[0]).parent / name)
    svc = parser["Service"]
    assert svc["Type"] == "notify" and svc["NotifyAccess"] == "all"
    assert int(svc["WatchdogSec"]) > 0 and svc["Restart"] == "always"
    assert svc["User"] == "hongtu"


# -- the UI fonts in the frozen build ---------------------------------------------------------------
def _spec_ui_fonts_datas():
    """The spec's `ui_fonts_datas()`, executed on its own (the rest of the spec needs PyInstaller)."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "ui_fonts_datas")
    ns: dict = {"Path": Path, "sys": SimpleNamespace(path=[]), "ROOT": ROOT, "shutil": shutil}
    exec(compile(ast.Module(body=[fn], type_ignores=[]), str(SPEC), "exec"), ns)  # noqa: S102 - our own spec
    return ns["ui_fonts_datas"]


def _write_ui_fonts(folder: Path, manifest: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for f in fonts.FONTS:
        (folder / f.out).write_bytes(b"OTTO " + manifest.encode())
    (folder / fonts.MANIFEST).write_text(manifest, encoding="utf-8")


def test_spec_bundles_the_ui_fonts_with_their_manifest(tmp_path, monkeypatch):
    calls = []

    def fake_build(out_dir):
        calls.append(out_dir)
        _write_ui_fonts(out_dir, '{"fingerprint": "new"}')
        return [out_dir / f.out for f in fonts.FONTS], True

    monkeypatch.setattr(fonts, "build", fake_build)
    monkeypatch.setattr(fonts, "font_dir", lambda: tmp_path / "var-ui-fonts")  # none built in the checkout
    datas = _spec_ui_fonts_datas()(tmp_path / "ui-fonts")
    assert calls == [tmp_path / "ui-fonts"]
    assert sorted(datas) == sorted([(str(tmp_path / "ui-fonts" / name), "ui-fonts")
                                    for name in [*(f.out for f in fonts.FONTS), fonts.MANIFEST]])


def test_spec_starts_from_the_checkouts_ui_fonts(tmp_path, monkeypatch):
    """The fonts scripts/setup.sh built in var/ui-fonts are copied in first, so build() finds them current."""
    _write_ui_fonts(tmp_path / "var-ui-fonts", '{"fingerprint": "setup"}')
    _write_ui_fonts(tmp_path / "ui-fonts", '{"fingerprint": "old"}')
    seen = []

    def current_build(out_dir):
        seen.append((out_dir / fonts.MANIFEST).read_text(encoding="utf-8"))
        return [out_dir / f.out for f in fonts.FONTS], False

    monkeypatch.setattr(fonts, "font_dir", lambda: tmp_path / "var-ui-fonts")
    monkeypatch.setattr(fonts, "build", current_build)
    _spec_ui_fonts_datas()(tmp_path / "ui-fonts")
    assert seen == ['{"fingerprint": "setup"}']
    assert (tmp_path / "ui-fonts" / fonts.FONTS[0].out).read_bytes() == b'OTTO {"fingerprint": "setup"}'


def test_spec_fails_clearly_when_the_ui_fonts_cannot_be_built(tmp_path, monkeypatch):
    def failing_build(out_dir):
        raise fonts.FontBuildError("NotoSansCJK-Regular.ttc: not found in /usr/share/fonts/opentype/noto "
                                   "(install fonts-noto-cjk)")

    monkeypatch.setattr(fonts, "build", failing_build)
    monkeypatch.setattr(fonts, "font_dir", lambda: tmp_path / "var-ui-fonts")
    with pytest.raises(SystemExit) as exc:
        _spec_ui_fonts_datas()(tmp_path / "ui-fonts")
    assert str(exc.value) == ("hongtu.spec: the UI fonts cannot be built: NotoSansCJK-Regular.ttc: not found in "
                              "/usr/share/fonts/opentype/noto (install fonts-noto-cjk)")


def test_spec_adds_the_ui_fonts_and_keeps_the_full_noto_cjk():
    src = SPEC.read_text(encoding="utf-8")
    tree = ast.parse(src)
    linux = next(n for n in tree.body if isinstance(n, ast.If) and "linux" in ast.unparse(n.test))
    calls = [n for n in ast.walk(linux) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "ui_fonts_datas"]
    assert len(calls) == 1, "hongtu.spec no longer bundles the UI fonts (ui_fonts_datas is not called)"
    assert "build" in ast.unparse(calls[0].args[0]), "the UI fonts should be built under build/, not into the checkout"
    # The full collections stay: Qt falls back to them glyph by glyph for characters outside the subset.
    strings = {n.value for n in ast.walk(linux) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    for source in (f.source for f in fonts.FONTS):
        assert source in strings, f"hongtu.spec no longer bundles {source}"
    # ui-fonts/ survives the spec's Qt stripping.
    keep_src = src[src.index("UNUSED_QT = ("):src.index("\n\n\na.binaries")]
    ns: dict = {}
    exec(keep_src, ns)  # noqa: S102 - our own spec file
    for name in [*(f.out for f in fonts.FONTS), fonts.MANIFEST]:
        assert ns["keep"]((f"ui-fonts/{name}", "", "DATA")), f"hongtu.spec strips ui-fonts/{name}"


def _run_entry_setup(bundle: Path, environ: dict) -> dict:
    """hongtu_entry.py's frozen-build set-up, run as if frozen with `bundle` as its _internal folder."""
    tree = ast.parse(ENTRY.read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If) and "frozen" in ast.unparse(n.test))
    fake_sys = SimpleNamespace(frozen=True, _MEIPASS=str(bundle), executable=str(bundle.parent / "hongtu"))
    ns = {"os": SimpleNamespace(environ=environ), "sys": fake_sys, "Path": Path}
    exec(compile(ast.Module(body=[block], type_ignores=[]), str(ENTRY), "exec"), ns)  # noqa: S102
    return environ


def test_frozen_entry_points_the_kiosk_at_the_bundled_ui_fonts(tmp_path, monkeypatch):
    env = _run_entry_setup(tmp_path / "_internal", {})
    assert env["HONGTU_UI_FONTS"] == str(tmp_path / "_internal" / "ui-fonts")
    assert env["HONGTU_FONT_DIR"] == str(tmp_path / "_internal" / "fonts")
    monkeypatch.setenv(fonts.FONT_DIR_ENV, env["HONGTU_UI_FONTS"])
    assert fonts.font_dir() == tmp_path / "_internal" / "ui-fonts"
    # A terminal's own setting wins (setdefault).
    assert _run_entry_setup(tmp_path / "_internal", {"HONGTU_UI_FONTS": "/srv/fonts"})["HONGTU_UI_FONTS"] == "/srv/fonts"
