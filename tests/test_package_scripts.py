"""scripts/find-python.sh: a real interpreter of Python >= 3.12, never a pyenv shim."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_find_python_prints_a_real_interpreter_that_is_new_enough_anywhere(tmp_path):
    r = subprocess.run(["bash", str(ROOT / "scripts" / "find-python.sh")], capture_output=True, text=True,
                       cwd=tmp_path, timeout=60)  # run from outside the repository
    assert r.returncode == 0, r.stderr
    path = r.stdout.strip()
    assert path and "\n" not in path and "/shims/" not in path
    assert os.access(path, os.X_OK)
    version = subprocess.run([path, "-c", "import sys; print(sys.version_info >= (3, 12))"],
                             capture_output=True, text=True, cwd="/", timeout=60)
    assert version.stdout.strip() == "True"
