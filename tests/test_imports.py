"""Every module imports on its own, so plain modules (grading, scheduling, statistics) can be used without the app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import quizapp

# One interpreter for all modules: before each, every quizapp module is forgotten, so each import starts cold.
SCRIPT = """
import importlib, sys
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "quizapp" or m.startswith("quizapp.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as error:  # reported, not raised: the test lists every module that fails
        failed.append(f"{name}: {type(error).__name__}: {error}")
print("\\n".join(failed))
"""


def module_names() -> list[str]:
    root = Path(quizapp.__file__).parent
    names = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "__main__.py":  # runs as it is imported
            continue
        parts = path.relative_to(root.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_every_module_imports_on_its_own():
    names = module_names()
    assert "quizapp.srs.stats" in names and "quizapp.quiz.deadlines" in names
    result = subprocess.run([sys.executable, "-c", SCRIPT, *names], capture_output=True, text=True, timeout=300,
                            cwd=Path(quizapp.__file__).parent.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", result.stdout
