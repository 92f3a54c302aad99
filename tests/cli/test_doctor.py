"""`aicost doctor` end to end: a child process against the Slack and provider stand-ins and a
real database; one line a check, exit status 0 only when every check passes, no secret shown."""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.db.engine import HEAD, connect, current_revision, upgrade
from bot.db.leader_lock import AdvisoryLock
from bot.slack.doctor import NEEDED_SCOPES
from tests.cli.conftest import Run
from tests.fakes.provider_api import OPENAI_KEY, ProviderAPI
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.stripe_api import STRIPE_KEY, StripeAPI
from tests.process import clean_env
from tests.slack.serve_harness import start_serve

BOT_TOKEN = "xoxb-doctor-test-0123456789abcdefSECRET"
WRONG_OPENAI_KEY = "sk-admin-wrong-0123456789abcdefWRONG"
DIGEST = "C0DIGEST1"
ALERTS = "C0ALERTS1"
PRIVATE = "C0PRIVATE"

yaml = pytest.importorskip("yaml")  # PyYAML, from the test extras
MANIFEST = Path(__file__).resolve().parents[2] / "app.yaml"


@pytest.fixture
def slack() -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI() as api:
        api.channels.add(DIGEST, "ai-spend")
        api.channels.add(ALERTS, "ai-alerts")
        yield api


@pytest.fixture
def providers() -> Iterator[ProviderAPI]:
    with ProviderAPI() as api:
        yield api


def settings(slack: FakeSlackAPI, providers: ProviderAPI, database_url: str, **more: str) -> dict:
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": slack.url,
        "AICOST_DIGEST_CHANNEL": DIGEST,
        "AICOST_ALERT_CHANNEL": ALERTS,
        "OPENAI_ADMIN_KEY": OPENAI_KEY,
        "OPENAI_BASE_URL": providers.openai_base_url,
        "DATABASE_URL": database_url,
        **more,
    }


def lines(stdout: str) -> dict[str, str]:
    """The check lines by name: '✓ name: detail' -> {name: '✓ detail'}."""
    found = {}
    for line in stdout.splitlines():
        if line[:2] in ("✓ ", "✗ "):
            name, _, detail = line[2:].partition(": ")
            found[name] = f"{line[0]} {detail}"
    return found


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in (BOT_TOKEN, OPENAI_KEY, WRONG_OPENAI_KEY):
            assert secret not in text


def test_needed_scopes_are_the_manifests() -> None:
    """The doctor asks for exactly the scopes app.yaml installs, no more and no fewer."""
    manifest = yaml.safe_load(MANIFEST.read_text())
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(NEEDED_SCOPES)


def test_all_good_exits_zero(
    run_aicost: Run, slack: FakeSlackAPI, providers: ProviderAPI, database_url: str
) -> None:
    result = run_aicost("doctor", **settings(slack, providers, database_url))
    assert result.returncode == 0, result.stdout + result.stderr
    found = lines(result.stdout)
    assert found["slack token"] == "✓ valid: @aicost in aicost test workspace"
    assert found["slack scopes"].startswith("✓")
    assert found[f"AICOST_DIGEST_CHANNEL {DIGEST}"] == "✓ #ai-spend, aicost is a member"
    assert found[f"AICOST_ALERT_CHANNEL {ALERTS}"] == "✓ #ai-alerts, aicost is a member"
    assert found["source openai"].startswith("✓ credential accepted (OPENAI_ADMIN_KEY")
    assert found["database"].endswith(f"migrated to {HEAD}")
    if database_url.startswith("sqlite"):
        assert found["scheduler"] == "✓ the serve process (SQLite: single process)"
    else:
        assert "no process holds the leader lock now" in found["scheduler"]
    assert not slack.requests_to("/conversations.join")  # nothing to join
    assert_no_secret(result.stdout, result.stderr)


