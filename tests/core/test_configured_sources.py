"""Which sources the settings turn on: status expects exactly the ones wiring builds, so a
source that is configured but has never synced counts as missing from the start, not as $0."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.db.store import SpendStore
from bot.runtime.wiring import SOURCES, billing_sources
from bot.services.status import configured_providers, load_status
from bot.settings import load_settings
from tests.fakes.every_source import every_source_env, every_stand_in

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def test_the_settings_name_the_sources_wiring_builds(tmp_path: Path) -> None:
    with every_stand_in(NOW.date()) as apis:
        env = every_source_env(apis, tmp_path)
        ours = {k: v for k, v in env.items() if not k.startswith(("AWS_", "GOOGLE_", "IDENT"))}
        every = load_settings(DATABASE_URL="sqlite://", **ours)
        built = billing_sources(every)
        try:
            assert every.configured_sources == [s.name for s in built] == list(SOURCES)
        finally:
            for source in built:
                close = getattr(source, "close", None)
                if close is not None:
                    close()
    only = load_settings(DATABASE_URL="sqlite://", AICOST_AZURE_SCOPE="/subscriptions/x")
    assert configured_providers(only) == ["azure"]
    assert load_settings(DATABASE_URL="sqlite://").configured_sources == []


def test_a_configured_source_that_never_synced_makes_its_days_missing(store: SpendStore) -> None:
    settings = load_settings(DATABASE_URL="sqlite://", AICOST_GCP_BILLING_TABLE="p.d.t")
    report = load_status(
        store, now=NOW, tz=ZoneInfo("UTC"), providers=configured_providers(settings)
    )
    assert report.month_to_date_usd is None  # unknown, not $0
    assert report.by_provider == {"gcp-vertex": None}
    assert [f.provider for f in report.freshness if f.last_success_at is None] == ["gcp-vertex"]
    assert report.missing_days[0] == date(2026, 11, 1)
