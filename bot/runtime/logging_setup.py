"""Logging for `aicost serve`: one stderr handler, and a filter that keeps secrets out of it.

Libraries log what they are given (a request, an exception's text), and an exception can carry
a key in its message. So every record is scrubbed at the handler, after formatting its message
and traceback, by the same `billing_adapters.redaction.Redactor` every error text goes through.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import Protocol

from billing_adapters.redaction import Redactor

__all__ = ["SecretFilter", "configure_logging"]

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class SecretFilter(logging.Filter):
    """Rewrites each record so that neither its message nor its traceback holds a secret."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.scrub = Redactor(secrets)
        self.secrets = self.scrub.secrets

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not hide the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = self.scrub(message), None
        if record.exc_info and not record.exc_text:
            # The formatter reuses exc_text when set, so the scrubbed traceback is what prints.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = self.scrub(record.stack_info)
        return True


class HasSecrets(Protocol):
    """What logging needs of the settings (bot.settings.Settings), without importing them."""

    def secret_values(self) -> list[str]: ...


def configure_logging(settings: HasSecrets, level: int = logging.INFO) -> SecretFilter:
    """Log to stderr at `level` through a SecretFilter on every root handler; returns it."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
    root.setLevel(level)
    secret_filter = SecretFilter(settings.secret_values())
    for handler in root.handlers:
        for old in [f for f in handler.filters if isinstance(f, SecretFilter)]:
            handler.removeFilter(old)
        handler.addFilter(secret_filter)
    return secret_filter
