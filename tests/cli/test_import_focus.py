"""`aicost import focus`: a FOCUS export swapped into a real database, exactly and idempotently.

Re-importing a file, or importing one that overlaps it, replaces the days it covers for its
providers; a refused file stores nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from bot.db.engine import connect
from bot.db.store import SpendStore
from bot.services.focus_import import import_focus
from tests.adapters.test_focus import HEADER, row
from tests.cli.conftest import Run

NOW = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)


def write(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return path


def by_day(store: SpendStore, provider: str) -> dict[date, Decimal]:
    return {
        r.day: r.amount_usd
        for r in store.daily_spend(date(2026, 1, 1), date(2027, 1, 1))
        if r.provider == provider
    }


def covered(store: SpendStore, provider: str) -> set[date]:
    fetched = store.fetched_at(date(2026, 1, 1), date(2027, 1, 1))
    return {day for (name, day) in fetched if name == provider}


def test_reimporting_and_overlapping_files_never_double_count(
    store: SpendStore, tmp_path: Path
) -> None:
    november = write(
        tmp_path / "nov.csv",
        row("10.00", "2026-11-01", "Amazon Bedrock"),
        row("5.00", "2026-11-03", "Amazon Bedrock"),
    )
    import_focus(store, november, now=NOW)
    imported, rows, kept = import_focus(store, november, now=NOW)
    assert (rows, kept) == (2, 2)
    assert by_day(store, "aws") == {date(2026, 11, 1): Decimal(10), date(2026, 11, 3): Decimal(5)}
    # 2 Nov is covered by the file: fetched, so a known $0 day, not a missing one.
    assert covered(store, "aws") == {date(2026, 11, d) for d in (1, 2, 3)}
    # A later export revises 3 Nov and adds 4 Nov; 1 Nov, outside it, stays as it was.
    later = write(
        tmp_path / "later.csv",
        row("6.50", "2026-11-03", "Amazon Bedrock"),
        row("1.25", "2026-11-04", "Amazon Bedrock"),
    )
    import_focus(store, later, now=NOW)
    assert by_day(store, "aws") == {
        date(2026, 11, 1): Decimal(10),
        date(2026, 11, 3): Decimal("6.50"),
        date(2026, 11, 4): Decimal("1.25"),
    }
    assert covered(store, "aws") == {date(2026, 11, d) for d in (1, 2, 3, 4)}
    assert store.last_success("aws") is not None


def test_the_cli_imports_and_a_refused_file_stores_nothing(run_aicost: Run, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'f.db'}"
    good = write(
        tmp_path / "good.csv", row("2.5", "2026-11-01", "Azure OpenAI", provider="Microsoft")
    )
    result = run_aicost("import", "focus", str(good), DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "good.csv: 1 rows, 1 AI charges kept",
        "  microsoft: 2026-11-01 to 2026-11-01 replaced, 1 lines, $2.50",
    ]
    bad = write(
        tmp_path / "bad.csv",
        row("9", "2026-11-01", "Azure OpenAI", provider="Microsoft"),
        row("1.5.0", "2026-11-02", "Vertex AI", provider="Google Cloud"),
    )
    refused = run_aicost("import", "focus", str(bad), DATABASE_URL=url)
    assert refused.returncode == 1
    assert refused.stderr.strip() == "aicost: focus: line 3: BilledCost '1.5.0' is not a number"
    engine = connect(url)
    assert by_day(SpendStore(engine), "microsoft") == {date(2026, 11, 1): Decimal("2.5")}
    engine.dispose()
    missing = run_aicost("import", "focus", str(tmp_path / "nope.csv"), DATABASE_URL=url)
    assert missing.stderr.strip() == f"aicost: {tmp_path / 'nope.csv'}: no such file"
