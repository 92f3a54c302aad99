"""Bills in other currencies, through a real database: stored in their currency, converted only
with a rate the user set, and without one shown as missing, never summed as dollars."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from billing_adapters import ProviderResponseError, RetryPolicy
from billing_adapters.azure import AzureBilling
from bot.core.fx import ForeignSpend, FxRates, billed, format_amount, format_billed, parse_rates
from bot.db.movers import spend_by_line
from bot.db.store import SpendStore
from bot.services.focus_import import import_focus
from bot.services.sync import run_sync
from tests.adapters.test_focus import HEADER, row
from tests.fakes.azure_cost import SUBSCRIPTION, CostManagement, StaticToken, days

NOW = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
NOV_1, NOV_2, NOV_3 = date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)
WINDOW = (date(2026, 11, 1), date(2026, 12, 1))
EUR = FxRates({"EUR": Decimal("1.0841")})


def write(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return path


@pytest.fixture
def mixed(store: SpendStore, tmp_path: Path) -> SpendStore:
    """Google Cloud billed in euros on 1-2 Nov, AWS in dollars on 1 Nov."""
    export = write(
        tmp_path / "focus.csv",
        row("100.00", "2026-11-01", "Vertex AI", provider="Google Cloud", currency="EUR"),
        row("0.333", "2026-11-02", "Vertex AI", provider="Google Cloud", currency="EUR"),
        row("7.50", "2026-11-01", "Amazon Bedrock"),
    )
    import_focus(store, export, now=NOW)
    return store


def test_without_a_rate_euro_days_are_missing_not_dollars(mixed: SpendStore) -> None:
    assert [(r.provider, r.day, r.amount_usd) for r in mixed.daily_spend(*WINDOW)] == [
        ("aws", NOV_1, Decimal("7.5"))
    ]
    # Fetched, but not countable: the days drop out of coverage, so every figure calls them
    # missing rather than $0.
    assert set(mixed.fetched_at(*WINDOW)) == {("aws", NOV_1)}
    assert mixed.foreign_spend(*WINDOW) == [
        ForeignSpend("google-cloud", "EUR", 2, Decimal("100.333"), None)
    ]


def test_with_a_rate_euro_days_count_in_dollars_exactly(mixed: SpendStore) -> None:
    converted = SpendStore(mixed.engine, EUR)
    assert {(r.provider, r.day): r.amount_usd for r in converted.daily_spend(*WINDOW)} == {
        ("aws", NOV_1): Decimal("7.5"),
        ("google-cloud", NOV_1): Decimal("108.41"),
        ("google-cloud", NOV_2): Decimal("0.333") * Decimal("1.0841"),  # exact, rounded on show
    }
    assert set(converted.fetched_at(*WINDOW)) == {
        ("aws", NOV_1),
        ("google-cloud", NOV_1),
        ("google-cloud", NOV_2),
    }
    (spend,) = converted.foreign_spend(*WINDOW)
    assert spend.amount_usd == Decimal("100.333") * Decimal("1.0841")
    assert spend.describe() == (
        "google-cloud: €100.33 over 2 days = $108.77, at $1.0841 per 1 EUR (AICOST_FX_RATES)"
    )
    # The movers convert as well: per project, euros become dollars at the same rate.
    movers = spend_by_line(converted.engine, WINDOW, (date(2026, 10, 1), NOV_1), EUR)
    assert {(m.provider, m.current_usd) for m in movers} == {
        ("aws", Decimal("7.5")),
        ("google-cloud", Decimal("100.333") * Decimal("1.0841")),
    }
    assert {m.provider for m in spend_by_line(mixed.engine, WINDOW, WINDOW)} == {"aws"}


def test_a_revised_euro_day_is_a_revision_in_dollars(mixed: SpendStore, tmp_path: Path) -> None:
    later = write(
        tmp_path / "later.csv",
        row("110.00", "2026-11-01", "Vertex AI", provider="Google Cloud", currency="EUR"),
    )
    import_focus(mixed, later, now=NOW)
    assert mixed.revisions(*WINDOW) == []  # not countable without a rate
    (revision,) = [r for r in SpendStore(mixed.engine, EUR).revisions(*WINDOW)]
    assert (revision.provider, revision.day) == ("google-cloud", NOV_1)
    assert (revision.old_usd, revision.new_usd) == (Decimal("108.41"), Decimal("119.251"))


def test_a_day_in_two_currencies_stores_nothing(mixed: SpendStore, tmp_path: Path) -> None:
    before = SpendStore(mixed.engine, EUR).daily_spend(*WINDOW)
    export = write(
        tmp_path / "two.csv",
        row("1.00", "2026-11-03", "Vertex AI", provider="Google Cloud", currency="EUR"),
        row("2.00", "2026-11-03", "Vertex AI", provider="Google Cloud", currency="USD"),
    )
    with pytest.raises(ProviderResponseError, match="2026-11-03 is billed in both EUR and USD"):
        import_focus(mixed, export, now=NOW)
    assert SpendStore(mixed.engine, EUR).daily_spend(*WINDOW) == before


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("EUR", "is not CODE=rate"),
        ("EURO=1.1", "is not CODE=rate"),
        ("EUR=abc", "'abc' is not a number"),
        ("EUR=0", "a rate must be a positive number"),
        ("EUR=-1", "a rate must be a positive number"),
        ("USD=1", "USD needs no rate"),
    ],
)
def test_a_bad_rate_says_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_rates(text)


def test_rates_and_amounts_read_and_print_as_people_write_them() -> None:
    assert parse_rates("eur=1.0841, GBP=1.27  CHF=1.13") == {
        "EUR": Decimal("1.0841"),
        "GBP": Decimal("1.27"),
        "CHF": Decimal("1.13"),
    }
    assert [format_amount(Decimal(a), c) for a, c in [("1234.565", "EUR"), ("-2", "GBP")]] == [
        "€1,234.57",
        "-£2.00",
    ]
    assert format_amount(Decimal("5"), "CHF") == "CHF 5.00"
    totals = billed([("EUR", Decimal(1)), ("USD", Decimal(2)), ("EUR", Decimal(3))])
    assert totals == {"EUR": Decimal(4), "USD": Decimal(2)}
    assert format_billed(totals) == "$2.00 + €4.00"
    assert format_billed({}) == "$0.00"


def test_a_subscription_billed_in_pounds_syncs_over_http_and_converts(store: SpendStore) -> None:
    """The Azure stand-in answers in GBP: the sync stores pounds, says so, and reads back in
    dollars only at the rate set; a second sync of the same days changes nothing."""
    with CostManagement() as api:
        for day in days(NOV_1, 3):
            api.add(day, "gpt-4o Input Tokens", f"/{SUBSCRIPTION}/x/chat", "12.34", currency="GBP")
        source = AzureBilling(
            scope=SUBSCRIPTION,
            credential=StaticToken(),
            base_url=api.origin,
            retry=RetryPolicy(max_attempts=1, sleep=lambda _: None),
        )
        sync_at = datetime(2026, 11, 4, 12, 0, tzinfo=UTC)
        for _ in range(2):
            (outcome,) = run_sync(store, [source], now=sync_at, today_local=sync_at.date())
            assert outcome.ok and outcome.billed == {"GBP": Decimal("37.02")}
    assert store.daily_spend(*WINDOW) == []
    pounds = SpendStore(store.engine, FxRates({"GBP": Decimal("1.25")}))
    assert sum((r.amount_usd for r in pounds.daily_spend(*WINDOW)), Decimal(0)) == Decimal("46.275")
    assert pounds.foreign_spend(*WINDOW) == [
        ForeignSpend("azure", "GBP", 3, Decimal("37.02"), Decimal("1.25"))
    ]
