"""`aicost demo`: the README's first command, on a fresh directory with no settings."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from billing_adapters.samples import SAMPLE_FOCUS, SAMPLES, sample_as_of
from bot.core.money import format_usd
from bot.db.engine import connect
from bot.db.revenue import RevenueStore
from tests.cli.conftest import Run, aicost_command, clean_env

# The sample's four sources: three synced from pages, one imported from a FOCUS export.
SOURCES = {"openai", "anthropic", "aws-bedrock", "google-cloud"}


def sample_by_provider(month_start: date, until: date) -> dict[str, Decimal]:
    """Add up the sample files by hand, independently of the adapters, per provider: OpenAI
    dollars, Anthropic cents, Bedrock's Cost Explorer groups, the FOCUS export's AI rows."""
    totals: dict[str, Decimal] = {}

    def add(provider: str, day: date, amounts: list[Decimal]) -> None:
        if month_start <= day <= until:
            totals[provider] = totals.get(provider, Decimal(0)) + sum(amounts, Decimal(0))

    for path in SAMPLES.glob("*_costs_*.json"):
        page = json.loads(path.read_text(), parse_float=Decimal)
        for bucket in page["data"]:
            if "start_time" in bucket:
                day = datetime.fromtimestamp(bucket["start_time"], tz=UTC).date()
                add("openai", day, [Decimal(str(r["amount"]["value"])) for r in bucket["results"]])
            else:
                day = date.fromisoformat(bucket["starting_at"][:10])
                add("anthropic", day, [Decimal(r["amount"]) / 100 for r in bucket["results"]])
    for path in SAMPLES.glob("aws-bedrock_cost_and_usage_*.json"):
        for result in json.loads(path.read_text())["ResultsByTime"]:
            day = date.fromisoformat(result["TimePeriod"]["Start"])
            amounts = [Decimal(g["Metrics"]["UnblendedCost"]["Amount"]) for g in result["Groups"]]
            add("aws-bedrock", day, amounts)
    with SAMPLE_FOCUS.open(newline="") as text:
        for row in csv.DictReader(text):
            if row["ServiceCategory"] == "AI and Machine Learning":
                day = date.fromisoformat(row["ChargePeriodStart"][:10])
                add("google-cloud", day, [Decimal(row["BilledCost"])])
    return totals


def sample_total(month_start: date, until: date) -> Decimal:
    """All four sources' spend by hand, from month_start to until (inclusive)."""
    return sum(sample_by_provider(month_start, until).values(), Decimal(0))


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_demo_prints_the_status_of_the_sample_data(run_aicost: Run, tmp_path: Path) -> None:
    result = run_aicost("demo")

    assert result.returncode == 0, result.stderr
    as_of = sample_as_of().date()
    month_to_date = sample_total(as_of.replace(day=1), as_of)
    previous = sample_total(date(2026, 10, 1), date(2026, 10, 31))
    assert "Month to date" in result.stdout
    assert format_usd(month_to_date) in result.stdout
    assert format_usd(previous) in result.stdout
    assert "May still be incomplete" in result.stdout
    assert (tmp_path / "aicost-demo.db").exists()


def test_running_the_demo_again_replaces_instead_of_adding(run_aicost: Run) -> None:
    first = run_aicost("demo")
    second = run_aicost("demo")
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout
    # What the database holds after two runs is each source's sample once, to the cent: the
    # synced pages and the imported FOCUS file alike.
    as_of = sample_as_of()
    status = run_aicost(
        "status", "--json", "--as-of", as_of.isoformat(), DATABASE_URL="sqlite:///aicost-demo.db"
    )
    assert status.returncode == 0, status.stderr
    by_hand = sample_by_provider(as_of.date().replace(day=1), as_of.date())
    assert set(by_hand) == SOURCES
    stored = json.loads(status.stdout)["by_provider"]
    assert {p: Decimal(str(v)) for p, v in stored.items()} == {
        p: cents(t) for p, t in by_hand.items()
    }


def test_demo_respects_the_timezone_setting(run_aicost: Run) -> None:
    result = run_aicost("demo", AICOST_TIMEZONE="Asia/Tokyo")
    assert result.returncode == 0
    # 15:00 UTC on Nov 20 is midnight Nov 21 in Tokyo.
    assert "as of Sat 21 Nov 2026 00:00 Asia/Tokyo" in result.stdout


BLOCK_AWS_SDK = """
import sys
class NoAwsSdk:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("boto3", "botocore"):
            raise ImportError(f"{name} is not installed (blocked by the test)")
sys.meta_path.insert(0, NoAwsSdk())
from bot.cli import main
sys.exit(main(["demo"]))
"""


