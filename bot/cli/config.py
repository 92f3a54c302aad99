"""`aicost config show [--json]`, `config set NAME VALUE`, `config unset NAME`: the settings in
force and where each came from, and the ones a lead may store over the environment."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from ..core.clock import utc_now
from ..core.settable import SETTABLE

if TYPE_CHECKING:
    from ..settings import Settings

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    config = commands.add_parser("config", help="the configuration in force and its sources")
    actions = config.add_subparsers(dest="action", required=True, metavar="ACTION")
    show = actions.add_parser(
        "show", help="every setting, its value (secrets: set or unset) and where it came from"
    )
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.set_defaults(handler=cmd_config_show)
    settable = ", ".join(SETTABLE)
    set_ = actions.add_parser(
        "set",
        help="store a setting over the environment (as from Slack); audited",
        description=f"Settable: {settable}. The value is checked as the environment's would be.",
    )
    set_.add_argument("name", metavar="NAME")
    set_.add_argument("value", metavar="VALUE")
    set_.set_defaults(handler=cmd_config_set)
    unset = actions.add_parser(
        "unset", help="remove a stored setting: the environment's value is in force again"
    )
    unset.add_argument("name", metavar="NAME")
    unset.set_defaults(handler=cmd_config_unset)


def cmd_config_show(settings: Settings, args: argparse.Namespace) -> int:
    from ..services.settings_in_force import layered, read_stored
    from ..settings_report import config_in_force

    stored, problem = read_stored(settings)
    if problem:
        print(f"aicost: stored settings not read ({problem})", file=sys.stderr)
    in_force = layered(settings, {name: kept.value for name, kept in stored.items()})
    lines = config_in_force(in_force, os.environ, stored=stored)
    if args.json:
        print(json.dumps([asdict(line) for line in lines], indent=2))
        return 0
    width = max(len(line.name) for line in lines)
    for line in lines:
        print(f"{line.name:<{width}}  {line.value}  ({line.source})")
    return 0


def _change(name: str, value: str | None) -> int:
    from ..db.audit import CLI_ACTOR
    from ..runtime.store import open_store
    from ..services.config_changes import change_settings
    from ..settings import load_settings

    base = load_settings()  # the environment's, under what is stored
    name = name.strip().upper()
    engine = open_store(base).engine
    changed = change_settings(engine, base, {name: value}, actor=CLI_ACTOR, at=utc_now())
    if value is None:
        done = "removed" if changed else "was not stored"
        print(f"{name}: {done}; the environment's value (or the default) is in force")
    else:
        print(f"{name} = {value}" + ("" if changed else " (already so)"))
    return 0


def cmd_config_set(settings: Settings, args: argparse.Namespace) -> int:
    return _change(args.name, args.value)


def cmd_config_unset(settings: Settings, args: argparse.Namespace) -> int:
    return _change(args.name, None)
