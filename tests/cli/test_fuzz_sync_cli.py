"""Hostile `aicost sync --since` arguments, property-based, against a loopback OpenAI: a usage
error or a one-line answer, never a crash (the harness is test_fuzz_cli.py's)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cli.spend import MAX_BACKFILL_DAYS
from bot.core.clock import previous_month_start
from tests.cli.test_fuzz_cli import ARG, FUZZ, TODAY, cli, demo_database, run
from tests.fakes.provider_api import OPENAI_KEY, ProviderAPI, openai_cost
from tests.moment import TEST_NOW

__all__ = ["cli", "demo_database"]  # fixtures this module uses, shared with test_fuzz_cli.py


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


@FUZZ
@given(
    since=st.one_of(ARG, st.dates().map(date.isoformat)),
    provider=st.one_of(st.none(), ARG, st.sampled_from(["openai", "anthropic"])),
)
def test_sync_since_any_text(
    cli: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    openai_api: ProviderAPI,
    since: str,
    provider: str | None,
) -> None:
    """A date that is not one, or a provider that is not one: a usage error. A date over three
    years back: one line saying so, nothing fetched. Otherwise, with OpenAI configured: synced
    (a future day is clamped to today); Anthropic, not configured: one line naming its key."""
    cli.setenv("OPENAI_ADMIN_KEY", OPENAI_KEY)
    cli.setenv("OPENAI_BASE_URL", openai_api.openai_base_url)
    cli.setenv("AICOST_AS_OF", TEST_NOW.isoformat())
    extra = [] if provider is None else ["--provider", provider]
    status, out, err = run(capsys, ["sync", "--since", since, *extra])
    stripped = since.replace("\x00", "")
    if provider not in (None, "openai", "anthropic") or not _is_date(stripped):
        assert status == 2, (since, provider, err)
    elif provider == "anthropic":  # what is not configured is said first
        assert status == 1 and "ANTHROPIC_ADMIN_KEY" in err
    elif date.fromisoformat(stripped) < TODAY - timedelta(days=MAX_BACKFILL_DAYS):
        assert status == 1 and "days back; the earliest is" in err
    else:
        assert status == 0 and "openai: ok" in out, err


@pytest.fixture(scope="module")
def openai_api() -> Iterator[ProviderAPI]:
    with ProviderAPI() as api:
        day = previous_month_start(TODAY)
        while day <= TODAY:
            api.add("openai", "costs", day, openai_cost("p", "gpt-4o, input", "3.50"))
            day += timedelta(days=1)
        yield api


@settings(FUZZ, max_examples=15)
@given(since=st.dates(TODAY - timedelta(days=40), TODAY + timedelta(days=4000)))
def test_sync_since_any_recent_or_future_day(
    cli: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    openai_api: ProviderAPI,
    since: date,
) -> None:
    cli.setenv("OPENAI_ADMIN_KEY", OPENAI_KEY)
    cli.setenv("OPENAI_BASE_URL", openai_api.openai_base_url)
    cli.setenv("AICOST_AS_OF", TEST_NOW.isoformat())  # the days the stand-in serves
    status, out, err = run(capsys, ["sync", "--since", since.isoformat()])
    assert status == 0 and "openai: ok" in out, err
