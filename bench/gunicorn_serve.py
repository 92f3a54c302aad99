"""The app `aicost serve` runs in HTTP mode, under gunicorn instead of waitress: a comparison.

    python bench/gunicorn_serve.py   # settings from the environment, as `aicost serve`

Used by `bench/serve_load.py --server gunicorn` only, to measure the server choice rather than
argue it: the same bolt app, edge, work pool and GIL switch interval, one gunicorn process with
gthread workers (one process, because the answer cache, the work pool and the scheduler live in
it). No scheduler: the benchmark's database is never synced by the server it measures.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication
from slack_bolt.adapter.wsgi import SlackRequestHandler

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.runtime.logging_setup import configure_logging  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from bot.slack.app import build_app  # noqa: E402
from bot.slack.edge import EVENTS_PATH, SlackEdge  # noqa: E402
from bot.slack.serve import SERVER_OPTIONS, SWITCH_INTERVAL_SECONDS  # noqa: E402
from bot.slack.services import SlackServices  # noqa: E402


class Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, app: Any, options: dict[str, Any]) -> None:
        self.application, self.options = app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.application


def main() -> None:
    settings = load_settings()
    configure_logging(settings)
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    assert settings.slack_signing_secret is not None
    app = build_app(settings, services=SlackServices.from_settings(settings), socket_mode=False)
    handler = SlackEdge(
        SlackRequestHandler(app, path=EVENTS_PATH), settings.slack_signing_secret.get_secret_value()
    )
    options = {
        "bind": f"{settings.host}:{settings.port}",
        "workers": 1,
        "worker_class": "gthread",
        "threads": SERVER_OPTIONS["threads"],
        "worker_connections": SERVER_OPTIONS["connection_limit"],
        "timeout": 30,
        "keepalive": 2,
        "loglevel": "warning",
    }
    Gunicorn(handler, options).run()


if __name__ == "__main__":
    main()
