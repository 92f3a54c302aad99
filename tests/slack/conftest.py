"""Fixtures shared by the end-to-end Slack test modules (test_serve_http, test_subcommands_http).

All are module-scoped, so every module gets its own loopback Slack stand-in, its own working
directory and its own `aicost serve` process. A module that requests `server` must define an
`app_env` fixture: the settings (and demo database) that module's serve process runs with.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.db.engine import connect
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack.serve_harness import ServeProcess, start_serve


@pytest.fixture(scope="module")
def slack_api() -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI() as api:
        yield api


@pytest.fixture(scope="module")
def workdir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh directory per module, named after it (serve runs from here, away from .env)."""
    return tmp_path_factory.mktemp(request.module.__name__.rpartition(".")[2])


@pytest.fixture(scope="module")
def server(app_env: dict[str, str], workdir: Path) -> Iterator[ServeProcess]:
    """`aicost serve` for this module, on the module's own `app_env`."""
    serve = start_serve(app_env, workdir)
    try:
        yield serve
    finally:
        serve.stop()


@pytest.fixture(scope="module")
def engine(app_env: dict[str, str]) -> Iterator[sa.Engine]:
    """The test's own connection to the database the module's serve process writes to."""
    db = connect(app_env["DATABASE_URL"])
    yield db
    db.dispose()
