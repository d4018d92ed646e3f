"""The frozen build's recipe stays consistent: nothing the kiosk's QML imports is stripped by the
spec, the install script's package list is what docs/packaging.md verified, and the smoke-check
script refuses a folder that is not a build. (Building takes minutes: packaging/check_build.sh
checks a real build; these tests never build.)"""
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "hongtu.spec"
INSTALL = ROOT / "packaging" / "linux" / "install.sh"
CHECK = ROOT / "packaging" / "check_build.sh"
QML = ROOT / "app" / "ui" / "qml"

# What the fresh Debian 12 minbase root needed (docs/packaging.md, "Verified on a fresh machine").
BUNDLE_PKGS = ["libxcb1", "libgl1", "libegl1", "libwayland-client0", "libwayland-cursor0", "libwayland-egl1",
               "libasound2"]


def _spec_keep():
    """The spec's `UNUSED_QT` and `keep()`, executed on their own (the rest needs PyInstaller)."""
    src = SPEC.read_text(encoding="utf-8")
    start = src.index("UNUSED_QT = (")
    end = src.index("\n\n\na.binaries")
    ns: dict = {}
    exec(src[start:end], ns)  # noqa: S102 - our own spec file
    return ns["keep"]


def _app_qt_imports() -> set[str]:
    mods = set()
    for qml in QML.rglob("*.qml"):
        for line in qml.read_text(encoding="utf-8").splitlines():
            m = re.match(r"\s*import\s+(Qt[\w.]*)", line)
            if m:
                mods.add(m.group(1))
    return mods


def test_spec_keeps_every_qt_module_the_kiosk_imports():
    keep = _spec_keep()
    imports = _app_qt_imports()
    assert {"QtQuick", "QtMultimedia", "QtQuick.VirtualKeyboard", "QtGraphs"} <= imports
    for mod in sorted(imports):
        dest = f"PySide6/Qt/qml/{mod.replace('.', '/')}/qmldir"
        assert keep((dest, "", "DATA")), f"hongtu.spec strips {dest}, but app/ui/qml imports {mod}"
    # The libraries behind them and the platform/multimedia plugins the kiosk loads.
    for dest in ["PySide6/Qt/lib/libQt6Multimedia.so.6", "PySide6/Qt/lib/libQt6VirtualKeyboard.so.6",
                 "PySide6/Qt/lib/libQt6Graphs.so.6", "PySide6/Qt/lib/libQt6Quick3D.so.6",
                 "PySide6/Qt/lib/libQt6QuickControls2Basic.so.6", "PySide6/Qt/lib/libQt6LabsFolderListModel.so.6",
                 "PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so",
                 "PySide6/Qt/plugins/platforms/libqwayland.so", "PySide6/Qt/plugins/platforms/libqxcb.so",
                 "PySide6/Qt/plugins/platforms/libqoffscreen.so",
                 "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
                 "PySide6/Qt/translations/qtbase_zh_CN.qm", "app/ui/qml/Hongtu/ChartBars.qml"]:
        assert keep((dest, "", "BINARY")), f"hongtu.spec strips {dest}"
    for dest in ["PySide6/Qt/lib/libQt6Widgets.so.6", "PySide6/Qt/qml/QtQuick/Controls/Material/qmldir",
                 "PySide6/Qt/plugins/platformthemes/libqgtk3.so", "PySide6/Qt/translations/qtbase_de.qm"]:
        assert not keep((dest, "", "BINARY")), f"hongtu.spec should strip {dest}"


def _packages(*flags: str) -> list[str]:
    out = subprocess.run(["bash", str(INSTALL), "--print-packages", *flags], capture_output=True, text=True,
                         timeout=30, check=True).stdout
    return out.split()


def test_install_script_package_lists():
    assert _packages("--no-session") == BUNDLE_PKGS
    assert _packages() == [*BUNDLE_PKGS, "cage", "xwayland"]
    assert _packages("--x11") == [*BUNDLE_PKGS, "xserver-xorg", "xinit"]
    # The build carries its fonts and voices: no package for them.
    assert not {"fonts-noto-cjk", "espeak-ng-data", "espeak-ng"} & set(_packages())


