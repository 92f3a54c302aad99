"""Run a module as `python -m` would, then write its own peak RSS (VmHWM, in kB) to a file.

    python bench/peak_rss.py OUT_FILE bot.cli sync --since 2025-11-24

The benchmark cannot take a child's peak from wait4's ru_maxrss: Linux folds the memory of the
process that forked the child into it (the benchmark, holding a million generated rows, would
be counted), while VmHWM belongs to the child's own address space, started afresh at exec.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path


def peak_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status (not Linux?)")


def main() -> None:
    out, module, *args = sys.argv[1:]
    sys.argv = [module, *args]
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    finally:
        Path(out).write_text(str(peak_kb()))


if __name__ == "__main__":
    main()