def test_the_demo_runs_without_the_aws_extra(tmp_path: Path) -> None:
    """boto3 is an optional extra: the Bedrock sample is read without it, as a fresh clone's
    `make demo` (which installs no extras) must."""
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_AWS_SDK],
        cwd=tmp_path,
        env=clean_env(AICOST_TIMEZONE="UTC"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "aws-bedrock: 112 days stored" in result.stderr


# The rest share one demo run: it takes a few seconds and they only read what it built.

REVENUE_CATEGORIES = ("charge", "refund", "dispute")


@dataclass(frozen=True)
class Demo:
    """One `aicost demo` run in a fresh directory: where it ran and what it printed."""

    directory: Path
    result: subprocess.CompletedProcess[str]

    @property
    def url(self) -> str:
        return f"sqlite:///{self.directory / 'aicost-demo.db'}"

    @property
    def text(self) -> str:
        """stdout with runs of whitespace (line wraps, indents) made single spaces."""
        return " ".join(self.result.stdout.split())


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    directory = tmp_path_factory.mktemp("demo")
    result = subprocess.run(
        aicost_command("demo"),
        cwd=directory,
        env=clean_env(AICOST_TIMEZONE="UTC"),  # its expectations are written in UTC
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return Demo(directory, result)


def stripe_rows() -> list[dict]:
    return [
        row
        for path in sorted(SAMPLES.glob("stripe_balance_transactions_*.json"))
        for row in json.loads(path.read_text())["data"]
    ]


def sample_revenue_by_month() -> dict[date, Decimal]:
    """Add up the Stripe sample rows by hand: charges less refunds and disputes, by UTC month."""
    cents: dict[date, int] = {}
    for row in stripe_rows():
        category = row["reporting_category"]
        if category not in REVENUE_CATEGORIES:
            continue  # fees, payouts
        created = datetime.fromtimestamp(row["created"], tz=UTC)
        month = date(created.year, created.month, 1)
        signed = abs(row["amount"]) if category == "charge" else -abs(row["amount"])
        cents[month] = cents.get(month, 0) + signed
    return {month: Decimal(total) / 100 for month, total in sorted(cents.items())}


def growth(now: Decimal, before: Decimal) -> Decimal:
    return now / before - 1


def pct(fraction: Decimal) -> str:
    return f"{fraction * 100:+.1f} %"


def test_the_stripe_sample_has_what_the_parser_must_handle() -> None:
    categories = {row["reporting_category"] for row in stripe_rows()}
    assert {"charge", "refund", "dispute", "fee", "payout"} <= categories
    # Aggregated into a few charges a day, so the bundled files stay small.
    assert sum(p.stat().st_size for p in SAMPLES.glob("stripe_*.json")) < 300_000


def test_demo_shows_every_source_of_the_sample_with_its_exact_totals(demo: Demo) -> None:
    """Bedrock's pages synced and the FOCUS export imported beside OpenAI and Anthropic: each
    provider's month to date and last month, to the cent, as summed by hand from the files."""
    as_of = sample_as_of().date()
    this_month = sample_by_provider(as_of.replace(day=1), as_of)
    last_month = sample_by_provider(date(2026, 10, 1), date(2026, 10, 31))
    whole = sample_by_provider(date(2026, 8, 1), as_of)
    assert set(this_month) == set(last_month) == SOURCES
    for provider, total in this_month.items():
        row = f"{provider} {format_usd(total)} {format_usd(last_month[provider])}"
        assert row in demo.text, row
    stderr = " ".join(demo.result.stderr.split())
    assert f"aws-bedrock: 112 days stored, {format_usd(whole['aws-bedrock'])} billed" in stderr
    assert (
        f"google-cloud: 112 days imported from a FOCUS export, "
        f"{format_usd(whole['google-cloud'])} of AI charges" in stderr
    )
    assert "Data: aws-bedrock synced 20 Nov 15:00 UTC" in demo.text
    assert "Data: google-cloud synced 20 Nov 15:00 UTC" in demo.text


def test_demo_stores_the_sample_revenue_as_summed_by_hand(demo: Demo) -> None:
    engine = connect(demo.url)
    stored = RevenueStore(engine).months(date(2026, 1, 1), date(2027, 1, 1))
    engine.dispose()
    expected = sample_revenue_by_month()
    assert list(expected) == [
        date(2026, 8, 1),
        date(2026, 9, 1),
        date(2026, 10, 1),
        date(2026, 11, 1),
    ]
    assert {r.month: r.amount_usd for r in stored} == expected
    assert {r.source for r in stored} == {"stripe"}


def test_demo_compares_spend_growth_with_revenue_and_flags_it(demo: Demo) -> None:
    revenue = sample_revenue_by_month()
    september = sample_total(date(2026, 9, 1), date(2026, 9, 30))
    october = sample_total(date(2026, 10, 1), date(2026, 10, 31))
    spend_growth = growth(october, september)
    revenue_growth = growth(revenue[date(2026, 10, 1)], revenue[date(2026, 9, 1)])
    assert spend_growth > revenue_growth  # the sample is built to outgrow revenue
    assert (
        f"October 2026: AI spend {pct(spend_growth)} on the month before, "
        f"revenue {pct(revenue_growth)}" in demo.text
    )
    assert "the bill is outgrowing the business" in demo.text


def test_demo_prints_the_forecast_and_the_breakeven_answer(demo: Demo) -> None:
    assert "AI spend forecast" in demo.result.stdout
    # The sample and its moment are fixed, so is every figure: a change here is a change in
    # the answer a user sees, to be made on purpose.
    assert (
        "This month (November 2026): $9,671.03 (likely $9,589.36 to $9,838.00); "
        "$6,472.00 spent before today" in demo.result.stdout
    )
    assert "Nov 2027" in demo.result.stdout  # twelve months ahead
    assert "Break-even: self-hosting vs the API (as of Fri 20 Nov 2026 15:00 UTC)" in demo.text
    # Sized for the sample's measured busiest hour (p99 of its 672 hourly totals, OpenAI's
    # office hours and Anthropic's round-the-clock pipeline together: 1,708 movable output
    # tok/s, one of the two replicas it needs, the rest staying on the API), with 1.4 h a week
    # of upkeep and storage and egress at 10 % of the rent. (The assumed 2.5 × 220 active hours
    # asked for 2,475 tok/s and two replicas.)
    assert "Stay on the API: self-hosting would cost $1,035.46/month more." in demo.text
    assert "The movable 70 % peaks at 1,708 output tok/s" in demo.text
    assert "Busiest hour measured: p99 of 672 hourly totals" in demo.text
    # The 28 whole days 23 Oct - 19 Nov, scaled to a 730-hour month (bot/core/month.py).
    assert "API bill $8,384.44" in demo.text
    # Bedrock and the FOCUS bill have no token counts, so the break-even leaves them out of its
    # workload and says so, each at its own 28 days scaled the same way; the bill above is
    # OpenAI's and Anthropic's alone, unchanged by their arrival in the sample.
    window = sample_by_provider(date(2026, 10, 23), date(2026, 11, 19))
    month = Decimal(730) / (28 * 24)
    assert format_usd((window["openai"] + window["anthropic"]) * month) == "$8,384.44"
    assert (
        "left out of the workload, having no token counts to size hardware for: "
        f"aws-bedrock {format_usd(window['aws-bedrock'] * month)}/month, "
        f"google-cloud {format_usd(window['google-cloud'] * month)}/month" in demo.text
    )
    assert "Break-even bill never, with this token mix" in demo.text
    assert "Options, per month" in demo.result.stdout
    assert "Inputs (profile 2xh100-rent-70b)" in demo.result.stdout  # every input, with sources


def test_breakeven_answers_on_the_demo_database(demo: Demo) -> None:
    # As of the sample's moment: on any other clock the demo data ages out of the 28-day window.
    result = subprocess.run(
        aicost_command("breakeven", "--json", "--as-of", sample_as_of().isoformat()),
        cwd=demo.directory,
        env=clean_env(DATABASE_URL="sqlite:///aicost-demo.db", AICOST_TIMEZONE="UTC"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert isinstance(answer["pays_off"], bool)
    # The same answer the demo printed.
    assert " ".join(answer["verdict"]["headline"].split()) in demo.text


def test_demo_shows_the_digest_and_alerts_and_writes_the_chart(demo: Demo) -> None:
    out = demo.result.stdout
    assert "Weekly digest (what AICOST_DIGEST_CHANNEL gets on Mondays)" in out
    assert "in the week of 9–15 Nov 2026" in out  # the last full week before 20 Nov
    assert "Top movers by model" in out
    # The sample's AI bill outgrows its revenue: that alert is due, and nothing was posted.
    assert "Alerts (what AICOST_ALERT_CHANNEL would get now; nothing was posted)" in out
    assert "growth:2026-10: new" in out
    chart = (demo.directory / "aicost-demo-chart.png").read_bytes()
    assert chart.startswith(b"\x89PNG\r\n\x1a\n") and len(chart) > 10_000


def test_demo_shows_a_workload_that_pays_off_and_one_that_does_not(demo: Demo) -> None:
    """Both from the sample, at the same what-if bill: the round-the-clock Anthropic pipeline
    pays off on rented H100s, the office-hours OpenAI chat does not, and each says what flips it."""
    text = demo.text
    assert "Break-even for each workload alone, at $60,000.00 a month" in text
    assert (
        "anthropic (the agents pipeline, running around the clock): Self-hosting would pay off: "
        "$32,905.56/month less" in text
    )
    assert "Self-hosting would stop paying off if movable_frac < 0.563" in text
    assert (
        "openai (the chat features, used in office hours): Stay on the API: self-hosting would "
        "cost $2,339.78/month more." in text
    )
    assert "Self-hosting would pay off if peak_factor < 1.37" in text
    # Around the clock is 723.5 active hours a month; office hours 384.6.
    assert "723.5 active hours a month" in text and "384.6 active hours a month" in text


def test_the_budget_is_the_same_percentage_in_status_and_in_its_alert(demo: Demo) -> None:
    """$6,704.45 of $12,000 is 55.87 %: both say 55 % (never a budget step before it is
    reached), and the projection's $9,671.03 is 80 % in both (80.59 %)."""
    assert "55 % used; projected 80 % at month end" in demo.text
    assert "55 % of the November budget used" in demo.text
    assert "Projected month end: $9,671.03 (80 % of budget)" in demo.text
