"""Every error aicost raises for a user to read derives from one base, `AicostError`, which the
edges catch: a new error class cannot be missed by the CLI's catch list (UnsupportedDatabase
once was)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import bot
from bot.errors import AicostError

# Private signals between two functions of one module, never shown as they are.
INTERNAL = {"bot.services.sync._SourceFailed", "bot.services.alerts._InputFailed"}


def exception_classes() -> dict[str, type[BaseException]]:
    found = {}
    for info in pkgutil.walk_packages(bot.__path__, "bot."):
        if ".migrations" in info.name or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == info.name
            ):
                found[f"{info.name}.{name}"] = value
    return found


def test_every_user_facing_error_is_an_aicost_error() -> None:
    classes = exception_classes()
    assert len(classes) >= 14  # the walk found the modules
    outside = sorted(
        name
        for name, cls in classes.items()
        if not issubclass(cls, AicostError) and name not in INTERNAL
    )
    assert outside == []


def test_bad_input_errors_are_still_value_errors() -> None:
    """Code that caught ValueError before still catches them."""
    from bot.core.breakeven import AssumptionError
    from bot.core.clock import AsOfError
    from bot.core.user_input import HoursInputError, RevenueInputError

    for cls in (AssumptionError, AsOfError, HoursInputError, RevenueInputError):
        assert issubclass(cls, ValueError) and issubclass(cls, AicostError)


def test_slash_text_is_read_as_typed_before_slack_clients_changed_it() -> None:
    """Em and en dashes that start a word were "--"; curly quotes were straight; non-breaking
    and zero-width spaces were spaces or nothing. A dash standing alone in a note stays."""
    from bot.core.user_input import command_words

    typed = "breakeven \u2014monthly-spend\u00a020000 \u2013set gpu_hour_usd=1.8\u200b"
    assert command_words(typed) == [
        "breakeven",
        "--monthly-spend",
        "20000",
        "--set",
        "gpu_hour_usd=1.8",
    ]
    assert command_words("log-hours 2 upgraded \u2014 fixed") == [
        "log-hours",
        "2",
        "upgraded",
        "\u2014",
        "fixed",
    ]
    assert command_words("revenue set 2026-10 \u201c1\u201d") == [
        "revenue",
        "set",
        "2026-10",
        '"1"',
    ]
