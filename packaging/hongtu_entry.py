"""Entry point of the frozen (PyInstaller) build: `hongtu <command>`; no argument starts the kiosk.

The app starts helper processes as `sys.executable -m <module> ...` (the TTS worker:
app.narration.worker). In the frozen build sys.executable is this program, so `hongtu -m MODULE
ARGS...` runs that bundled module as `__main__`, like `python -m` would.
"""
import os
import runpy
import sys
from pathlib import Path

if getattr(sys, "frozen", False):
    bundle = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    # The bundled espeak-ng voices and library (pyttsx3 loads libespeak-ng.so.1 through ctypes).
    if (bundle / "espeak-ng-data").is_dir():
        os.environ.setdefault("ESPEAK_DATA_PATH", str(bundle))
        os.environ["LD_LIBRARY_PATH"] = f"{bundle}:{os.environ.get('LD_LIBRARY_PATH', '')}"
    os.environ.setdefault("HONGTU_FONT_DIR", str(bundle / "fonts"))
    # The cut-down UI fonts ("Hongtu Sans"/"Hongtu Serif", app/fonts.py) built into the bundle by
    # hongtu.spec; app/ui/fonts.py registers them with Qt (without them: the full Noto CJK, more memory).
    os.environ.setdefault("HONGTU_UI_FONTS", str(bundle / "ui-fonts"))
    # The bundled fontconfig reads the bundled fonts.conf: the fonts in fonts/ plus the system's own
    # (packaging/fonts.conf), so Chinese renders on a machine with no CJK font package.
    if (bundle / "fonts.conf").is_file():
        os.environ.setdefault("FONTCONFIG_FILE", str(bundle / "fonts.conf"))

if len(sys.argv) >= 3 and sys.argv[1] == "-m":
    module = sys.argv[2]
    sys.argv = [module, *sys.argv[3:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
    sys.exit(0)

from app.cli import main  # noqa: E402

if len(sys.argv) == 1:
    sys.argv.append("run")
main()
