"""PySide6 6.12 drops a reference to None on every void Python→Qt call; app.ui pins None so a
kiosk that runs for months never reaches the interpreter abort (`none_dealloc`)."""
import subprocess
import sys


def test_a_quarter_million_void_calls_do_not_kill_the_interpreter():
    code = (
        "import sys, app.ui\n"
        "from PySide6.QtCore import QCoreApplication, QTimer\n"
        "app = QCoreApplication([]); t = QTimer()\n"
        "for _ in range(250_000):\n"
        "    t.setObjectName('x')\n"
        "print('alive')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "alive"
