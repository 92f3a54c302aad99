"""`aicost config show [--json]`: the configuration in force and where each value came from."""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import asdict
from typing import Any

from ..settings import Settings
from ..settings_report import config_in_force

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    config = commands.add_parser("config", help="the configuration in force and its sources")
    actions = config.add_subparsers(dest="action", required=True, metavar="ACTION")
    show = actions.add_parser(
        "show", help="every setting, its value (secrets: set or unset) and where it came from"
    )
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.set_defaults(handler=cmd_config_show)


def cmd_config_show(settings: Settings, args: argparse.Namespace) -> int:
    lines = config_in_force(settings, os.environ)
    if args.json:
        print(json.dumps([asdict(line) for line in lines], indent=2))
        return 0
    width = max(len(line.name) for line in lines)
    for line in lines:
        print(f"{line.name:<{width}}  {line.value}  ({line.source})")
    return 0
