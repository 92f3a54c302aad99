"""Logging for `aicost serve`: one stderr handler, and a filter that keeps secrets out of it.

Libraries log what they are given (a request, an exception's text), and an exception can carry
a key in its message. So every record is scrubbed at the handler, after formatting its message
and traceback: each configured secret, any 8+ character fragment of one (providers echo part of
a bad key), and anything shaped like a provider key, a Slack token or a Bearer credential, so
that a secret we were never told about is caught too.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from typing import Protocol

from billing_adapters import redact

__all__ = ["REDACTED", "TOKEN_SHAPES", "SecretFilter", "configure_logging"]

REDACTED = "[redacted]"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
FRAGMENT = 8  # the shortest slice of a secret that counts as leaking it

# Token shapes, most specific first. Each needs a run of key characters after its prefix, so
# prose that mentions a prefix ("an sk-admin-... key") stays readable.
TOKEN_SHAPES: dict[str, str] = {
    "anthropic": r"\bsk-ant-[A-Za-z0-9_\-]{16,}",
    "openai_admin": r"\bsk-admin-[A-Za-z0-9_\-]{16,}",
    "openai": r"\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_\-]{16,}",
    "stripe": r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{8,}",
    "slack": r"\bxox[abposr]-[A-Za-z0-9\-]{8,}",
    "slack_app": r"\bxapp-[A-Za-z0-9\-]{8,}",
}
_SHAPES = re.compile("|".join(f"(?:{pattern})" for pattern in TOKEN_SHAPES.values()))
_BEARER = re.compile(r"(?i)\b(Bearer)\s+[A-Za-z0-9\-._~+/]{8,}=*")


class SecretFilter(logging.Filter):
    """Rewrites each record so that neither its message nor its traceback holds a secret."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)
        self._fragments = frozenset(
            s[i : i + FRAGMENT] for s in self.secrets for i in range(len(s) - FRAGMENT + 1)
        )
        whole = "|".join(re.escape(s) for s in self.secrets)
        self._whole = re.compile(whole) if whole else None

    def scrub(self, text: str) -> str:
        """text with every secret, fragment of one and token-shaped string replaced."""
        if self._whole is not None:
            text = self._whole.sub(REDACTED, text)
        if self._has_fragment(text):
            text = redact(text, self.secrets)
        text = _SHAPES.sub(REDACTED, text)
        return _BEARER.sub(rf"\1 {REDACTED}", text)

    def _has_fragment(self, text: str) -> bool:
        fragments = self._fragments
        return bool(fragments) and any(
            text[i : i + FRAGMENT] in fragments for i in range(len(text) - FRAGMENT + 1)
        )

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
    """What logging needs of the settings (bot.settings.Settings), without importing them:
    the settings scrub their own error messages with SecretFilter."""

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
