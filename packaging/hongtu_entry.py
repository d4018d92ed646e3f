"""Entry point of the frozen (PyInstaller) build: `hongtu <command>`; no argument starts the kiosk."""
import os
import sys
from pathlib import Path

if getattr(sys, "frozen", False):
    bundle = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    # The bundled espeak-ng voices and library (pyttsx3 loads libespeak-ng.so.1 through ctypes).
    if (bundle / "espeak-ng-data").is_dir():
        os.environ.setdefault("ESPEAK_DATA_PATH", str(bundle))
        os.environ["LD_LIBRARY_PATH"] = f"{bundle}:{os.environ.get('LD_LIBRARY_PATH', '')}"
    os.environ.setdefault("HONGTU_FONT_DIR", str(bundle / "fonts"))

from app.cli import main  # noqa: E402

if len(sys.argv) == 1:
    sys.argv.append("run")
main()