def test_install_script_rejects_unknown_option():
    r = subprocess.run(["bash", str(INSTALL), "--frobnicate"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "unknown option --frobnicate" in r.stderr


def test_check_build_refuses_a_folder_without_a_build(tmp_path):
    r = subprocess.run(["bash", str(CHECK), str(tmp_path)], capture_output=True, text=True, timeout=30)
    assert r.returncode == 2
    assert f"no build at {tmp_path}" in r.stderr


def test_check_build_reads_only_the_import_block(tmp_path):
    """Its QML import parser skips comments and stops at the root object (Qt's own files quote
    `import QtSystemInfo` inside documentation comments)."""
    qml = tmp_path / "X.qml"
    qml.write_text("/****\n * import NotThis 1.0\n ****/\n// import NorThis\npragma Singleton\n"
                   "import QtQuick\nimport QtQuick.Controls.Basic as B\nimport \"js/util.js\" as U\n\n"
                   "Item {\n    /* import Inside */\n}\nimport After\n", encoding="utf-8")
    script = CHECK.read_text(encoding="utf-8")
    body = script[script.index("qml_imports() {"):script.index("module_dir() {")]
    r = subprocess.run(["bash", "-c", f"{body}\nqml_imports \"$1\"", "_", str(qml)], capture_output=True, text=True,
                       timeout=30, check=True)
    assert r.stdout.split() == ["QtQuick", "QtQuick.Controls.Basic"]


def _bundled_font_files() -> list[Path]:
    """The font files hongtu.spec bundles (its `for font in (...)` / `path = f".../{font}"` loops)."""
    src = SPEC.read_text(encoding="utf-8")
    files = []
    for names, pattern in re.findall(r'for font in \(([^)]*)\):\s*\n\s*path = f"([^"]*)\{font\}"', src):
        files += [Path(pattern + name) for name in re.findall(r'"([^"]+)"', names)]
    return files


def test_bundled_fonts_cover_every_ui_symbol(tmp_path):
    """Every symbol the QML writes (arrows, ⌕, ✕, ★ ...) is in a font the build bundles: on a terminal
    without font packages anything else draws as a box. (packaging/check_build.sh checks the build.)"""
    fonts = _bundled_font_files()
    assert {f.name for f in fonts} >= {"NotoSansCJK-Regular.ttc", "NotoSerifCJK-Bold.ttc", "DejaVuSans.ttf"}
    missing_files = [f for f in fonts if not f.exists()]
    if missing_files or not shutil.which("fc-list"):
        pytest.skip(f"build machine fonts not installed here: {missing_files or 'fc-list'}")
    (tmp_path / "fonts").mkdir()
    for f in fonts:
        (tmp_path / "fonts" / f.name).symlink_to(f)
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"<fontconfig><dir>{tmp_path / 'fonts'}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>")
    out = subprocess.run(["fc-list", ":", "charset"], capture_output=True, text=True, timeout=120, check=True,
                         env={"FONTCONFIG_FILE": str(conf), "PATH": "/usr/bin:/bin"}).stdout
    ranges = []
    for token in re.findall(r"[0-9a-f]+(?:-[0-9a-f]+)?", " ".join(line.split("charset=", 1)[-1] for line in out.splitlines())):
        lo, _, hi = token.partition("-")
        ranges.append((int(lo, 16), int(hi or lo, 16)))
    symbols = {ch for qml in QML.rglob("*.qml") for ch in qml.read_text(encoding="utf-8") if 0x2000 <= ord(ch) <= 0x2BFF}
    assert symbols, "no symbols found in the QML (the scan is broken)"
    uncovered = sorted(f"{ch} (U+{ord(ch):04X})" for ch in symbols if not any(lo <= ord(ch) <= hi for lo, hi in ranges))
    assert uncovered == [], f"no bundled font has {uncovered}: they would show as boxes"
