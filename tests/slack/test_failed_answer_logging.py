"""A slash command whose work fails unexpectedly: the user gets one line, the log the traceback,
and neither holds a secret.

The second defence of traceback scrubbing (the first is the SecretFilter unit test in
tests/core/test_logging_redaction.py): this goes through the real answer path of `/aicost`
(`SlashRequest.answer_later`, the one place that logs a traceback) and the logging that
`aicost serve` configures, so removing the scrubbing of tracebacks, or logging around the
filter, fails here.
"""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest

from billing_adapters.redaction import REDACTED
from bot.runtime.logging_setup import configure_logging
from bot.settings import load_settings
from bot.slack.commands.answers import SlashRequest
from tests.core.test_logging_redaction import root_stream

BOT_TOKEN = "xoxb-5150-Rq3Lm8Vt2-7c1e9a4f2b6d8e0a"
PASSWORD = "Pw4Ty8Xq2Zk6Nm1Rc5"  # no token shape: only the configured-secret rule catches it

__all__ = ["root_stream"]  # the fixture: a stream handler of our own on the root logger


def test_a_failing_answer_logs_its_traceback_without_secrets(
    root_stream: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    configure_logging(load_settings(DATABASE_URL=f"postgresql://aicost:{PASSWORD}@db/aicost"))
    acks: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []

    def work() -> dict[str, Any]:
        try:  # a chained failure: both exceptions' texts are in the traceback
            raise ConnectionError(f"could not reach db as aicost:{PASSWORD}")
        except ConnectionError as exc:
            raise RuntimeError(f"chat.postMessage with {BOT_TOKEN} failed") from exc

    request = SlashRequest(
        services=None,
        words=[],
        command={"user_id": "U1"},
        ack=lambda **kwargs: acks.append(kwargs),  # type: ignore[arg-type]
        respond=lambda **kwargs: answers.append(kwargs),  # type: ignore[arg-type]
        logger=logging.getLogger("slack_bolt.App"),
    )
    request.answer_later("status", work)

    assert acks == [{}]  # acked before the work ran
    assert len(answers) == 1 and "(RuntimeError)" in answers[0]["text"]
    assert BOT_TOKEN not in answers[0]["text"] and PASSWORD not in answers[0]["text"]
    log = root_stream.getvalue()
    # The traceback is there, both exceptions' lines with the secrets replaced.
    assert log.startswith("/aicost status failed\nTraceback (most recent call last):"), log
    assert f"ConnectionError: could not reach db as aicost:{REDACTED}" in log
    assert f"RuntimeError: chat.postMessage with {REDACTED} failed" in log
    for secret in (BOT_TOKEN, PASSWORD):
        fragments = {secret[i : i + 8] for i in range(len(secret) - 7)}
        assert not [f for f in fragments if f in log], (secret, log)
