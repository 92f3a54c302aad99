"""Settings stored in the database over the environment, on SQLite and PostgreSQL: what a lead
sets is checked as the environment's value would be, stored and audited together, in force at
the next read (another replica's included), and removed to give the environment back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from bot.db.audit import CONFIG_SET, CONFIG_UNSET, AuditLog
from bot.db.config_values import ConfigValues
from bot.db.models import ConfigValueRow
from bot.db.store import SpendStore
from bot.runtime.governance import build_jobs
from bot.services.config_changes import change_settings
from bot.services.settings_in_force import LiveSettings, layered
from bot.settings import Settings, SettingsError, load_settings
from tests.moment import TEST_NOW


@pytest.fixture
def base(database_url: str) -> Settings:
    return load_settings(
        DATABASE_URL=database_url,
        AICOST_MONTHLY_BUDGET_USD="5000",
        AICOST_ALERT_CHANNEL="C0ENV0001",
        AICOST_ADMINS="U0LEAD001",
    )


def _rows(store: SpendStore) -> int:
    with store.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(ConfigValueRow)).scalar_one()


def test_a_stored_value_wins_over_the_environment_and_unset_gives_it_back(
    store: SpendStore, base: Settings
) -> None:
    live, replica = LiveSettings(base, store.engine), LiveSettings(base, store.engine)
    assert live.current().monthly_budget_usd == Decimal(5000)

    changed = change_settings(
        store.engine,
        base,
        {"AICOST_MONTHLY_BUDGET_USD": "12000", "AICOST_ALERT_CHANNEL": "C0ENV0001"},
        actor="slack:U0LEAD001",
        at=TEST_NOW,
    )
    # The alert channel equals the environment's: not stored, so it keeps coming from there.
    assert changed == {"AICOST_MONTHLY_BUDGET_USD": "12000"}
    assert live.current().monthly_budget_usd == Decimal(12000)
    assert replica.current().monthly_budget_usd == Decimal(12000)  # another process's view
    kept = ConfigValues(store.engine).stored()["AICOST_MONTHLY_BUDGET_USD"]
    assert (kept.value, kept.set_by, kept.set_at) == ("12000", "slack:U0LEAD001", TEST_NOW)
    entry = AuditLog(store.engine).latest(1)[0]
    assert (entry.action, entry.target, entry.actor) == (
        CONFIG_SET,
        "AICOST_MONTHLY_BUDGET_USD",
        "slack:U0LEAD001",
    )

    change_settings(
        store.engine, base, {"AICOST_MONTHLY_BUDGET_USD": None}, actor="cli", at=TEST_NOW
    )
    assert live.current().monthly_budget_usd == Decimal(5000)
    assert AuditLog(store.engine).latest(1)[0].action == CONFIG_UNSET
    assert _rows(store) == 0


@pytest.mark.parametrize(
    ("changes", "line"),
    [
        ({"AICOST_MONTHLY_BUDGET_USD": "-3"}, "AICOST_MONTHLY_BUDGET_USD: "),
        ({"AICOST_TIMEZONE": "Mars/Base"}, "AICOST_TIMEZONE: 'Mars/Base' is not a known"),
        ({"AICOST_CURRENCY": "EUR"}, "AICOST_CURRENCY: EUR needs its rate"),
        ({"AICOST_BREAKEVEN": "gpu_hour_usd=cheap"}, "AICOST_BREAKEVEN: "),
        ({"AICOST_ADMINS": "U0SOMEONE"}, "AICOST_ADMINS: stays in the environment"),
        ({"DATABASE_URL": "sqlite:///other.db"}, "DATABASE_URL: cannot be set here"),
        ({"AICOST_DIGEST_SCHEDULE": ""}, "AICOST_DIGEST_SCHEDULE: empty"),
    ],
)
def test_a_bad_value_is_one_line_and_nothing_is_stored(
    store: SpendStore, base: Settings, changes: dict[str, str], line: str
) -> None:
    with pytest.raises(SettingsError) as refused:
        change_settings(store.engine, base, changes, actor="cli", at=TEST_NOW)
    assert str(refused.value).startswith(line)
    assert len(str(refused.value).splitlines()) == 1
    assert _rows(store) == 0 and AuditLog(store.engine).latest(5) == []


def test_values_are_checked_together_with_the_others_stored(
    store: SpendStore, base: Settings
) -> None:
    """A currency needs its rate: stored together they are valid, and the rate cannot then be
    removed from under the currency."""
    both = {"AICOST_FX_RATES": "EUR=1.08", "AICOST_CURRENCY": "eur"}
    change_settings(store.engine, base, both, actor="cli", at=TEST_NOW)
    live = LiveSettings(base, store.engine).current()
    assert (live.currency, live.display is not None) == ("EUR", True)
    assert ConfigValues(store.engine).values()["AICOST_CURRENCY"] == "EUR"  # as in force
    with pytest.raises(SettingsError, match="AICOST_CURRENCY: EUR needs its rate"):
        change_settings(store.engine, base, {"AICOST_FX_RATES": None}, actor="cli", at=TEST_NOW)


def test_a_stored_value_that_no_longer_fits_is_ignored_not_fatal(base: Settings) -> None:
    """The environment can change under a stored value (or a row be written by hand): the
    rest still apply and aicost keeps running."""
    in_force = layered(
        base,
        {
            "AICOST_MONTHLY_BUDGET_USD": "777",
            "AICOST_TIMEZONE": "Nowhere/Land",
            "AICOST_ADMINS": "U0INTRUDER",  # never applied: not settable
        },
    )
    assert in_force.monthly_budget_usd == Decimal(777)
    assert in_force.timezone == "UTC"
    assert in_force.admins == frozenset({"U0LEAD001"})


def test_a_slack_request_is_applied_once(store: SpendStore, base: Settings) -> None:
    first = change_settings(
        store.engine,
        base,
        {"AICOST_SPIKE_FACTOR": "4"},
        actor="slack:U0LEAD001",
        at=TEST_NOW,
        request="slack:view:V1:h1",
    )
    again = change_settings(
        store.engine,
        base,
        {"AICOST_SPIKE_FACTOR": "5"},
        actor="slack:U0LEAD001",
        at=TEST_NOW,
        request="slack:view:V1:h1",
    )
    assert (first, again) == ({"AICOST_SPIKE_FACTOR": "4"}, None)
    assert ConfigValues(store.engine).values() == {"AICOST_SPIKE_FACTOR": "4"}
    assert len(AuditLog(store.engine).latest(10)) == 1


def test_the_scheduler_reads_the_digest_cadence_in_force_at_each_tick(
    store: SpendStore, base: Settings
) -> None:
    live = LiveSettings(base, store.engine)
    jobs = build_jobs(store, live.current, poster=None, clock=lambda: TEST_NOW)
    assert set(jobs.schedule.digests) == {"digest"}
    change_settings(
        store.engine,
        base,
        {"AICOST_DIGEST_CADENCE": "daily", "AICOST_DIGEST_CHANNEL": "C0DIGEST1"},
        actor="cli",
        at=TEST_NOW,
    )
    assert set(jobs.schedule.digests) == {"digest:daily"}


def test_the_answer_cache_never_serves_an_answer_worked_out_under_other_settings(
    store: SpendStore, base: Settings
) -> None:
    """Keyed by the stored values' version as well as the data's: a value written without an
    audit row (by hand, say) still gets a fresh answer, within the same minute."""
    from bot.slack.services import SlackServices

    services = SlackServices(settings=base, store=store)
    assert services.status().budget_usd == Decimal(5000)
    assert services.status() is services.status()  # cached while nothing changes
    ConfigValues(store.engine).change({"AICOST_MONTHLY_BUDGET_USD": "12000"}, by="cli", at=TEST_NOW)
    assert services.status().budget_usd == Decimal(12000)
