"""The Makefile's first step on a fresh clone: making .venv, or saying why it cannot (nothing is installed here)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make_venv(tmp_path: Path, python_script: str) -> subprocess.CompletedProcess:
    """Ask make for the venv's interpreter only, with a stand-in for `python3` that behaves as the script says."""
    python = tmp_path / "python3"
    python.write_text("#!/bin/sh\n" + python_script)
    python.chmod(0o755)
    venv = tmp_path / "venv"
    return subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), f"VENV={venv}", f"PYTHON={python}",
                           f"{venv}/bin/python"], capture_output=True, text=True, timeout=60)


def test_a_python_older_than_3_11_is_refused_before_a_venv_is_made(tmp_path):
    done = make_venv(tmp_path, 'case "$1" in -c) exit 1 ;; --version) echo "Python 3.10.12" ;; '
                               '-m) mkdir -p "$3/bin" && touch "$3/bin/python" ;; esac\n')
    assert done.returncode != 0
    assert "quizapp needs Python 3.11 or newer" in done.stderr and "Python 3.10.12" in done.stderr
    assert "make run PYTHON=python3.12" in done.stderr
    assert not (tmp_path / "venv").exists()


def test_a_venv_left_half_made_is_removed_so_that_the_next_run_makes_it_again(tmp_path):
    # Debian's python3 without python3-venv writes bin/python, then stops: "ensurepip is not available".
    done = make_venv(tmp_path, 'case "$1" in -c) exit 0 ;; -m) mkdir -p "$3/bin" && touch "$3/bin/python"; '
                               'echo "ensurepip is not available" >&2; exit 1 ;; esac\n')
    assert done.returncode != 0 and "ensurepip is not available" in done.stderr
    assert not (tmp_path / "venv").exists()
