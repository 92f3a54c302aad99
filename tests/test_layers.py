"""The layers are a contract (pyproject.toml, [tool.importlinter]): checked here so CI enforces
them, and shown to catch a breach, so a passing run means something."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on the packages found in `tree`, with the project's contracts."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_code_keeps_every_layer_contract() -> None:
    checked = lint_imports(ROOT)
    assert checked.returncode == 0, checked.stdout[-3000:] + checked.stderr[-2000:]
    assert "0 broken" in checked.stdout


def test_an_adapter_importing_the_bot_is_caught(tmp_path: Path) -> None:
    for package in ("bot", "billing_adapters"):
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    base = tmp_path / "billing_adapters" / "base.py"
    base.write_text(base.read_text() + "\nfrom bot import settings  # a breach\n")
    checked = lint_imports(tmp_path)
    assert checked.returncode == 1
    assert "billing adapters never import the bot BROKEN" in checked.stdout
    assert "billing_adapters.base -> bot.settings" in checked.stdout
