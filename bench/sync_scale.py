"""Measure aicost at the scale of a large organisation, and print the figures beside the floors.

    python bench/sync_scale.py                  # ~1,000,000 cost rows on SQLite
    python bench/sync_scale.py --rows 50000     # a quick run
    python bench/sync_scale.py --postgres       # SQLite, then the same on PostgreSQL

A year of 100 projects × 28 line items (plus daily token usage) is served from a loopback server
in OpenAI's real Costs and Completions Usage page format, and every other source is configured
too, each against the tests' loopback stand-in with a year (OpenRouter: its API's 30 days) of
daily rows (other_sources.py): Anthropic, OpenRouter, AWS Bedrock (SigV4), Azure (a managed
identity) and Vertex AI (a service account). Measured:

- the full backfill of all six sources by one real `aicost sync` in a child process: its wall
  time, its rate in cost rows per second (every source's rows, and the OpenAI organisation's
  alone, each over that same all-sources time) and peak RSS (the child's own VmHWM, see
  peak_rss.py), beside the floor: the OpenAI organisation's parsed rows written with a bare
  DB-API `executemany`;
- then the scheduled sync (no `--since`: the last few days re-fetched) and a full re-sync of the
  year over the stored rows, in seconds;
- what the Slack handlers do behind their ack, in a fresh process (handler_latency.py), p50/p99
  over many runs: `status`
  (figures + blocks), `breakeven` (report + verdict + blocks) and the weekly digest (figures +
  blocks; the chart image is matplotlib's time, not the database's), beside the floor: one raw
  SQL `SUM` over the same window of rows that status reads;
- `aicost --help` cold start, best of five.

Each source's stored total and row count are checked against the generated ones, to the
nano-unit, after all three syncs: re-syncing replaces, never adds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from bot.core.clock import utc_now
from bot.db.engine import connect, normalize_url

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1]))  # the tests' stand-ins (tests.fakes)
from large_org import ADMIN_KEY, LargeOrg, OrgServer  # noqa: E402
from other_sources import Expected, fill_other_sources  # noqa: E402

from tests.fakes.every_source import every_source_env, every_stand_in  # noqa: E402

PEAK_RSS = Path(__file__).with_name("peak_rss.py")
HANDLER_LATENCY = Path(__file__).with_name("handler_latency.py")
POSTGRES_URL = os.environ.get(
    "AICOST_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
TARGETS = {
    "sync": "≥ 50,000 rows/s",
    "rss": "< 250 MB",
    "status_p99": "< 20 ms, ≤ 2× floor",
    "help": "< 0.8 s",
}
OURS = ("OPENAI_", "ANTHROPIC_", "SLACK_", "AICOST_", "DATABASE_URL", "STRIPE_", "OPENROUTER_")
# The cloud SDKs' own credential settings: the developer's must not reach the bench's aicost.
CLOUD = ("AWS_", "AZURE_", "IDENTITY_", "MSI_", "GOOGLE_", "CLOUDSDK_")


def aicost(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot.cli", *args]


def clean_env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(OURS + CLOUD)}
    return {**env, **settings}


def cold_start(sources: dict[str, str], runs: int = 5) -> float:
    """Best wall time of `aicost --help` in a fresh interpreter, every source configured (their
    SDKs are imported only by the sources that use them, never for `--help`)."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        env = clean_env(**sources)
        subprocess.run(aicost("--help"), check=True, capture_output=True, env=env)
        best = min(best, time.perf_counter() - started)
    return best


