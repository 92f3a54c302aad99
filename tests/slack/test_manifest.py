"""app.yaml, the Slack app manifest: one paste must give an app that `aicost serve` fits.

Slack only checks a manifest when someone pastes it; these tests catch a broken one first.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bot.slack.serve import EVENTS_PATH

yaml = pytest.importorskip("yaml")  # PyYAML, from the test extras

MANIFEST = Path(__file__).resolve().parents[2] / "app.yaml"


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return yaml.safe_load(MANIFEST.read_text())


def test_aicost_slash_command_is_declared(manifest: dict[str, Any]) -> None:
    commands = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    assert set(commands) == {"/aicost"}
    aicost = commands["/aicost"]
    assert aicost["description"]
    assert "status" in aicost["usage_hint"]
    assert aicost["should_escape"] is False


def test_socket_mode_is_on_so_no_public_url_is_needed(manifest: dict[str, Any]) -> None:
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is True
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["token_rotation_enabled"] is False


def test_bot_scopes_cover_what_the_bot_does(manifest: dict[str, Any]) -> None:
    scopes = manifest["oauth_config"]["scopes"]["bot"]
    assert {"commands", "chat:write"} <= set(scopes)
    # conversations.history: an alert posted just before a crash is found, not posted again
    assert {"channels:history", "groups:history"} <= set(scopes)
    assert len(scopes) == len(set(scopes))


def test_bot_user_and_display_fit_slacks_limits(manifest: dict[str, Any]) -> None:
    info = manifest["display_information"]
    assert info["name"] == "aicost" and len(info["name"]) <= 35
    assert 0 < len(info["description"]) <= 140
    assert manifest["features"]["bot_user"] == {"display_name": "aicost", "always_online": True}


def test_http_mode_urls_point_at_the_serve_path() -> None:
    """The commented-out URLs a user uncomments for HTTP mode must be where `serve` listens."""
    urls = re.findall(r"#\s*(?:url|request_url):\s*(\S+)", MANIFEST.read_text())
    assert len(urls) == 3  # the slash command, events (the Home tab), interactivity
    assert all(url.startswith("https://") and url.endswith(EVENTS_PATH) for url in urls)


def test_the_home_tab_is_on_and_its_event_subscribed(manifest: dict[str, Any]) -> None:
    """Without the tab Slack never shows it; without the event aicost never hears it opened.
    A bot event needs no extra scope for app_home_opened."""
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]
