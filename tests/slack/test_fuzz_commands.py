"""Hostile `/aicost` text, property-based: always a helpful reply, never a 500 or a traceback.

A real bolt App (bot.slack.app.build_app) over a demo database, pointed at the loopback Slack
stand-in, gets signed slash commands through `app.dispatch`, as bolt's own scenario tests do.
Whatever the text, the HTTP answer is 200 and either the ack carries a message, or a bare ack is
followed by exactly one message to response_url; no listener error is logged, and no answer is
the "Sorry, I couldn't work that out" that stands for an unexpected exception.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st
from slack_bolt import App
from slack_bolt.request import BoltRequest

from bot.core.breakeven import PROFILES
from bot.core.breakeven.assumptions import Assumptions
from bot.settings import load_settings
from bot.slack.app import build_app
from bot.slack.blocks import check_blocks
from bot.slack.services import SlackServices
from tests.fakes.slack_api import FakeSlackAPI, block_texts
from tests.slack.serve_harness import (
    BOT_TOKEN,
    OURS,
    SIGNING_SECRET,
    Records,
    captured_logger,
    clean_env,
    run_cli,
    signed_headers,
    slash_body,
)

ADMIN, OTHER = "U0ADMIN01", "U0OTHER01"
# How long to wait for an answer behind the ack: a bound for "it never came", not a speed
# target (an answer takes about 0.1 s; one waited past 20 s once, on a machine also running a
# million-row benchmark). Waiting longer costs nothing when the answer comes.
ANSWER_TIMEOUT = 60.0
UNEXPECTED = "Sorry, I couldn't work that out"
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass
class Bot:
    app: App
    slack_api: FakeSlackAPI
    log: Records


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory, module_database_url: str) -> Iterator[Bot]:
    """The app on a demo database (SQLite, then PostgreSQL); settings from this test alone."""
    workdir = tmp_path_factory.mktemp("fuzz_commands")
    database_url = module_database_url
    built = run_cli("demo", "--database", database_url, env=clean_env(), cwd=workdir)
    assert built.returncode == 0, built.stderr
    with FakeSlackAPI() as slack_api, pytest.MonkeyPatch.context() as mp:
        for name in [n for n in os.environ if n.startswith(OURS)]:
            mp.delenv(name)
        mp.chdir(workdir)
        app_settings = load_settings(
            DATABASE_URL=database_url,
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=slack_api.url,
            AICOST_ADMINS=ADMIN,
            AICOST_TIMEZONE="UTC",
        )
        logger, log = captured_logger("aicost.fuzz")
        services = SlackServices.from_settings(app_settings)
        app = build_app(app_settings, services=services, socket_mode=False, logger=logger)
        yield Bot(app, slack_api, log)
        services.store.engine.dispose()


def note(what: str) -> None:
    """Count what happened, for --hypothesis-show-statistics (only inside a Hypothesis test)."""
    if currently_in_test_context():
        event(what)


def slash(bot: Bot, text: str, user_id: str) -> str:
    """Dispatch `/aicost text` and return the reply a person sees; asserts the protocol."""
    name = f"fuzz-{uuid.uuid4().hex}"
    body = slash_body(text, bot.slack_api.webhook_url(name), user_id=user_id)
    errors_before = len(bot.log.records)
    response = bot.app.dispatch(BoltRequest(body=body, headers=signed_headers(body)))
    assert response.status == 200, (text, response.status, response.body)
    if response.body:
        ack = json.loads(response.body)
        reply = ack.get("text") or ""
        assert reply.strip(), (text, response.body)
        note("answered in the ack")
    else:
        posts = bot.slack_api.wait_for(f"/webhook/{name}", timeout=ANSWER_TIMEOUT)
        assert len(posts) == 1, (text, [p.data for p in posts])
        message: dict[str, Any] = posts[0].data
        blocks = message.get("blocks") or []
        reply = f"{message.get('text') or ''}\n{block_texts(blocks)}"
        assert reply.strip(), (text, message)
        assert check_blocks(blocks) == [], (text, check_blocks(blocks))
        note("acked, then answered through response_url")
    assert "Traceback" not in reply and UNEXPECTED not in reply, (text, reply)
    logged = [r for r in bot.log.records[errors_before:] if r.levelno >= logging.ERROR]
    assert logged == [], (text, [r.getMessage() for r in logged])
    return reply


SUBCOMMANDS = ["status", "forecast", "breakeven", "revenue", "log-hours", "help", "STATUS"]
FLAGS = ["--monthly-spend", "--profile", "--set", "--json", "--", "-h", "--monthly", "-"]
NUMBERS = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.sampled_from(["0", "-0", "1e999", "1e-999", "NaN", "$1,000.00", "1_000", "٣", "½", ""]),
)
MONTHS = st.one_of(
    st.dates().map(lambda d: d.strftime("%Y-%m")),
    st.sampled_from(["2026-13", "2026-00", "0000-01", "9999-12", "2026-1", "26-10", "oct"]),
)
PAIRS = st.builds(
    "{}={}".format,
    st.one_of(st.sampled_from([f.name for f in fields(Assumptions)]), st.text(max_size=8)),
    st.one_of(NUMBERS, st.sampled_from(["true", "no", "buy", "8b", "H100", ""])),
)
# Option by option, so that most examples get past the parser and into the model.
BREAKEVEN_ARGS = st.lists(
    st.one_of(
        st.tuples(st.just("--set"), PAIRS),
        st.tuples(st.just("--monthly-spend"), NUMBERS),
        st.tuples(st.just("--profile"), st.one_of(st.sampled_from(sorted(PROFILES)), st.text())),
        st.tuples(st.sampled_from(FLAGS)),
    ),
    max_size=4,
).map(lambda options: [word for option in options for word in option])
WORDS = st.one_of(
    st.sampled_from(FLAGS),
    st.sampled_from(sorted(PROFILES)),
    st.just("set"),
    NUMBERS,
    MONTHS,
    PAIRS,
    st.text(min_size=1, max_size=12),
)
STRUCTURED = st.builds(
    lambda head, rest: " ".join([head, *rest]),
    st.sampled_from(SUBCOMMANDS),
    st.lists(WORDS, max_size=6),
)
USERS = st.sampled_from([ADMIN, OTHER])


@FUZZ
@given(text=st.text(max_size=300), user_id=USERS)
def test_any_text_gets_a_helpful_reply(bot: Bot, text: str, user_id: str) -> None:
    slash(bot, text, user_id)


@FUZZ
@given(text=STRUCTURED, user_id=USERS)
def test_any_arguments_to_a_subcommand_get_a_helpful_reply(
    bot: Bot, text: str, user_id: str
) -> None:
    slash(bot, text, user_id)


@FUZZ
@given(month=MONTHS, amount=NUMBERS)
def test_any_revenue_from_an_admin_gets_a_helpful_reply(bot: Bot, month: str, amount: str) -> None:
    slash(bot, f"revenue set {month} {amount}", ADMIN)


@FUZZ
@given(words=BREAKEVEN_ARGS, user_id=USERS)
def test_any_breakeven_options_get_a_helpful_reply(
    bot: Bot, words: list[str], user_id: str
) -> None:
    slash(bot, " ".join(["breakeven", *words]), user_id)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "help",
        "nonsense",
        "status",
        "breakeven --monthly-spend nan",
        "revenue set x y",
        # Each once kept the model counting replicas for hours (found by the fuzz tests above).
        "breakeven --set peak_factor=1e12",
        "breakeven --set throughput_tok_s=0.0078125",
        "breakeven --monthly-spend 10000000000",
    ],
)
def test_examples_from_the_usage_text(bot: Bot, text: str) -> None:
    """Fixed cases, so a failure here reads more plainly than a shrunk example."""
    assert slash(bot, text, OTHER)