def timed_sync(
    url: str, sources: dict[str, str], workdir: Path, *sync_args: str
) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of `aicost sync [sync_args]` (every source), a child of its own."""
    env = clean_env(DATABASE_URL=url, **sources)
    peak_file = workdir / "peak_rss_kb"
    command = [sys.executable, str(PEAK_RSS), str(peak_file), "bot.cli"]
    started = time.perf_counter()
    done = subprocess.run(
        [*command, "sync", *sync_args],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"aicost sync failed: {done.stdout}{done.stderr[-2000:]}")
    return elapsed, int(peak_file.read_text()) / 1024


def executemany_floor(engine: sa.Engine, org: LargeOrg) -> float:
    """Seconds to write the same parsed rows with a bare executemany into a cost_lines twin."""
    rows = list(org.parsed_rows())
    marker = "?" if engine.dialect.name == "sqlite" else "%s"
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS bench_floor"))
        connection.execute(
            sa.text(
                "CREATE TABLE bench_floor (provider VARCHAR(32), day DATE, project VARCHAR(191), "
                "line_item VARCHAR(255), model VARCHAR(191), amount_nanos BIGINT, "
                "PRIMARY KEY (day, provider, project, line_item))"
            )
        )
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        started = time.perf_counter()
        sql = (
            "INSERT INTO bench_floor (provider, day, project, line_item, model, amount_nanos) "
            f"VALUES ({', '.join([marker] * 6)})"
        )
        for at in range(0, len(rows), 50_000):
            cursor.executemany(sql, rows[at : at + 50_000])
        raw.commit()
        elapsed = time.perf_counter() - started
    finally:
        raw.close()
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE bench_floor"))
    return elapsed


def stored_by_source(engine: sa.Engine) -> dict[str, Expected]:
    """Each provider's stored total (nano-units) and number of cost rows."""
    query = sa.text(
        "SELECT provider, SUM(amount_nanos), COUNT(*) FROM cost_lines GROUP BY provider"
    )
    with engine.connect() as connection:
        return {
            name: Expected(int(total), count) for name, total, count in connection.execute(query)
        }


def measure(
    url: str,
    org: LargeOrg,
    sources: dict[str, str],
    expected: dict[str, Expected],
    runs: int,
    workdir: Path,
) -> dict:
    figures: dict[str, object] = {}
    since = org.first_day.isoformat()
    sync_s, rss_mb = timed_sync(url, sources, workdir, "--since", since)
    figures["sync_s"] = sync_s
    figures["sync_rate"] = sum(e.rows for e in expected.values()) / sync_s
    figures["openai_rate"] = org.cost_rows / sync_s
    # The steady state: what the scheduler runs every few hours (the last days, re-fetched).
    figures["daily_s"], _ = timed_sync(url, sources, workdir)
    figures["resync_s"], _ = timed_sync(url, sources, workdir, "--since", since)
    figures["rss_mb"] = rss_mb
    engine = connect(url)
    try:
        stored = stored_by_source(engine)
        figures["exact"] = stored == expected
        if stored != expected:
            print(f"stored {stored}\nexpected {expected}", file=sys.stderr)
        floor_s = executemany_floor(engine, org)
        figures["floor_rate"] = org.cost_rows / floor_s
    finally:
        engine.dispose()
    latency = subprocess.run(
        [sys.executable, str(HANDLER_LATENCY), url, str(runs)],
        cwd=workdir,
        env=clean_env(**sources),
        capture_output=True,
        text=True,
        check=True,
    )
    figures.update(json.loads(latency.stdout))
    return figures


