"""The logging filter: configured secrets, fragments of them, and token shapes never get logged."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from billing_adapters.redaction import REDACTED
from bot.runtime.logging_setup import SecretFilter, configure_logging
from bot.settings import load_settings

# Assembled from parts so that no secret scanner mistakes these fakes for real keys.
SHAPED = {
    "openai admin": "sk-" + "admin-" + "Zq8wXr4TmB2vLp9sKd7F",
    "openai project": "sk-" + "proj-" + "Hc3nW8qYt5Rb2Vm7Kx1Lf9Dp",
    "openai legacy": "sk-" + "T4fG8hJ2kL6mN0pQ3rS7uV1w",
    "anthropic": "sk-" + "ant-" + "admin01-Yb6Nc2Xd8Ve4Wf0Ug",
    "slack bot": "xox" + "b-1234567890-0987654321-AbCdEfGhIjKlMnOp",
    "slack user": "xox" + "p-1111-2222-3333-abcdef",
    "slack app": "xa" + "pp-1-A0123456789-1234567890-abcdef0123",
    "stripe live secret": "sk_" + "live_51HqL2mKz9XwYt",
    "stripe test secret": "sk_" + "test_51HqL2mKz9XwYt",
    "stripe live restricted": "rk_" + "live_51HqL2mKz9XwYt",
    "stripe test restricted": "rk_" + "test_51HqL2mKz9XwYt",
}
CONFIGURED = {
    "OPENAI_ADMIN_KEY": "unusual-openai-value-4f1c9a",
    "ANTHROPIC_ADMIN_KEY": "unusual-anthropic-value-7d2e0b",
    "SLACK_BOT_TOKEN": "unusual-bot-token-value-9a8b7c",
    "SLACK_SIGNING_SECRET": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "SLACK_APP_TOKEN": "unusual-app-token-value-3c4d5e",
    "STRIPE_API_KEY": "unusual-stripe-value-6e5f4a",
}


@pytest.fixture
def configured() -> SecretFilter:
    return SecretFilter(CONFIGURED.values())


@pytest.mark.parametrize("kind", sorted(SHAPED))
def test_every_token_shape_is_redacted(kind: str) -> None:
    token = SHAPED[kind]
    text = SecretFilter().scrub(f"calling with {token}, then failing")
    assert token not in text
    assert text == f"calling with {REDACTED}, then failing"


def test_bearer_credentials_are_redacted_whatever_their_shape() -> None:
    text = SecretFilter().scrub("headers: {'Authorization': 'Bearer abc.DEF-123_x/y+z=='}")
    assert text == "headers: {'Authorization': 'Bearer [redacted]'}"
    assert (
        SecretFilter().scrub("authorization: bearer opaque42") == "authorization: bearer [redacted]"
    )


@pytest.mark.parametrize(
    "prose",
    [
        "set OPENAI_ADMIN_KEY to an sk-admin-... key",
        "Anthropic admin keys start with sk-ant-admin01-",
        "the bot token (xoxb-...) is missing",
        "a restricted key (rk_live_...) is enough",
        "task-force meeting about risk-management-processes",
        "the bearer of bad news",
    ],
)
def test_prose_about_keys_stays_readable(prose: str) -> None:
    assert SecretFilter().scrub(prose) == prose


@pytest.mark.parametrize("name", sorted(CONFIGURED))
def test_configured_secrets_are_redacted_whole(configured: SecretFilter, name: str) -> None:
    secret = CONFIGURED[name]
    text = configured.scrub(f"{name}={secret}; retrying")
    assert secret not in text and text == f"{name}={REDACTED}; retrying"


@pytest.mark.parametrize("name", sorted(CONFIGURED))
def test_fragments_of_configured_secrets_are_redacted(configured: SecretFilter, name: str) -> None:
    secret = CONFIGURED[name]
    for start in range(0, len(secret) - 8 + 1, 3):
        fragment = secret[start : start + 8]
        assert fragment not in configured.scrub(f"provider echoed {fragment}**** back")


def test_text_without_secrets_is_unchanged(configured: SecretFilter) -> None:
    text = 'HTTP Request: GET http://127.0.0.1:8080/v1/organization/costs "HTTP/1.1 200 OK"'
    assert configured.scrub(text) == text


def record(message: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    return logging.LogRecord("t", logging.ERROR, __file__, 1, message, args, exc_info)


def test_filter_scrubs_formatted_args(configured: SecretFilter) -> None:
    secret = CONFIGURED["STRIPE_API_KEY"]
    rec = record("key %s rejected (%d tries)", secret, 3)
    assert configured.filter(rec) is True
    assert rec.getMessage() == f"key {REDACTED} rejected (3 tries)"


def test_filter_scrubs_the_traceback(configured: SecretFilter) -> None:
    secret = CONFIGURED["SLACK_BOT_TOKEN"]
    try:
        raise RuntimeError(f"auth failed for {secret}")
    except RuntimeError as exc:
        rec = record("listener failed", exc=exc)
    configured.filter(rec)
    formatted = logging.Formatter().format(rec)
    assert "Traceback" in formatted and "RuntimeError: auth failed for [redacted]" in formatted
    assert secret not in formatted


def test_filter_survives_a_bad_format_string(configured: SecretFilter) -> None:
    secret = CONFIGURED["OPENAI_ADMIN_KEY"]
    rec = record("%d items for %s", "not a number", secret)
    assert configured.filter(rec) is True
    assert secret not in rec.getMessage()


@pytest.fixture
def root_stream() -> Iterator[io.StringIO]:
    """A stream handler of our own on the root logger; the root is restored afterwards."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    stream = io.StringIO()
    root.addHandler(logging.StreamHandler(stream))
    try:
        yield stream
    finally:
        for handler in {*root.handlers, *saved[0]}:
            for f in [f for f in handler.filters if isinstance(f, SecretFilter)]:
                handler.removeFilter(f)
        root.handlers, root.level = saved[0], saved[1]


def test_configure_logging_covers_every_logger(
    root_stream: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in CONFIGURED.items():
        monkeypatch.setenv(name, value)
    settings = load_settings(DATABASE_URL="postgresql://aicost:hunter2-long@db/aicost")
    configure_logging(settings)
    configure_logging(settings)  # idempotent: one filter per handler
    for handler in logging.getLogger().handlers:  # ours, and pytest's own while a test runs
        assert len([f for f in handler.filters if isinstance(f, SecretFilter)]) == 1
    logging.getLogger("slack_bolt.App").warning("token %s", CONFIGURED["SLACK_BOT_TOKEN"])
    logging.getLogger("aicost.sync").info("db password hunter2-long, key %s", SHAPED["anthropic"])
    logging.getLogger("aicost.debug").debug("not shown at INFO")
    lines = root_stream.getvalue().splitlines()
    assert lines == [f"token {REDACTED}", f"db password {REDACTED}, key {REDACTED}"]
