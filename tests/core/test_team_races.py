"""Two people creating one team at the same moment, on SQLite and PostgreSQL.

Each race is made real: this test holds one creation open in a transaction while another
connection makes the second, and commits only once the second has had time to find no team and
write its own. Before the creation lock, "Platform" and "platform" became two teams that split
the spend, and a "New team" form checked in its ack silently took over the team another admin
had just made.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from bot.core.team_form import TeamForm
from bot.core.teams import TeamTaken
from bot.db.audit import CLI_ACTOR, AuditLog
from bot.db.engine import connect
from bot.db.teams import TeamStore
from bot.services.team_form import save_team

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
LEAD = "slack:U0LEAD001"
HEAD_START = 0.5  # how long the second creation runs before the first commits


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    db = connect(database_url)
    yield db
    db.dispose()


def race(engine: sa.Engine, first: str, second: Callable[[], object]) -> object:
    """Create team `first` in a transaction left open while `second` runs on another thread,
    commit it, and give back what `second` returned or raised."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(second())
        except Exception as exc:  # noqa: BLE001 - handed to the test to assert on
            outcome.append(exc)

    with engine.begin() as connection:
        TeamStore(connection).set_team(
            first, budget_usd=Decimal("100"), alert_channel="C0FIRST01", actor=CLI_ACTOR, at=NOW
        )
        other = threading.Thread(target=run)
        other.start()
        time.sleep(HEAD_START)  # an ordering, not a timing: the second must not wait for us
    other.join(timeout=30)
    assert not other.is_alive() and len(outcome) == 1
    return outcome[0]


def test_two_creations_in_different_case_make_one_team(engine: sa.Engine) -> None:
    store = TeamStore(engine)
    made = race(
        engine,
        "Platform",
        lambda: store.set_team("platform", budget_usd=Decimal("900"), actor=LEAD, at=NOW),
    )
    assert not isinstance(made, Exception), made
    (team,) = store.teams()
    # The later one waited, found the team the first made, and changed it: one team, its
    # first spelling, the later budget, the first channel kept.
    assert (team.name, team.budget_usd, team.alert_channel) == (
        "Platform",
        Decimal("900"),
        "C0FIRST01",
    )
    details = [e.detail for e in reversed(AuditLog(engine).latest(10))]
    assert details == [
        "created team Platform: budget $100.00, alerts to C0FIRST01",
        "changed team Platform: budget $100.00 -> $900.00",
    ]


def test_the_same_name_twice_at_once_is_one_team_not_a_database_error(engine: sa.Engine) -> None:
    store = TeamStore(engine)
    made = race(engine, "Search", lambda: store.set_team("Search", actor=LEAD, at=NOW))
    assert not isinstance(made, Exception), made
    assert [t.name for t in store.teams()] == ["Search"]


def test_a_new_team_form_that_loses_the_race_is_refused_and_writes_nothing(
    engine: sa.Engine,
) -> None:
    form = TeamForm("platform", Decimal("5000"), "C0OTHER01", (("openai", "proj_a"),), new=True)
    request = "slack:view:V9:h9"
    refused = race(
        engine, "Platform", lambda: save_team(engine, form, actor=LEAD, at=NOW, request=request)
    )
    assert isinstance(refused, TeamTaken) and refused.existing == "Platform"
    assert "there is a team Platform already" in str(refused)
    (team,) = TeamStore(engine).teams()
    assert (team.budget_usd, team.alert_channel, team.projects) == (
        Decimal("100"),
        "C0FIRST01",
        (),
    )
    # The submission's key is not spent: nothing of it was written.
    assert AuditLog(engine).by_request(request) is None
    assert len(AuditLog(engine).latest(10)) == 1