def postgres_database() -> tuple[sa.Engine, str, str] | None:
    admin = sa.create_engine(normalize_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError:
        admin.dispose()
        return None
    name = f"aicost_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return admin, name, admin.url.set(database=name).render_as_string(hide_password=False)


def print_table(
    org: LargeOrg, expected: dict[str, Expected], help_s: float, results: dict[str, dict]
) -> None:
    names = list(results)
    others = ", ".join(f"{name} {e.rows:,}" for name, e in expected.items() if name != "openai")
    total = sum(e.rows for e in expected.values())
    print(
        f"\nOpenAI: {org.cost_rows:,} cost rows ({org.days} days × {org.projects} projects × 28 "
        f"line items) + {org.days * 14:,} token-usage rows; every other source configured too: "
        f"{others} cost rows; {total:,} in all; {os.cpu_count()} CPUs\n"
    )
    header = f"{'measure':<34}" + "".join(f"{n:>16}" for n in names) + f"   {'target'}"
    print(header)
    print("-" * len(header))

    def line(label: str, cell: Callable[[dict], str], target: str = "") -> None:
        print(f"{label:<34}" + "".join(f"{cell(results[n]):>16}" for n in names) + f"   {target}")

    line("sync, all six sources: seconds", lambda f: f"{f['sync_s']:.1f}")
    line("sync: all sources' rows/s", lambda f: f"{f['sync_rate']:,.0f}", TARGETS["sync"])
    line("sync: OpenAI org's rows/s", lambda f: f"{f['openai_rate']:,.0f}", TARGETS["sync"])
    line("floor: bare executemany rows/s", lambda f: f"{f['floor_rate']:,.0f}")
    line("sync: peak RSS (MB)", lambda f: f"{f['rss_mb']:.0f}", TARGETS["rss"])
    line("scheduled sync (last days): seconds", lambda f: f"{f['daily_s']:.1f}")
    line("full re-sync over stored rows: seconds", lambda f: f"{f['resync_s']:.1f}")
    line("each source's total exact, no dups", lambda f: "yes" if f["exact"] else "NO")
    line("status p50 (ms)", lambda f: f"{f['status'][0]:.1f}")
    line("status p99 (ms)", lambda f: f"{f['status'][1]:.1f}", TARGETS["status_p99"])
    line("breakeven p50 (ms)", lambda f: f"{f['breakeven'][0]:.1f}")
    line("breakeven p99 (ms)", lambda f: f"{f['breakeven'][1]:.1f}")
    line(
        "cached status / breakeven p99 (ms)",
        lambda f: f"{f['status_cached'][1]:.1f} / {f['breakeven_cached'][1]:.1f}",
    )
    line("digest p50 (ms)", lambda f: f"{f['digest'][0]:.1f}")
    line("digest p99 (ms)", lambda f: f"{f['digest'][1]:.1f}")
    line("floor: raw SQL SUM p50 (ms)", lambda f: f"{f['sum_floor'][0]:.1f}")
    line("floor: raw SQL SUM p99 (ms)", lambda f: f"{f['sum_floor'][1]:.1f}")
    line("status p99 ÷ floor p99", lambda f: f"{f['status'][1] / f['sum_floor'][1]:.2f}×")
    print(f"{'aicost --help cold start (best of 5)':<34}{help_s:>16.2f}   {TARGETS['help']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_022_000, help="cost rows to generate")
    parser.add_argument("--postgres", action="store_true", help="also measure PostgreSQL")
    parser.add_argument("--runs", type=int, default=50, help="status runs to time")
    args = parser.parse_args()
    org = LargeOrg.of_size(args.rows, last_day=utc_now().date())
    results: dict[str, dict] = {}
    with (
        OrgServer(org) as server,
        every_stand_in(org.last_day) as apis,
        tempfile.TemporaryDirectory() as tmp,
    ):
        workdir = Path(tmp)
        expected = {
            "openai": Expected(org.expected_total_nanos(), org.cost_rows),
            **fill_other_sources(apis, org.first_day, org.last_day),
        }
        sources = every_source_env(apis, workdir, openai=(ADMIN_KEY, server.base_url))
        help_s = cold_start(sources)
        rows = sum(e.rows for e in expected.values())
        print(f"sqlite: syncing {rows:,} rows...", file=sys.stderr, flush=True)
        results["sqlite"] = measure(
            f"sqlite:///{workdir / 'bench.db'}", org, sources, expected, args.runs, workdir
        )
        if args.postgres:
            made = postgres_database()
            if made is None:
                print(f"PostgreSQL not reachable at {POSTGRES_URL}; skipped", file=sys.stderr)
            else:
                admin, name, url = made
                print(f"postgresql: syncing {rows:,} rows...", file=sys.stderr)
                try:
                    results["postgresql"] = measure(url, org, sources, expected, args.runs, workdir)
                finally:
                    with admin.connect() as connection:
                        connection.execute(
                            sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                        )
                    admin.dispose()
    print_table(org, expected, help_s, results)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n(benchmark process itself: {own:.0f} MB peak, not counted above)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