def test_missing_scopes_and_a_public_channel_the_bot_is_not_in(
    run_aicost: Run, slack: FakeSlackAPI, providers: ProviderAPI, database_url: str
) -> None:
    """The public digest channel is joined (uploads need membership) and doctor says so; the
    scopes the token lacks are named; the exit status says something is to fix."""
    slack.scopes = [s for s in NEEDED_SCOPES if s not in ("files:write", "groups:read")]
    slack.channels.add(DIGEST, "ai-spend", member=False)
    result = run_aicost("doctor", **settings(slack, providers, database_url))
    assert result.returncode == 1
    found = lines(result.stdout)
    assert found["slack scopes"].startswith("✗ missing files:write, groups:read: add them")
    assert found[f"AICOST_DIGEST_CHANNEL {DIGEST}"] == (
        "✓ #ai-spend, joined it just now (aicost was not a member)"
    )
    assert slack.channels.get(DIGEST).is_member  # type: ignore[union-attr]
    assert [r.data["channel"] for r in slack.requests_to("/conversations.join")] == [DIGEST]
    assert_no_secret(result.stdout, result.stderr)


def test_a_public_channel_without_channels_join_says_what_to_do(
    run_aicost: Run, slack: FakeSlackAPI, providers: ProviderAPI, database_url: str
) -> None:
    slack.scopes = [s for s in NEEDED_SCOPES if s != "channels:join"]
    slack.channels.add(DIGEST, "ai-spend", member=False)
    slack.channels.add(ALERTS, "ai-alerts", member=False)
    result = run_aicost("doctor", **settings(slack, providers, database_url))
    assert result.returncode == 1
    found = lines(result.stdout)
    digest = found[f"AICOST_DIGEST_CHANNEL {DIGEST}"]
    assert digest.startswith("✗ aicost is not in #ai-spend and the digest's chart upload needs")
    assert "invite @aicost to #ai-spend" in digest
    # Alerts are text: chat:write.public lets them in, so a hint, not a failure.
    assert found[f"AICOST_ALERT_CHANNEL {ALERTS}"].startswith(
        "✓ #ai-alerts, posting through chat:write.public; invite @aicost to #ai-alerts"
    )
    assert not slack.requests_to("/conversations.join")


def test_a_private_channel_the_bot_is_not_in(
    run_aicost: Run, slack: FakeSlackAPI, providers: ProviderAPI, database_url: str
) -> None:
    """Slack hides a private channel from a bot not in it: doctor says to invite it."""
    slack.channels.add(PRIVATE, "finance-private", private=True, member=False)
    env = settings(slack, providers, database_url, AICOST_DIGEST_CHANNEL=PRIVATE)
    result = run_aicost("doctor", **env)
    assert result.returncode == 1
    line = lines(result.stdout)[f"AICOST_DIGEST_CHANNEL {PRIVATE}"]
    assert line.startswith("✗ Slack finds no channel with this id that aicost can see")
    assert "if the channel is private, invite @aicost to it" in line
    assert not slack.requests_to("/conversations.join")


def test_rejected_provider_key_and_unmigrated_database_in_json(
    run_aicost: Run, slack: FakeSlackAPI, providers: ProviderAPI, empty_database_url: str
) -> None:
    engine = connect(empty_database_url, migrate=False)
    upgrade(engine, f"{int(HEAD) - 1:04d}")
    engine.dispose()
    env = settings(slack, providers, empty_database_url, OPENAI_ADMIN_KEY=WRONG_OPENAI_KEY)
    result = run_aicost("doctor", "--json", **env)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is False
    checks = {c["name"]: c for c in report["checks"]}
    assert checks["slack token"]["ok"] and checks["slack scopes"]["ok"]
    openai = checks["source openai"]
    assert not openai["ok"]
    assert openai["detail"].startswith("HTTP 401: the key in OPENAI_ADMIN_KEY was rejected")
    database = checks["database"]
    assert not database["ok"]
    assert f"at migration {int(HEAD) - 1:04d}, this aicost needs {HEAD}" in database["detail"]
    assert "run `aicost db upgrade`" in database["detail"]
    # doctor reports; it never migrates
    still = connect(empty_database_url, migrate=False)
    assert current_revision(still) == f"{int(HEAD) - 1:04d}"
    still.dispose()
    assert_no_secret(result.stdout, result.stderr)


