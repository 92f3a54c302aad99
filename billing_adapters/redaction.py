"""The one way aicost keeps secrets out of text: errors, log records, replies.

It lives here, at the bottom of the import graph, because the adapters need it for the error
texts they build from provider responses and they may not import `bot`; the bot's log filter,
settings errors, sync failures and CLI messages all call the same `Redactor`.

Three things are replaced: each configured secret whole, any 8+ character fragment of one
(providers echo part of a bad key: "Incorrect API key provided: sk-admin-ab**..."), and
anything shaped like a provider key, a Slack token or a Bearer credential, so that a secret
we were never told about is caught too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["FRAGMENT", "REDACTED", "TOKEN_SHAPES", "Redactor", "redact"]

REDACTED = "[redacted]"
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


class Redactor:
    """Scrubs text of a fixed set of secrets; built once where the same secrets are reused
    (a log filter sees every record), since the patterns are compiled up front."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)
        whole = "|".join(re.escape(s) for s in self.secrets)
        self._whole = re.compile(whole) if whole else None
        # Longest first, so a 16-character echo goes as one piece rather than in 8s.
        self._fragments = sorted(
            {
                s[i : i + size]
                for s in self.secrets
                for size in (16, 12, FRAGMENT)
                for i in range(len(s) - size + 1)
            },
            key=len,
            reverse=True,
        )
        self._fragment_set = frozenset(f for f in self._fragments if len(f) == FRAGMENT)

    def __call__(self, text: str) -> str:
        """text with every secret, fragment of one and token-shaped string replaced."""
        if self._whole is not None:
            text = self._whole.sub(REDACTED, text)
        if self._has_fragment(text):
            for fragment in self._fragments:
                if fragment in text:
                    text = text.replace(fragment, REDACTED)
        text = _SHAPES.sub(REDACTED, text)
        return _BEARER.sub(rf"\1 {REDACTED}", text)

    def _has_fragment(self, text: str) -> bool:
        # Every leaked fragment of 12 or 16 characters holds one of 8, so one pass over the
        # text's 8-character windows decides whether the slower replacement is needed.
        fragments = self._fragment_set
        return bool(fragments) and any(
            text[i : i + FRAGMENT] in fragments for i in range(len(text) - FRAGMENT + 1)
        )


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """text scrubbed of `secrets` (whole or in part) and of anything shaped like a token."""
    return Redactor(secrets)(text)