def test_stripe_is_checked_when_revenue_is_synced_from_it(
    run_aicost: Run, slack: FakeSlackAPI, providers: ProviderAPI, database_url: str
) -> None:
    with StripeAPI() as stripe:
        env = settings(slack, providers, database_url, STRIPE_BASE_URL=stripe.url)
        assert "revenue stripe" not in lines(run_aicost("doctor", **env).stdout)  # no key
        good = run_aicost("doctor", STRIPE_API_KEY=STRIPE_KEY, **env)
        assert good.returncode == 0, good.stdout + good.stderr
        assert lines(good.stdout)["revenue stripe"] == (
            "✓ credential accepted (STRIPE_API_KEY; balance transactions readable)"
        )
        assert [r.query.get("limit") for r in stripe.requests()] == [["1"]]  # one small page
        wrong = "rk_live_wrong0123456789abcdefWRONG"
        bad = run_aicost("doctor", STRIPE_API_KEY=wrong, **env)
    assert bad.returncode == 1
    line = lines(bad.stdout)["revenue stripe"]
    assert line.startswith("✗ HTTP 401: the key in STRIPE_API_KEY was rejected"), line
    assert wrong not in bad.stdout + bad.stderr and STRIPE_KEY not in good.stdout + good.stderr


def test_rejected_slack_token(
    run_aicost: Run, slack: FakeSlackAPI, providers: ProviderAPI, database_url: str
) -> None:
    env = settings(slack, providers, database_url, SLACK_BOT_TOKEN="xoxp-not-a-bot-token-SECRET")
    result = run_aicost("doctor", **env)
    assert result.returncode == 1
    found = lines(result.stdout)
    assert found["slack token"].startswith("✗ Slack rejected SLACK_BOT_TOKEN (invalid_auth)")
    assert "xoxp-not-a-bot-token-SECRET" not in result.stdout + result.stderr


def test_scheduler_owner_on_postgresql(
    run_aicost: Run, slack: FakeSlackAPI, providers: ProviderAPI, database_url: str
) -> None:
    """The holder of the leader lock is named by host and process id."""
    if not database_url.startswith("postgresql"):
        pytest.skip("the leader lock is PostgreSQL's")
    engine = connect(database_url)
    lock = AdvisoryLock(engine)
    try:
        assert lock.lead()
        env = settings(slack, providers, database_url, AICOST_SCHEDULER="off")
        result = run_aicost("doctor", **env)
    finally:
        lock.release()
        engine.dispose()
    scheduler = lines(result.stdout)["scheduler"]
    assert scheduler.startswith(f"✓ led by {socket.gethostname()}:{os.getpid()}")
    assert "AICOST_SCHEDULER=off here" in scheduler


def test_serve_runs_the_checks_at_start_and_starts_anyway(
    slack: FakeSlackAPI, providers: ProviderAPI, database_url: str, tmp_path: Path
) -> None:
    """serve logs one line a check; a ✗ (here the rejected key) does not stop it, and the
    public digest channel it is not in is joined before the first digest needs it."""
    if not database_url.startswith("sqlite"):
        pytest.skip("serve's start is the same on either database; doctor's are tested above")
    slack.channels.add(DIGEST, "ai-spend", member=False)
    env = clean_env(
        **settings(slack, providers, database_url, OPENAI_ADMIN_KEY=WRONG_OPENAI_KEY),
        SLACK_SIGNING_SECRET="doctor-test-signing-secret-0123456789",
        AICOST_SCHEDULER="off",
    )
    env["SLACK_BOT_TOKEN"] = BOT_TOKEN
    serve = start_serve(env, tmp_path)
    try:
        slack.wait_for("/conversations.join", timeout=20)
        deadline = time.monotonic() + 20
        while "doctor: ✓ scheduler" not in serve.stderr_path.read_text():
            assert time.monotonic() < deadline, serve.stderr_path.read_text()
            time.sleep(0.1)
        assert serve.process.poll() is None  # still serving
    finally:
        stdout, stderr = serve.stop()
    doctor = [line for line in stderr.splitlines() if " aicost.doctor: doctor: " in line]
    assert any(
        "INFO" in ln and f"✓ AICOST_DIGEST_CHANNEL {DIGEST}: #ai-spend, joined" in ln
        for ln in doctor
    ), doctor
    assert any("WARNING" in ln and "✗ source openai: HTTP 401" in ln for ln in doctor)
    assert any("✓ database:" in ln for ln in doctor)
    assert_no_secret(stdout, stderr)
